/**
 * The component package's Construct under Pulumi runtime mocks: the provider run-plugin builds for
 * provider/ constructs each component from inputs and options as the engine's Construct call passes
 * them (@pulumi/pulumi 3.270.0 provider/server.js `construct`: deserialized inputs, `providers` keyed
 * by package), and the real components declare their children on the given Kubernetes provider.
 */
import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { describe, expect, it } from "vitest";
import { componentProvider } from "../../tools/provider-schema";
import { testMocks } from "../setup";

const settle = () => new Promise((r) => setTimeout(r, 200));
const provider = componentProvider();
const k8s = new Provider("k8s-package-test", { kubeconfig: "{}" });
/** An output's value, once known (Output.promise is internal to the SDK). */
const valueOf = <T>(o: pulumi.Input<T>): Promise<T> => new Promise((resolve) => pulumi.output(o).apply((v) => resolve(v as T)));
const providerRef = async () => `${await valueOf(k8s.urn)}::${await valueOf(k8s.id)}`;

/** The outputs Construct returns, resolved. */
async function resolved(state: pulumi.Inputs): Promise<Record<string, unknown>> {
  const entries = await Promise.all(Object.entries(state).map(async ([k, v]) => [k, await valueOf<unknown>(v)] as const));
  return Object.fromEntries(entries);
}

describe("Construct: RedisClusterComponent", () => {
  it("declares the Redis Cluster's StatefulSet, Services and the rest on the Kubernetes provider it was given", async () => {
    const before = testMocks.registrations.length;
    const result = await provider.construct(
      "cache",
      "highmem:index:RedisClusterComponent",
      {
        namespace: "data",
        memoryGiB: 8,
        storageGiB: 20,
        storageClassName: "gp3",
        knownStorageClasses: ["gp3"],
        masters: 3,
        replicasPerMaster: 1,
        maxmemoryPolicy: "allkeys-lfu",
        nodeSelector: { "karpenter.sh/nodepool": "stateful" },
        tolerations: [{ key: "workload-type", operator: "Equal", value: "stateful", effect: "NoSchedule" }],
      },
      { providers: { kubernetes: k8s } },
    );
    await settle();
    expect(await valueOf(result.urn)).toBe("urn:pulumi:test::highmem-platform::highmem:index:RedisClusterComponent::cache");
    const declared = testMocks.registrations.slice(before);
    expect(declared.map((r) => r.type)).toEqual(
      expect.arrayContaining([
        "highmem:index:RedisClusterComponent",
        "highmem:redis:RedisCluster",
        "kubernetes:apps/v1:StatefulSet",
        "kubernetes:core/v1:Service",
      ]),
    );
    const ref = await providerRef();
    const kubernetesObjects = declared.filter((r) => r.type.startsWith("kubernetes:"));
    expect(kubernetesObjects.length).toBeGreaterThanOrEqual(8);
    expect(kubernetesObjects.every((r) => r.provider === ref)).toBe(true);
    const services = declared.filter((r) => r.type === "kubernetes:core/v1:Service").map((r) => (r.inputs["metadata"] as { name: string }).name);
    expect(services.sort()).toEqual(["redis", "redis-headless"]);
    const sts = declared.find((r) => r.type === "kubernetes:apps/v1:StatefulSet");
    expect(sts?.inputs).toMatchObject({
      metadata: { namespace: "data" },
      spec: { replicas: 6, template: { spec: { nodeSelector: { "karpenter.sh/nodepool": "stateful" } } } },
    });
    expect(await resolved(result.state)).toEqual({
      serviceName: "redis",
      headlessServiceName: "redis-headless",
      passwordSecretName: "redis-auth",
      maxmemoryBytes: Math.floor(8 * 1024 ** 3 * 0.6),
    });
  });

  it("refuses to run without a Kubernetes provider, and passes the component's own validation through", async () => {
    const inputs = { namespace: "data", memoryGiB: 8, storageGiB: 20, storageClassName: "gp3", knownStorageClasses: ["gp3"] };
    await expect(provider.construct("no-k8s", "highmem:index:RedisClusterComponent", inputs, {})).rejects.toThrow(
      /RedisClusterComponent: needs a Kubernetes provider in its resource options/,
    );
    await expect(
      provider.construct("two-masters", "highmem:index:RedisClusterComponent", { ...inputs, masters: 2 }, { providers: { kubernetes: k8s } }),
    ).rejects.toThrow(/RedisCluster: argument "masters" is 2/);
  });
});

describe("Construct: KarpenterNodePoolComponent", () => {
  const common = { clusterName: "highmem-dev", kubernetesVersion: "1.33", architectures: ["amd64"], limits: { cpu: 1000, memoryGiB: 8000 } };

  it("declares a sized high-memory NodePool and its EC2NodeClass, with the node role as an Output", async () => {
    const before = testMocks.registrations.length;
    const result = await provider.construct(
      "spot",
      "highmem:index:KarpenterNodePoolComponent",
      {
        ...common,
        preset: "high-memory-spot",
        nodeRoleName: pulumi.output("highmem-dev-karpenter-node"),
        highMemory: { largestPodMemoryGiB: 200, maxNodeMemoryGiB: 1024, region: "us-west-2", hugePagesGiB: 0 },
        tags: { team: "data" },
      },
      { providers: { kubernetes: k8s } },
    );
    await settle();
    const declared = testMocks.registrations.slice(before);
    const pool = declared.find((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool");
    const nodeClass = declared.find((r) => r.type === "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass");
    expect(pool?.inputs).toMatchObject({ metadata: { name: "high-memory-spot" }, spec: { weight: 100, limits: { cpu: "1000", memory: "8000Gi" } } });
    expect(nodeClass?.inputs).toMatchObject({ metadata: { name: "high-memory-spot" }, spec: { role: "highmem-dev-karpenter-node", tags: { team: "data" } } });
    const ref = await providerRef();
    expect([pool?.provider, nodeClass?.provider]).toEqual([ref, ref]);
    const state = await resolved(result.state);
    expect(state["poolName"]).toBe("high-memory-spot");
    expect((state["instanceTypes"] as string[]).length).toBeGreaterThanOrEqual(15);
  });

  it.each([
    [{ preset: "stateful", nodeRoleName: "r" }, undefined],
    [{ preset: "high-memory-on-demand", nodeRoleName: "r" }, /argument "highMemory" is null; is required by preset high-memory-on-demand/],
    [
      { preset: "general", nodeRoleName: "r", highMemory: { largestPodMemoryGiB: 100, maxNodeMemoryGiB: 512, region: "us-west-2", hugePagesGiB: 0 } },
      /applies to the high-memory presets only/,
    ],
    [{ preset: "gpu", nodeRoleName: "r" }, /argument "preset" is "gpu"; must be one of general, stateful/],
    [{ preset: "general", nodeRoleName: "r", architectures: ["s390x"] }, /argument "architectures" is \["s390x"\]/],
  ])("%o", async (override, message) => {
    const run = provider.construct(
      `pool-${String(override.preset)}-${testMocks.registrations.length}`,
      "highmem:index:KarpenterNodePoolComponent",
      { ...common, ...override },
      { providers: { kubernetes: k8s } },
    );
    if (message === undefined) expect((await resolved((await run).state))["poolName"]).toBe("stateful");
    else await expect(run).rejects.toThrow(message);
  });
});
