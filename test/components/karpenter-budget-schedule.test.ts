/**
 * The working-hours consolidation freeze in a team's time zone, checked as Karpenter would run it:
 * every 15 minutes over the two weeks around each DST change of 2027, every local working-hours
 * instant must fall inside at least one emitted budget (its UTC cron start plus its duration). Local
 * time and offsets here come from Intl directly, not from the module under test; the cron fields
 * are parsed here too.
 */
import { describe, expect, it } from "vitest";
import { budgetsForOffsets, localWindowProblems, utcBudgetsFor, type BudgetSchedule, type LocalWindow } from "../../components/karpenter/budget-schedule";
import { highMemoryPool } from "../../components/karpenter/pool-presets";

const DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const YEAR_START = new Date(Date.UTC(2027, 0, 1));

/** Weekday (0 Sunday) and minutes since local midnight of an instant in a zone. */
function localClock(timeZone: string, t: number): { day: number; minutes: number; date: string } {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    hourCycle: "h23",
    weekday: "short",
    hour: "2-digit",
    minute: "2-digit",
    day: "2-digit",
    month: "2-digit",
  }).formatToParts(t);
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return { day: DAYS.indexOf(get("weekday").toLowerCase()), minutes: Number(get("hour")) * 60 + Number(get("minute")), date: `${get("month")}-${get("day")}` };
}

/** The zone's offset name ("GMT-04:00") at an instant, to find DST changes. */
const offsetName = (timeZone: string, t: number) =>
  new Intl.DateTimeFormat("en-US", { timeZone, timeZoneName: "longOffset" }).formatToParts(t).find((p) => p.type === "timeZoneName")?.value;

/** Days of a cron day-of-week field of names, ranges and lists. */
function cronDays(field: string): Set<number> {
  if (field === "*") return new Set([0, 1, 2, 3, 4, 5, 6]);
  const out = new Set<number>();
  for (const item of field.split(",")) {
    const [from = "", to = from] = item.split("-");
    for (let d = DAYS.indexOf(from); d <= DAYS.indexOf(to); d++) out.add(d);
  }
  return out;
}

/** Whether a Karpenter budget (UTC cron "M H * * DAYS" and a duration) is active at an instant. */
function active(b: BudgetSchedule, t: number): boolean {
  const [minute, hour, dom, month, dow] = b.schedule.split(" ");
  expect([dom, month]).toEqual(["*", "*"]);
  const m = /^(?:(\d+)h)?(?:(\d+)m)?$/.exec(b.duration);
  const length = (Number(m?.[1] ?? 0) * 60 + Number(m?.[2] ?? 0)) * MINUTE;
  const days = cronDays(dow ?? "");
  for (let back = 0; back <= 2; back++) {
    const midnight = Math.floor(t / DAY) * DAY - back * DAY;
    const start = midnight + (Number(hour) * 60 + Number(minute)) * MINUTE;
    if (days.has(new Date(midnight).getUTCDay()) && start <= t && t < start + length) return true;
  }
  return false;
}

interface Case {
  readonly window: LocalWindow;
  /** Local working days (0 Sunday) and minutes, stated here rather than parsed by the module. */
  readonly localDays: readonly number[];
  readonly from: number;
  readonly to: number;
  readonly budgets: BudgetSchedule[];
  readonly dstChanges: number;
}

const weekdays = [1, 2, 3, 4, 5];
const hours = (h: string) => Number(h.slice(0, 2)) * 60 + Number(h.slice(3, 5));
const office = (timeZone: string, budgets: BudgetSchedule[], dstChanges: number, window = "07:00-19:00"): Case => ({
  window: { hours: window, days: "mon-fri", timeZone },
  localDays: weekdays,
  from: hours(window.slice(0, 5)),
  to: hours(window.slice(6)),
  budgets,
  dstChanges,
});

const CASES: readonly Case[] = [
  office("America/New_York", [{ schedule: "0 11 * * mon-fri", duration: "13h" }], 2),
  office("Europe/Berlin", [{ schedule: "0 5 * * mon-fri", duration: "13h" }], 2),
  office("Asia/Kolkata", [{ schedule: "30 1 * * mon-fri", duration: "12h" }], 0),
  // Southern hemisphere: daylight time (UTC+11) in January; 07:00 local is the previous day in UTC.
  office("Australia/Sydney", [{ schedule: "0 20 * * sun-thu", duration: "13h" }], 2),
  office("Pacific/Auckland", [{ schedule: "0 18 * * sun-thu", duration: "13h" }], 2),
  // Crosses midnight UTC backwards without DST: 07:00-19:00 Tokyo is 22:00-10:00 UTC the day before.
  office("Asia/Tokyo", [{ schedule: "0 22 * * sun-thu", duration: "12h" }], 0),
  // Crosses midnight UTC forwards with DST: 17:00 Los Angeles is 00:00 or 01:00 UTC the next day.
  office("America/Los_Angeles", [{ schedule: "0 0 * * tue-sat", duration: "7h" }], 2, "17:00-23:00"),
  // The two offsets put the start on different UTC days: one budget from 23:30 the day before.
  office("Europe/London", [{ schedule: "30 23 * * sun-thu", duration: "6h30m" }], 2, "00:30-06:00"),
];

/** Instants at which the zone's offset changes in 2027 (to the day), found by daily samples. */
function dstChanges(timeZone: string): number[] {
  const changes: number[] = [];
  for (let t = YEAR_START.getTime() + DAY / 2; t < YEAR_START.getTime() + 365 * DAY; t += DAY)
    if (offsetName(timeZone, t) !== offsetName(timeZone, t - DAY)) changes.push(t);
  return changes;
}

