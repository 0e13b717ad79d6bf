/**
 * Alerts on backups that are older than their schedule allows. A backup is a CronJob; kube-state-metrics
 * reports when it last succeeded (kube_cronjob_status_last_successful_time, from CronJob
 * status.lastSuccessfulTime) and when it was made (kube_cronjob_created), both labelled namespace
 * and cronjob (kubernetes/kube-state-metrics v2.17.0, the version kube-state-metrics chart 6.4.1
 * ships as a subchart of kube-prometheus-stack 79.5.0: docs/metrics/workload/cronjob-metrics.md,
 * internal/store/cronjob.go; the chart's default collectors include cronjobs and no allowlist
 * filters metrics). The allowed age is the longest gap between two runs of the schedule plus a
 * grace for the run itself, so that an hourly and a weekly backup each alert after one missed run.
 */
import { requireThat } from "../lib/args";
import { parseCronSchedule, type CronField } from "../lib/cron";
import type { AlertRule, RuleGroup } from "./alert-rules";

/** A backup CronJob as declared (the platform passes RedisBackup's own name, namespace and schedule). */
export interface BackupCronJob {
  readonly namespace: string;
  readonly name: string;
  /** The CronJob's spec.schedule (five fields, or @hourly, @daily, @weekly, @monthly, @yearly). */
  readonly schedule: string;
  /**
   * How long a run may take before its success is due.
   * @default 60
   */
  readonly graceMinutes?: number;
}

const COMPONENT = "BackupAlerts";
/**
 * The longest time (seconds) between two consecutive runs of a CronJob schedule, in UTC, over two
 * years (a leap year among them), with the standard cron rule Kubernetes follows: when both day
 * fields are restricted a day matches either, otherwise both.
 */
export function scheduleMaxGapSeconds(schedule: string): number {
  const parsed = parseCronSchedule(schedule);
  requireThat(
    typeof parsed !== "string",
    COMPONENT,
    "schedule",
    schedule,
    `must be a cron schedule of five fields (minute hour day-of-month month day-of-week) or @hourly, @daily, @weekly, @monthly, @yearly: ${String(parsed)}`,
  );
  const [minutes, hours, dom, months, dow] = parsed as CronField[];
  const runs: number[] = [];
  const start = Date.UTC(2027, 0, 1);
  for (let day = 0; day < 731; day++) {
    const d = new Date(start + day * 86_400_000);
    if (!months!.values.has(d.getUTCMonth() + 1)) continue;
    const [inDom, inDow] = [dom!.values.has(d.getUTCDate()), dow!.values.has(d.getUTCDay())];
    if (!(dom!.any || dow!.any ? inDom && inDow : inDom || inDow)) continue;
    for (const h of [...hours!.values].sort((a, b) => a - b))
      for (const m of [...minutes!.values].sort((a, b) => a - b)) runs.push(d.getTime() / 1000 + h * 3600 + m * 60);
  }
  requireThat(runs.length >= 2, COMPONENT, "schedule", schedule, "runs less than twice in two years: a backup this rare cannot be watched by its age");
  return runs.slice(1).reduce((gap, t, i) => Math.max(gap, t - runs[i]!), 0);
}

/** Seconds after the last success at which a backup is overdue: one whole gap of its schedule, plus the grace. */
export function backupAgeLimitSeconds(job: BackupCronJob): number {
  const grace = job.graceMinutes ?? 60;
  requireThat(Number.isInteger(grace) && grace >= 0, COMPONENT, "graceMinutes", grace, "must be a whole number of minutes, 0 or more");
  return scheduleMaxGapSeconds(job.schedule) + grace * 60;
}

const human = (seconds: number) =>
  seconds % 86_400 === 0 ? `${seconds / 86_400}d` : seconds % 3600 === 0 ? `${seconds / 3600}h` : `${Math.round(seconds / 60)}m`;

/** One BackupTooOld alert per CronJob, in a group of its own. */
export function backupRuleGroup(jobs: readonly BackupCronJob[]): RuleGroup {
  return {
    name: "backups.alerts",
    rules: jobs.map((job): AlertRule => {
      const limit = backupAgeLimitSeconds(job);
      const sel = `{namespace="${job.namespace}", cronjob="${job.name}"}`;
      return {
        alert: "BackupTooOld",
        // Last success too long ago; or never a success, and the CronJob older than the limit.
        expr: `time() - max by (namespace, cronjob) (kube_cronjob_status_last_successful_time${sel}) > ${limit} or (time() - max by (namespace, cronjob) (kube_cronjob_created${sel}) > ${limit} unless on (namespace, cronjob) kube_cronjob_status_last_successful_time${sel})`,
        for: "5m",
        labels: { severity: "critical" },
        annotations: {
          summary: "Backup older than its schedule allows",
          description: `CronJob {{ $labels.namespace }}/{{ $labels.cronjob }} (schedule "${job.schedule}") has not succeeded for more than ${human(limit)}: at least one run was missed or failed, and restores would lose everything written since.`,
          runbook_url: "https://github.com/highmem-platform/runbooks/blob/main/alerts.md#backuptooold",
        },
      };
    }),
  };
}
