import { Provider } from "@pulumi/kubernetes/provider";
import { describe, expect, it } from "vitest";
import { RedisCluster } from "../../components/redis/redis-cluster";
import { renderRedisConf, START_SCRIPT } from "../../components/redis/redis-config";
import { gp3Problem, minimumVolumeGiB } from "../../components/storage/gp3-limits";
import { StorageClasses } from "../../components/storage/storage-classes";
import { testMocks } from "../setup";
import { settled as settle } from "../support/pulumi";

const provider = new Provider("k8s-redis-test", { kubeconfig: "{}" });
const redisArgs = { namespace: "data", provider, memoryGiB: 8, storageGiB: 20, storageClassName: "gp3", knownStorageClasses: ["gp3", "gp3-high-iops"] };

describe("gp3 limits", () => {
  it.each([
    [3000, 125, undefined],
    [80000, 2000, undefined],
    [2999, 125, /outside gp3's 3000-80000/],
    [16000, 2001, /outside gp3's 125-2000 MiB\/s/],
    [3000, 1000, /needs at least 4000 IOPS/],
  ])("iops %i and %i MiB/s", (iops, throughput, expected) => {
    const problem = gp3Problem(iops, throughput);
    if (expected === undefined) expect(problem).toBeUndefined();
    else expect(problem).toMatch(expected);
  });

  it("needs 1 GiB per 500 IOPS", () => expect(minimumVolumeGiB(16000)).toBe(32));
});

describe("StorageClasses", () => {
  it("refuses gp3 settings outside its limits before declaring anything", async () => {
    const before = testMocks.registrations.length;
    expect(() => new StorageClasses("bad", { clusterName: "c", ebsCsiRoleName: "r", provider, highIops: 3000, highIopsThroughputMiBps: 1000 })).toThrow(
      /StorageClasses: argument "highIops\/highIopsThroughputMiBps" is \[3000,1000\]; throughput 1000 MiB\/s needs at least 4000 IOPS/,
    );
    await settle();
    expect(testMocks.registrations.length).toBe(before);
  });

  it("lets the EBS CSI driver use only the volume key, and grants only to AWS resources", async () => {
    new StorageClasses("sc", { clusterName: "c", ebsCsiRoleName: "c-aws-ebs-csi-driver", provider });
    await settle();
    const policy = JSON.parse(testMocks.registrations.find((r) => r.name === "sc-ebs-csi-kms")!.inputs["policy"] as string);
    const key = testMocks.registrations.find((r) => r.type === "aws:kms/key:Key" && r.name === "sc-volumes")!;
    expect(key.inputs).toMatchObject({ enableKeyRotation: true });
    expect(policy.Statement.every((s: { Resource: string }) => /^arn:aws:kms:us-west-2:123456789012:key\//.test(s.Resource))).toBe(true);
    expect(policy.Statement[1].Condition).toEqual({ Bool: { "kms:GrantIsForAWSResource": "true" } });
  });
});

describe("RedisCluster arguments", () => {
  it.each([
    [{ masters: 2 }, /argument "masters" is 2; must be a whole number of at least 3/],
    [{ storageClassName: "gp2" }, /argument "storageClassName" is "gp2"; must be a StorageClass of the cluster: gp3, gp3-high-iops/],
    [{ maxmemoryGiB: 9 }, /argument "maxmemoryGiB" is 9; must be above 0 and at most 75% of the 8 GiB container limit \(6 GiB\)/],
    [{ replicasPerMaster: 0 }, /argument "replicasPerMaster" is 0/],
    [{ storageGiB: 5 }, /argument "storageGiB" is 5; must be at least 10 GiB/],
    [{ nodeSelector: { "highmem.io/pool!": "stateful" } }, /argument "nodeSelector" is .*; key "highmem.io\/pool!" is not a label key/],
    [{ nodeSelector: { "highmem.io/pool": "state ful" } }, /argument "nodeSelector" is .*; value of "highmem.io\/pool" must be a label value/],
    [{ tolerations: [{ key: "", operator: "Exists" as const }] }, /argument "tolerations\[0\]" is .*; needs a key/],
    [{ tolerations: [{ key: "stateful", operator: "In" as "Equal" }] }, /argument "tolerations\[0\]" is .*; operator must be one of Equal, Exists/],
    [
      { tolerations: [{ key: "stateful", operator: "Exists" as const, value: "true" }] },
      /argument "tolerations\[0\]" is .*; value must be empty when operator is Exists/,
    ],
    [
      { tolerations: [{ key: "stateful", operator: "Equal" as const, value: "true", effect: "NoScheduleNoAdmit" as "NoSchedule" }] },
      /argument "tolerations\[0\]" is .*; effect must be one of NoSchedule, PreferNoSchedule, NoExecute/,
    ],
    [
      { resizeFromGiB: 30 },
      /argument "resizeFromGiB" is 30; volumes cannot shrink: the claims have 30 GiB and Kubernetes refuses a smaller request \(20 GiB\)/,
    ],
    [{ resizeFromGiB: 20 }, /argument "resizeFromGiB" is 20; is the size asked for \(20 GiB\): nothing to grow/],
    [{ resizeFromGiB: 0 }, /argument "resizeFromGiB" is 0; must be the whole number of GiB the volumes have now/],
  ])("refuses %o before declaring anything", async (override, message) => {
    const before = testMocks.registrations.length;
    expect(() => new RedisCluster("bad", { ...redisArgs, ...override })).toThrow(message);
    await settle();
    expect(testMocks.registrations.length).toBe(before);
  });

  it("derives maxmemory from the container limit with 40% headroom for fork copy-on-write", () => {
    const { conf, maxmemoryBytes } = renderRedisConf({ memoryLimitGiB: 32 });
    expect(maxmemoryBytes).toBe(Math.floor(32 * 1024 ** 3 * 0.6));
    for (const line of [
      "cluster-enabled yes",
      "cluster-config-file nodes.conf",
      "appendonly yes",
      "appendfsync everysec",
      "maxmemory-policy allkeys-lru",
      "protected-mode yes",
      `maxmemory ${maxmemoryBytes}`,
    ]) {
      expect(conf.split("\n")).toContain(line);
    }
  });

  it("announces each pod by its stable DNS name and lists every pod for the bootstrap", async () => {
    new RedisCluster("rc", { ...redisArgs, name: "cache" });
    await settle();
    const sts = testMocks.registrations.find((r) => r.name === "rc-sts")!.inputs as {
      spec: {
        template: { spec: { containers: { name: string; env: { name: string; value?: string }[]; securityContext: unknown }[]; securityContext: unknown } };
      };
    };
    const redis = sts.spec.template.spec.containers.find((c) => c.name === "redis")!;
    expect(redis.env.find((e) => e.name === "ANNOUNCE_HOSTNAME")!.value).toBe("$(POD_NAME).cache-headless.data.svc.cluster.local");
    expect(redis.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, runAsNonRoot: true });
    expect(sts.spec.template.spec.securityContext).toMatchObject({ seccompProfile: { type: "RuntimeDefault" } });
    const job = testMocks.registrations.find((r) => r.name === "rc-bootstrap")!.inputs as {
      spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
    };
    const nodes = job.spec.template.spec.containers[0]!.env.find((e) => e.name === "NODES")!.value!.split(" ");
    expect(nodes).toHaveLength(6);
    expect(nodes[5]).toBe("cache-5.cache-headless.data.svc.cluster.local:6379");
  });

  it("adds the node selector and tolerations to the Redis pods and the bootstrap Job, keeping on-demand capacity, one pod per node and zone spread", async () => {
    const nodeSelector = { "karpenter.sh/nodepool": "stateful" };
    const tolerations = [{ key: "highmem.io/stateful", operator: "Equal" as const, value: "true", effect: "NoSchedule" as const }];
    new RedisCluster("placed", { ...redisArgs, name: "placed", nodeSelector, tolerations });
    await settle();
    type PodSpec = {
      nodeSelector?: unknown;
      tolerations?: unknown;
      affinity?: { nodeAffinity: unknown; podAntiAffinity: unknown };
      topologySpreadConstraints?: { topologyKey: string }[];
    };
    const pod = (testMocks.registrations.find((r) => r.name === "placed-sts")!.inputs as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
    expect(pod.nodeSelector).toEqual(nodeSelector);
    expect(pod.tolerations).toEqual(tolerations);
    expect(JSON.stringify(pod.affinity!.nodeAffinity)).toContain('{"key":"karpenter.sh/capacity-type","operator":"In","values":["on-demand"]}');
    expect(JSON.stringify(pod.affinity!.podAntiAffinity)).toContain('"topologyKey":"kubernetes.io/hostname"');
    expect(pod.topologySpreadConstraints!.map((c) => c.topologyKey)).toEqual(["topology.kubernetes.io/zone"]);
    const job = (testMocks.registrations.find((r) => r.name === "placed-bootstrap")!.inputs as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
    expect(job.nodeSelector).toEqual(nodeSelector);
    expect(job.tolerations).toEqual(tolerations);
  });

  it("leaves placement out of the pod specs by default, and lets the Redis container find the image's getent on the image's PATH", async () => {
    new RedisCluster("plain", { ...redisArgs, name: "plain" });
    await settle();
    type PodSpec = { nodeSelector?: unknown; tolerations?: unknown; containers: { name: string; env: { name: string }[] }[] };
    const pod = (testMocks.registrations.find((r) => r.name === "plain-sts")!.inputs as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
    const job = (testMocks.registrations.find((r) => r.name === "plain-bootstrap")!.inputs as { spec: { template: { spec: PodSpec } } }).spec.template.spec;
    for (const spec of [pod, job]) {
      expect(spec).not.toHaveProperty("nodeSelector");
      expect(spec).not.toHaveProperty("tolerations");
    }
    expect(pod.containers.find((c) => c.name === "redis")!.env.map((e) => e.name)).not.toContain("PATH");
    expect(START_SCRIPT).toMatch(/^resolve\(\) \{ getent hosts "\$1" /m);
  });
});
