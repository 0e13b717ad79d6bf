/**
 * Grafana dashboards as code, provisioned as ConfigMaps for the Grafana sidecar. Each dashboard
 * answers one question; queries read only metrics the stack produces (known-metrics.ts).
 */
import { RIGHTSIZING_RATIO, RIGHTSIZING_SERIES } from "./rightsizing-rules";

export interface Panel {
  readonly id: number;
  readonly type: "timeseries" | "stat" | "table" | "bargauge";
  readonly title: string;
  readonly description: string;
  readonly gridPos: { readonly x: number; readonly y: number; readonly w: number; readonly h: number };
  readonly targets: readonly { readonly refId: string; readonly expr: string; readonly legendFormat: string }[];
  readonly fieldConfig: { readonly defaults: { readonly unit: string }; readonly overrides: readonly unknown[] };
  readonly datasource: { readonly type: "prometheus"; readonly uid: "prometheus" };
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly schemaVersion: number;
  readonly time: { readonly from: string; readonly to: string };
  readonly refresh: string;
  readonly panels: readonly Panel[];
}

type PanelSpec = [type: Panel["type"], title: string, description: string, unit: string, queries: readonly [expr: string, legend: string][]];

/** Lays panels out two per row, 12 columns wide and 8 high. */
function dashboard(uid: string, title: string, description: string, specs: readonly PanelSpec[]): Dashboard {
  return {
    uid,
    title,
    description,
    tags: ["highmem-platform"],
    schemaVersion: 39,
    time: { from: "now-6h", to: "now" },
    refresh: "1m",
    panels: specs.map(([type, panelTitle, panelDescription, unit, queries], i) => ({
      id: i + 1,
      type,
      title: panelTitle,
      description: panelDescription,
      gridPos: { x: (i % 2) * 12, y: Math.floor(i / 2) * 8, w: 12, h: 8 },
      targets: queries.map(([expr, legendFormat], j) => ({ refId: String.fromCharCode(65 + j), expr, legendFormat })),
      fieldConfig: { defaults: { unit }, overrides: [] },
      datasource: { type: "prometheus", uid: "prometheus" },
    })),
  };
}

const WS = 'container_memory_working_set_bytes{container!="", container!="POD"}';

