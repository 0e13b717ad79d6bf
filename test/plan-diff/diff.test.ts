import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan, PlanResource } from "../../tools/preview/plan";
import { previewStack } from "../../tools/preview/run";
import { diffPlans, summaryLine } from "../../tools/plan-diff/diff";
import { renderMarkdown } from "../../tools/plan-diff/render";
import { referenceProject, ROOT } from "../support/stack-configs";

// The plan edited here is the reference prod config's (test/support/stack-configs.ts), whose shape this
// suite relies on (bucket names, Redis volume size, alert groups), whatever stacks/ holds.
let base: Plan;
beforeAll(async () => {
  base = (await previewStack("prod", { root: referenceProject() })).plan;
});

const copy = (): Plan => structuredClone(base);
type Editable = { -readonly [K in keyof PlanResource]: PlanResource[K] };
const get = (plan: Plan, type: string, name: string) => plan.resources.find((r) => r.type === type && r.name === name) as Editable;
const BUCKET = "aws:s3/bucket:Bucket";
const DATA = "data-buckets-us-west-2-data";

/** Renames the prod data bucket's Pulumi name, as a refactor would. */
function renameBucket(plan: Plan, withAlias: boolean): void {
  const b = get(plan, BUCKET, DATA);
  b.urn = b.urn.replace(`::${DATA}`, "::data-buckets-us-west-2-primary");
  b.name = "data-buckets-us-west-2-primary";
  if (withAlias) b.aliases = [{ name: DATA }];
}

describe("plan:diff", () => {
  it("reports an identical plan as no changes", () => {
    const d = diffPlans(base, copy());
    expect(summaryLine(d)).toBe("prod: no changes");
  });

  it("reports an added node pool as one resource to create, with no risk", () => {
    const head = copy();
    const pool = structuredClone(get(head, "kubernetes:karpenter.sh/v1:NodePool", "general-pool"));
    pool.urn = pool.urn.replace("general-pool", "batch-pool");
    pool.name = "batch-pool";
    head.resources.push(pool);
    const d = diffPlans(base, head);
    expect(d.added.map((r) => r.name)).toEqual(["batch-pool"]);
    expect(d.dataLossRisks).toEqual([]);
    expect(summaryLine(d)).toBe("prod: +1 to create");
  });

  it("reports a changed alert threshold as one short, exact property change", () => {
    const head = copy();
    const rule = get(head, "kubernetes:monitoring.coreos.com/v1:PrometheusRule", "monitoring-rules");
    const text = JSON.stringify(rule.inputs).replace('> 0.9"', '> 0.85"');
    rule.inputs = JSON.parse(text) as Record<string, unknown>;
    const d = diffPlans(base, head);
    expect(d.changed).toHaveLength(1);
    expect(d.changed[0]!.changes.map((c) => c.path)).toEqual(["spec.groups[1].rules[0].expr"]);
    const md = renderMarkdown([d]);
    expect(md).toContain("- prod: ~1 to update");
    expect(md).toMatch(/`spec\.groups\[1\]\.rules\[0\]\.expr`: "….*> 0\.9" → "….*> 0\.85"/);
    expect(md).not.toContain("Data would be lost");
  });

  it("flags a renamed bucket without an alias as data loss, before anything else", () => {
    const head = copy();
    renameBucket(head, false);
    const d = diffPlans(base, head);
    expect(d.dataLossRisks).toEqual([expect.objectContaining({ kind: "renamed-without-alias", urn: get(base, BUCKET, DATA).urn })]);
    expect(d.dataLossRisks[0]!.message).toMatch(
      /is deleted and created again as "data-buckets-us-west-2-primary": add `aliases: \[\{ name: "data-buckets-us-west-2-data" \}\]`/,
    );
    expect(renderMarkdown([d]).split("\n")[0]).toBe("### ⚠️ Data would be lost");
  });

  it("does not flag the same rename when an alias keeps the bucket's identity", () => {
    const head = copy();
    renameBucket(head, true);
    const d = diffPlans(base, head);
    expect(d.dataLossRisks).toEqual([]);
    expect(d.added).toEqual([]);
    expect(d.changed).toEqual([expect.objectContaining({ renamedFrom: get(base, BUCKET, DATA).urn, changes: [] })]);
  });

  it("flags a change to a StatefulSet's volumeClaimTemplates (immutable: replacement)", () => {
    const head = copy();
    const sts = get(head, "kubernetes:apps/v1:StatefulSet", "redis-sts");
    sts.inputs = JSON.parse(JSON.stringify(sts.inputs).replace('"storage":"100Gi"', '"storage":"200Gi"')) as Record<string, unknown>;
    const d = diffPlans(base, head);
    expect(d.dataLossRisks.map((r) => r.kind)).toEqual(["replaced"]);
    expect(d.changed[0]!.replaceReasons).toEqual(["spec.volumeClaimTemplates[0].spec.resources.requests.storage"]);
  });

  it("flags a stateful resource losing its protection", () => {
    const head = copy();
    get(head, "aws:kms/key:Key", "storage-volumes").protect = false;
    expect(diffPlans(base, head).dataLossRisks.map((r) => r.kind)).toEqual(["protection-removed"]);
  });

  it("shows a changed secret as changed, never its value or digest", () => {
    const head = copy();
    const secret = get(head, "kubernetes:core/v1:Secret", "redis-auth");
    const before = JSON.stringify(secret.inputs["stringData"]);
    secret.inputs = { ...secret.inputs, stringData: { "@secret": "sha256:0000000000000000" } };
    const d = diffPlans(base, head);
    expect(d.changed[0]!.changes).toEqual([{ path: "stringData", before: "[secret]", after: "[secret]" }]);
    const md = renderMarkdown([d]);
    expect(md).toContain('`stringData`: "[secret]" → "[secret]"');
    expect(md).not.toContain(JSON.parse(before)["@secret"]);
  });

  it("lists policy violations new in head and fixed in head", () => {
    const head = copy();
    head.violations.push({ policy: "s3-no-force-destroy", enforcementLevel: "mandatory", urn: get(head, BUCKET, DATA).urn, message: "forceDestroy is true" });
    const d = diffPlans(base, head);
    expect(d.newViolations.map((v) => v.policy)).toEqual(["s3-no-force-destroy"]);
    expect(diffPlans(head, base).fixedViolations.map((v) => v.policy)).toEqual(["s3-no-force-destroy"]);
  });

  it("fails as a command on an unacknowledged data-loss risk and passes once acknowledged, writing the Markdown", () => {
    const dir = mkdtempSync(join(tmpdir(), "hm-diff-"));
    const head = copy();
    renameBucket(head, false);
    writeFileSync(join(dir, "base.json"), JSON.stringify(base));
    writeFileSync(join(dir, "head.json"), JSON.stringify(head));
    const cli = join(ROOT, "dist", "tools", "plan-diff", "cli.js");
    const run = (...extra: string[]) =>
      spawnSync(process.execPath, [cli, join(dir, "base.json"), join(dir, "head.json"), "--markdown", join(dir, "diff.md"), ...extra], { encoding: "utf8" });
    expect(run().status).toBe(1);
    expect(run("--acknowledge-data-loss").status).toBe(0);
    expect(readFileSync(join(dir, "diff.md"), "utf8")).toMatch(/^### ⚠️ Data would be lost/);
  });
});
