import { describe, expect, it } from "vitest";
import {
  defaultSharedMemoryGiB,
  highMemoryPodSettings,
  memoryAutoscalerSpec,
  verticalPodAutoscaler,
  type HighMemoryWorkloadOptions,
} from "../../components/helpers";
import { evaluate, RULES } from "../../policies/rules";
import { synthetic } from "../policies/fixture-support";

const envOf = (o: HighMemoryWorkloadOptions) => Object.fromEntries(highMemoryPodSettings(o).env.map((e) => [e.name, e.value]));
const gib = (q: unknown) => Number(/^(\d+)Gi$/.exec(String(q))?.[1]);

describe("high-memory workload helper", () => {
  const settings = highMemoryPodSettings({ memoryGiB: 200, cpu: 32, capacity: "on-demand", doNotDisrupt: true });

  it("gives Guaranteed QoS, the toleration, on-demand affinity, allocator settings and the do-not-disrupt annotation", () => {
    expect(settings.resources).toEqual({
      requests: { cpu: "32", memory: "200Gi", "ephemeral-storage": "2Gi" },
      limits: { cpu: "32", memory: "200Gi", "ephemeral-storage": "2Gi" },
    });
    expect(settings.tolerations).toEqual([{ key: "workload-type", operator: "Equal", value: "high-memory", effect: "NoSchedule" }]);
    expect(JSON.stringify(settings.affinity)).toContain('{"key":"karpenter.sh/capacity-type","operator":"In","values":["on-demand"]}');
    expect(settings.annotations).toEqual({ "karpenter.sh/do-not-disrupt": "true" });
  });

  it("mounts /dev/shm as a memory-backed emptyDir with a size limit inside the memory limit, and budgets the processes on the rest", () => {
    // 200 GiB, no framework: 5% is 10 GiB, capped at 8 GiB.
    expect(settings.volumes).toContainEqual({ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "8Gi" } });
    expect(settings.volumeMounts).toContainEqual({ name: "dshm", mountPath: "/dev/shm" });
    expect(settings.memoryBudget).toEqual({ limitGiB: 200, sharedMemoryGiB: 8, processGiB: 192 });
    expect(envOf({ memoryGiB: 200, cpu: 32 })).toEqual({
      MALLOC_ARENA_MAX: "4",
      PYTHONMALLOC: "malloc",
      OMP_NUM_THREADS: "32",
      GOMEMLIMIT: `${Math.floor(192 * 1024 * 0.9)}MiB`,
      HOME: "/tmp",
    });
    expect(envOf({ memoryGiB: 64, cpu: 8, sharedMemoryGiB: 16 })["GOMEMLIMIT"]).toBe(`${Math.floor(48 * 1024 * 0.9)}MiB`);
  });

  it.each([2, 3, 4, 7, 16, 33, 100, 250, 512, 1000, 2048])(
    "the default /dev/shm of a %i GiB pod fits beside the processes' minimum, with or without a framework",
    (memoryGiB) => {
      for (const framework of [undefined, "ray", "dask", "pytorch"] as const) {
        const s = highMemoryPodSettings({ memoryGiB, cpu: 1, ...(framework ? { framework } : {}) });
        const shm = gib((s.volumes.find((v) => v.name === "dshm") as { emptyDir: { sizeLimit: string } }).emptyDir.sizeLimit);
        expect(shm).toBe(defaultSharedMemoryGiB(memoryGiB, framework));
        expect(shm).toBeGreaterThanOrEqual(1);
        expect(s.memoryBudget.processGiB).toBeGreaterThanOrEqual(Math.max(1, memoryGiB / 4));
        expect(s.memoryBudget.sharedMemoryGiB + s.memoryBudget.processGiB).toBe(memoryGiB);
      }
    },
  );

  it("puts local NVMe scratch in an emptyDir with its size requested as ephemeral storage, beside /tmp and the logs", () => {
    const s = highMemoryPodSettings({ memoryGiB: 128, cpu: 16, scratch: { kind: "local-nvme", sizeGiB: 500 }, scratchPath: "/spill" });
    expect(s.volumes).toContainEqual({ name: "scratch", emptyDir: { sizeLimit: "500Gi" } });
    expect(s.volumes).toContainEqual({ name: "tmp", emptyDir: { sizeLimit: "1Gi" } });
    expect(s.volumeMounts).toContainEqual({ name: "scratch", mountPath: "/spill" });
    expect(s.resources.requests).toMatchObject({ "ephemeral-storage": "502Gi" });
    expect(s.resources.limits).toMatchObject({ "ephemeral-storage": "502Gi" });
  });

  it("puts EBS scratch on a generic ephemeral volume of gp3-high-iops (or the class asked for), not on node storage", () => {
    const s = highMemoryPodSettings({ memoryGiB: 128, cpu: 16, scratch: { kind: "ebs", sizeGiB: 1024 } });
    expect(s.volumes.find((v) => v.name === "scratch")).toEqual({
      name: "scratch",
      ephemeral: {
        volumeClaimTemplate: {
          metadata: { labels: {} },
          spec: { accessModes: ["ReadWriteOnce"], storageClassName: "gp3-high-iops", resources: { requests: { storage: "1024Gi" } } },
        },
      },
    });
    expect(s.volumeMounts).toContainEqual({ name: "scratch", mountPath: "/scratch" });
    expect(s.resources.requests).toMatchObject({ "ephemeral-storage": "2Gi" });
    const other = highMemoryPodSettings({ memoryGiB: 128, cpu: 16, scratch: { kind: "ebs", sizeGiB: 10, storageClassName: "gp3" } });
    expect(JSON.stringify(other.volumes)).toContain('"storageClassName":"gp3"');
  });

  it("binds Ray's object store to /dev/shm (30% of memory by default) and its temporary directory to scratch", () => {
    const s = highMemoryPodSettings({ memoryGiB: 200, cpu: 32, framework: "ray", scratch: { kind: "local-nvme", sizeGiB: 100 } });
    expect(s.memoryBudget.sharedMemoryGiB).toBe(60);
    expect(envOf({ memoryGiB: 200, cpu: 32, framework: "ray", scratch: { kind: "local-nvme", sizeGiB: 100 } })["RAY_TMPDIR"]).toBe("/scratch");
    const bytes = Number(/^--object-store-memory=(\d+)$/.exec(s.frameworkArgs[0]!)?.[1]);
    expect(bytes).toBeGreaterThan(0);
    expect(bytes).toBeLessThanOrEqual(60 * 1024 ** 3);
    expect(envOf({ memoryGiB: 200, cpu: 32, framework: "ray" })["RAY_TMPDIR"]).toBe("/tmp");
  });

  it("scales Dask's memory fractions to what the worker may use beside /dev/shm, and points its temporary directory at scratch", () => {
    const env = envOf({ memoryGiB: 100, cpu: 16, framework: "dask", sharedMemoryGiB: 20, scratch: { kind: "ebs", sizeGiB: 200 } });
    expect(env).toMatchObject({
      DASK_TEMPORARY_DIRECTORY: "/scratch",
      DASK_DISTRIBUTED__WORKER__MEMORY__TARGET: "0.480",
      DASK_DISTRIBUTED__WORKER__MEMORY__SPILL: "0.560",
      DASK_DISTRIBUTED__WORKER__MEMORY__PAUSE: "0.640",
      DASK_DISTRIBUTED__WORKER__MEMORY__TERMINATE: "0.760",
    });
    // Terminate (a fraction of the cgroup limit) comes before the processes reach what /dev/shm leaves them.
    expect(Number(env["DASK_DISTRIBUTED__WORKER__MEMORY__TERMINATE"]) * 100).toBeLessThan(100 - 20);
    expect(Object.keys(envOf({ memoryGiB: 100, cpu: 16, framework: "pytorch" })).filter((k) => /^(RAY|DASK)_/.test(k))).toEqual([]);
  });

  it("satisfies restricted Pod Security: non-root, RuntimeDefault seccomp, no escalation, no capabilities, read-only root with /tmp writable", () => {
    expect(settings.podSecurityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } });
    expect(settings.containerSecurityContext).toEqual({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ["ALL"] },
      seccompProfile: { type: "RuntimeDefault" },
    });
    expect(settings.volumeMounts).toContainEqual({ name: "tmp", mountPath: "/tmp" });
  });

  it("produces a pod that passes the Kubernetes Pod schema and every workload rule of the policy pack", async () => {
    const s = highMemoryPodSettings({ memoryGiB: 64, cpu: 8, framework: "dask", scratch: { kind: "ebs", sizeGiB: 100 } });
    const spec = {
      // A data pod calls no Kubernetes API (policy k8s-no-unneeded-token); the settings carry no pod-level token field.
      automountServiceAccountToken: false,
      securityContext: s.podSecurityContext,
      tolerations: s.tolerations,
      affinity: s.affinity,
      containers: [
        {
          name: "main",
          image: "example.com/job:1.0.0",
          resources: s.resources,
          env: s.env,
          volumeMounts: s.volumeMounts,
          securityContext: s.containerSecurityContext,
        },
      ],
      volumes: s.volumes,
    };
    const { Pod } = await import("kubernetes-models/v1/Pod");
    expect(() => new Pod({ metadata: { name: "job", annotations: s.annotations }, spec } as ConstructorParameters<typeof Pod>[0]).validate()).not.toThrow();
    const job = synthetic("kubernetes:batch/v1:Job", "job", { metadata: { name: "job", namespace: "team-a" }, spec: { template: { spec } } });
    // The team's own registry, added to the stack's allowed list (config imageRegistries).
    expect(evaluate([job], RULES, { imageRegistries: ["example.com"] })).toEqual([]);
  });

  it("refuses options that cannot make a pod, naming the option, the value and what is allowed", () => {
    const base = { memoryGiB: 64, cpu: 8 };
    expect(() => highMemoryPodSettings({ memoryGiB: 0, cpu: 1 })).toThrow(/memoryGiB is 0; must be a whole number of GiB, at least 2/);
    expect(() => highMemoryPodSettings({ ...base, sharedMemoryGiB: 60 })).toThrow(
      /sharedMemoryGiB is 60; with 16 GiB for the processes it must fit in the 64 GiB memory limit \(\/dev\/shm counts against it\): at most 48 GiB/,
    );
    expect(() => highMemoryPodSettings({ ...base, sharedMemoryGiB: 8, minimumProcessMemoryGiB: 60 })).toThrow(/sharedMemoryGiB is 8; with 60 GiB/);
    expect(() => highMemoryPodSettings({ ...base, sharedMemoryGiB: 0.5 })).toThrow(/sharedMemoryGiB is 0.5; must be a whole number/);
    expect(() => highMemoryPodSettings({ ...base, scratch: { kind: "local-nvme", sizeGiB: 0 } })).toThrow(/scratch.sizeGiB is 0/);
    expect(() => highMemoryPodSettings({ ...base, scratchPath: "/tmp" })).toThrow(/scratchPath is "\/tmp"; must be an absolute path/);
    expect(() => highMemoryPodSettings({ ...base, scratchPath: "scratch" })).toThrow(/scratchPath is "scratch"/);
    expect(() => highMemoryPodSettings({ ...base, runAsUser: 0 })).toThrow(/runAsUser is 0; .*forbids root/);
    expect(() => highMemoryPodSettings({ ...base, framework: "spark" as "ray" })).toThrow(/framework is "spark"; must be one of ray, dask, pytorch/);
  });
});

