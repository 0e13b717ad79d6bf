import { Provider } from "@pulumi/kubernetes/provider";
import { describe, expect, it } from "vitest";
import { HIGH_MEMORY_WORKLOAD_IMAGE, HighMemoryWorkload, type HighMemoryWorkloadArgs } from "../../components";
import { highMemoryPool, placementOn } from "../../components/helpers";
import { evaluate, RULES } from "../../policies/rules";
import type { RuleResource } from "../../policies/rules/types";
import { testMocks } from "../setup";
import { settled } from "../support/pulumi";

const provider = new Provider("k8s-workload-test", { kubeconfig: "{}" });
const base: HighMemoryWorkloadArgs = { namespace: "team-a", provider, serviceAccountName: "team-a-data", memoryGiB: 64, cpu: 8 };

type Spec = Record<string, unknown>;
const declared = async (name: string) => {
  await settled();
  return testMocks.registrations.filter((r) => r.name.startsWith(`${name}-`) && r.type.startsWith("kubernetes:"));
};
const asRuleResources = (rs: Awaited<ReturnType<typeof declared>>): RuleResource[] =>
  rs.map((r) => ({
    urn: `urn:pulumi:test::highmem-platform::${r.type}::${r.name}`,
    type: r.type,
    name: r.name,
    inputs: r.inputs,
    protect: false,
    deleteBeforeReplace: false,
  }));
const podOf = (r: { inputs: Record<string, unknown> }) => (r.inputs["spec"] as { template: { spec: Spec } }).template.spec;

