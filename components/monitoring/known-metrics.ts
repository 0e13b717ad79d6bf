/**
 * Metrics this platform's stack produces, by exporter: dashboards and alerts may query only these
 * (and the recorded series of alert-rules.ts). A test enforces it, so a renamed or absent metric
 * fails here instead of showing an empty panel.
 */
import { WINDOW_RECORDED_SERIES } from "./window-rules";

export const KNOWN_METRICS: Readonly<Record<string, readonly string[]>> = {
  // kubelet's cAdvisor endpoint (kube-prometheus-stack scrapes it)
  cadvisor: ["container_memory_working_set_bytes", "container_memory_failures_total"],
  "kube-state-metrics": [
    "kube_pod_container_resource_requests",
    "kube_pod_container_resource_limits",
    "kube_pod_container_status_restarts_total",
    "kube_pod_container_status_last_terminated_reason",
    "kube_pod_owner",
    "kube_node_status_condition",
    "kube_node_status_allocatable",
    "kube_horizontalpodautoscaler_status_current_replicas",
    "kube_horizontalpodautoscaler_status_desired_replicas",
    "kube_horizontalpodautoscaler_spec_max_replicas",
    "kube_horizontalpodautoscaler_status_condition",
    // Capacity windows (kube-state-metrics docs/metrics/workload/deployment-metrics.md, cronjob-metrics.md; all STABLE)
    "kube_deployment_spec_replicas",
    "kube_deployment_status_replicas_available",
    "kube_cronjob_status_last_schedule_time",
    // Backups (backup-rules.ts; cronjob-metrics.md at v2.17.0: last_successful_time is EXPERIMENTAL, created STABLE)
    "kube_cronjob_status_last_successful_time",
    "kube_cronjob_created",
  ],
  // kube-prometheus-stack's own recording rules (default rules of chart 79.5.0, k8s.rules.pod_owner.yaml)
  "kube-prometheus-stack rules": ["namespace_workload_pod:kube_pod_owner:relabel"],
  // Recording rules of each capacity window's PrometheusRule (window-rules.ts)
  "capacity-windows": [...WINDOW_RECORDED_SERIES],
  // Karpenter controller (ServiceMonitor in monitoring-stack.ts)
  karpenter: [
    "karpenter_nodes_allocatable",
    "karpenter_nodepools_usage",
    "karpenter_nodepools_limit",
    "karpenter_nodeclaims_created_total",
    "karpenter_nodeclaims_disrupted_total",
  ],
  // redis_exporter sidecar (ServiceMonitor in redis-cluster.ts)
  redis_exporter: [
    "redis_up",
    "redis_memory_used_bytes",
    "redis_memory_max_bytes",
    "redis_cluster_state",
    "redis_cluster_slots_ok",
    "redis_connected_clients",
    "redis_commands_processed_total",
    "redis_keyspace_hits_total",
    "redis_keyspace_misses_total",
  ],
};

const PROMQL_WORDS = new Set([
  "sum",
  "max",
  "min",
  "avg",
  "count",
  "topk",
  "bottomk",
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "and",
  "or",
  "unless",
  "rate",
  "irate",
  "increase",
  "delta",
  "deriv",
  "abs",
  "clamp_min",
  "clamp_max",
  "histogram_quantile",
  "quantile_over_time",
  "max_over_time",
  "min_over_time",
  "label_replace",
  "vector",
  "scalar",
  "offset",
  "bool",
  "humanizePercentage",
  "time",
]);

/** Metric names an expression reads (label matchers, strings, durations and PromQL words removed). */
export function metricsIn(expr: string): string[] {
  const stripped = expr
    .replace(/\b(by|on|without|ignoring|group_left|group_right)\s*\([^)]*\)/g, " ")
    .replace(/\{[^}]*\}/g, " ")
    .replace(/"[^"]*"/g, " ")
    .replace(/\[[^\]]*\]/g, " ")
    .replace(/\boffset\s+-?[\dsmhdwy]+/g, " ");
  return [...new Set((stripped.match(/[a-zA-Z_:][a-zA-Z0-9_:]*/g) ?? []).filter((w) => !PROMQL_WORDS.has(w) && !/^\d/.test(w) && !/^e\d*$/.test(w)))];
}
