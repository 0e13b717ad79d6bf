/** The allowed age of a backup follows from its CronJob schedule: one whole gap between runs, plus a grace. */
import { describe, expect, it } from "vitest";
import { backupAgeLimitSeconds, backupRuleGroup, scheduleMaxGapSeconds } from "../../components/monitoring/backup-rules";

const H = 3600;
const D = 86_400;

describe("the longest gap of a CronJob schedule", () => {
  it.each([
    ["@hourly", H],
    ["0 */6 * * *", 6 * H],
    ["30 2 * * *", D],
    ["@daily", D],
    // Weekdays only: Friday's run to Monday's.
    ["0 3 * * 1-5", 3 * D],
    ["0 3 * * MON-FRI", 3 * D],
    // Twice a day, unevenly: 01:00 to 23:00 is the long gap.
    ["0 1,23 * * *", 22 * H],
    // Monthly: the longest months have 31 days.
    ["0 0 1 * *", 31 * D],
    // Sunday by name.
    ["0 0 * * SUN", 7 * D],
    // Both day fields restricted: a day matches either (the 1st, or a Monday), so no gap exceeds a week.
    ["0 0 1 * 1", 7 * D],
  ])("%s: %i seconds", (schedule, gap) => {
    expect(scheduleMaxGapSeconds(schedule)).toBe(gap);
  });

  it.each([
    ["61 * * * *", /argument "schedule" is "61 \* \* \* \*"; must be a cron schedule of five fields/],
    ["0 0 * *", /must be a cron schedule of five fields/],
    ["0 0 * * FUNDAY", /must be a cron schedule of five fields/],
    // Kubernetes refuses 7 for Sunday (robfig/cron v3 spec.go: day of week 0-6), so the alert does too.
    ["0 0 * * 7", /field 5 \("7"\) must stay within 0-6/],
    ["0 0 30 2 *", /argument "schedule" is "0 0 30 2 \*"; runs less than twice in two years/],
  ])("refuses %s", (schedule, message) => {
    expect(() => scheduleMaxGapSeconds(schedule)).toThrow(message);
  });

  it("allows one gap and the grace (an hour unless told) before a backup is overdue", () => {
    expect(backupAgeLimitSeconds({ namespace: "data", name: "b", schedule: "@daily" })).toBe(D + H);
    expect(backupAgeLimitSeconds({ namespace: "data", name: "b", schedule: "@daily", graceMinutes: 0 })).toBe(D);
    expect(() => backupAgeLimitSeconds({ namespace: "data", name: "b", schedule: "@daily", graceMinutes: -1 })).toThrow(/argument "graceMinutes" is -1/);
  });

  it("writes the limit into each CronJob's alert, selecting that CronJob only", () => {
    const group = backupRuleGroup([
      { namespace: "data", name: "redis-backup", schedule: "0 */6 * * *" },
      { namespace: "datasets", name: "claims-backup", schedule: "@weekly", graceMinutes: 180 },
    ]);
    expect(group.rules.map((r) => ("alert" in r ? [r.alert, r.expr.match(/> (\d+)/g)] : []))).toEqual([
      ["BackupTooOld", ["> 25200", "> 25200"]],
      ["BackupTooOld", ["> 615600", "> 615600"]],
    ]);
    expect(group.rules[1]!.expr).toContain('{namespace="datasets", cronjob="claims-backup"}');
  });
});