describe("autoscaling helpers", () => {
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
    expect(() => memoryAutoscalerSpec({ target: { apiVersion: "apps/v1", kind: "Deployment", name: "x" }, minReplicas: 3, maxReplicas: 2 })).toThrow(
      /replicas 3-2/,
    );
  });

  it("builds a VerticalPodAutoscaler that only recommends memory and CPU for its target", () => {
    const vpa = verticalPodAutoscaler({ name: "train", namespace: "team-a", target: { apiVersion: "apps/v1", kind: "StatefulSet", name: "train" } });
    expect(vpa).toEqual({
      apiVersion: "autoscaling.k8s.io/v1",
      kind: "VerticalPodAutoscaler",
      metadata: { name: "train", namespace: "team-a", labels: {} },
      spec: {
        targetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "train" },
        updatePolicy: { updateMode: "Off" },
        resourcePolicy: { containerPolicies: [{ containerName: "*", controlledResources: ["cpu", "memory"] }] },
      },
    });
    expect(() => verticalPodAutoscaler({ name: "Train", namespace: "a", target: { apiVersion: "apps/v1", kind: "StatefulSet", name: "t" } })).toThrow(
      /name is "Train"/,
    );
    expect(() => verticalPodAutoscaler({ name: "t", namespace: "a", target: { apiVersion: "apps/v1", kind: "StatefulSet", name: "" } })).toThrow(/target is/);
  });
});
