/**
 * The platform's alert and recording rules, as data: rendered into PrometheusRule objects and, in the
 * tests, into a rule file that promtool checks and unit-tests. Each expression was checked against
 * what the metric really means; the seed design's sketches misfired in three ways this avoids:
 * page-fault counters as "memory pressure" (every busy process increments them), usage divided by a
 * limit that does not exist, and every restart counted as an OOM kill.
 */

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for: string;
  readonly labels: { readonly severity: "critical" | "warning" | "info" };
  readonly annotations: { readonly summary: string; readonly description: string; readonly runbook_url: string };
}

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
  readonly labels?: Readonly<Record<string, string>>;
}

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly (AlertRule | RecordingRule)[];
}

export interface AlertThresholds {
  /** Working set over memory limit that raises HighMemoryUsage. */
  readonly memoryUsageRatio: number;
  /** Share of a Karpenter pool's memory limit in use that raises NodePoolNearLimit. */
  readonly nodePoolLimitRatio: number;
  /** Share of maxmemory in use that raises RedisMemoryNearMax. */
  readonly redisMemoryRatio: number;
  /** Share of requested memory left unused for a day that raises IdleMemoryRequests. */
  readonly idleRequestRatio: number;
}

export const DEFAULT_ALERT_THRESHOLDS: AlertThresholds = { memoryUsageRatio: 0.9, nodePoolLimitRatio: 0.9, redisMemoryRatio: 0.9, idleRequestRatio: 0.5 };

const RUNBOOKS = "https://github.com/highmem-platform/runbooks/blob/main/alerts.md";
const runbook = (alert: string) => `${RUNBOOKS}#${alert.toLowerCase()}`;
const alert = (name: string, a: Omit<AlertRule, "alert" | "annotations"> & { summary: string; description: string }): AlertRule => ({
  alert: name,
  expr: a.expr,
  for: a.for,
  labels: a.labels,
  annotations: { summary: a.summary, description: a.description, runbook_url: runbook(name) },
});

/** Containers of real pods (cAdvisor also reports the pod's cgroup with an empty container and the pause container "POD"). */
const WORKING_SET = 'container_memory_working_set_bytes{container!="", container!="POD"}';
const byContainer = (metric: string) => `max by (namespace, pod, container) (${metric})`;

/** Placeholders of a window not available, as the count missing (window labels kept). */
const PLACEHOLDERS_MISSING =
  "capacity_window:reserved_pods - on (namespace, deployment) group_left () max by (namespace, deployment) (kube_deployment_status_replicas_available) > 0";

