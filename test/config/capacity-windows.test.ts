/** The capacityWindows key: valid entries resolve to windows with schedules; malformed ones are refused naming the entry and the window. */
import { describe, expect, it } from "vitest";
import { ConfigError, loadEnvironment } from "../../stacks/config/load";
import { startsPerMonth, windowSchedules, zonedToUtc, type CapacityWindow } from "../../components/internal";

const P = "highmem-platform";
const raw = (...entries: string[]): Record<string, string> => ({
  "aws:region": "us-west-2",
  [`${P}:tier`]: "staging",
  [`${P}:clusterPrivateAccessCidrs`]: '["10.0.240.0/24"]',
  [`${P}:capacityWindows`]: JSON.stringify(entries),
});
const NIGHTLY = "nightly=high-memory-spot,start=0 22 * * mon-fri,tz=Europe/Berlin,duration=2h,pods=2,memoryGiB=200,cpu=8";

function refused(entry: string): { key: string; value?: unknown; message: string } {
  try {
    loadEnvironment(raw(entry), "test");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    const problem = (error as ConfigError).problems.find((p) => p.key.startsWith(`${P}:capacityWindows`));
    expect(problem, (error as ConfigError).message).toBeDefined();
    return problem!;
  }
  throw new Error(`accepted: ${entry}`);
}

