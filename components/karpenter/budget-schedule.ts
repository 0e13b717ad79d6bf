/**
 * Converts a weekly window in a team's time zone ("07:00-19:00", "mon-fri", "Europe/Berlin") into
 * Karpenter disruption budget schedules, which are UTC only: "Schedules are always in UTC" and
 * "Timezones are not supported" (kubernetes-sigs/karpenter v1.8.0 pkg/apis/v1/nodepool.go,
 * Budget.Schedule). A budget is a cron `schedule` plus a `duration`; it cannot change with the date,
 * so a zone with daylight saving (two UTC offsets a year) gets budgets that cover the local window
 * at every offset the zone uses: one budget per offset, merged where they overlap. The trade-off is
 * to cover more hours than asked (the freeze starts an hour early or ends an hour late for half of
 * the year), never fewer.
 *
 * Offsets come from Intl.DateTimeFormat alone: ECMA-402 requires time zone names to be those of the
 * IANA Time Zone Database and throws a RangeError for a name that is not one (ECMA-402, 11.1.2
 * CreateDateTimeFormat, IsValidTimeZoneName), and formats an instant in that zone's local time.
 */
import { isTimeZone } from "../lib/time-zone";

const DAY_NAMES = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"] as const;
const MINUTES_PER_DAY = 24 * 60;

/** A weekly window in local time: it starts on each of `days` at `start` and runs until `end` (the next day when end <= start). */
export interface LocalWindow {
  /** "HH:MM-HH:MM", such as "07:00-19:00". */
  readonly hours: string;
  /** Cron day-of-week field: names or 0-6 (0 is Sunday), ranges and lists, such as "mon-fri" or "mon,wed,fri"; "*" for every day. */
  readonly days: string;
  /** IANA time zone, such as "Europe/Berlin"; "UTC" for none. */
  readonly timeZone: string;
}

/** The schedule and duration of one Karpenter budget (UTC). */
export interface BudgetSchedule {
  readonly schedule: string;
  readonly duration: string;
}

const HOURS = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-3]):([0-5]\d)$/;
const DAY = "(sun|mon|tue|wed|thu|fri|sat|[0-6])";
const DAY_ITEM = new RegExp(`^${DAY}(-${DAY})?$`);

/** Start and duration (minutes) of "HH:MM-HH:MM"; undefined when malformed or empty. */
export function parseHours(hours: string): { start: number; minutes: number } | undefined {
  const m = HOURS.exec(hours);
  if (!m) return undefined;
  const start = Number(m[1]) * 60 + Number(m[2]);
  const end = Number(m[3]) * 60 + Number(m[4]);
  if (start === end) return undefined;
  return { start, minutes: (end - start + MINUTES_PER_DAY) % MINUTES_PER_DAY };
}

const dayIndex = (d: string): number => (/^\d$/.test(d) ? Number(d) : DAY_NAMES.indexOf(d as (typeof DAY_NAMES)[number]));

/**
 * The weekdays (0 is Sunday) of a cron day-of-week field; undefined when malformed. Ranges must
 * ascend, as the cron parser Karpenter uses requires (robfig/cron v3 parser.go getRange:
 * "beginning of range beyond end of range").
 */
export function parseDays(days: string): Set<number> | undefined {
  if (days === "*") return new Set([0, 1, 2, 3, 4, 5, 6]);
  const out = new Set<number>();
  for (const item of days.toLowerCase().split(",")) {
    const m = DAY_ITEM.exec(item);
    if (!m) return undefined;
    const from = dayIndex(m[1]!);
    const to = m[3] === undefined ? from : dayIndex(m[3]);
    if (to < from) return undefined;
    for (let d = from; d <= to; d++) out.add(d);
  }
  return out;
}

