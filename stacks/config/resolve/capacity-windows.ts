/**
 * Resolves the `capacityWindows` key: each entry names a window, its pool, its start (a cron or a
 * local date-time, in an IANA zone), its duration, lead and drain, and the shape to reserve. A
 * window is checked against its pool (largest node, limits), so what passes here builds.
 */
import {
  buildPool,
  isTimeZone,
  parseCron,
  parseDuration,
  WINDOW_DEFAULTS,
  windowFitProblems,
  windowSchedules,
  zonedToUtc,
  type CapacityWindow,
  type PoolContext,
  type PoolDeclaration,
} from "../../../components/internal";
import type { Problem } from "../errors";

/** The grammar of one `capacityWindows` entry, for descriptions and messages. */
export const WINDOW_ENTRY_SYNTAX =
  "<name>=<pool>,start=<cron or YYYY-MM-DDTHH:MM>,tz=<IANA zone>,duration=<e.g. 2h>[,lead=30m][,drain=30m],pods=<n>,memoryGiB=<GiB>[,cpu=<vCPUs>] or totalMemoryGiB=<GiB>,memoryGiB=<GiB>[,cpu=<vCPUs>]";

const FIELDS = ["start", "tz", "duration", "lead", "drain", "pods", "memoryGiB", "cpu", "totalMemoryGiB"] as const;
type Field = (typeof FIELDS)[number];

/** Parses one entry. Fields split at a comma followed by `<field>=`, so a cron may hold lists such as mon,wed,fri. */
export function parseWindowEntry(entry: string): { window: CapacityWindow } | { error: string } {
  const [head = "", ...rest] = entry.split(/,(?=\s*[A-Za-z]+=)/).map((f) => f.trim());
  const [name = "", pool = ""] = head.split("=");
  if (!/^[a-z0-9]([-a-z0-9]{0,28}[a-z0-9])?$/.test(name))
    return { error: `window name "${name}" must be a Kubernetes name of at most 30 characters (lowercase letters, digits, hyphens)` };
  const f: Partial<Record<Field, string>> = {};
  for (const field of rest) {
    const at = field.indexOf("=");
    const key = field.slice(0, at) as Field;
    if (!(FIELDS as readonly string[]).includes(key))
      return { error: `field "${field}" is not one of ${FIELDS.join(", ")} (entries read ${WINDOW_ENTRY_SYNTAX})` };
    if (f[key] !== undefined) return { error: `field ${key} is set twice` };
    f[key] = field.slice(at + 1);
  }
  for (const key of ["start", "tz", "duration"] as const) if (f[key] === undefined) return { error: `${key} is missing (entries read ${WINDOW_ENTRY_SYNTAX})` };
  const zone = f.tz!;
  if (!isTimeZone(zone)) return { error: `tz "${zone}" is not an IANA time zone such as Europe/Berlin or America/New_York` };
  const startText = f.start!;
  let start: CapacityWindow["start"];
  if (/^\d{4}-/.test(startText)) {
    if (!zonedToUtc(startText, zone))
      return { error: `start "${startText}" must be a date-time YYYY-MM-DDTHH:MM that exists in ${zone} (not in a daylight-saving gap)` };
    start = { at: startText };
  } else {
    const cron = parseCron(startText);
    if ("error" in cron) return { error: cron.error };
    start = { cron: startText.trim().split(/\s+/).join(" ") };
  }
  const minutes = (key: "duration" | "lead" | "drain", fallback?: number): number | string => {
    if (f[key] === undefined) return fallback ?? NaN;
    const m = parseDuration(f[key]!);
    return m === undefined ? `${key} "${f[key]}" must be a duration such as 30m, 2h or 1h30m` : m;
  };
  const duration = minutes("duration");
  const lead = minutes("lead", WINDOW_DEFAULTS.leadMinutes);
  const drain = minutes("drain", WINDOW_DEFAULTS.drainMinutes);
  for (const v of [duration, lead, drain]) if (typeof v === "string") return { error: v };
  if (!((duration as number) >= 15 && (duration as number) <= 7 * 1440)) return { error: `duration "${f.duration}" must be between 15m and 7d` };
  if (!((lead as number) >= 15 && (lead as number) <= 240))
    return { error: `lead "${f.lead}" must be between 15m and 4h: the readiness alert checks at start - 10m` };
  if ((drain as number) > 1440) return { error: `drain "${f.drain}" must be at most 1d` };
  const whole = (key: Field, fallback?: number): number | string => {
    const text = f[key];
    if (text === undefined) return fallback ?? `${key} is missing (entries read ${WINDOW_ENTRY_SYNTAX})`;
    return /^\d+$/.test(text) && Number(text) > 0 ? Number(text) : `${key} "${text}" must be a whole number above 0`;
  };
  const memoryGiB = whole("memoryGiB");
  const cpu = whole("cpu", 1);
  if (typeof memoryGiB === "string") return { error: memoryGiB };
  if (typeof cpu === "string") return { error: cpu };
  if ((f.pods === undefined) === (f.totalMemoryGiB === undefined))
    return { error: "set either pods (a count) or totalMemoryGiB (a total), not both or neither" };
  const total = f.totalMemoryGiB === undefined ? undefined : whole("totalMemoryGiB");
  if (typeof total === "string") return { error: total };
  const pods = total === undefined ? whole("pods") : Math.ceil(total / memoryGiB);
  if (typeof pods === "string") return { error: pods };
  if (pods > 100) return { error: `${pods} placeholder pods is more than 100: reserve with larger pods` };
  const window: CapacityWindow = {
    name,
    pool,
    start,
    timeZone: zone,
    durationMinutes: duration as number,
    leadMinutes: lead as number,
    drainMinutes: drain as number,
    pods,
    memoryGiB,
    cpu,
  };
  const schedules = windowSchedules(window);
  if ("error" in schedules) return { error: schedules.error };
  return { window };
}

/** Every window of the key, each checked against its pool; problems name the entry and the window. */
export function resolveCapacityWindows(
  entries: readonly string[],
  pools: readonly PoolDeclaration[],
  context: PoolContext,
  problem: Problem,
): CapacityWindow[] {
  const windows: CapacityWindow[] = [];
  const names = new Set<string>();
  entries.forEach((entry, i) => {
    const key = `capacityWindows[${i}]` as const;
    const parsed = parseWindowEntry(entry);
    if ("error" in parsed) return problem(key, entry, parsed.error);
    const w = parsed.window;
    if (names.has(w.name)) return problem(key, entry, `window "${w.name}": the name is taken by an earlier entry`);
    names.add(w.name);
    const pool = pools.find((p) => p.name === w.pool);
    if (!pool) return problem(key, entry, `window "${w.name}": pool "${w.pool}" is not one of the stack's pools: ${pools.map((p) => p.name).join(", ")}`);
    let fit: string[];
    try {
      fit = windowFitProblems(w, buildPool(pool, context));
    } catch {
      return; // the pool itself is reported under its own key
    }
    if (fit.length > 0) return problem(key, entry, `window "${w.name}" cannot be held: ${fit.join("; ")}`);
    windows.push(w);
  });
  return windows;
}