describe("capacity windows in config", () => {
  it("resolve with default lead and drain, and the schedules of start - lead and end + drain in the window's zone", () => {
    const [w] = loadEnvironment(raw(NIGHTLY), "test").karpenter.capacityWindows;
    expect(w).toMatchObject({
      name: "nightly",
      pool: "high-memory-spot",
      timeZone: "Europe/Berlin",
      leadMinutes: 30,
      drainMinutes: 30,
      durationMinutes: 120,
      pods: 2,
    });
    // 21:30 Mon-Fri up; 00:30 the next day (Tue-Sat) down.
    expect(windowSchedules(w!)).toEqual({ up: "30 21 * * mon-fri", down: "30 0 * * 2,3,4,5,6" });
    expect(startsPerMonth(w!)).toBeCloseTo(261 / 12, 5);
  });

  it("reads cron lists (commas inside start), one-off date-times, and a total memory", () => {
    const env = loadEnvironment(
      raw(
        "mwf=high-memory-on-demand,start=15 0 * * mon,wed,fri,tz=America/New_York,duration=1h,lead=45m,drain=15m,pods=1,memoryGiB=100",
        "launch=high-memory-spot,start=2026-12-01T09:00,tz=Europe/Berlin,duration=3h,totalMemoryGiB=500,memoryGiB=200",
      ),
      "test",
    );
    const [mwf, launch] = env.karpenter.capacityWindows;
    // 00:15 minus 45m is 23:30 the day before: Sun, Tue, Thu.
    expect(windowSchedules(mwf!)).toEqual({ up: "30 23 * * 0,2,4", down: "30 1 * * mon,wed,fri" });
    expect(launch!.pods).toBe(3);
    expect(windowSchedules(launch!)).toEqual({ up: "30 8 1 12 *", down: "30 12 1 12 *" });
    expect(startsPerMonth(launch!)).toBe(1);
  });

  it("converts a local time to UTC with the zone's daylight saving, and refuses a time the clock skips", () => {
    expect(zonedToUtc("2026-07-01T09:00", "Europe/Berlin")?.toISOString()).toBe("2026-07-01T07:00:00.000Z");
    expect(zonedToUtc("2026-12-01T09:00", "Europe/Berlin")?.toISOString()).toBe("2026-12-01T08:00:00.000Z");
    expect(zonedToUtc("2026-03-29T02:30", "Europe/Berlin")).toBeUndefined();
  });

  const MALFORMED: [string, string, RegExp][] = [
    ["unknown pool", "w=gpu-pool,start=0 9 * * *,tz=UTC,duration=1h,pods=1,memoryGiB=100", /window "w": pool "gpu-pool" is not one of the stack's pools/],
    ["unknown zone", "w=high-memory-spot,start=0 9 * * *,tz=Mars/Olympus,duration=1h,pods=1,memoryGiB=100", /tz "Mars\/Olympus" is not an IANA time zone/],
    ["cron with a minute list", "w=high-memory-spot,start=0/15 9 * * *,tz=UTC,duration=1h,pods=1,memoryGiB=100", /cron minute "0\/15" must be one number/],
    ["cron with four fields", "w=high-memory-spot,start=0 9 * *,tz=UTC,duration=1h,pods=1,memoryGiB=100", /must have five fields/],
    ["duration without unit", "w=high-memory-spot,start=0 9 * * *,tz=UTC,duration=2,pods=1,memoryGiB=100", /duration "2" must be a duration such as 30m/],
    [
      "lead too short for the readiness check",
      "w=high-memory-spot,start=0 9 * * *,tz=UTC,duration=1h,lead=5m,pods=1,memoryGiB=100",
      /lead "5m" must be between 15m and 4h/,
    ],
    ["pods and a total", "w=high-memory-spot,start=0 9 * * *,tz=UTC,duration=1h,pods=1,totalMemoryGiB=400,memoryGiB=100", /either pods .* or totalMemoryGiB/],
    ["no start", "w=high-memory-spot,tz=UTC,duration=1h,pods=1,memoryGiB=100", /start is missing/],
    ["unknown field", "w=high-memory-spot,start=0 9 * * *,tz=UTC,duration=1h,pods=1,memoryGiB=100,gpu=1", /field "gpu=1" is not one of start, tz/],
    [
      "start in a daylight-saving gap",
      "w=high-memory-spot,start=2026-03-29T02:30,tz=Europe/Berlin,duration=1h,pods=1,memoryGiB=100",
      /exists in Europe\/Berlin/,
    ],
    [
      "placeholder larger than the largest node",
      "w=high-memory-spot,start=0 9 * * *,tz=UTC,duration=1h,pods=1,memoryGiB=2000",
      /window "w" cannot be held: a 2000 GiB placeholder does not fit the largest node of pool high-memory-spot/,
    ],
    [
      "more than the pool's memory limit",
      "w=high-memory-spot,start=0 9 * * *,tz=UTC,duration=1h,pods=40,memoryGiB=200",
      /window "w" cannot be held: .*more than pool high-memory-spot's memory limit/,
    ],
    [
      "scale time on another day with a day of month",
      "w=high-memory-spot,start=10 0 1 * *,tz=UTC,duration=1h,pods=1,memoryGiB=100",
      /falls on another day, which needs day-of-month and month \*/,
    ],
  ];
  it.each(MALFORMED)("refuses %s, naming the entry", (_name, entry, message) => {
    const problem = refused(entry);
    expect(problem.key).toBe(`${P}:capacityWindows[0]`);
    expect(problem.value).toBe(entry);
    expect(problem.message).toMatch(message);
  });

  it("refuses two windows of one name", () => {
    expect(() => loadEnvironment(raw(NIGHTLY, NIGHTLY), "test")).toThrow(/capacityWindows\[1\].*the name is taken/s);
  });

  it("counts starts of a cron that restricts day of month and day of week as either (cron's rule)", () => {
    const w: CapacityWindow = {
      name: "x",
      pool: "p",
      start: { cron: "0 9 1 * mon" },
      timeZone: "UTC",
      durationMinutes: 60,
      leadMinutes: 30,
      drainMinutes: 30,
      pods: 1,
      memoryGiB: 1,
      cpu: 1,
    };
    // 2025: 12 firsts of the month and 52 Mondays, of which 2025-09-01 and 2025-12-01 are both.
    expect(startsPerMonth(w) * 12).toBe(12 + 52 - 2);
  });
});
