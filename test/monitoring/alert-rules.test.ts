/**
 * The alert and recording rules run in Debian's promtool: `check rules` on the rendered file, and
 * `test rules` with, for every alert, series where it must fire and series where it must stay silent.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { alertRuleGroups, type AlertRule } from "../../components/monitoring/alert-rules";
import { backupRuleGroup } from "../../components/monitoring/backup-rules";

// A CronJob as the platform declares Redis backups (RedisBackup: <cluster>-backup in the data namespace).
const REDIS_BACKUP_NAMESPACE = "data";
const REDIS_BACKUP_CRONJOB = "redis-backup";
import { capacityWindowRuleGroup } from "../../components/monitoring/window-rules";
import { requirePromtool, writeAndCheckRules } from "../support/promtool";

/** A window as the staging sample declares it: scaled up 30 minutes before its start, 2 x 200 GiB. */
const WINDOW = {
  window: "nightly",
  namespace: "capacity",
  deployment: "nightly-placeholders",
  scaleUpCronJob: "nightly-scale-up",
  nodepool: "high-memory-spot",
  leadMinutes: 30,
  durationMinutes: 120,
  pods: 2,
  memoryGiB: 200,
};
/** A backup every 6 hours: overdue 7 hours (one gap and the default hour of grace) after its last success. */
const BACKUP = { namespace: REDIS_BACKUP_NAMESPACE, name: REDIS_BACKUP_CRONJOB, schedule: "0 */6 * * *" };
const groups = [...alertRuleGroups(), capacityWindowRuleGroup([WINDOW]), backupRuleGroup([BACKUP])];
const alerts = groups.flatMap((g) => g.rules).filter((r): r is AlertRule => "alert" in r);
const dir = mkdtempSync(join(tmpdir(), "hm-promtool-"));

/** The annotations Prometheus renders, for the two template forms the rules use. */
function rendered(name: string, labels: Record<string, string>, value?: number): Record<string, string> {
  const rule = alerts.find((a) => a.alert === name)!;
  const fill = (text: string) =>
    text
      .replace(/\{\{ \$labels\.(\w+) \}\}/g, (_m, k: string) => labels[k] ?? "")
      .replace(/\{\{ \$value \| humanizePercentage \}\}/g, () => `${Number((value! * 100).toPrecision(4))}%`);
  return { summary: rule.annotations.summary, description: fill(rule.annotations.description), runbook_url: rule.annotations.runbook_url };
}

interface Case {
  readonly alert: string;
  readonly series: [string, string][];
  readonly at: string;
  readonly fires?: { labels: Record<string, string>; value?: number }[];
  readonly interval?: string;
}
const c = (k: Record<string, string>) =>
  `{${Object.entries(k)
    .map(([a, b]) => `${a}="${b}"`)
    .join(",")}}`;
const pod = { namespace: "data", pod: "job-0", container: "main" };
const GiB = 1073741824;

const windowLabels = { window: WINDOW.window, namespace: WINDOW.namespace, deployment: WINDOW.deployment, nodepool: WINDOW.nodepool };
/** The scale-up CronJob ran at t=0, so the window starts at 30m and runs until 2h30m. */
const scaledUpAtZero: [string, string] = [`kube_cronjob_status_last_schedule_time${c({ namespace: "capacity", cronjob: "nightly-scale-up" })}`, "0x200"];
const available = (n: number): [string, string] => [
  `kube_deployment_status_replicas_available${c({ namespace: "capacity", deployment: "nightly-placeholders" })}`,
  `${n}x200`,
];
const poolMemory = (gib: number): [string, string] => [
  `karpenter_nodepools_usage${c({ nodepool: "high-memory-spot", resource_type: "memory" })}`,
  `${gib * GiB}x200`,
];

const redisPod = (i: number) => ({ namespace: "data", service: "redis", pod: `redis-${i}` });
const backupLabels = { namespace: REDIS_BACKUP_NAMESPACE, cronjob: REDIS_BACKUP_CRONJOB, severity: "critical" };
const backupSeries = (metric: string, values: string): [string, string] => [
  `${metric}${c({ namespace: REDIS_BACKUP_NAMESPACE, cronjob: REDIS_BACKUP_CRONJOB })}`,
  values,
];

