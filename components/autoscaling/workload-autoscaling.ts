import * as pulumi from "@pulumi/pulumi";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { KEDA_CHART_VERSION, VPA_CHART_VERSION } from "../versions";
import { requireThat, withDefaults } from "../lib/args";
import { SYSTEM_NODE_LABEL, SYSTEM_NODE_TAINT } from "../cluster/system-node-group";

/** Namespace of KEDA's operator, metrics API server and admission webhooks. */
export const KEDA_NAMESPACE = "keda";
/** Namespace of the VPA recommender. */
export const VPA_NAMESPACE = "vpa";

/** A pod's CPU and memory requests, and its memory limit (no CPU limit: it only throttles). */
export interface AutoscalerResources {
  readonly cpuMilli: number;
  readonly memoryMiB: number;
  readonly memoryLimitMiB: number;
}

export interface WorkloadAutoscalingArgs {
  readonly provider: KubernetesProvider;
  /**
   * Version of the kedacore `keda` chart (its appVersion is the KEDA release).
   * @default KEDA_CHART_VERSION
   */
  readonly kedaChartVersion?: string;
  /**
   * Version of kubernetes/autoscaler's `vertical-pod-autoscaler` chart.
   * @default VPA_CHART_VERSION
   */
  readonly vpaChartVersion?: string;
  /**
   * Resources of each KEDA pod (operator, metrics API server, webhooks).
   * @default the KEDA docs' production figures: 100m CPU, 100 MiB requested, 1000 MiB limit
   */
  readonly kedaResources?: AutoscalerResources;
  /**
   * Resources of the VPA recommender. With `--memory-saver` it tracks only pods that a VPA selects.
   * @default 50m CPU, 500 MiB requested, 1000 MiB limit (the chart's suggested figures)
   */
  readonly recommenderResources?: AutoscalerResources;
}

export const WORKLOAD_AUTOSCALING_DEFAULTS = {
  kedaChartVersion: KEDA_CHART_VERSION,
  vpaChartVersion: VPA_CHART_VERSION,
  // kedacore/keda-docs content/docs/2.19/operate/cluster.md, "Cluster Capacity".
  kedaResources: { cpuMilli: 100, memoryMiB: 100, memoryLimitMiB: 1000 },
  // kubernetes/autoscaler@vertical-pod-autoscaler-chart-0.9.0 values.yaml, recommender.resources (commented example).
  recommenderResources: { cpuMilli: 50, memoryMiB: 500, memoryLimitMiB: 1000 },
} satisfies Partial<WorkloadAutoscalingArgs>;

const COMPONENT = "WorkloadAutoscaling";
const CHART_VERSION = /^\d+\.\d+\.\d+$/;
/** Bounds of a system pod's resources: a system node is an m7i/m6i.xlarge (4 vCPU, 16 GiB). */
export const AUTOSCALER_RESOURCE_LIMITS = { minCpuMilli: 10, maxCpuMilli: 2000, minMemoryMiB: 32, maxMemoryMiB: 4096 } as const;

/** What is wrong with a resources argument, or undefined. */
export function resourcesProblem(r: AutoscalerResources): string | undefined {
  const L = AUTOSCALER_RESOURCE_LIMITS;
  if (!Number.isInteger(r.cpuMilli) || r.cpuMilli < L.minCpuMilli || r.cpuMilli > L.maxCpuMilli)
    return `cpuMilli must be a whole number from ${L.minCpuMilli} to ${L.maxCpuMilli}`;
  if (!Number.isInteger(r.memoryMiB) || r.memoryMiB < L.minMemoryMiB || r.memoryMiB > L.maxMemoryMiB)
    return `memoryMiB must be a whole number from ${L.minMemoryMiB} to ${L.maxMemoryMiB}`;
  if (!Number.isInteger(r.memoryLimitMiB) || r.memoryLimitMiB < r.memoryMiB || r.memoryLimitMiB > L.maxMemoryMiB)
    return `memoryLimitMiB must be a whole number from memoryMiB (${r.memoryMiB}) to ${L.maxMemoryMiB}`;
  return undefined;
}

/** A pod's resources block from a resources argument. */
export const resourceRequirements = (r: AutoscalerResources) => ({
  requests: { cpu: `${r.cpuMilli}m`, memory: `${r.memoryMiB}Mi` },
  limits: { memory: `${r.memoryLimitMiB}Mi` },
});

/** On the system nodes: their label, and a toleration of their taint (system-node-group.ts). */
export const SYSTEM_PLACEMENT = {
  nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
  tolerations: [{ key: SYSTEM_NODE_TAINT.key, operator: "Equal", value: SYSTEM_NODE_TAINT.value, effect: SYSTEM_NODE_TAINT.effect }],
};

/** Pod Security "restricted" for a container: no privilege escalation, no capabilities, read-only root, RuntimeDefault seccomp. */
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ["ALL"] },
  readOnlyRootFilesystem: true,
  seccompProfile: { type: "RuntimeDefault" },
};

