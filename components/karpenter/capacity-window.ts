/**
 * Capacity windows as data: a time (a cron schedule or one local date-time, in an IANA time zone),
 * a duration, a lead and a drain time, and the shape to hold on a pool (pods of a size). From it
 * follow the two scaling schedules of the window's placeholders (start - lead, end + drain, as
 * cron expressions in the window's zone), how often it runs, and whether its pool can hold it.
 */
import { allocatableForPodsMiB } from "./capacity";
import { INSTANCE_TYPES, type InstanceType } from "./instance-types";
import type { NodePoolDefinition } from "./karpenter-node-pool";
import { DAEMONSET_MEMORY_MIB } from "./pool-presets";

export interface CapacityWindow {
  /** Kubernetes name part of the window's objects. */
  readonly name: string;
  /** Name of the Karpenter pool the placeholders reserve capacity on. */
  readonly pool: string;
  /** A five-field cron (minute and hour single numbers), or one local date-time `YYYY-MM-DDTHH:MM`. */
  readonly start: { readonly cron: string } | { readonly at: string };
  /** IANA time zone the start is read in, such as Europe/Berlin. */
  readonly timeZone: string;
  readonly durationMinutes: number;
  readonly leadMinutes: number;
  readonly drainMinutes: number;
  /** Placeholder pods and the size of each (requests = limits). */
  readonly pods: number;
  readonly memoryGiB: number;
  readonly cpu: number;
}

/** Lead and drain times when an entry sets none (issue 17: T-30 min, end + 30 min). */
export const WINDOW_DEFAULTS = { leadMinutes: 30, drainMinutes: 30 } as const;

/** Minutes of a duration such as 90m, 2h, 1h30m or 1d. */
export function parseDuration(text: string): number | undefined {
  const m = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?$/.exec(text);
  if (!m || text === "") return undefined;
  return Number(m[1] ?? 0) * 1440 + Number(m[2] ?? 0) * 60 + Number(m[3] ?? 0);
}

const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const MONTH_NAMES = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** The values of a cron field (`*`, numbers, names, ranges and lists; no steps), or an error. */
function fieldValues(field: string, min: number, max: number, names: readonly string[] = [], nameBase = 0): Set<number> | string {
  if (field === "*") return new Set(Array.from({ length: max - min + 1 }, (_, i) => i + min));
  const value = (v: string) => (/^\d+$/.test(v) ? Number(v) : names.indexOf(v.toLowerCase()) >= 0 ? names.indexOf(v.toLowerCase()) + nameBase : NaN);
  const out = new Set<number>();
  for (const part of field.split(",")) {
    const [a = "", b] = part.split("-");
    const from = value(a);
    const to = b === undefined ? from : value(b);
    if (!(from >= min && to <= max && from <= to)) return `"${part}" is not a value or range of ${min}-${max}${names.length ? ` or ${names.join("/")}` : ""}`;
    for (let v = from; v <= to; v++) out.add(v);
  }
  return out;
}

interface Cron {
  readonly minute: number;
  readonly hour: number;
  readonly dom: string;
  readonly month: string;
  readonly dow: string;
}

/** A window's cron, checked: minute and hour single numbers, the day fields without steps. */
export function parseCron(text: string): Cron | { error: string } {
  const f = text.trim().split(/\s+/);
  if (f.length !== 5) return { error: `cron "${text}" must have five fields (minute hour day-of-month month day-of-week)` };
  const [minute = "", hour = "", dom = "", month = "", dow = ""] = f;
  if (!/^\d+$/.test(minute) || Number(minute) > 59) return { error: `cron minute "${minute}" must be one number 0-59` };
  if (!/^\d+$/.test(hour) || Number(hour) > 23) return { error: `cron hour "${hour}" must be one number 0-23` };
  for (const [v, lo, hi, names, base] of [
    [dom, 1, 31, [], 0],
    [month, 1, 12, MONTH_NAMES, 1],
    [dow, 0, 7, DAY_NAMES, 0],
  ] as const) {
    const values = fieldValues(v, lo, hi, names, base);
    if (typeof values === "string") return { error: `cron "${text}": ${values}` };
  }
  return { minute: Number(minute), hour: Number(hour), dom, month, dow };
}

