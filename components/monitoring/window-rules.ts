/**
 * Recording rules that put each capacity window's schedule into Prometheus, for the two window
 * alerts of alert-rules.ts and the capacity dashboard. PromQL has no cron and no time zones, so the
 * schedule is read from the cluster itself: kube-state-metrics reports when the window's scale-up
 * CronJob last ran (`kube_cronjob_status_last_schedule_time`, the time the controller created its
 * Job, which it computes in the CronJob's own `timeZone`), and the window starts `lead` after it.
 * Per window, with labels window, namespace, deployment and nodepool:
 * - capacity_window:seconds_to_start: lead - (now - last scale-up); positive during the lead,
 *   zero at the start, minus the time elapsed since.
 * - capacity_window:duration_seconds, capacity_window:reserved_pods, capacity_window:reserved_memory_bytes:
 *   constants of the window.
 */
import type { RuleGroup } from "./alert-rules";

export interface WindowRuleInput {
  readonly window: string;
  readonly namespace: string;
  /** The placeholder Deployment. */
  readonly deployment: string;
  /** The scale-up CronJob. */
  readonly scaleUpCronJob: string;
  readonly nodepool: string;
  readonly leadMinutes: number;
  readonly durationMinutes: number;
  readonly pods: number;
  readonly memoryGiB: number;
}

/** Names of the series the window rules record (known-metrics.ts lists them for the dashboards). */
export const WINDOW_RECORDED_SERIES = [
  "capacity_window:seconds_to_start",
  "capacity_window:duration_seconds",
  "capacity_window:reserved_pods",
  "capacity_window:reserved_memory_bytes",
] as const;

export function capacityWindowRuleGroup(windows: readonly WindowRuleInput[]): RuleGroup {
  return {
    name: "capacity-windows.recording",
    rules: windows.flatMap((w) => {
      const labels = { window: w.window, namespace: w.namespace, deployment: w.deployment, nodepool: w.nodepool };
      return [
        {
          record: "capacity_window:seconds_to_start",
          expr: `${w.leadMinutes * 60} - (time() - max(kube_cronjob_status_last_schedule_time{namespace="${w.namespace}", cronjob="${w.scaleUpCronJob}"}))`,
          labels,
        },
        { record: "capacity_window:duration_seconds", expr: `vector(${w.durationMinutes * 60})`, labels },
        { record: "capacity_window:reserved_pods", expr: `vector(${w.pods})`, labels },
        { record: "capacity_window:reserved_memory_bytes", expr: `vector(${w.pods * w.memoryGiB * 1073741824})`, labels },
      ];
    }),
  };
}
