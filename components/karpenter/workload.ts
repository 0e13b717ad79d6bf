/**
 * What a workload needs to land on the high-memory pools, so that nobody hand-writes it: the
 * toleration and node affinity, Guaranteed QoS (requests equal limits, so the kubelet never evicts
 * it for using what it asked for), allocator settings for large heaps, and a memory-based
 * HorizontalPodAutoscaler with the platform's scaling behaviour.
 */
import type * as k8s from "@pulumi/kubernetes/types/input";
import { HIGH_MEMORY_LABELS, HIGH_MEMORY_TAINT } from "./pool-presets";

export interface HighMemoryWorkloadOptions {
  /** Memory request and limit of the container (GiB). */
  readonly memoryGiB: number;
  /** CPU request and limit (cores); whole cores give the container exclusive CPUs under the static CPU manager. */
  readonly cpu: number;
  /**
   * Which capacity the pod may use: "any" lets Karpenter prefer spot; "on-demand" for pods that
   * must not be interrupted (a Redis master, a week-long job without checkpoints).
   * @default "any"
   */
  readonly capacity?: "any" | "on-demand" | "spot";
  /**
   * Keep Karpenter from disrupting the pod's node (consolidation, drift, expiry wait for it).
   * @default false
   */
  readonly doNotDisrupt?: boolean;
  /**
   * glibc malloc arenas: each thread's arena keeps freed memory; a few arenas keep a large heap from
   * growing by a multiple of what the program uses.
   * @default 4
   */
  readonly mallocArenaMax?: number;
}

export interface HighMemoryPodSettings {
  readonly annotations: Record<string, string>;
  readonly tolerations: k8s.core.v1.Toleration[];
  readonly affinity: k8s.core.v1.Affinity;
  readonly resources: k8s.core.v1.ResourceRequirements;
  readonly env: k8s.core.v1.EnvVar[];
}

export function highMemoryPodSettings(o: HighMemoryWorkloadOptions): HighMemoryPodSettings {
  if (!(o.memoryGiB > 0) || !Number.isInteger(o.memoryGiB))
    throw new Error(`highMemoryPodSettings: memoryGiB is ${o.memoryGiB}; must be a whole number of GiB above 0`);
  if (!(o.cpu > 0)) throw new Error(`highMemoryPodSettings: cpu is ${o.cpu}; must be above 0`);
  const arenas = o.mallocArenaMax ?? 4;
  const capacity = o.capacity ?? "any";
  const quantity = { cpu: String(o.cpu), memory: `${o.memoryGiB}Gi` };
  const matchExpressions: k8s.core.v1.NodeSelectorRequirement[] = [{ key: "workload-type", operator: "In", values: [HIGH_MEMORY_LABELS["workload-type"]] }];
  if (capacity !== "any") matchExpressions.push({ key: "karpenter.sh/capacity-type", operator: "In", values: [capacity] });
  return {
    annotations: o.doNotDisrupt ? { "karpenter.sh/do-not-disrupt": "true" } : {},
    tolerations: [{ key: HIGH_MEMORY_TAINT.key, operator: "Equal", value: HIGH_MEMORY_TAINT.value, effect: HIGH_MEMORY_TAINT.effect }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } } },
    resources: { requests: quantity, limits: quantity },
    env: [
      { name: "MALLOC_ARENA_MAX", value: String(arenas) },
      // CPython's own allocator holds freed blocks in pools; the system malloc honours the arena cap.
      { name: "PYTHONMALLOC", value: "malloc" },
      { name: "OMP_NUM_THREADS", value: String(Math.max(1, Math.floor(o.cpu))) },
      // Go programs collect before they reach the container limit (90% of it).
      { name: "GOMEMLIMIT", value: `${Math.floor(o.memoryGiB * 1024 * 0.9)}MiB` },
    ],
  };
}

export interface MemoryAutoscalerOptions {
  readonly target: { readonly apiVersion: string; readonly kind: string; readonly name: string };
  readonly minReplicas: number;
  readonly maxReplicas: number;
  /**
   * Average memory use, as a percentage of the request, that the autoscaler keeps.
   * @default 80
   */
  readonly averageUtilization?: number;
}

/** A memory-based HorizontalPodAutoscaler spec: quick to double, slow and gradual to shrink. */
export function memoryAutoscalerSpec(o: MemoryAutoscalerOptions): k8s.autoscaling.v2.HorizontalPodAutoscalerSpec {
  const utilization = o.averageUtilization ?? 80;
  if (!(o.minReplicas >= 1 && o.maxReplicas >= o.minReplicas)) {
    throw new Error(`memoryAutoscalerSpec: replicas ${o.minReplicas}-${o.maxReplicas}; need 1 <= minReplicas <= maxReplicas`);
  }
  if (!(utilization > 0 && utilization <= 100)) throw new Error(`memoryAutoscalerSpec: averageUtilization is ${utilization}; must be 1-100`);
  return {
    scaleTargetRef: { ...o.target },
    minReplicas: o.minReplicas,
    maxReplicas: o.maxReplicas,
    metrics: [{ type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: utilization } } }],
    behavior: {
      scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: "Percent", value: 100, periodSeconds: 60 }] },
      // Memory falls slowly after load: wait five minutes, then remove at most half every two.
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 50, periodSeconds: 120 }] },
    },
  };
}
