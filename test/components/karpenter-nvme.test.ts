import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { describe, expect, it } from "vitest";
import { INSTANCE_TYPES } from "../../components/karpenter/instance-types";
import { KarpenterNodePool, nodePoolProblems, ROOT_VOLUME } from "../../components/karpenter/karpenter-node-pool";
import { buildPool, poolDeclarationProblems, type PoolContext } from "../../components/karpenter/pool-kinds";
import { generalPool, highMemoryPool, NO_NVME_ROOT_THROUGHPUT_MIBPS, PoolSizingError, SPOT_TO_SPOT_MIN_TYPES } from "../../components/karpenter/pool-presets";
import { GP3 } from "../../components/storage/gp3-limits";
import { parsePoolEntry } from "../../stacks/config/resolve/karpenter";
import { TIER_DEFAULTS } from "../../stacks/config/tiers";
import { testMocks } from "../setup";
import { settled as settle } from "../support/pulumi";

const provider = new Provider("k8s-nvme-test", { kubeconfig: "{}" });
const options = (minLocalNvmeGiB = 0) => ({
  largestPodMemoryGiB: 100,
  architectures: ["amd64" as const],
  maxNodeMemoryGiB: 1024,
  region: "us-west-2",
  limits: { cpu: 96, memoryGiB: 768 },
  hugePagesGiB: 0,
  minLocalNvmeGiB,
});
const context: PoolContext = { largestPodMemoryGiB: 100, architectures: ["amd64"], maxNodeMemoryGiB: 1024, region: "us-west-2" };
const typesOf = (p: ReturnType<typeof highMemoryPool>) => p.requirements.find((r) => r.key === "node.kubernetes.io/instance-type")!.values ?? [];
const nvmeOf = (name: string) => INSTANCE_TYPES.find((t) => t.name === name)!.localNvmeGiB;

describe("instance types with local NVMe", () => {
  it("records the NVMe families with Karpenter's instance-local-nvme values, and none on the EBS-only types", () => {
    expect(nvmeOf("r5d.4xlarge")).toBe(600);
    expect(nvmeOf("r5ad.24xlarge")).toBe(3600);
    expect(nvmeOf("r6id.32xlarge")).toBe(7600);
    expect(nvmeOf("r7gd.16xlarge")).toBe(3800);
    expect(nvmeOf("x2idn.16xlarge")).toBe(1900);
    expect(nvmeOf("x2iedn.4xlarge")).toBe(475);
    expect(nvmeOf("r6i.12xlarge")).toBe(0);
    expect(INSTANCE_TYPES.find((t) => t.name === "r6id.4xlarge")!.onDemandUsdPerHour["us-west-2"]).toBe(1.2096);
  });
});

