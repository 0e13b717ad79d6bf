import { describe, expect, it } from "vitest";
import { highMemoryPodSettings, memoryAutoscalerSpec } from "../../components/helpers";

describe("high-memory workload helper", () => {
  const settings = highMemoryPodSettings({ memoryGiB: 200, cpu: 32, capacity: "on-demand", doNotDisrupt: true });

  it("gives Guaranteed QoS, the toleration, on-demand affinity, allocator settings and the do-not-disrupt annotation", () => {
    expect(settings.resources).toEqual({ requests: { cpu: "32", memory: "200Gi" }, limits: { cpu: "32", memory: "200Gi" } });
    expect(settings.tolerations).toEqual([{ key: "workload-type", operator: "Equal", value: "high-memory", effect: "NoSchedule" }]);
    expect(JSON.stringify(settings.affinity)).toContain('{"key":"karpenter.sh/capacity-type","operator":"In","values":["on-demand"]}');
    expect(Object.fromEntries(settings.env.map((e) => [e.name, e.value]))).toEqual({
      MALLOC_ARENA_MAX: "4",
      PYTHONMALLOC: "malloc",
      OMP_NUM_THREADS: "32",
      GOMEMLIMIT: "184320MiB",
    });
    expect(settings.annotations).toEqual({ "karpenter.sh/do-not-disrupt": "true" });
  });

  it("produces a pod that passes the Kubernetes Pod schema", async () => {
    const { Pod } = await import("kubernetes-models/v1/Pod");
    const pod = new Pod({
      metadata: { name: "job", annotations: settings.annotations },
      spec: {
        tolerations: settings.tolerations,
        affinity: settings.affinity,
        containers: [{ name: "main", image: "example.com/job:1.0.0", resources: settings.resources, env: settings.env }],
      },
    } as ConstructorParameters<typeof Pod>[0]);
    expect(() => pod.validate()).not.toThrow();
  });

  it("builds a memory HPA with the platform's behaviour that passes the autoscaling/v2 schema", async () => {
    const spec = memoryAutoscalerSpec({ target: { apiVersion: "apps/v1", kind: "Deployment", name: "job" }, minReplicas: 1, maxReplicas: 5 });
    expect(spec.metrics).toEqual([{ type: "Resource", resource: { name: "memory", target: { type: "Utilization", averageUtilization: 80 } } }]);
    expect(spec.behavior).toEqual({
      scaleUp: { stabilizationWindowSeconds: 60, policies: [{ type: "Percent", value: 100, periodSeconds: 60 }] },
      scaleDown: { stabilizationWindowSeconds: 300, policies: [{ type: "Percent", value: 50, periodSeconds: 120 }] },
    });
    const { HorizontalPodAutoscaler } = await import("kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler");
    expect(() =>
      new HorizontalPodAutoscaler({ metadata: { name: "job" }, spec } as ConstructorParameters<typeof HorizontalPodAutoscaler>[0]).validate(),
    ).not.toThrow();
  });

  it("refuses nonsense", () => {
    expect(() => highMemoryPodSettings({ memoryGiB: 0, cpu: 1 })).toThrow(/memoryGiB is 0/);
    expect(() => memoryAutoscalerSpec({ target: { apiVersion: "apps/v1", kind: "Deployment", name: "x" }, minReplicas: 3, maxReplicas: 2 })).toThrow(
      /replicas 3-2/,
    );
  });
});