/** A local date-time `YYYY-MM-DDTHH:MM`, as minutes since 1970 on a clock without zone. */
function parseLocal(at: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(at);
  if (!m) return undefined;
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  const d = new Date(ms);
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]) && Number(m[4]) < 24 ? ms / 60000 : undefined;
}

/** Wall-clock minutes (since 1970, zone-less) that the instant `utcMs` shows in the zone. */
function wallMinutes(utcMs: number, zone: string): number {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
    })
      .formatToParts(new Date(utcMs))
      .map((p) => [p.type, p.value]),
  );
  return Date.UTC(Number(parts["year"]), Number(parts["month"]) - 1, Number(parts["day"]), Number(parts["hour"]), Number(parts["minute"])) / 60000;
}

/**
 * The UTC instant of a local date-time in a zone (Intl's IANA data, daylight saving included), or
 * undefined when the clock skips that time in that zone (the spring-forward gap).
 */
export function zonedToUtc(at: string, zone: string): Date | undefined {
  const local = parseLocal(at);
  if (local === undefined) return undefined;
  let utc = local * 60000;
  for (let i = 0; i < 2; i++) utc = local * 60000 - (wallMinutes(utc, zone) * 60000 - utc);
  return wallMinutes(utc, zone) === local ? new Date(utc) : undefined;
}

/** The cron (in the window's zone) of the moment `offset` minutes after the window's start. */
export function shiftedSchedule(w: CapacityWindow, offset: number): string | { error: string } {
  if ("at" in w.start) {
    const local = parseLocal(w.start.at);
    if (local === undefined) return { error: `start "${w.start.at}" is not a date-time YYYY-MM-DDTHH:MM` };
    const d = new Date((local + offset) * 60000);
    return `${d.getUTCMinutes()} ${d.getUTCHours()} ${d.getUTCDate()} ${d.getUTCMonth() + 1} *`;
  }
  const c = parseCron(w.start.cron);
  if ("error" in c) return c;
  const total = c.hour * 60 + c.minute + offset;
  const days = Math.floor(total / 1440);
  const minutes = total - days * 1440;
  if (days === 0) return `${minutes % 60} ${Math.floor(minutes / 60)} ${c.dom} ${c.month} ${c.dow}`;
  if (c.dom !== "*" || c.month !== "*")
    return { error: `the scaling time ${offset < 0 ? "before" : "after"} the start falls on another day, which needs day-of-month and month * in the cron` };
  const dow = fieldValues(c.dow, 0, 7, DAY_NAMES) as Set<number>;
  const shifted = c.dow === "*" ? "*" : [...new Set([...dow].map((d) => ((((d % 7) + days) % 7) + 7) % 7))].sort((a, b) => a - b).join(",");
  return `${minutes % 60} ${Math.floor(minutes / 60)} * * ${shifted}`;
}

/** The placeholders' scale-up (start - lead) and scale-down (end + drain) schedules, in the window's zone. */
export function windowSchedules(w: CapacityWindow): { up: string; down: string } | { error: string } {
  const up = shiftedSchedule(w, -w.leadMinutes);
  if (typeof up !== "string") return up;
  const down = shiftedSchedule(w, w.durationMinutes + w.drainMinutes);
  if (typeof down !== "string") return down;
  return { up, down };
}

/** Average starts per month: the cron's matching days over a common year, divided by 12; a one-off window counts once. */
export function startsPerMonth(w: CapacityWindow): number {
  if ("at" in w.start) return 1;
  const c = parseCron(w.start.cron);
  if ("error" in c) return 0;
  const dom = fieldValues(c.dom, 1, 31) as Set<number>;
  const month = fieldValues(c.month, 1, 12, MONTH_NAMES, 1) as Set<number>;
  const dow = new Set([...(fieldValues(c.dow, 0, 7, DAY_NAMES) as Set<number>)].map((d) => d % 7));
  let days = 0;
  // 2025 is a common year; cron matches a day on day-of-month OR day-of-week when both are restricted.
  for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2026, 0, 1); t += 86400000) {
    const d = new Date(t);
    const byDom = dom.has(d.getUTCDate());
    const byDow = dow.has(d.getUTCDay());
    const dayMatch = c.dom !== "*" && c.dow !== "*" ? byDom || byDow : byDom && byDow;
    if (month.has(d.getUTCMonth() + 1) && dayMatch) days++;
  }
  return days / 12;
}

