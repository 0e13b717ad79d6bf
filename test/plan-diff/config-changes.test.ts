/**
 * plan:diff on pairs of real plans: the platform previewed offline with a base config and with the
 * config a team would change it to. Each stateful kind gets a change that replaces or shrinks it
 * (flagged as data loss, with advice) and a routine change of the same resources (not flagged).
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { diffPlans, PlanMismatchError, summaryLine, type StackDiff } from "../../tools/plan-diff/diff";
import { renderMarkdown } from "../../tools/plan-diff/render";
import { diffStackSets } from "../../tools/plan-diff/stacks";
import type { Plan } from "../../tools/preview/plan";
import { previewStack } from "../../tools/preview/run";

const ROOT = join(__dirname, "..", "..");
const P = "highmem-platform";

/** A prod-like stack a team might run, as "key: value" config lines (values in YAML flow form). */
const BASE: Record<string, string> = {
  "aws:region": "us-west-2",
  [`${P}:tier`]: "prod",
  [`${P}:vpcCidr`]: "10.40.0.0/16",
  [`${P}:clusterPrivateAccessCidrs`]: "[10.40.240.0/24]",
  [`${P}:kubernetesVersion`]: '"1.33"',
  [`${P}:redisMasters`]: "4",
  [`${P}:noncurrentVersionDays`]: "90",
  // Two years of control-plane logs, so that a shrink can stay above prod's one-year minimum.
  [`${P}:controlPlaneLogRetentionDays`]: "731",
  [`${P}:tags`]: "[team=data]",
};

