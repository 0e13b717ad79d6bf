/**
 * Right-sizing: each workload container's memory request against the 95th percentile of its working
 * set over 7 days, and an info alert where requests have stayed above 1.5x that P95 for the 7 days.
 *
 * Cost: the raw cAdvisor series are per pod and container (every restart or rollout starts new
 * ones), so a 7-day quantile over them would read every pod's history at every evaluation. Instead
 * one short series per workload container is recorded each minute (the peak of that minute, with the
 * pod joined to its workload), and the 7-day quantile runs over that series every 30 minutes:
 * about 10,000 samples per workload container per evaluation, whatever the pod churn.
 *
 * Pods are joined to their workload by kube-prometheus-stack's own recording rule
 * namespace_workload_pod:kube_pod_owner:relabel (labels namespace, workload, workload_type, pod;
 * ReplicaSets resolved to their Deployment): prometheus-community/helm-charts@kube-prometheus-stack-79.5.0
 * charts/kube-prometheus-stack/templates/prometheus/rules-1.14/k8s.rules.pod_owner.yaml, on by default
 * (values.yaml defaultRules.rules.k8sPodOwner: true; monitoring-stack.ts does not turn it off).
 */
import type { AlertRule, RuleGroup } from "./alert-rules";

/** A rule group with its own evaluation interval (PrometheusRule spec.groups[].interval). */
export interface TimedRuleGroup extends RuleGroup {
  readonly interval: string;
}

/** Requests above this multiple of the 7-day P95 working set raise MemoryRequestsAboveP95. */
export const RIGHTSIZING_RATIO = 1.5;
/** Requests below this are left alone: a few hundred MiB over-requested is not worth a change. */
export const RIGHTSIZING_MIN_REQUEST_BYTES = 1073741824;

const BY_WORKLOAD = "namespace, workload, workload_type, container";
const TO_WORKLOAD =
  "* on (namespace, pod) group_left (workload, workload_type) max by (namespace, pod, workload, workload_type) (namespace_workload_pod:kube_pod_owner:relabel)";

/** The recorded series, for dashboards and the known-metrics check. */
export const RIGHTSIZING_SERIES = {
  workingSet1m: "namespace_workload_container:container_memory_working_set_bytes:max1m",
  requests: "namespace_workload_container:kube_pod_container_resource_requests_memory_bytes:max",
  workingSetP95: "namespace_workload_container:container_memory_working_set_bytes:p95_7d",
  requestsMin7d: "namespace_workload_container:kube_pod_container_resource_requests_memory_bytes:min_7d",
} as const;
const S = RIGHTSIZING_SERIES;

const RUNBOOK = "https://github.com/highmem-platform/runbooks/blob/main/alerts.md#memoryrequestsabovep95";

export const MEMORY_REQUESTS_ABOVE_P95: AlertRule = {
  alert: "MemoryRequestsAboveP95",
  // The expression covers the 7 days itself (the smallest request of the 7 days against their P95, and
  // a series 7 days old), so `for` only smooths: a Prometheus restart delays the alert by an hour,
  // where `for: 7d` would start counting again. Needs Prometheus retention over 7 days.
  expr: [
    `${S.requestsMin7d} / ${S.workingSetP95} > ${RIGHTSIZING_RATIO}`,
    `and ${S.requestsMin7d} > ${RIGHTSIZING_MIN_REQUEST_BYTES}`,
    `and (${S.workingSet1m} offset 7d)`,
    `and ${S.requests}`,
  ].join(" "),
  for: "1h",
  labels: { severity: "info" },
  annotations: {
    summary: "Memory requests well above what the workload uses",
    description: `{{ $labels.namespace }}/{{ $labels.workload }} ({{ $labels.workload_type }}) container {{ $labels.container }} has requested more than ${RIGHTSIZING_RATIO}x the 95th percentile of its working set for 7 days: lower its request (see the right-sizing dashboard and its VerticalPodAutoscaler's recommendation).`,
    runbook_url: RUNBOOK,
  },
};

export function rightSizingRuleGroups(): TimedRuleGroup[] {
  return [
    {
      name: "rightsizing.short",
      interval: "1m",
      rules: [
        {
          record: S.workingSet1m,
          expr: `max by (${BY_WORKLOAD}) (max_over_time(container_memory_working_set_bytes{container!="", container!="POD"}[1m]) ${TO_WORKLOAD})`,
        },
        {
          record: S.requests,
          expr: `max by (${BY_WORKLOAD}) (kube_pod_container_resource_requests{resource="memory", unit="byte"} ${TO_WORKLOAD})`,
        },
      ],
    },
    {
      name: "rightsizing.7d",
      interval: "30m",
      rules: [
        { record: S.workingSetP95, expr: `quantile_over_time(0.95, ${S.workingSet1m}[7d])` },
        { record: S.requestsMin7d, expr: `min_over_time(${S.requests}[7d])` },
        MEMORY_REQUESTS_ABOVE_P95,
      ],
    },
  ];
}
