import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { estimateCost } from "../../tools/cost/model";
import { gp3Monthly } from "../../tools/cost/prices";
import { diffPlans } from "../../tools/plan-diff/diff";
import { renderMarkdown } from "../../tools/plan-diff/render";
import { renderSummary } from "../../tools/preview/render";
import type { Plan, PlanResource } from "../../tools/preview/plan";
import { previewStack } from "../../tools/preview/run";

let prod: Plan;
beforeAll(async () => {
  prod = (await previewStack("prod", { root: join(__dirname, "..", ".."), evaluatePolicies: () => [] })).plan;
});
const byType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);
const cost = (plan: Plan, r: PlanResource) => plan.cost!.byResource[r.urn];

describe("cost model, against hand-computed figures", () => {
  it("prices a gp3 volume with provisioned IOPS and throughput above the baseline", () => {
    // 100 GiB × $0.08 + (16,000 − 3,000) IOPS × $0.005 + (1,000 − 125) MiB/s × $0.04
    expect(gp3Monthly(100, 16000, 1000)).toBeCloseTo(8 + 65 + 35, 10);
    expect(gp3Monthly(100)).toBeCloseTo(8, 10);
  });

  it("prices the control plane and each NAT gateway by the hour, plus the NAT's share of data", () => {
    expect(cost(prod, byType(prod, "eks:index:Cluster")[0]!)).toBe(73); // $0.10 × 730 h
    // $0.045 × 730 h + (1,500 GB over 3 gateways) × $0.045
    for (const nat of byType(prod, "aws:ec2/natGateway:NatGateway")) expect(cost(prod, nat)).toBeCloseTo(32.85 + 500 * 0.045, 2);
  });

  it("prices a node pool at its limit from its cheapest type per GiB-hour (spot: after the assumed discount)", () => {
    // high-memory-spot: 12,288 GiB limit; cheapest per GiB is x2idn.16xlarge ($6.669/h, 1,024 GiB) at 50% spot discount.
    const spotAtLimit = 12288 * ((6.669 * 0.5) / 1024) * 730;
    // high-memory-on-demand: same limit and type at the on-demand price.
    const onDemandAtLimit = 12288 * (6.669 / 1024) * 730;
    expect(prod.cost!.monthlyUsd.nodePoolsAtLimit).toBeCloseTo(spotAtLimit + onDemandAtLimit, 1);
    expect(prod.cost!.highMemoryPerGiBHour).toEqual({ spot: 0.00326, onDemand: 0.00651, baseline: 0.00788 });
  });

  it("moves the diff by the computed amount when a pool's limit rises", () => {
    const head = structuredClone(prod);
    const pool = head.resources.find((r) => r.name === "high-memory-spot-pool")!;
    const spec = pool.inputs["spec"] as { limits: { memory: string } };
    spec.limits.memory = "13312Gi"; // +1,024 GiB
    (head as { cost?: Plan["cost"] }).cost = estimateCost(head, { natDataGbPerMonth: 1500, s3GbStored: 20000, s3GbReplicatedPerMonth: 2000, nodeHoursPerMonth: { "high-memory-spot": 6000, "high-memory-on-demand": 1500, general: 6000 } });
    const d = diffPlans(prod, head);
    expect(d.cost!.atLimitDelta).toBeCloseTo(1024 * ((6.669 * 0.5) / 1024) * 730, 1); // $2,434.19
    expect(d.cost!.totalDelta).toBe(0); // expected use did not change
    expect(renderMarkdown([d])).toMatch(/- \*\*prod\*\*: \+\$0\.00 at expected use, \+\$2434\.1\d for node pools at their limits/);
  });

  it("says what depends on usage instead of counting it as zero", () => {
    const none = estimateCost(prod, undefined);
    expect(none.dependsOnUsage).toEqual(expect.arrayContaining([
      expect.stringMatching(/^node pool high-memory-spot: depends on usage \(nodeHoursPerMonth\.high-memory-spot\)/),
      "NAT gateway data: depends on usage (natDataGbPerMonth)",
      "S3 storage: depends on usage (s3GbStored)",
      "S3 replication transfer: depends on usage (s3GbReplicatedPerMonth)",
    ]));
    const pool = prod.resources.find((r) => r.name === "high-memory-spot-pool")!;
    expect(none.byResource[pool.urn]).toBeUndefined();
    expect(none.monthlyUsd.usage).toBe(0);
    expect(none.monthlyUsd.nodePoolsExpected).toBe(0);
  });

  it("ends the preview with the monthly estimate and the high-memory price per GiB-hour", () => {
    const text = renderSummary(prod, 0);
    expect(text).toMatch(/Cost estimate \(monthly, USD, us-west-2 list prices\): \$[\d,]+\.\d\d/);
    expect(text).toContain("high-memory $/GiB-hour: spot 0.00326 (assumed discount), on-demand 0.00651, r5 on-demand baseline 0.00788");
    expect(Object.keys(prod.cost!.monthlyUsd)).toEqual(["total", "fixed", "usage", "nodePoolsExpected", "nodePoolsAtLimit"]);
  });
});
