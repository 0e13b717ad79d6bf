import { describe, expect, it } from "vitest";
import { allocatableForPodsMiB, qualifyingTypes } from "../../components/karpenter/capacity";
import { INSTANCE_TYPES } from "../../components/karpenter/instance-types";
import { DAEMONSET_MEMORY_MIB, highMemoryPool, PoolSizingError, SPOT_TO_SPOT_MIN_TYPES } from "../../components/karpenter/pool-presets";

const base = { maxNodeMemoryGiB: 1024, region: "us-west-2", daemonsetMiB: DAEMONSET_MEMORY_MIB };
const names = (pod: number, architectures: ("amd64" | "arm64")[], hugePagesGiB = 0) =>
  qualifyingTypes({ ...base, podMemoryGiB: pod, architectures, hugePagesGiB }).map((t) => t.name);
const pool = (pod: number, architectures: ("amd64" | "arm64")[] = ["amd64"], extra: { maxNodeMemoryGiB?: number; hugePagesGiB?: number } = {}) => ({
  largestPodMemoryGiB: pod,
  architectures,
  maxNodeMemoryGiB: extra.maxNodeMemoryGiB ?? 1024,
  region: "us-west-2",
  limits: { cpu: 100, memoryGiB: 4096 },
  hugePagesGiB: extra.hugePagesGiB ?? 0,
});

describe("what a pod can request on a node", () => {
  it("is well below the node's memory: a 256 GiB node leaves 231.8 GiB", () => {
    // 262144 MiB × 0.925 = 242483; less 1536 + 1024 + 1024 reserved and 1536 daemonsets.
    expect(allocatableForPodsMiB({ memoryGiB: 256 }, { daemonsetMiB: DAEMONSET_MEMORY_MIB })).toBe(237363);
  });

  it("loses reserved huge pages", () => {
    const without = allocatableForPodsMiB({ memoryGiB: 384 }, { daemonsetMiB: 0 });
    expect(allocatableForPodsMiB({ memoryGiB: 384 }, { daemonsetMiB: 0, hugePagesGiB: 64 })).toBe(without - 64 * 1024);
  });
});

describe("instance types that qualify for a pod", () => {
  it("250 GiB: a 256 GiB node does not fit, a 384 GiB one does", () => {
    const fit = names(250, ["amd64"]);
    expect(fit).not.toContain("r5.8xlarge");
    expect(fit).not.toContain("r7i.8xlarge");
    expect(fit).toContain("r5.12xlarge");
    expect(Math.min(...INSTANCE_TYPES.filter((t) => fit.includes(t.name)).map((t) => t.memoryGiB))).toBe(384);
  });

  it("200 GiB fits 256 GiB nodes; 100 GiB fits 128 GiB nodes but nothing smaller is in the table", () => {
    expect(names(200, ["amd64"])).toContain("r6i.8xlarge");
    expect(names(200, ["amd64"])).not.toContain("r6i.4xlarge");
    expect(names(100, ["amd64"])).toContain("r6i.4xlarge");
  });

  it.each([100, 200, 250])("%i GiB: at least 15 amd64 types, more with arm64, and arm64 types only when allowed", (pod) => {
    const amd = names(pod, ["amd64"]);
    const both = names(pod, ["amd64", "arm64"]);
    expect(amd.length).toBeGreaterThanOrEqual(SPOT_TO_SPOT_MIN_TYPES);
    expect(both.length).toBeGreaterThan(amd.length);
    expect(amd.some((n) => /^(r6g|r7g|r8g|x2gd)\./.test(n))).toBe(false);
    expect(both.some((n) => /^(r6g|r7g|r8g|x2gd)\./.test(n))).toBe(true);
  });

  it("qualifies the same types in a region the price table does not cover (prices only rank them)", () => {
    const west = qualifyingTypes({ ...base, podMemoryGiB: 250, architectures: ["amd64"] })
      .map((t) => t.name)
      .sort();
    const frankfurt = qualifyingTypes({ ...base, region: "eu-central-1", podMemoryGiB: 250, architectures: ["amd64"] })
      .map((t) => t.name)
      .sort();
    expect(frankfurt).toEqual(west);
  });

  it("every qualifying type really holds the pod, and nodes above the size cap are left out", () => {
    const types = qualifyingTypes({ ...base, podMemoryGiB: 250, architectures: ["amd64", "arm64"] });
    expect(types.length).toBeGreaterThanOrEqual(15);
    for (const t of types) {
      expect(allocatableForPodsMiB(t, { daemonsetMiB: DAEMONSET_MEMORY_MIB })).toBeGreaterThanOrEqual(250 * 1024);
      expect(t.memoryGiB).toBeLessThanOrEqual(1024);
    }
  });

  it("huge pages push types out: 100 GiB of them on a 384 GiB node still hold 250 GiB, 120 GiB do not", () => {
    expect(names(250, ["amd64"], 100)).toContain("r6i.12xlarge");
    expect(names(250, ["amd64"], 120)).not.toContain("r6i.12xlarge");
  });
});

describe("high-memory pools", () => {
  it("spot and on-demand launch the same qualifying types; spot is tried first and keeps three families per launch", () => {
    const spot = highMemoryPool("spot", pool(250));
    const onDemand = highMemoryPool("on-demand", pool(250));
    const types = (p: typeof spot) => p.requirements.find((r) => r.key === "node.kubernetes.io/instance-type")!.values;
    expect(types(spot)).toEqual(types(onDemand));
    expect(types(spot)).toEqual([...names(250, ["amd64"])].sort());
    expect(spot.weight).toBeGreaterThan(onDemand.weight);
    expect(spot.requirements.find((r) => r.key === "karpenter.k8s.aws/instance-family")!.minValues).toBe(3);
    expect(spot.requirements.find((r) => r.key === "karpenter.sh/capacity-type")!.values).toEqual(["spot"]);
    expect(spot.taints).toEqual([{ key: "workload-type", value: "high-memory", effect: "NoSchedule" }]);
    expect(spot.labels).toMatchObject({ "workload-type": "high-memory", "memory-optimized": "true" });
  });

  it("refuses a spot pool with fewer than 15 types, saying what to change", () => {
    expect(() => highMemoryPool("spot", pool(900))).toThrow(PoolSizingError);
    expect(() => highMemoryPool("spot", pool(900))).toThrow(
      /high-memory-spot: \d+ instance types .* fit a 900 GiB pod; 15 are needed for spot-to-spot consolidation: allow arm64, raise the largest node size/,
    );
    // On demand needs only one type that fits.
    expect(() => highMemoryPool("on-demand", pool(900))).not.toThrow();
  });
});
