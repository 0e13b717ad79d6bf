/**
 * Autoscaling objects for workloads: a memory-based HorizontalPodAutoscaler spec with the
 * platform's scaling behaviour, and a VerticalPodAutoscaler in recommendation-only mode.
 */
import type * as k8s from "@pulumi/kubernetes/types/input";
import type * as pulumi from "@pulumi/pulumi";

/** What an autoscaler acts on (autoscaling/v1 CrossVersionObjectReference). */
export interface ScaleTarget {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
}

export interface MemoryAutoscalerOptions {
  readonly target: ScaleTarget;
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
  if (!(Number.isInteger(o.minReplicas) && Number.isInteger(o.maxReplicas) && o.minReplicas >= 1 && o.maxReplicas >= o.minReplicas)) {
    throw new Error(`memoryAutoscalerSpec: replicas ${o.minReplicas}-${o.maxReplicas}; need whole numbers with 1 <= minReplicas <= maxReplicas`);
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

export interface VerticalPodAutoscalerOptions {
  /** Kubernetes name of the VerticalPodAutoscaler. */
  readonly name: string;
  readonly namespace: pulumi.Input<string>;
  readonly target: ScaleTarget;
  /**
   * Container the recommendations are for.
   * @default "*" (every container: the API's DefaultContainerResourcePolicy)
   */
  readonly containerName?: string;
  readonly labels?: Readonly<Record<string, string>>;
}

/** A VerticalPodAutoscaler object (autoscaling.k8s.io/v1), as the body of a CustomResource. */
export interface VerticalPodAutoscaler {
  readonly apiVersion: "autoscaling.k8s.io/v1";
  readonly kind: "VerticalPodAutoscaler";
  readonly metadata: { readonly name: string; readonly namespace: pulumi.Input<string>; readonly labels: Record<string, string> };
  readonly spec: {
    readonly targetRef: ScaleTarget;
    readonly updatePolicy: { readonly updateMode: "Off" };
    readonly resourcePolicy: {
      readonly containerPolicies: readonly { readonly containerName: string; readonly controlledResources: readonly ("cpu" | "memory")[] }[];
    };
  };
}

/**
 * A VerticalPodAutoscaler that only recommends: `updateMode: "Off"` ("autoscaler never changes Pod
 * resources. The recommender still sets the recommended resources in the VerticalPodAutoscaler
 * object"), for memory and CPU (`controlledResources`). Fields from kubernetes/autoscaler
 * vertical-pod-autoscaler-1.7.1 vertical-pod-autoscaler/pkg/apis/autoscaling.k8s.io/v1/types.go
 * (VerticalPodAutoscalerSpec targetRef/updatePolicy/resourcePolicy, UpdateModeOff,
 * ContainerResourcePolicy containerName/controlledResources, DefaultContainerResourcePolicy "*").
 * The platform runs the recommender only, so no other mode would act anyway.
 */
export function verticalPodAutoscaler(o: VerticalPodAutoscalerOptions): VerticalPodAutoscaler {
  if (!/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/.test(o.name) || o.name.length > 253)
    throw new Error(`verticalPodAutoscaler: name is ${JSON.stringify(o.name)}; must be a Kubernetes object name (lowercase letters, digits, '-', '.')`);
  if (!o.target.name || !o.target.kind || !o.target.apiVersion)
    throw new Error(`verticalPodAutoscaler: target is ${JSON.stringify(o.target)}; needs apiVersion, kind and name`);
  return {
    apiVersion: "autoscaling.k8s.io/v1",
    kind: "VerticalPodAutoscaler",
    metadata: { name: o.name, namespace: o.namespace, labels: { ...(o.labels ?? {}) } },
    spec: {
      targetRef: { apiVersion: o.target.apiVersion, kind: o.target.kind, name: o.target.name },
      updatePolicy: { updateMode: "Off" },
      resourcePolicy: { containerPolicies: [{ containerName: o.containerName ?? "*", controlledResources: ["cpu", "memory"] }] },
    },
  };
}