export function alertRuleGroups(t: AlertThresholds = DEFAULT_ALERT_THRESHOLDS): RuleGroup[] {
  return [
    {
      name: "memory.recording",
      rules: [
        { record: "namespace:container_memory_working_set_bytes:sum", expr: `sum by (namespace) (${WORKING_SET})` },
        {
          record: "namespace:kube_pod_container_resource_requests_memory_bytes:sum",
          expr: 'sum by (namespace) (kube_pod_container_resource_requests{resource="memory", unit="byte"})',
        },
        {
          record: "namespace:memory_efficiency:ratio",
          expr: "namespace:container_memory_working_set_bytes:sum / namespace:kube_pod_container_resource_requests_memory_bytes:sum",
        },
        {
          record: "workload:container_memory_working_set_bytes:sum",
          expr: `sum by (namespace, owner_kind, owner_name) (${byContainer(WORKING_SET)} * on (namespace, pod) group_left (owner_kind, owner_name) max by (namespace, pod, owner_kind, owner_name) (kube_pod_owner))`,
        },
        {
          record: "workload:kube_pod_container_resource_requests_memory_bytes:sum",
          expr: 'sum by (namespace, owner_kind, owner_name) (kube_pod_container_resource_requests{resource="memory", unit="byte"} * on (namespace, pod) group_left (owner_kind, owner_name) max by (namespace, pod, owner_kind, owner_name) (kube_pod_owner))',
        },
        {
          record: "workload:memory_efficiency:ratio",
          expr: "workload:container_memory_working_set_bytes:sum / workload:kube_pod_container_resource_requests_memory_bytes:sum",
        },
      ],
    },
    {
      name: "memory.alerts",
      rules: [
        alert("HighMemoryUsage", {
          // Dividing by the limit series drops containers without a limit (no series, no alert).
          expr: `${byContainer(WORKING_SET)} / on (namespace, pod, container) ${byContainer('kube_pod_container_resource_limits{resource="memory", unit="byte"} > 0')} > ${t.memoryUsageRatio}`,
          for: "5m",
          labels: { severity: "warning" },
          summary: "Container near its memory limit",
          description: `{{ $labels.namespace }}/{{ $labels.pod }} container {{ $labels.container }} uses {{ $value | humanizePercentage }} of its memory limit (alert above ${t.memoryUsageRatio * 100}%); it will be OOM-killed at 100%.`,
        }),
        alert("NodeMemoryPressure", {
          // The kubelet's own verdict: it is evicting pods or about to.
          expr: 'kube_node_status_condition{condition="MemoryPressure", status="true"} == 1',
          for: "2m",
          labels: { severity: "critical" },
          summary: "Node under memory pressure",
          description: "Node {{ $labels.node }} reports MemoryPressure: the kubelet evicts pods to reclaim memory.",
        }),
        alert("ContainerOOMKilled", {
          // Last termination OOMKilled and a restart in the window: a new OOM kill, not an old one.
          expr: 'max by (namespace, pod, container) (kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}) == 1 and on (namespace, pod, container) max by (namespace, pod, container) (increase(kube_pod_container_status_restarts_total[10m])) > 0',
          for: "0m",
          labels: { severity: "critical" },
          summary: "Container killed for running out of memory",
          description: "{{ $labels.namespace }}/{{ $labels.pod }} container {{ $labels.container }} was OOM-killed and restarted in the last 10 minutes.",
        }),
        alert("HpaAtMaxReplicas", {
          expr: "kube_horizontalpodautoscaler_status_current_replicas >= kube_horizontalpodautoscaler_spec_max_replicas and kube_horizontalpodautoscaler_spec_max_replicas > 1",
          for: "15m",
          labels: { severity: "warning" },
          summary: "Autoscaler stuck at its maximum",
          description:
            "HorizontalPodAutoscaler {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has run at its maximum replicas for 15 minutes: load exceeds what it may scale to.",
        }),
        alert("HpaUnableToScale", {
          expr: 'kube_horizontalpodautoscaler_status_condition{condition="ScalingActive", status="false"} == 1',
          for: "15m",
          labels: { severity: "warning" },
          summary: "Autoscaler cannot compute a scale",
          description:
            "HorizontalPodAutoscaler {{ $labels.namespace }}/{{ $labels.horizontalpodautoscaler }} has had ScalingActive=false for 15 minutes (metrics missing or invalid).",
        }),
        alert("NodePoolNearLimit", {
          expr: `karpenter_nodepools_usage{resource_type="memory"} / on (nodepool, resource_type) (karpenter_nodepools_limit{resource_type="memory"} > 0) > ${t.nodePoolLimitRatio}`,
          for: "10m",
          labels: { severity: "warning" },
          summary: "Karpenter pool near its memory limit",
          description: `NodePool {{ $labels.nodepool }} uses {{ $value | humanizePercentage }} of its memory limit (alert above ${t.nodePoolLimitRatio * 100}%); pods that need a new node will stay pending.`,
        }),
        alert("IdleMemoryRequests", {
          // The design's underutilisation alert: requests far above use for a whole day.
          expr: `(workload:kube_pod_container_resource_requests_memory_bytes:sum - workload:container_memory_working_set_bytes:sum) / workload:kube_pod_container_resource_requests_memory_bytes:sum > ${t.idleRequestRatio} and workload:kube_pod_container_resource_requests_memory_bytes:sum > 1073741824`,
          for: "24h",
          labels: { severity: "info" },
          summary: "Memory requested but not used",
          description: `{{ $labels.namespace }}/{{ $labels.owner_name }} has left more than ${t.idleRequestRatio * 100}% of the memory it requests unused for a day; lower its requests.`,
        }),
      ],
    },
    {
      // Capacity windows: the series come from each window's recording rules (window-rules.ts).
      name: "capacity-windows.alerts",
      rules: [
        alert("CapacityWindowNotReady", {
          expr: `${PLACEHOLDERS_MISSING} and on (window) (capacity_window:seconds_to_start > 0 <= 600)`,
          for: "1m",
          labels: { severity: "critical" },
          summary: "Capacity window starts within 10 minutes and its placeholders are not all running",
          description:
            "Window {{ $labels.window }} on pool {{ $labels.nodepool }} starts within 10 minutes and some of its placeholder pods are not available: the nodes are not up (spot short, pool limit, scale-up CronJob failed). Scheduled work will wait for nodes.",
        }),
        alert("CapacityWindowBelowReserved", {
          expr: `capacity_window:reserved_memory_bytes > on (nodepool) group_left () max by (nodepool) (karpenter_nodepools_usage{resource_type="memory"}) and on (window) (capacity_window:seconds_to_start <= 0) and on (window) (capacity_window:seconds_to_start + on (window) capacity_window:duration_seconds > 0)`,
          for: "5m",
          labels: { severity: "warning" },
          summary: "Capacity window running below its reserved capacity",
          description:
            "Window {{ $labels.window }} is running and pool {{ $labels.nodepool }} holds less memory than the window reserves: nodes were lost or never came up.",
        }),
      ],
    },
    {
      name: "redis.alerts",
      rules: [
        alert("RedisDown", {
          expr: "redis_up == 0",
          for: "1m",
          labels: { severity: "critical" },
          summary: "Redis instance down",
          description: "The exporter of {{ $labels.namespace }}/{{ $labels.pod }} cannot reach its Redis.",
        }),
        alert("RedisMemoryNearMax", {
          expr: `redis_memory_used_bytes / (redis_memory_max_bytes > 0) > ${t.redisMemoryRatio}`,
          for: "10m",
          labels: { severity: "warning" },
          summary: "Redis near maxmemory",
          description: `{{ $labels.namespace }}/{{ $labels.pod }} uses {{ $value | humanizePercentage }} of maxmemory: it will evict keys or refuse writes, depending on its policy.`,
        }),
        alert("RedisClusterStateNotOk", {
          expr: "redis_cluster_state == 0",
          for: "2m",
          labels: { severity: "critical" },
          summary: "Redis Cluster state not ok",
          description: "{{ $labels.namespace }}/{{ $labels.pod }} reports cluster_state fail: some slots have no reachable master, and requests for them fail.",
        }),
        alert("RedisClusterSlotsNotCovered", {
          // Each exporter reports its node's CLUSTER INFO: cluster_slots_ok counts the slots served by a
          // node not in FAIL or PFAIL (redis.io, CLUSTER INFO; redis_exporter v1.74.0 exports every
          // cluster_* field as redis_cluster_*: exporter/metrics.go includeMetric). The best view of all
          // nodes short of 16384 means no node sees every slot served: a scale-in or resharding left slots
          // unassigned, or a master and its replicas are down. Moving slots (reshard, rebalance) keeps each
          // slot assigned, and a failover ends within seconds: 10 minutes rides out both.
          expr: "max by (namespace, service) (redis_cluster_slots_ok) < 16384",
          for: "10m",
          labels: { severity: "critical" },
          summary: "Redis Cluster slots not all served",
          description:
            "No node of {{ $labels.namespace }}/{{ $labels.service }} has seen all 16384 slots served for 10 minutes: keys in the missing slots cannot be read or written.",
        }),
      ],
    },
  ];
}