const CASES: Case[] = [
  // 7 minutes before the start, no placeholder is available.
  { alert: "CapacityWindowNotReady", at: "23m", series: [scaledUpAtZero, available(0)], fires: [{ labels: { ...windowLabels, severity: "critical" } }] },
  // Both placeholders run: ready.
  { alert: "CapacityWindowNotReady", at: "23m", series: [scaledUpAtZero, available(2)] },
  // Not ready yet, but 20 minutes remain: nodes are still launching.
  { alert: "CapacityWindowNotReady", at: "10m", series: [scaledUpAtZero, available(0)] },
  // 10 minutes into the window the pool holds 200 GiB of the 400 reserved.
  { alert: "CapacityWindowBelowReserved", at: "40m", series: [scaledUpAtZero, poolMemory(200)], fires: [{ labels: { ...windowLabels, severity: "warning" } }] },
  // The pool holds 512 GiB: enough.
  { alert: "CapacityWindowBelowReserved", at: "40m", series: [scaledUpAtZero, poolMemory(512)] },
  // After the window (2h30m) a small pool is expected.
  { alert: "CapacityWindowBelowReserved", at: "3h", series: [scaledUpAtZero, poolMemory(0)] },
  {
    alert: "HighMemoryUsage",
    at: "10m",
    series: [
      [`container_memory_working_set_bytes${c(pod)}`, "950x15"],
      [`kube_pod_container_resource_limits${c({ ...pod, resource: "memory", unit: "byte" })}`, "1000x15"],
    ],
    fires: [{ labels: { ...pod, severity: "warning" }, value: 0.95 }],
  },
  { alert: "HighMemoryUsage", at: "10m", series: [[`container_memory_working_set_bytes${c(pod)}`, "950x15"]] }, // no limit: no alert
  {
    alert: "HighMemoryUsage",
    at: "10m",
    series: [
      [`container_memory_working_set_bytes${c(pod)}`, "500x15"],
      [`kube_pod_container_resource_limits${c({ ...pod, resource: "memory", unit: "byte" })}`, "1000x15"],
    ],
  },
  {
    alert: "NodeMemoryPressure",
    at: "5m",
    series: [[`kube_node_status_condition${c({ node: "n1", condition: "MemoryPressure", status: "true" })}`, "1x10"]],
    fires: [{ labels: { node: "n1", condition: "MemoryPressure", status: "true", severity: "critical" } }],
  },
  // A busy container takes page faults all the time; that is not memory pressure.
  {
    alert: "NodeMemoryPressure",
    at: "5m",
    series: [
      [`container_memory_failures_total${c({ ...pod, failure_type: "pgfault", scope: "container" })}`, "0+5000x10"],
      [`kube_node_status_condition${c({ node: "n1", condition: "MemoryPressure", status: "false" })}`, "1x10"],
    ],
  },
  {
    alert: "ContainerOOMKilled",
    at: "5m",
    series: [
      [`kube_pod_container_status_last_terminated_reason${c({ ...pod, reason: "OOMKilled" })}`, "0 0 1x8"],
      [`kube_pod_container_status_restarts_total${c(pod)}`, "0 0 1x8"],
    ],
    fires: [{ labels: { ...pod, severity: "critical" } }],
  },
  // A restart that was not an OOM kill.
  {
    alert: "ContainerOOMKilled",
    at: "5m",
    series: [
      [`kube_pod_container_status_last_terminated_reason${c({ ...pod, reason: "Error" })}`, "0 0 1x8"],
      [`kube_pod_container_status_restarts_total${c(pod)}`, "0 0 1x8"],
    ],
  },
  // An OOM kill long ago, no restart since.
  {
    alert: "ContainerOOMKilled",
    at: "30m",
    series: [
      [`kube_pod_container_status_last_terminated_reason${c({ ...pod, reason: "OOMKilled" })}`, "1x35"],
      [`kube_pod_container_status_restarts_total${c(pod)}`, "3x35"],
    ],
  },
  {
    alert: "HpaAtMaxReplicas",
    at: "20m",
    series: [
      [`kube_horizontalpodautoscaler_status_current_replicas${c({ namespace: "data", horizontalpodautoscaler: "job" })}`, "5x25"],
      [`kube_horizontalpodautoscaler_spec_max_replicas${c({ namespace: "data", horizontalpodautoscaler: "job" })}`, "5x25"],
    ],
    fires: [{ labels: { namespace: "data", horizontalpodautoscaler: "job", severity: "warning" } }],
  },
  {
    alert: "HpaAtMaxReplicas",
    at: "20m",
    series: [
      [`kube_horizontalpodautoscaler_status_current_replicas${c({ namespace: "data", horizontalpodautoscaler: "job" })}`, "3x25"],
      [`kube_horizontalpodautoscaler_spec_max_replicas${c({ namespace: "data", horizontalpodautoscaler: "job" })}`, "5x25"],
    ],
  },
  {
    alert: "HpaUnableToScale",
    at: "20m",
    series: [
      [
        `kube_horizontalpodautoscaler_status_condition${c({ namespace: "data", horizontalpodautoscaler: "job", condition: "ScalingActive", status: "false" })}`,
        "1x25",
      ],
    ],
    fires: [{ labels: { namespace: "data", horizontalpodautoscaler: "job", condition: "ScalingActive", status: "false", severity: "warning" } }],
  },
  {
    alert: "HpaUnableToScale",
    at: "20m",
    series: [
      [
        `kube_horizontalpodautoscaler_status_condition${c({ namespace: "data", horizontalpodautoscaler: "job", condition: "ScalingActive", status: "true" })}`,
        "1x25",
      ],
    ],
  },
  {
    alert: "NodePoolNearLimit",
    at: "15m",
    series: [
      [`karpenter_nodepools_usage${c({ nodepool: "high-memory-spot", resource_type: "memory" })}`, "950x20"],
      [`karpenter_nodepools_limit${c({ nodepool: "high-memory-spot", resource_type: "memory" })}`, "1000x20"],
    ],
    fires: [{ labels: { nodepool: "high-memory-spot", resource_type: "memory", severity: "warning" }, value: 0.95 }],
  },
  {
    alert: "NodePoolNearLimit",
    at: "15m",
    series: [
      [`karpenter_nodepools_usage${c({ nodepool: "general", resource_type: "memory" })}`, "500x20"],
      [`karpenter_nodepools_limit${c({ nodepool: "general", resource_type: "memory" })}`, "1000x20"],
    ],
  },
  {
    alert: "IdleMemoryRequests",
    at: "26h",
    series: [
      [`container_memory_working_set_bytes${c(pod)}`, `${GiB}x1600`],
      [`kube_pod_container_resource_requests${c({ ...pod, resource: "memory", unit: "byte" })}`, `${10 * GiB}x1600`],
      [`kube_pod_owner${c({ namespace: "data", pod: "job-0", owner_kind: "StatefulSet", owner_name: "job" })}`, "1x1600"],
    ],
    fires: [{ labels: { namespace: "data", owner_kind: "StatefulSet", owner_name: "job", severity: "info" } }],
  },
  {
    alert: "IdleMemoryRequests",
    at: "26h",
    series: [
      [`container_memory_working_set_bytes${c(pod)}`, `${9 * GiB}x1600`],
      [`kube_pod_container_resource_requests${c({ ...pod, resource: "memory", unit: "byte" })}`, `${10 * GiB}x1600`],
      [`kube_pod_owner${c({ namespace: "data", pod: "job-0", owner_kind: "StatefulSet", owner_name: "job" })}`, "1x1600"],
    ],
  },
  {
    alert: "RedisDown",
    at: "5m",
    series: [[`redis_up${c({ namespace: "data", pod: "redis-0" })}`, "0x10"]],
    fires: [{ labels: { namespace: "data", pod: "redis-0", severity: "critical" } }],
  },
  { alert: "RedisDown", at: "5m", series: [[`redis_up${c({ namespace: "data", pod: "redis-0" })}`, "1x10"]] },
  {
    alert: "RedisMemoryNearMax",
    at: "15m",
    series: [
      [`redis_memory_used_bytes${c({ namespace: "data", pod: "redis-0" })}`, "95x20"],
      [`redis_memory_max_bytes${c({ namespace: "data", pod: "redis-0" })}`, "100x20"],
    ],
    fires: [{ labels: { namespace: "data", pod: "redis-0", severity: "warning" }, value: 0.95 }],
  },
  // maxmemory 0 means unlimited: no ratio, no alert.
  {
    alert: "RedisMemoryNearMax",
    at: "15m",
    series: [
      [`redis_memory_used_bytes${c({ namespace: "data", pod: "redis-0" })}`, "95x20"],
      [`redis_memory_max_bytes${c({ namespace: "data", pod: "redis-0" })}`, "0x20"],
    ],
  },
  {
    alert: "RedisClusterStateNotOk",
    at: "5m",
    series: [[`redis_cluster_state${c({ namespace: "data", pod: "redis-0" })}`, "0x10"]],
    fires: [{ labels: { namespace: "data", pod: "redis-0", severity: "critical" } }],
  },
  { alert: "RedisClusterStateNotOk", at: "5m", series: [[`redis_cluster_state${c({ namespace: "data", pod: "redis-0" })}`, "1x10"]] },
  // A master and its replica down: no node sees all slots served, for longer than a failover takes.
  {
    alert: "RedisClusterSlotsNotCovered",
    at: "15m",
    series: [
      [`redis_cluster_slots_ok${c({ ...redisPod(0) })}`, "16384x3 12288x20"],
      [`redis_cluster_slots_ok${c({ ...redisPod(1) })}`, "16384x3 12288x20"],
    ],
    fires: [{ labels: { namespace: "data", service: "redis", severity: "critical" } }],
  },
  // A failover or a resharding: every view short of some slots for a few minutes, then whole again.
  {
    alert: "RedisClusterSlotsNotCovered",
    at: "15m",
    series: [
      [`redis_cluster_slots_ok${c({ ...redisPod(0) })}`, "16384x3 12288x6 16384x10"],
      [`redis_cluster_slots_ok${c({ ...redisPod(1) })}`, "16384x3 12288x6 16384x10"],
    ],
  },
  // One node that has not joined (it sees no slots) while the others see all of them: covered.
  {
    alert: "RedisClusterSlotsNotCovered",
    at: "15m",
    series: [
      [`redis_cluster_slots_ok${c({ ...redisPod(0) })}`, "16384x20"],
      [`redis_cluster_slots_ok${c({ ...redisPod(6) })}`, "0x20"],
    ],
  },
  // The last success at 0 and none since: overdue from 7h, firing once it has held for 5 minutes.
  { alert: "BackupTooOld", at: "7h10m", series: [backupSeries("kube_cronjob_status_last_successful_time", "0x500")], fires: [{ labels: backupLabels }] },
  { alert: "BackupTooOld", at: "7h3m", series: [backupSeries("kube_cronjob_status_last_successful_time", "0x500")] },
  // A success at 6h: the backup is 70 minutes old at 7h10m.
  { alert: "BackupTooOld", at: "7h10m", series: [backupSeries("kube_cronjob_status_last_successful_time", "0x360 21600x140")] },
  // Never a success, and the CronJob made at 0: overdue all the same.
  { alert: "BackupTooOld", at: "7h10m", series: [backupSeries("kube_cronjob_created", "0x500")], fires: [{ labels: backupLabels }] },
  // Never a success, but the CronJob is 3 hours old: its first run is not due yet.
  { alert: "BackupTooOld", at: "3h", series: [backupSeries("kube_cronjob_created", "0x500")] },
];