async function planOf(overrides: Record<string, string>, stack = "team"): Promise<Plan> {
  const root = mkdtempSync(join(tmpdir(), "hm-diff-config-"));
  copyFileSync(join(ROOT, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
  mkdirSync(join(root, "stacks"));
  const config = { ...BASE, ...overrides };
  writeFileSync(join(root, "stacks", `Pulumi.${stack}.yaml`), ["config:", ...Object.entries(config).map(([k, v]) => `  ${k}: ${v}`)].join("\n") + "\n");
  const { plan } = await previewStack(stack, { root });
  expect(plan.configErrors).toEqual([]);
  return plan;
}

const risksOf = (d: StackDiff) => d.dataLossRisks.map((r) => `${r.kind} ${r.urn.split("::").pop()}`).sort();
const typeOf = (d: StackDiff, urnTail: string) => d.changed.find((c) => c.urn.endsWith(`::${urnTail}`));

let base: Plan;
const heads: Record<string, Plan> = {};
beforeAll(async () => {
  base = await planOf({});
  heads["routine"] = await planOf({
    [`${P}:tags`]: "[team=data, owner=platform]",
    [`${P}:redisMemoryGiB`]: "48",
    [`${P}:kubernetesVersion`]: '"1.34"',
    [`${P}:alarmEmailAddresses`]: "[oncall@example.com]",
  });
  heads["namePrefix"] = await planOf({ [`${P}:namePrefix`]: "dp-prod" });
  heads["shrink"] = await planOf({ [`${P}:redisMasters`]: "3", [`${P}:noncurrentVersionDays`]: "30", [`${P}:controlPlaneLogRetentionDays`]: "365" });
  heads["volumes"] = await planOf({ [`${P}:redisStorageGiB`]: "200", [`${P}:gp3HighIops`]: "20000" });
  heads["resize"] = await planOf({ [`${P}:redisStorageGiB`]: "200", [`${P}:redisResizeFromGiB`]: "100" });
  heads["resizeAndScale"] = await planOf({ [`${P}:redisStorageGiB`]: "200", [`${P}:redisResizeFromGiB`]: "100", [`${P}:redisMasters`]: "5" });
  heads["nodes"] = await planOf({ [`${P}:systemNodeInstanceTypes`]: "[m7i.2xlarge]" });
  heads["replica"] = await planOf({ [`${P}:bucketReplicaRegions`]: "[us-east-1, eu-west-1, ap-southeast-2]" });
}, 120_000);

describe("plan:diff on config changes", () => {
  it("routine changes (tags, Redis memory, a Kubernetes upgrade, an alarm subscriber) update in place and flag nothing", () => {
    const d = diffPlans(base, heads["routine"]!);
    expect(d.dataLossRisks).toEqual([]);
    // The only replacement: the Redis ConfigMap, whose data pulumi-kubernetes never updates in place.
    expect(d.changed.filter((c) => c.replaceReasons.length > 0).map((c) => [c.type, c.replaceReasons])).toEqual([
      ["kubernetes:core/v1:ConfigMap", ["data.redis.conf"]],
    ]);
    expect(typeOf(d, "redis-sts")?.changes.some((c) => c.path.startsWith("spec.template"))).toBe(true);
    expect(typeOf(d, "redis-sts")?.replaceReasons).toEqual([]);
    expect(typeOf(d, "cluster-system-ng")?.changes.map((c) => c.path)).toEqual(expect.arrayContaining(["version", "releaseVersion"]));
    expect(summaryLine(d)).toMatch(/^team: \+1 to create, ~\d+ to update, \+-1 to replace$/);
  });

  it("a new namePrefix replaces the cluster, the buckets, the log group, the queue and the named roles: flagged with what to do", () => {
    const d = diffPlans(base, heads["namePrefix"]!);
    const replaced = new Set(d.dataLossRisks.filter((r) => r.kind === "replaced").map((r) => r.urn.split("::")[2]!.split("$").pop()));
    expect([...replaced].sort()).toEqual([
      "aws:cloudwatch/logGroup:LogGroup",
      "aws:iam/role:Role",
      "aws:s3/bucket:Bucket",
      "aws:sqs/queue:Queue",
      "eks:index:Cluster",
    ]);
    const cluster = d.dataLossRisks.find((r) => r.urn.endsWith("::cluster-eks"))!;
    expect(cluster.message).toMatch(
      /is replaced \(deleted, then created anew\) because name changed: what it holds is lost\. It is protected, so `pulumi up` stops here until protection is lifted\. Instead: /,
    );
    expect(d.dataLossRisks.find((r) => r.urn.endsWith("::data-buckets-us-west-2-data"))!.message).toMatch(/keep the old physical name \(namePrefix/);
    // Stateless replacements are shown as replacements, not as data loss.
    expect(d.changed.find((c) => c.type === "aws:kms/alias:Alias")?.replaceReasons).toEqual(["name"]);
    expect(d.dataLossRisks.some((r) => r.urn.includes("aws:kms/alias:Alias"))).toBe(false);
    expect(summaryLine(d)).toMatch(/\+-\d+ to replace; \d+ data-loss risks$/);
    expect(renderMarkdown([d]).split("\n")[0]).toBe("### ⚠️ Data would be lost");
  });

  it("shrinks are flagged: Redis scale-in, shorter old-version retention, shorter log retention", () => {
    const d = diffPlans(base, heads["shrink"]!);
    expect(risksOf(d)).toEqual([
      "retention-shortened cluster-control-plane",
      ...Array(3)
        .fill("retention-shortened")
        .map((k, i) => `${k} data-buckets-${["eu-west-1", "us-east-1", "us-west-2"][i]}-data`),
      "scale-in redis-sts",
    ]);
    expect(d.dataLossRisks.find((r) => r.kind === "scale-in")!.message).toMatch(
      /scales in from 8 to 6 pods: pods 6\.\.7 are deleted .* must first move their slots away/,
    );
  });

  it("bigger Redis volumes replace the StatefulSet (immutable claim templates) and new IOPS replace the StorageClass: flagged, with the in-place way", () => {
    const d = diffPlans(base, heads["volumes"]!);
    expect(risksOf(d)).toEqual(["replaced redis-sts", "replaced storage-gp3-high-iops"]);
    expect(d.dataLossRisks.find((r) => r.urn.endsWith("::redis-sts"))!.message).toMatch(
      /Not a safe resize: claim data-redis-0 is not grown first .*Instead: to grow Redis volumes, set redisResizeFromGiB/,
    );
    expect(d.safeResizes).toEqual([]);
    expect(typeOf(d, "redis-sts")!.replaceReasons).toEqual(["spec.volumeClaimTemplates[0].spec.resources.requests.storage"]);
  });

  it("bigger Redis volumes with redisResizeFromGiB: a safe resize, not data loss (claims grown first, pods orphaned, protection lifted for the update)", () => {
    const d = diffPlans(base, heads["resize"]!);
    expect(d.dataLossRisks).toEqual([]);
    expect([heads["resize"]!.schemaErrors, heads["resize"]!.deployFindings]).toEqual([[], []]);
    expect(d.safeResizes.map((r) => r.urn.split("::").pop())).toEqual(["redis-sts"]);
    expect(typeOf(d, "redis-sts")!.replaceReasons).toEqual(["spec.volumeClaimTemplates[0].spec.resources.requests.storage"]);
    // One claim patch per pod of the 4-master cluster, each to the new size, retained when dropped.
    const patches = d.added.filter((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaimPatch");
    expect(patches.map((p) => (p.inputs["metadata"] as { name: string }).name)).toEqual(Array.from({ length: 8 }, (_, i) => `data-redis-${i}`));
    expect(patches.every((p) => p.retainOnDelete && JSON.stringify(p.inputs["spec"]) === '{"resources":{"requests":{"storage":"200Gi"}}}')).toBe(true);
    // In prod the StatefulSet is protected; lifted for this update, it passes the prod policy as a resize.
    expect(typeOf(d, "redis-sts")!.changes).toContainEqual({ path: "(protect)", before: true, after: false });
    expect(d.newViolations).toEqual([]);
    expect(renderMarkdown([d])).toMatch(/### Volumes grown \(no data loss\)\n\n- \*\*team\*\*: .*"redis-sts" is replaced to grow its volumes/);
  });

  it("a resize is data loss again when the deployed StatefulSet did not orphan its pods, or when the claims are not all grown first", () => {
    const strip = (p: Plan): Plan => ({
      ...p,
      resources: p.resources.map((r) =>
        r.urn.endsWith("::redis-sts") ? { ...r, inputs: { ...r.inputs, metadata: { ...(r.inputs["metadata"] as object), annotations: {} } } } : r,
      ),
    });
    const before = diffPlans(strip(base), heads["resize"]!);
    expect(risksOf(before)).toEqual(["protection-removed redis-sts", "replaced redis-sts"]);
    expect(before.dataLossRisks.find((r) => r.kind === "replaced")!.message).toMatch(
      /Not a safe resize: the deployed StatefulSet does not carry pulumi.com\/deletionPropagationPolicy: orphan/,
    );
    const head = heads["resize"]!;
    const partial = { ...head, resources: head.resources.filter((r) => !r.urn.endsWith("::redis-data-7")) };
    expect(diffPlans(base, partial).dataLossRisks.find((r) => r.kind === "replaced")!.message).toMatch(/claim data-redis-7 is not grown first/);
    expect(diffPlans(base, partial).safeResizes).toEqual([]);
  });

  it("a resize together with a scale-out is not taken for a safe resize: the claims of the new pods do not exist to be grown", () => {
    const d = diffPlans(base, heads["resizeAndScale"]!);
    expect(d.safeResizes).toEqual([]);
    expect(d.dataLossRisks.find((r) => r.kind === "replaced")!.message).toMatch(/change the pod count and the volume size in separate updates/);
  });

  it("a smaller size than the volumes have is refused by config validation", async () => {
    const root = mkdtempSync(join(tmpdir(), "hm-diff-config-"));
    copyFileSync(join(ROOT, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
    mkdirSync(join(root, "stacks"));
    const config = { ...BASE, [`${P}:redisStorageGiB`]: "80", [`${P}:redisResizeFromGiB`]: "100" };
    writeFileSync(join(root, "stacks", "Pulumi.team.yaml"), ["config:", ...Object.entries(config).map(([k, v]) => `  ${k}: ${v}`)].join("\n") + "\n");
    const { plan } = await previewStack("team", { root });
    expect(plan.configErrors).toContainEqual(
      expect.objectContaining({
        key: `${P}:redisResizeFromGiB`,
        value: 100,
        message: expect.stringMatching(/^volumes cannot shrink: the claims have 100 GiB .*\(80 GiB\)/),
      }),
    );
  });

  it("other system node types replace the node group, shown as a replacement but not as data loss", () => {
    const d = diffPlans(base, heads["nodes"]!);
    expect(typeOf(d, "cluster-system-ng")!.replaceReasons).toEqual(["instanceTypes[0]", "instanceTypes[1]"]);
    expect(d.dataLossRisks).toEqual([]);
    expect(renderMarkdown([d])).toMatch(/`\+-` `.*cluster-system-ng` \(replaced: `instanceTypes\[0\]`, `instanceTypes\[1\]` cannot change in place\)/);
  });

  it("counts what a change adds among the cost contributors", () => {
    const d = diffPlans(base, heads["replica"]!);
    expect(d.added.some((r) => r.urn.includes("ap-southeast-2"))).toBe(true);
    expect(d.cost!.contributors.length).toBeGreaterThan(0);
    expect(d.cost!.contributors.every((c) => d.added.some((a) => a.urn === c.urn) || d.changed.some((x) => x.urn === c.urn))).toBe(true);
    expect(d.cost!.totalDelta).toBeGreaterThan(0);
  });
});

describe("plan:diff across the repository's stacks", () => {
  it("shows a stack added in head and a stack removed from it, and counts neither as data loss", () => {
    const qa = { ...heads["routine"]!, stack: "qa" };
    const diffs = diffStackSets([base], [qa]);
    expect(diffs.map((d) => [d.stack, d.presence])).toEqual([
      ["qa", "added"],
      ["team", "removed"],
    ]);
    expect(diffs.flatMap((d) => d.dataLossRisks)).toEqual([]);
    const md = renderMarkdown(diffs);
    expect(md).toMatch(/- qa: new stack, \d+ resources to create/);
    expect(md).toMatch(/- team: stack removed from the repository; its \d+ resources stay until `pulumi destroy`/);
  });

  it("refuses to compare plans of different stacks or projects", () => {
    expect(() => diffPlans(base, { ...base, stack: "other" })).toThrow(
      new PlanMismatchError("refusing to compare plans of different stacks: base is highmem-platform/team, head is highmem-platform/other"),
    );
    expect(() => diffStackSets([base], [{ ...base, project: "someone-else" }])).toThrow(/different projects: highmem-platform, someone-else/);
  });
});