describe("HighMemoryWorkload", () => {
  it("declares a StatefulSet with /dev/shm, scratch, the data claim read-only, restricted security, a NetworkPolicy and an Off-mode VPA", async () => {
    new HighMemoryWorkload("ref", {
      ...base,
      replicas: 2,
      framework: "ray",
      scratch: { kind: "local-nvme", sizeGiB: 200 },
      readOnlyClaims: [{ claimName: "team-a-data", mountPath: "/data" }],
    });
    const rs = await declared("ref");
    expect(rs.map((r) => r.type).sort()).toEqual([
      "kubernetes:apps/v1:StatefulSet",
      "kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler",
      "kubernetes:core/v1:Service",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
      "kubernetes:policy/v1:PodDisruptionBudget",
    ]);
    const sts = rs.find((r) => r.type === "kubernetes:apps/v1:StatefulSet")!;
    const pod = podOf(sts) as {
      serviceAccountName: string;
      containers: { image: string; command: string[]; resources: unknown; volumeMounts: unknown[]; env: { name: string; value: string }[] }[];
      volumes: unknown[];
    };
    expect(pod.serviceAccountName).toBe("team-a-data");
    expect(pod.containers[0]!.image).toBe(HIGH_MEMORY_WORKLOAD_IMAGE);
    // Ray: 30% of 64 GiB in /dev/shm, inside the 64 GiB limit.
    expect(pod.volumes).toContainEqual({ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "19Gi" } });
    expect(pod.volumes).toContainEqual({ name: "claim-0", persistentVolumeClaim: { claimName: "team-a-data", readOnly: true } });
    expect(pod.containers[0]!.volumeMounts).toContainEqual({ name: "claim-0", mountPath: "/data", readOnly: true });
    expect(pod.containers[0]!.resources).toEqual({
      requests: { cpu: "8", memory: "64Gi", "ephemeral-storage": "202Gi" },
      limits: { cpu: "8", memory: "64Gi", "ephemeral-storage": "202Gi" },
    });
    expect(pod.containers[0]!.env).toContainEqual({ name: "RAY_TMPDIR", value: "/scratch" });
    // The reference program reports every mount it has.
    // Every mount is reported; the claim is listed and read after --read.
    expect(pod.containers[0]!.command.slice(-5)).toEqual(["/dev/shm", "/tmp", "/scratch", "--read", "/data"]);
    const vpa = rs.find((r) => r.type.endsWith(":VerticalPodAutoscaler"))!;
    expect(vpa.inputs["spec"]).toEqual({
      targetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "ref" },
      updatePolicy: { updateMode: "Off" },
      resourcePolicy: { containerPolicies: [{ containerName: "main", controlledResources: ["cpu", "memory"] }] },
    });
    const { StatefulSet } = await import("kubernetes-models/apps/v1/StatefulSet");
    expect(() => new StatefulSet(sts.inputs as ConstructorParameters<typeof StatefulSet>[0]).validate()).not.toThrow();
  });

  it("passes Ray's object store size to a command of the caller's own, after its arguments", async () => {
    new HighMemoryWorkload("ray", { ...base, framework: "ray", image: "example.com/ray:1.0.0", command: ["ray", "start", "--block"], args: ["--num-cpus=8"] });
    const sts = (await declared("ray")).find((r) => r.type === "kubernetes:apps/v1:StatefulSet")!;
    const c = (podOf(sts) as { containers: { command: string[]; args: string[] }[] }).containers[0]!;
    expect(c.command).toEqual(["ray", "start", "--block"]);
    expect(c.args).toEqual(["--num-cpus=8", `--object-store-memory=${Math.floor(19 * 1024 ** 3 * 0.9)}`]);
  });

  it("declares objects that pass their Kubernetes schemas", async () => {
    new HighMemoryWorkload("schema", { ...base, replicas: 2, scratch: { kind: "ebs", sizeGiB: 100 }, memoryAutoscaling: { minReplicas: 2, maxReplicas: 4 } });
    new HighMemoryWorkload("schemajob", { ...base, kind: "Job" });
    const rs = [...(await declared("schema")), ...(await declared("schemajob"))];
    const models: Record<string, () => Promise<{ new (data: never): { validate(): void } }>> = {
      "kubernetes:apps/v1:StatefulSet": async () => (await import("kubernetes-models/apps/v1/StatefulSet")).StatefulSet,
      "kubernetes:batch/v1:Job": async () => (await import("kubernetes-models/batch/v1/Job")).Job,
      "kubernetes:core/v1:Service": async () => (await import("kubernetes-models/v1/Service")).Service,
      "kubernetes:networking.k8s.io/v1:NetworkPolicy": async () => (await import("kubernetes-models/networking.k8s.io/v1/NetworkPolicy")).NetworkPolicy,
      "kubernetes:policy/v1:PodDisruptionBudget": async () => (await import("kubernetes-models/policy/v1/PodDisruptionBudget")).PodDisruptionBudget,
      "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": async () =>
        (await import("kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler")).HorizontalPodAutoscaler,
    };
    const checked = rs.filter((r) => models[r.type]);
    // Everything but the VerticalPodAutoscalers (their schema comes with the VPA chart's mapping in tools/preview/kubernetes-schemas.ts).
    expect(rs.filter((r) => !models[r.type]).map((r) => r.type)).toEqual(Array(2).fill("kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler"));
    for (const r of checked) {
      const Model = await models[r.type]!();
      expect(() => new Model(r.inputs as never).validate(), r.name).not.toThrow();
    }
  });

  it("passes every rule of the policy pack, advisory ones included", async () => {
    new HighMemoryWorkload("pp", { ...base, replicas: 3, scratch: { kind: "ebs", sizeGiB: 500 }, framework: "dask" });
    new HighMemoryWorkload("pj", { ...base, kind: "Job", sharedMemoryGiB: 16, readOnlyClaims: [{ claimName: "data", mountPath: "/data" }] });
    const rs = [...(await declared("pp")), ...(await declared("pj"))];
    expect(evaluate(asRuleResources(rs), RULES)).toEqual([]);
  });

  it("lets the policy pack refuse the same pod with /dev/shm as large as its memory limit", async () => {
    new HighMemoryWorkload("big", base);
    const rs = await declared("big");
    const sts = rs.find((r) => r.type === "kubernetes:apps/v1:StatefulSet")!;
    const pod = podOf(sts) as { volumes: { name: string; emptyDir?: { sizeLimit: string } }[] };
    pod.volumes.find((v) => v.name === "dshm")!.emptyDir!.sizeLimit = "64Gi";
    const findings = evaluate(asRuleResources(rs), RULES);
    expect(findings.map((f) => [f.policy, f.enforcementLevel, f.urn?.split("::").pop()])).toEqual([["k8s-memory-volumes-bounded", "mandatory", "big-sts"]]);
  });

  it("declares a Job, an HPA only when asked, no PDB for one pod, and no VPA when turned off", async () => {
    new HighMemoryWorkload("job", { ...base, kind: "Job", replicas: 2, verticalPodAutoscaler: false });
    new HighMemoryWorkload("hpa", { ...base, memoryAutoscaling: { minReplicas: 2, maxReplicas: 6 } });
    const job = await declared("job");
    expect(job.map((r) => r.type).sort()).toEqual(["kubernetes:batch/v1:Job", "kubernetes:networking.k8s.io/v1:NetworkPolicy"]);
    const j = job.find((r) => r.type === "kubernetes:batch/v1:Job")!;
    expect(j.inputs["spec"]).toMatchObject({ completions: 2, parallelism: 2, template: { spec: { restartPolicy: "Never" } } });
    const hpa = await declared("hpa");
    expect(hpa.find((r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler")?.inputs["spec"]).toMatchObject({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "hpa" },
      minReplicas: 2,
      maxReplicas: 6,
    });
    expect(hpa.some((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget")).toBe(true);
  });

  it("lands on exactly the pool it is placed on, keeping the high-memory toleration once", async () => {
    const pool = highMemoryPool("on-demand", {
      largestPodMemoryGiB: 64,
      architectures: ["amd64"],
      maxNodeMemoryGiB: 1024,
      region: "us-west-2",
      limits: { cpu: 1000, memoryGiB: 8192 },
      hugePagesGiB: 0,
    });
    new HighMemoryWorkload("placed", { ...base, placement: placementOn(pool) });
    const sts = (await declared("placed")).find((r) => r.type === "kubernetes:apps/v1:StatefulSet")!;
    const pod = podOf(sts) as { nodeSelector: unknown; tolerations: unknown[] };
    expect(pod.nodeSelector).toEqual({ "karpenter.sh/nodepool": "high-memory-on-demand" });
    expect(pod.tolerations).toEqual([{ key: "workload-type", operator: "Equal", value: "high-memory", effect: "NoSchedule" }]);
  });

  it.each([
    [{ sharedMemoryGiB: 60 }, /HighMemoryWorkload: argument "sharedMemoryGiB" is 60; with 16 GiB for the processes it must fit in the 64 GiB memory limit/],
    [{ memoryGiB: 1 }, /argument "memoryGiB" is 1; must be a whole number of GiB, at least 2/],
    [{ image: "python:latest" }, /argument "image" is "python:latest"; must be pinned/],
    [{ image: "python" }, /argument "image" is "python"; must be pinned/],
    [{ kind: "Deployment" as "Job" }, /argument "kind" is "Deployment"/],
    [{ replicas: 0 }, /argument "replicas" is 0/],
    [{ name: "Ref_1" }, /argument "name" is "Ref_1"; must be a DNS label/],
    [{ serviceAccountName: "" }, /argument "serviceAccountName" is ""/],
    [{ readOnlyClaims: [{ claimName: "d", mountPath: "/tmp/data" }] }, /argument "readOnlyClaims\[0\].mountPath" is "\/tmp\/data"; must not overlap/],
    [{ readOnlyClaims: [{ claimName: "d", mountPath: "data" }] }, /argument "readOnlyClaims\[0\].mountPath" is "data"; must be an absolute path/],
    [
      {
        readOnlyClaims: [
          { claimName: "a", mountPath: "/data" },
          { claimName: "b", mountPath: "/data" },
        ],
      },
      /argument "readOnlyClaims\[1\].mountPath" is "\/data"; must differ/,
    ],
    [{ kind: "Job" as const, memoryAutoscaling: { minReplicas: 1, maxReplicas: 2 } }, /argument "memoryAutoscaling" is .*StatefulSet only/],
    [{ memoryAutoscaling: { minReplicas: 3, maxReplicas: 2 } }, /argument "memoryAutoscaling" is .*1 <= minReplicas <= maxReplicas/],
    [{ scratchPath: "/dev/shm" }, /argument "scratchPath" is "\/dev\/shm"/],
  ])("refuses %o before declaring anything", async (override, message) => {
    const before = testMocks.registrations.length;
    expect(() => new HighMemoryWorkload("bad", { ...base, ...override })).toThrow(message);
    await settled();
    expect(testMocks.registrations.length).toBe(before);
  });
});