/** Hours the placeholders hold capacity per start: lead, duration and drain. */
export const heldHours = (w: Pick<CapacityWindow, "leadMinutes" | "durationMinutes" | "drainMinutes">): number =>
  (w.leadMinutes + w.durationMinutes + w.drainMinutes) / 60;

/** CPU a node keeps for the kubelet, the system and its daemonsets (millicores). */
const RESERVED_CPU_MILLI = 750;

/** The instance types a pool may launch: its instance-type list, else the table's types of its categories and architectures. */
export function poolInstanceTypes(pool: NodePoolDefinition): InstanceType[] {
  const req = (key: string) => pool.requirements.find((r) => r.key === key)?.values;
  const names = req("node.kubernetes.io/instance-type");
  if (names) return INSTANCE_TYPES.filter((t) => names.includes(t.name));
  const categories = req("karpenter.k8s.aws/instance-category") ?? [];
  const arches = req("kubernetes.io/arch") ?? [];
  return INSTANCE_TYPES.filter((t) => categories.includes(t.family[0] ?? "") && arches.includes(t.arch));
}

/** Why a window cannot be held by its pool (its largest node, its limits); empty when it can. */
export function windowFitProblems(w: CapacityWindow, pool: NodePoolDefinition): string[] {
  const problems: string[] = [];
  const types = poolInstanceTypes(pool);
  const fit = { daemonsetMiB: DAEMONSET_MEMORY_MIB, hugePagesGiB: pool.tuning.hugePagesGiB };
  const largest = [...types].sort((a, b) => allocatableForPodsMiB(b, fit) - allocatableForPodsMiB(a, fit))[0];
  if (!largest) problems.push(`pool ${pool.poolName} has no instance type this platform knows the size of`);
  else {
    if (w.memoryGiB * 1024 > allocatableForPodsMiB(largest, fit))
      problems.push(
        `a ${w.memoryGiB} GiB placeholder does not fit the largest node of pool ${pool.poolName} (${largest.name}: ${allocatableForPodsMiB(largest, fit)} MiB for pods)`,
      );
    const vcpu = Math.max(...types.map((t) => t.vcpu));
    if (w.cpu * 1000 > vcpu * 1000 - RESERVED_CPU_MILLI)
      problems.push(`a ${w.cpu}-vCPU placeholder does not fit the largest node of pool ${pool.poolName} (${vcpu} vCPUs, ${RESERVED_CPU_MILLI}m kept)`);
  }
  if (w.pods * w.memoryGiB > pool.limits.memoryGiB)
    problems.push(
      `${w.pods} x ${w.memoryGiB} GiB = ${w.pods * w.memoryGiB} GiB is more than pool ${pool.poolName}'s memory limit (${pool.limits.memoryGiB} GiB)`,
    );
  if (w.pods * w.cpu > pool.limits.cpu) problems.push(`${w.pods} x ${w.cpu} vCPUs is more than pool ${pool.poolName}'s cpu limit (${pool.limits.cpu})`);
  return problems;
}

/** A local date-time's display, for messages: `2026-12-01T09:00 Europe/Berlin = 2026-12-01T08:00Z`. */
export function describeStart(w: CapacityWindow): string {
  if ("cron" in w.start) return `cron "${w.start.cron}" in ${w.timeZone}`;
  const utc = zonedToUtc(w.start.at, w.timeZone);
  return `${w.start.at} ${w.timeZone}${utc ? ` = ${utc.toISOString().slice(0, 16)}Z` : ""}`;
}