/** The KEDA chart's values: every pod on the system nodes, restricted, with requests. */
export function kedaValues(r: AutoscalerResources): Record<string, unknown> {
  const perPod = <T>(v: T) => ({ operator: v, metricServer: v, webhooks: v });
  // kedacore/charts@v2.19.0 keda/values.yaml and templates/{manager,metrics-server,webhooks}/deployment.yaml:
  // nodeSelector and tolerations are top-level (shared by the three Deployments; the templates add
  // kubernetes.io/os: linux); securityContext, podSecurityContext and resources are per pod.
  return {
    ...SYSTEM_PLACEMENT,
    resources: perPod(resourceRequirements(r)),
    securityContext: perPod(RESTRICTED_CONTAINER),
    podSecurityContext: perPod({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } }),
    // CRDs as templates (keda/templates/crds), installed with the release: keda.sh and eventing.keda.sh.
    crds: { install: true },
  };
}

/**
 * The VPA chart's values: the recommender only. kubernetes/autoscaler@vertical-pod-autoscaler-chart-0.9.0
 * vertical-pod-autoscaler/charts/vertical-pod-autoscaler: `updater.enabled` and
 * `admissionController.enabled` guard every updater and admission-controller template (Deployments,
 * RBAC, PDBs, the webhook, the certgen hook Jobs); the CRDs (verticalpodautoscalers and
 * verticalpodautoscalercheckpoints.autoscaling.k8s.io, v1 served and stored) are in the chart's crds/
 * folder, installed by Helm before the templates. The recommender keeps its history in
 * VerticalPodAutoscalerCheckpoint objects (the default `--storage`, pkg/recommender/main.go at
 * vertical-pod-autoscaler/v1.6.0): `--storage=prometheus` would read history only at start-up, from
 * `container_*{job="kubernetes-cadvisor"}` and pod labels in `up{job="kubernetes-pods"}`, series
 * kube-prometheus-stack does not produce under those names, so checkpoints are kept.
 */
export function vpaValues(r: AutoscalerResources): Record<string, unknown> {
  return {
    podSecurityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
    containerSecurityContext: RESTRICTED_CONTAINER,
    admissionController: { enabled: false },
    updater: { enabled: false },
    recommender: {
      enabled: true,
      // One replica: the recommender is a single active leader anyway (leader election when replicas > 1).
      replicas: 1,
      podDisruptionBudget: { enabled: false },
      // Track only pods that a VerticalPodAutoscaler selects (flag --memory-saver, pkg/recommender/main.go).
      extraArgs: ["--memory-saver=true"],
      resources: resourceRequirements(r),
      ...SYSTEM_PLACEMENT,
    },
  };
}

/**
 * Inputs for autoscaling workloads, on the system nodes: KEDA, so that HorizontalPodAutoscalers can
 * scale on Prometheus queries and cron schedules (ScaledObjects; see PROMETHEUS_SERVER_ADDRESS), and
 * the VPA recommender alone, so that VerticalPodAutoscalers in "Off" mode publish recommendations
 * that nothing applies. Custom resources of groups keda.sh and autoscaling.k8s.io must depend on this
 * component: the charts install their CRDs.
 */
export class WorkloadAutoscaling extends pulumi.ComponentResource {
  readonly keda: Release;
  readonly vpa: Release;

  constructor(name: string, args: WorkloadAutoscalingArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(WORKLOAD_AUTOSCALING_DEFAULTS, args);
    for (const arg of ["kedaChartVersion", "vpaChartVersion"] as const) {
      requireThat(CHART_VERSION.test(a[arg]), COMPONENT, arg, a[arg], "must be an exact chart version (major.minor.patch)");
    }
    for (const arg of ["kedaResources", "recommenderResources"] as const) {
      const problem = resourcesProblem(a[arg]);
      requireThat(problem === undefined, COMPONENT, arg, a[arg], problem ?? "");
    }
    super("highmem:autoscaling:WorkloadAutoscaling", name, {}, opts);
    const k8s = { parent: this, provider: a.provider };
    const restricted = { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/warn": "restricted" };
    const kedaNs = new Namespace(`${name}-keda-namespace`, { metadata: { name: KEDA_NAMESPACE, labels: restricted } }, k8s);
    const vpaNs = new Namespace(`${name}-vpa-namespace`, { metadata: { name: VPA_NAMESPACE, labels: restricted } }, k8s);

    this.keda = new Release(
      `${name}-keda`,
      {
        name: "keda",
        chart: "keda",
        repositoryOpts: { repo: "https://kedacore.github.io/charts" },
        version: a.kedaChartVersion,
        namespace: KEDA_NAMESPACE,
        atomic: true,
        values: kedaValues(a.kedaResources),
      },
      { ...k8s, dependsOn: [kedaNs] },
    );
    this.vpa = new Release(
      `${name}-vpa`,
      {
        name: "vertical-pod-autoscaler",
        chart: "vertical-pod-autoscaler",
        repositoryOpts: { repo: "https://kubernetes.github.io/autoscaler" },
        version: a.vpaChartVersion,
        namespace: VPA_NAMESPACE,
        atomic: true,
        values: vpaValues(a.recommenderResources),
      },
      { ...k8s, dependsOn: [vpaNs] },
    );
    this.registerOutputs({});
  }
}
