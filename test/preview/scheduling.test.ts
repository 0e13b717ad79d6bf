import { describe, expect, it } from "vitest";
import { parseQuantity, podRequests, satisfiable, tolerates } from "../../tools/preview/first-deploy/scheduling";
import { coalesce } from "../../tools/preview/first-deploy/values";

describe("scheduling model", () => {
  const systemTaint = { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" };
  it("matches tolerations as the scheduler does", () => {
    expect(tolerates([{ key: "CriticalAddonsOnly", operator: "Exists" }], systemTaint)).toBe(true);
    expect(tolerates([{ operator: "Exists" }], systemTaint)).toBe(true);
    expect(tolerates([{ effect: "NoSchedule", operator: "Exists" }], systemTaint)).toBe(true);
    expect(tolerates([{ key: "CriticalAddonsOnly", operator: "Equal", value: "false" }], systemTaint)).toBe(false);
    expect(tolerates([{ key: "CriticalAddonsOnly", operator: "Exists", effect: "NoExecute" }], systemTaint)).toBe(false);
    expect(tolerates([], { ...systemTaint, effect: "PreferNoSchedule" })).toBe(true);
    expect(tolerates([], systemTaint)).toBe(false);
  });

  it("decides each operator against the values a label may take", () => {
    const zone = new Set(["us-west-2a", "us-west-2b"]);
    expect(satisfiable(zone, { key: "z", operator: "In", values: ["us-west-2b"] })).toBe(true);
    expect(satisfiable(zone, { key: "z", operator: "In", values: ["eu-west-1a"] })).toBe(false);
    expect(satisfiable(new Set(["spot"]), { key: "c", operator: "NotIn", values: ["spot"] })).toBe(false);
    expect(satisfiable("absent", { key: "karpenter.sh/nodepool", operator: "DoesNotExist" })).toBe(true);
    expect(satisfiable(new Set(["general"]), { key: "karpenter.sh/nodepool", operator: "DoesNotExist" })).toBe(false);
    expect(satisfiable(new Set(["5", "6", "7"]), { key: "g", operator: "Gt", values: ["6"] })).toBe(true);
    expect(satisfiable("any", { key: "x", operator: "Exists" })).toBe(true);
  });

  it("reads Kubernetes quantities and sums requests with init containers as the scheduler does", () => {
    expect(parseQuantity("4Gi")).toBe(4 * 1024 ** 3);
    expect(parseQuantity("250m")).toBe(0.25);
    expect(parseQuantity("1G")).toBe(1e9);
    expect(() => parseQuantity("4 gigs")).toThrow(/not a Kubernetes quantity/);
    expect(
      podRequests(
        [
          { memoryMiB: 100, cpuMilli: 100 },
          { memoryMiB: 50, cpuMilli: 50 },
        ],
        [{ memoryMiB: 400, cpuMilli: 10 }],
      ),
    ).toEqual({ memoryMiB: 400, cpuMilli: 150 });
  });

  it("coalesces values as Helm does: maps merge, lists and scalars replace", () => {
    expect(
      coalesce({ nodeSelector: { os: "linux" }, tolerations: [{ key: "a" }], replicas: 2 }, { nodeSelector: { role: "system" }, tolerations: [{ key: "b" }] }),
    ).toEqual({ nodeSelector: { os: "linux", role: "system" }, tolerations: [{ key: "b" }], replicas: 2 });
  });
});