/** Why the window is not valid, one message per field; empty when it is. */
export function localWindowProblems(w: LocalWindow): string[] {
  const problems: string[] = [];
  if (!parseHours(w.hours)) problems.push(`hours "${w.hours}" must be HH:MM-HH:MM (24-hour, start and end different), such as "07:00-19:00"`);
  if (!parseDays(w.days)) problems.push(`days "${w.days}" must be a cron day-of-week field such as "mon-fri", "mon,wed,fri" or "*"`);
  if (!isTimeZone(w.timeZone)) problems.push(`time zone "${w.timeZone}" is not an IANA time zone such as "Europe/Berlin" or "UTC"`);
  return problems;
}

/** The zone's offset from UTC (minutes, east positive) at an instant: local wall time minus UTC. */
export function utcOffsetMinutes(timeZone: string, at: Date): number {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(part("year"), part("month") - 1, part("day"), part("hour"), part("minute"));
  const utc = Math.floor(at.getTime() / 60000) * 60000;
  return Math.round((local - utc) / 60000);
}

/**
 * Every offset the zone uses in the year from `from`, sampled daily at noon UTC (a transition lasts
 * months, so a daily sample cannot miss one); ascending. UTC and zones without DST give one.
 */
export function offsetsInYear(timeZone: string, from: Date): number[] {
  const offsets = new Set<number>();
  for (let day = 0; day < 366; day++) {
    const at = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate() + day, 12));
    offsets.add(utcOffsetMinutes(timeZone, at));
  }
  return [...offsets].sort((a, b) => a - b);
}

/** A cron day-of-week field for the days, as ascending ranges and single days. */
function daysField(days: ReadonlySet<number>): string {
  if (days.size === 7) return "*";
  const sorted = [...days].sort((a, b) => a - b);
  const runs: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    runs.push(i === j ? DAY_NAMES[sorted[i]!]! : `${DAY_NAMES[sorted[i]!]}-${DAY_NAMES[sorted[j]!]}`);
    i = j + 1;
  }
  return runs.join(",");
}

/** "13h", "12h30m" or "45m": the form the NodePool CRD's budget duration pattern accepts. */
function durationField(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h > 0 ? `${h}h` : ""}${m > 0 || h === 0 ? `${m}m` : ""}`;
}

/**
 * The budgets that cover the window at each of the given offsets. Each offset puts the window at
 * its own UTC span relative to the local day it starts on; overlapping spans merge into one budget
 * (start at the earliest, end at the latest), so a one-hour DST shift gives one budget an hour
 * longer than the window. A span that starts before or after the local day shifts the cron days.
 */
export function budgetsForOffsets(w: LocalWindow, offsets: readonly number[]): BudgetSchedule[] {
  const hours = parseHours(w.hours);
  const days = parseDays(w.days);
  if (!hours || !days) throw new Error(localWindowProblems(w).join("; "));
  // Spans in minutes from the local day's midnight, on the UTC clock.
  const spans = [...new Set(offsets)].map((o) => ({ start: hours.start - o, end: hours.start - o + hours.minutes })).sort((a, b) => a.start - b.start);
  const merged: { start: number; end: number }[] = [];
  for (const s of spans) {
    const last = merged[merged.length - 1];
    if (last && s.start <= last.end) last.end = Math.max(last.end, s.end);
    else merged.push({ ...s });
  }
  return merged.map(({ start, end }) => {
    const shift = Math.floor(start / MINUTES_PER_DAY);
    const at = start - shift * MINUTES_PER_DAY;
    const utcDays = new Set([...days].map((d) => (((d + shift) % 7) + 7) % 7));
    return { schedule: `${at % 60} ${Math.floor(at / 60)} * * ${daysField(utcDays)}`, duration: durationField(end - start) };
  });
}

/** The UTC budgets that cover the local window all year from `from` (every offset the zone uses then). */
export function utcBudgetsFor(w: LocalWindow, from: Date): BudgetSchedule[] {
  const problems = localWindowProblems(w);
  if (problems.length > 0) throw new Error(problems.join("; "));
  return budgetsForOffsets(w, offsetsInYear(w.timeZone, from));
}