export const DASHBOARDS: readonly Dashboard[] = [
  dashboard("memory-requests-vs-usage", "Memory: requests vs actual use", "Which namespaces and workloads request memory they do not use?", [
    [
      "timeseries",
      "Used and requested, by namespace",
      "Working set against requests",
      "bytes",
      [
        ["namespace:container_memory_working_set_bytes:sum", "{{namespace}} used"],
        ["namespace:kube_pod_container_resource_requests_memory_bytes:sum", "{{namespace}} requested"],
      ],
    ],
    [
      "timeseries",
      "Efficiency by namespace",
      "Used over requested: 1 means requests fit use",
      "percentunit",
      [["namespace:memory_efficiency:ratio", "{{namespace}}"]],
    ],
    [
      "table",
      "Least efficient workloads",
      "The 20 workloads using the smallest share of what they request",
      "percentunit",
      [["bottomk(20, workload:memory_efficiency:ratio)", "{{namespace}}/{{owner_name}}"]],
    ],
    [
      "stat",
      "Requested but unused",
      "Memory requested and not used, cluster-wide",
      "bytes",
      [["sum(workload:kube_pod_container_resource_requests_memory_bytes:sum) - sum(workload:container_memory_working_set_bytes:sum)", "unused"]],
    ],
  ]),
  dashboard("pod-memory-profile", "Pod memory profile", "How close is each container to its memory limit, and who was OOM-killed?", [
    [
      "timeseries",
      "Largest containers",
      "Working set of the 20 largest containers",
      "bytes",
      [[`topk(20, max by (namespace, pod, container) (${WS}))`, "{{namespace}}/{{pod}}/{{container}}"]],
    ],
    [
      "timeseries",
      "Share of limit",
      "Working set over memory limit, containers with a limit",
      "percentunit",
      [
        [
          `max by (namespace, pod, container) (${WS}) / on (namespace, pod, container) max by (namespace, pod, container) (kube_pod_container_resource_limits{resource="memory", unit="byte"} > 0)`,
          "{{namespace}}/{{pod}}/{{container}}",
        ],
      ],
    ],
    [
      "table",
      "Last terminated by OOM",
      "Containers whose last termination was an OOM kill",
      "none",
      [
        [
          'max by (namespace, pod, container) (kube_pod_container_status_last_terminated_reason{reason="OOMKilled"}) == 1',
          "{{namespace}}/{{pod}}/{{container}}",
        ],
      ],
    ],
    [
      "timeseries",
      "Restarts",
      "Container restarts in the last hour",
      "none",
      [["sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total[1h]))", "{{namespace}}/{{pod}}"]],
    ],
  ]),
  dashboard("capacity", "Capacity: pools against limits", "How much of each Karpenter pool's limit is in use, and what do nodes offer?", [
    [
      "bargauge",
      "Pool memory against limit",
      "Memory in use over each pool's limit",
      "percentunit",
      [['karpenter_nodepools_usage{resource_type="memory"} / on (nodepool, resource_type) karpenter_nodepools_limit{resource_type="memory"}', "{{nodepool}}"]],
    ],
    [
      "bargauge",
      "Pool CPU against limit",
      "CPU in use over each pool's limit",
      "percentunit",
      [['karpenter_nodepools_usage{resource_type="cpu"} / on (nodepool, resource_type) karpenter_nodepools_limit{resource_type="cpu"}', "{{nodepool}}"]],
    ],
    [
      "timeseries",
      "Allocatable memory by node",
      "What each node offers pods",
      "bytes",
      [['sum by (node) (kube_node_status_allocatable{resource="memory"})', "{{node}}"]],
    ],
    [
      "stat",
      "Nodes under memory pressure",
      "Nodes reporting MemoryPressure now",
      "none",
      [['sum(kube_node_status_condition{condition="MemoryPressure", status="true"})', "nodes"]],
    ],
    [
      "table",
      "Capacity windows",
      "Per window: minutes to its start (negative once running), placeholders ready and desired; nodes per pool (Karpenter)",
      "none",
      [
        ["capacity_window:seconds_to_start / 60", "{{window}} minutes to start"],
        ['max by (deployment) (kube_deployment_status_replicas_available{namespace="capacity"})', "{{deployment}} ready"],
        ['max by (deployment) (kube_deployment_spec_replicas{namespace="capacity"})', "{{deployment}} desired"],
        ['count by (nodepool) (karpenter_nodes_allocatable{resource_type="memory"})', "{{nodepool}} nodes"],
      ],
    ],
  ]),
  dashboard("scaling", "Scaling operations", "Are autoscalers keeping up, and how often does Karpenter add or remove nodes?", [
    [
      "timeseries",
      "Autoscaler replicas",
      "Current, desired and maximum replicas",
      "none",
      [
        ["kube_horizontalpodautoscaler_status_current_replicas", "{{horizontalpodautoscaler}} current"],
        ["kube_horizontalpodautoscaler_status_desired_replicas", "{{horizontalpodautoscaler}} desired"],
        ["kube_horizontalpodautoscaler_spec_max_replicas", "{{horizontalpodautoscaler}} max"],
      ],
    ],
    [
      "timeseries",
      "Nodes created",
      "Node claims created per hour, by pool",
      "none",
      [["sum by (nodepool) (increase(karpenter_nodeclaims_created_total[1h]))", "{{nodepool}}"]],
    ],
    [
      "timeseries",
      "Nodes disrupted",
      "Node claims disrupted per hour, by pool and reason",
      "none",
      [["sum by (nodepool, reason) (increase(karpenter_nodeclaims_disrupted_total[1h]))", "{{nodepool}} {{reason}}"]],
    ],
    [
      "stat",
      "Autoscalers unable to scale",
      "HPAs with ScalingActive=false",
      "none",
      [['sum(kube_horizontalpodautoscaler_status_condition{condition="ScalingActive", status="false"})', "hpas"]],
    ],
  ]),
  dashboard("redis", "Redis Cluster", "Is the cache up, healthy, and how full is it?", [
    ["stat", "Nodes up", "Redis nodes the exporters reach", "none", [["sum(redis_up)", "up"]]],
    ["stat", "Cluster state", "1 when every slot has a reachable master", "none", [["min(redis_cluster_state)", "state"]]],
    [
      "timeseries",
      "Memory against maxmemory",
      "Used over maxmemory per node",
      "percentunit",
      [["redis_memory_used_bytes / (redis_memory_max_bytes > 0)", "{{pod}}"]],
    ],
    ["timeseries", "Commands per second", "Throughput per node", "ops", [["rate(redis_commands_processed_total[5m])", "{{pod}}"]]],
    [
      "timeseries",
      "Hit ratio",
      "Keyspace hits over lookups",
      "percentunit",
      [["sum(rate(redis_keyspace_hits_total[5m])) / (sum(rate(redis_keyspace_hits_total[5m])) + sum(rate(redis_keyspace_misses_total[5m])))", "hit ratio"]],
    ],
    ["timeseries", "Clients", "Connected clients per node", "none", [["redis_connected_clients", "{{pod}}"]]],
  ]),
  rightSizingDashboard(),
];

/** Requests against the 7-day P95 working set, per workload container (rightsizing-rules.ts). */
function rightSizingDashboard(): Dashboard {
  const R = RIGHTSIZING_SERIES;
  const who = "{{namespace}}/{{workload}}/{{container}}";
  const board = dashboard("right-sizing", "Right-sizing: requests vs P95", "Which workloads request far more memory than they use at their 95th percentile?", [
    [
      "table",
      "Most over-requested",
      `The 20 workload containers whose smallest request of the week is the largest multiple of their 7-day P95 working set (alert above ${RIGHTSIZING_RATIO}x)`,
      "none",
      [[`topk(20, ${R.requestsMin7d} / ${R.workingSetP95})`, who]],
    ],
    [
      "timeseries",
      "Requests and 7-day P95",
      "Memory request and the 95th percentile of the working set over the last 7 days, per workload container",
      "bytes",
      [
        [R.requests, `${who} requested`],
        [R.workingSetP95, `${who} P95`],
      ],
    ],
    [
      "stat",
      "Requested above P95",
      "Memory requested above the 7-day P95, summed over workload containers",
      "bytes",
      [[`sum(clamp_min(${R.requests} - ${R.workingSetP95}, 0))`, "above P95"]],
    ],
    ["timeseries", "Working set, per minute peak", "Peak working set of each minute, per workload container", "bytes", [[R.workingSet1m, who]]],
  ]);
  return { ...board, time: { from: "now-7d", to: "now" } };
}
