/**
 * Every rule against a compliant plan and a violating one: the same plan with one property changed,
 * the way Checkov and Pulumi's own packs test theirs. The plans broken here are previews of configs
 * whose shape this suite fixes (REFERENCE_STACKS: a prod and a dev), so that the resources a fixture
 * reaches for exist whatever stacks/ holds. A test fails if a rule has no fixture. Every stack file present and every generated
 * config must have no mandatory violation: test/preview/stacks.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { evaluate, RULES } from "../../policies/rules";
import { CONTROL_FAMILIES, STANDARDS } from "../../policies/rules/types";
import type { Plan } from "../../tools/preview/plan";
import { clone, find, FIXTURES, POD, setAt, STS } from "./fixtures";
import { previewStack } from "../../tools/preview/run";
import { referenceProject } from "../support/stack-configs";

const plans: Record<string, Plan> = {};
beforeAll(async () => {
  for (const stack of ["dev", "prod"]) plans[stack] = (await previewStack(stack, { root: referenceProject(), evaluatePolicies: () => [] })).plan;
});

describe("policy pack rules", () => {
  it(`has at least 45 rules (${RULES.length}), each with a unique id, a description, a level, a family and a source`, () => {
    expect(RULES.length).toBeGreaterThanOrEqual(45);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) {
      expect(r.description.length > 10 && ["mandatory", "advisory"].includes(r.enforcementLevel), r.id).toBe(true);
      expect(CONTROL_FAMILIES, r.id).toContain(r.family);
      expect(r.sources.length, `${r.id} cites no source`).toBeGreaterThan(0);
      for (const s of r.sources) expect(Object.keys(STANDARDS).includes(s.standard) && s.control.trim().length > 0, r.id).toBe(true);
    }
  });

  it("has a violating fixture for every rule", () => {
    expect(RULES.map((r) => r.id).filter((id) => !FIXTURES.some(([f]) => f === id))).toEqual([]);
  });

  // That every stack present and every generated config has no mandatory violation is a rule of
  // test/preview/stacks.test.ts, whose previews run this pack (policyPackEvaluator).

  it.each(["dev", "prod"])("finds no violation at all, advisory included, in the reference %s plan the fixtures break", (stack) => {
    expect(evaluate(plans[stack]!.resources, undefined, plans[stack]!.policyContext)).toEqual([]);
  });

  it.each(FIXTURES)("%s: passes the reference %s plan, catches one property changed", (id, stack, breakIt, extra) => {
    const rule = RULES.find((r) => r.id === id)!;
    const context = { ...plans[stack]!.policyContext, ...extra };
    const good = clone(plans[stack]!);
    expect(evaluate(good, [rule], context)).toEqual([]);
    const bad = clone(plans[stack]!);
    const urn = breakIt(bad);
    const findings = evaluate(bad, [rule], context);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((f) => f.urn)).toContain(urn);
    expect(findings.every((f) => f.policy === id && f.message.length > 0)).toBe(true);
  });
});

describe("a plan with known defects", () => {
  it("gets exactly the expected violations: a public bucket, an unencrypted volume, an unpinned image", () => {
    const rs = clone(plans["prod"]!);
    find(rs, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-buckets-us-west-2-data").inputs["blockPublicPolicy"] = false;
    setAt(find(rs, "kubernetes:storage.k8s.io/v1:StorageClass", "storage-gp3").inputs, "parameters.encrypted", "false");
    setAt(find(rs, STS).inputs, `${POD}.containers.1.image`, "oliver006/redis_exporter");
    const findings = evaluate(rs, undefined, plans["prod"]!.policyContext)
      .map((f) => `${f.policy} ${f.urn?.split("::").pop()}`)
      .sort();
    expect(findings).toEqual(["k8s-pinned-image-tags redis-sts", "s3-public-access-blocked data-buckets-us-west-2-data", "storageclass-encrypted storage-gp3"]);
  });
});