describe("high-memory pools and local NVMe", () => {
  it("without localNvmeGiB: RAID0 node class, no NVMe requirement, and a faster root volume (some types have no NVMe)", () => {
    const pool = highMemoryPool("spot", options());
    expect(pool.instanceStorePolicy).toBe("RAID0");
    expect(pool.requirements.some((r) => r.key === "karpenter.k8s.aws/instance-local-nvme")).toBe(false);
    expect(typesOf(pool)).toContain("r6i.4xlarge");
    expect(typesOf(pool)).toContain("r6id.4xlarge");
    expect(pool.rootVolumeThroughputMiBps).toBe(NO_NVME_ROOT_THROUGHPUT_MIBPS);
  });

  it("with localNvmeGiB: only types with that much NVMe, the Gt requirement, and the default root throughput", () => {
    const pool = highMemoryPool("spot", options(900));
    const types = typesOf(pool);
    expect(types.length).toBeGreaterThanOrEqual(SPOT_TO_SPOT_MIN_TYPES);
    for (const name of types) expect(nvmeOf(name)).toBeGreaterThanOrEqual(900);
    expect(types).not.toContain("r5d.4xlarge"); // 600 GiB
    expect(pool.requirements).toContainEqual({ key: "karpenter.k8s.aws/instance-local-nvme", operator: "Gt", values: ["899"] });
    expect(pool.rootVolumeThroughputMiBps).toBeUndefined();
    expect(pool.instanceStorePolicy).toBe("RAID0");
  });

  it("refuses a spot pool when too few NVMe types remain, naming the NVMe ask; on demand needs one", () => {
    expect(() => highMemoryPool("spot", options(1000))).toThrow(PoolSizingError);
    expect(() => highMemoryPool("spot", options(1000))).toThrow(/at least 1000 GiB local NVMe\) fit a 100 GiB pod; 15 are needed .*ask for less local NVMe/);
    expect(typesOf(highMemoryPool("on-demand", options(5000)))).toEqual(["r6id.24xlarge", "r6id.32xlarge"]);
    expect(() => highMemoryPool("on-demand", options(8000))).toThrow(/0 instance types/);
  });

  it("other kinds keep the plain root volume and no RAID0; localNvmeGiB is refused on them", () => {
    const general = generalPool({ architectures: ["amd64"], limits: { cpu: 10, memoryGiB: 40 } });
    expect(general.instanceStorePolicy).toBeUndefined();
    expect(general.rootVolumeThroughputMiBps).toBeUndefined();
    expect(poolDeclarationProblems({ name: "s", kind: "stateful", limits: { cpu: 8, memoryGiB: 64 }, minLocalNvmeGiB: 100 }, context)).toContainEqual(
      expect.stringMatching(/localNvmeGiB applies to high-memory kinds only/),
    );
  });

  it("the raised throughput is a valid gp3 setting at 3,000 IOPS; an impossible one is refused", () => {
    expect(NO_NVME_ROOT_THROUGHPUT_MIBPS).toBeLessThanOrEqual(ROOT_VOLUME.iops * GP3.maxThroughputPerIops);
    const pool = highMemoryPool("spot", options());
    expect(nodePoolProblems(pool)).toEqual([]);
    expect(nodePoolProblems({ ...pool, rootVolumeThroughputMiBps: 1000 })).toContainEqual(
      expect.objectContaining({ arg: "rootVolumeThroughputMiBps", message: expect.stringMatching(/needs at least 4000 IOPS/) }),
    );
  });
});

describe("the nodePools entry syntax", () => {
  it("reads localNvmeGiB=<n> into the declaration, which builds a pool with the requirement", () => {
    const parsed = parsePoolEntry("scratch=high-memory-spot,localNvmeGiB=900", TIER_DEFAULTS.dev);
    expect(parsed).toMatchObject({ declaration: { name: "scratch", kind: "high-memory-spot", minLocalNvmeGiB: 900 } });
    if (!("declaration" in parsed)) throw new Error("not parsed");
    expect(poolDeclarationProblems(parsed.declaration, context)).toEqual([]);
    expect(buildPool(parsed.declaration, context).requirements).toContainEqual(
      expect.objectContaining({ key: "karpenter.k8s.aws/instance-local-nvme", values: ["899"] }),
    );
    expect(parsePoolEntry("scratch=high-memory-spot,localNvmeGiB=lots", TIER_DEFAULTS.dev)).toEqual({ error: 'localNvmeGiB "lots" must be a whole number' });
  });
});

describe("the EC2NodeClass", () => {
  it("of a high-memory pool has instanceStorePolicy RAID0 and the raised root throughput; the general pool's has neither", async () => {
    const base = { clusterName: "demo", nodeRoleName: pulumi.output("demo-karpenter-node"), provider, kubernetesVersion: "1.33" };
    new KarpenterNodePool("nvme-hm", { ...highMemoryPool("spot", options()), ...base });
    new KarpenterNodePool("nvme-hm-only", { ...highMemoryPool("on-demand", { ...options(900), name: "nvme-only" }), ...base });
    new KarpenterNodePool("nvme-gp", { ...generalPool({ architectures: ["amd64"], limits: { cpu: 10, memoryGiB: 40 } }), ...base });
    await settle();
    const spec = (name: string) =>
      testMocks.registrations.find((r) => r.type === "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass" && r.name === name)!.inputs["spec"] as {
        instanceStorePolicy?: string;
        blockDeviceMappings: { ebs: { throughput: number; iops: number } }[];
      };
    expect(spec("nvme-hm-class").instanceStorePolicy).toBe("RAID0");
    expect(spec("nvme-hm-class").blockDeviceMappings[0]!.ebs).toMatchObject({ iops: 3000, throughput: 500 });
    expect(spec("nvme-hm-only-class").instanceStorePolicy).toBe("RAID0");
    expect(spec("nvme-hm-only-class").blockDeviceMappings[0]!.ebs.throughput).toBe(250);
    expect(spec("nvme-gp-class").instanceStorePolicy).toBeUndefined();
    expect(spec("nvme-gp-class").blockDeviceMappings[0]!.ebs.throughput).toBe(250);
  });
});
