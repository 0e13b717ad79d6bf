/**
 * The cost model's price arithmetic. Its figures over a whole plan are checked as rules for every
 * config in test/preview/stacks.test.ts, and against hand-computed figures for the sample prod stack
 * in test/examples.
 */
import { describe, expect, it } from "vitest";
import { gp3Monthly } from "../../tools/cost/prices";

describe("cost model, against hand-computed figures", () => {
  it("prices a gp3 volume with provisioned IOPS and throughput above the baseline", () => {
    // 100 GiB × $0.08 + (16,000 − 3,000) IOPS × $0.005 + (1,000 − 125) MiB/s × $0.04
    expect(gp3Monthly(100, 16000, 1000)).toBeCloseTo(8 + 65 + 35, 10);
    expect(gp3Monthly(100)).toBeCloseTo(8, 10);
  });
});