let checked: ReturnType<typeof writeAndCheckRules>;
beforeAll(() => {
  requirePromtool();
  checked = writeAndCheckRules(join(dir, "rules.yaml"), groups);
});

describe("alert and recording rules in promtool", () => {
  it("pass promtool check rules", () => {
    expect(checked.status, checked.output).toBe(0);
    expect(checked.output).toContain(`SUCCESS: ${groups.flatMap((g) => g.rules).length} rules found`);
  });

  it("every alert has for, a severity, a summary, a description and a runbook_url, and a firing and a silent case", () => {
    for (const a of alerts) {
      expect(a.for).toMatch(/^\d+[smh]$/);
      expect(["critical", "warning", "info"]).toContain(a.labels.severity);
      expect(a.annotations.summary && a.annotations.description && a.annotations.runbook_url).toBeTruthy();
      expect(CASES.some((k) => k.alert === a.alert && k.fires)).toBe(true);
      expect(CASES.some((k) => k.alert === a.alert && !k.fires)).toBe(true);
    }
  });

  it("fire exactly where they must and stay silent where they must (promtool test rules)", () => {
    const tests = CASES.map((k) => ({
      interval: k.interval ?? "1m",
      input_series: k.series.map(([series, values]) => ({ series, values })),
      alert_rule_test: [
        {
          eval_time: k.at,
          alertname: k.alert,
          exp_alerts: (k.fires ?? []).map((f) => ({ exp_labels: f.labels, exp_annotations: rendered(k.alert, f.labels, f.value) })),
        },
      ],
    }));
    const efficiency = {
      interval: "1m",
      input_series: [
        { series: `container_memory_working_set_bytes${c(pod)}`, values: `${2 * GiB}x5` },
        { series: `kube_pod_container_resource_requests${c({ ...pod, resource: "memory", unit: "byte" })}`, values: `${8 * GiB}x5` },
      ],
      promql_expr_test: [
        {
          expr: "namespace:memory_efficiency:ratio",
          eval_time: "3m",
          exp_samples: [{ labels: 'namespace:memory_efficiency:ratio{namespace="data"}', value: 0.25 }],
        },
      ],
    };
    writeFileSync(join(dir, "tests.yaml"), stringify({ rule_files: ["rules.yaml"], evaluation_interval: "1m", tests: [...tests, efficiency] }));
    const result = spawnSync("promtool", ["test", "rules", join(dir, "tests.yaml")], { encoding: "utf8" });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("SUCCESS");
  });
});