/** Samples every 15 minutes over the two weeks around each DST change (or around late March and October without DST). */
function coverage(c: Case, budgets: readonly BudgetSchedule[]) {
  const changes = dstChanges(c.window.timeZone);
  const centres = changes.length > 0 ? changes : [Date.UTC(2027, 2, 28), Date.UTC(2027, 9, 31)];
  let uncovered = 0;
  let extraSamples = 0;
  const workingDays = new Set<string>();
  for (const centre of centres)
    for (let t = centre - 7 * DAY; t < centre + 7 * DAY; t += 15 * MINUTE) {
      const local = localClock(c.window.timeZone, t);
      const working = c.localDays.includes(local.day) && local.minutes >= c.from && local.minutes < c.to;
      const covered = budgets.some((b) => active(b, t));
      if (working) workingDays.add(`${centre}:${local.date}`);
      if (working && !covered) uncovered++;
      if (!working && covered) extraSamples++;
    }
  return { changes: changes.length, uncovered, extraHours: extraSamples / 4, workingDays: workingDays.size };
}

/** A high-memory pool the budget tests build; only its budgets matter here. */
const POOL = {
  largestPodMemoryGiB: 100,
  architectures: ["amd64" as const],
  maxNodeMemoryGiB: 1024,
  region: "us-west-2",
  limits: { cpu: 100, memoryGiB: 4096 },
  hugePagesGiB: 0,
};

describe("the consolidation freeze in a team's time zone", () => {
  for (const c of CASES) {
    const label = `${c.window.hours} ${c.window.days} ${c.window.timeZone}`;

    it(`${label}: converts to ${c.budgets.map((b) => `${b.schedule} for ${b.duration}`).join(", ")}`, () => {
      expect(utcBudgetsFor(c.window, YEAR_START)).toEqual(c.budgets);
    });

    it(`${label}: covers every working-hours instant across each DST change, an hour a day extra at most`, () => {
      const result = coverage(c, utcBudgetsFor(c.window, YEAR_START));
      expect(result.changes).toBe(c.dstChanges);
      expect(result.uncovered).toBe(0);
      // With DST the union is one hour longer than the window on every working day; without, exact.
      expect(result.extraHours).toBe(c.dstChanges > 0 ? result.workingDays : 0);
    });

    if (c.dstChanges > 0)
      it(`${label}: the naive conversion (January's offset only) leaves working hours unfrozen`, () => {
        const january = utcOffset(c.window.timeZone, Date.UTC(2027, 0, 15, 12));
        const naive = budgetsForOffsets(c.window, [january]);
        expect(naive).toHaveLength(1);
        expect(coverage(c, naive).uncovered).toBeGreaterThanOrEqual(4 * 5);
      });
  }

  it("keeps two budgets when the offsets' spans do not overlap, rather than freezing the gap", () => {
    const w = { hours: "09:00-09:30", days: "mon", timeZone: "UTC" };
    expect(budgetsForOffsets(w, [0, 60])).toEqual([
      { schedule: "0 8 * * mon", duration: "30m" },
      { schedule: "0 9 * * mon", duration: "30m" },
    ]);
  });

  it("keeps today's freeze for the defaults: 07:00-19:00 UTC, Monday to Friday", () => {
    expect(utcBudgetsFor({ hours: "07:00-19:00", days: "mon-fri", timeZone: "UTC" }, new Date())).toEqual([{ schedule: "0 7 * * mon-fri", duration: "12h" }]);
    const pool = highMemoryPool("spot", POOL);
    expect(pool.disruption.budgets).toEqual([{ nodes: "10%" }, { nodes: "0", reasons: ["Underutilized"], schedule: "0 7 * * mon-fri", duration: "12h" }]);
  });

  it("puts every converted schedule in the high-memory pools' budgets", () => {
    const freeze = utcBudgetsFor({ hours: "07:00-19:00", days: "mon-fri", timeZone: "Europe/Berlin" }, YEAR_START);
    const pool = highMemoryPool("on-demand", { ...POOL, consolidationFreeze: freeze });
    expect(pool.disruption.budgets?.slice(1)).toEqual([{ nodes: "0", reasons: ["Underutilized"], schedule: "0 5 * * mon-fri", duration: "13h" }]);
  });

  it("refuses malformed hours, days and zones, naming each", () => {
    expect(localWindowProblems({ hours: "7-19", days: "weekdays", timeZone: "America/New York" })).toEqual([
      expect.stringMatching(/^hours "7-19" must be HH:MM-HH:MM/),
      expect.stringMatching(/^days "weekdays" must be a cron day-of-week field/),
      expect.stringMatching(/^time zone "America\/New York" is not an IANA time zone/),
    ]);
    expect(localWindowProblems({ hours: "07:00-07:00", days: "fri-mon", timeZone: "Europe/Berlin" })).toHaveLength(2);
    expect(localWindowProblems({ hours: "22:00-06:00", days: "0,6", timeZone: "Asia/Kolkata" })).toEqual([]);
  });
});

/** Offset (minutes east of UTC) from the longOffset name, independent of the module's own computation. */
function utcOffset(timeZone: string, t: number): number {
  const m = /GMT([+-])(\d\d):(\d\d)/.exec(offsetName(timeZone, t) ?? "");
  return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}
