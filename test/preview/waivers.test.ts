/**
 * Waivers end to end: a stack config with a waiver on a real finding (forceDestroy planted on the
 * data bucket of the reference prod plan, the way the policy fixtures break a plan), previewed
 * offline, checked by policy:check in every format, and written as CrossGuard policy config. The
 * day is always given (PreviewOptions.today, --today), except where a past expiry is expired on
 * any real date.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv } from "ajv";
import { Ajv2020 } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../policies/rules";
import { CONTEXT_SCHEMA } from "../../policies/rules/context-schema";
import type { Plan } from "../../tools/preview/plan";
import { renderSummary } from "../../tools/preview/render";
import { planFails, policyPackEvaluator, previewStack } from "../../tools/preview/run";
import { projectWith, REFERENCE_STACKS, ROOT, stackFile } from "../support/stack-configs";

const BUCKET = "data-buckets-us-west-2-data";
const REASON = "the partner's import job empties and deletes this bucket at the end of its migration";
const WAIVER = { rule: "s3-no-force-destroy", resource: BUCKET, reason: REASON, expires: "2026-01-31" };
const root = projectWith({
  "Pulumi.prod.yaml": stackFile([...REFERENCE_STACKS.prod, `policyWaivers: ${JSON.stringify([WAIVER])}`]),
});
const plantForceDestroy = (plan: Plan) => {
  plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === BUCKET)!.inputs["forceDestroy"] = true;
};
const dist = (...path: string[]) => join(ROOT, "dist", "tools", ...path);
const node = (script: string, args: string[], cwd = ROOT) => spawnSync(process.execPath, [script, ...args], { cwd, encoding: "utf8" });

describe("a waiver in the stack config, previewed offline", () => {
  const plans: Record<string, Plan> = {};
  beforeAll(async () => {
    for (const today of ["2026-01-31", "2026-02-01"]) {
      const evaluatePolicies = (plan: Plan) => {
        plantForceDestroy(plan);
        return policyPackEvaluator(plan);
      };
      plans[today] = (await previewStack("prod", { root, today, evaluatePolicies })).plan;
    }
  });

  it("hides the finding it covers through its expiry day and lists itself with what it waives", () => {
    const plan = plans["2026-01-31"]!;
    expect(plan.violations).toEqual([]);
    expect(planFails(plan)).toBe(false);
    expect(plan.waivers).toEqual({
      today: "2026-01-31",
      active: [WAIVER],
      expired: [],
      unused: [],
      waived: [expect.objectContaining({ policy: "s3-no-force-destroy", urn: expect.stringMatching(new RegExp(`::${BUCKET}$`)), waiver: WAIVER })],
    });
    expect(plan.policyContext.waivers).toEqual([WAIVER]);
    const summary = renderSummary(plan, 0);
    expect(summary).toContain(`~ [s3-no-force-destroy] ${BUCKET}, until 2026-01-31: ${REASON}`);
    expect(summary).toMatch(/waives urn:pulumi:prod::highmem-platform::.*data-buckets-us-west-2-data: forceDestroy is true/);
  });

  it("fails the preview from the next day: the finding is back and the expired waiver is a mandatory violation", () => {
    const plan = plans["2026-02-01"]!;
    expect(plan.violations.map((v) => [v.policy, v.enforcementLevel])).toEqual([
      ["s3-no-force-destroy", "mandatory"],
      ["policy-waiver-expired", "mandatory"],
    ]);
    expect(planFails(plan)).toBe(true);
    expect(renderSummary(plan, 0)).toContain(`✗ [s3-no-force-destroy] ${BUCKET}, expired 2026-01-31`);
  });

  it("fails the offline preview CLI on the real date, after the expiry, naming the waiver", () => {
    const out = mkdtempSync(join(tmpdir(), "hm-waiver-"));
    const result = node(dist("preview", "cli.js"), ["prod", "--json", join(out, "prod.json")], root);
    expect(result.status, result.stderr).toBe(1);
    expect(result.stdout).toMatch(/✗ \[policy-waiver-expired\] stack: waiver of s3-no-force-destroy for data-buckets-us-west-2-data .* expired on 2026-01-31/);
  });
});

describe("npm run policy:check with a stack's waivers", () => {
  let files: string[];
  beforeAll(async () => {
    const out = mkdtempSync(join(tmpdir(), "hm-waiver-check-"));
    const { plan } = await previewStack("prod", { root, today: "2026-01-31" });
    plantForceDestroy(plan);
    writeFileSync(join(out, "prod.json"), JSON.stringify(plan));
    files = [join(out, "prod.json")];
  });
  const check = (...args: string[]) => node(dist("policy-check.js"), [...args, ...files]);

  it("waives the finding as of --today and lists the active waiver in text and JSON, and fails once it expired", () => {
    const text = check("--today", "2026-01-20");
    expect(text.status, text.stdout).toBe(0);
    expect(text.stdout).toContain(`~ s3-no-force-destroy for ${BUCKET}, until 2026-01-31: ${REASON}`);
    expect(text.stdout).toMatch(/Waivers as of 2026-01-20: 1 active, 1 findings waived, 0 expired/);
    const json = JSON.parse(check("--format", "json", "--today", "2026-01-20").stdout) as {
      stacks: { mandatory: number; waivers: { active: unknown[]; waived: { policy: string; waiver: unknown }[] } }[];
    };
    expect(json.stacks[0]!.mandatory).toBe(0);
    expect(json.stacks[0]!.waivers.active).toEqual([WAIVER]);
    expect(json.stacks[0]!.waivers.waived).toEqual([expect.objectContaining({ policy: "s3-no-force-destroy", waiver: WAIVER })]);
    const expired = check("--today", "2026-02-01");
    expect(expired.status).toBe(1);
    expect(expired.stdout).toMatch(/✗ policy-waiver-expired \(mandatory\): 1/);
    expect(check("--today", "2026-02-30").status).toBe(2);
  });

  it("writes the waived finding to SARIF as a result with an accepted external suppression, valid against the standard's schema", () => {
    const out = join(mkdtempSync(join(tmpdir(), "hm-waiver-sarif-")), "policy.sarif");
    expect(check("--format", "sarif", "--output", out, "--today", "2026-01-20").status).toBe(0);
    const log = JSON.parse(readFileSync(out, "utf8")) as {
      runs: { results: { ruleId: string; suppressions: object[] }[]; properties: { activeWaivers: object[] } }[];
    };
    const schema = JSON.parse(readFileSync(join(ROOT, "node_modules", "@microsoft", "sarif-multitool-linux", "sarif-2.1.0.json"), "utf8")) as object;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const [run] = log.runs;
    expect(run!.results).toEqual([
      expect.objectContaining({
        ruleId: "s3-no-force-destroy",
        suppressions: [
          {
            kind: "external",
            status: "accepted",
            justification: REASON,
            properties: { rule: WAIVER.rule, resource: BUCKET, expires: WAIVER.expires, stack: "prod" },
          },
        ],
      }),
    ]);
    expect(run!.properties.activeWaivers).toEqual([{ stack: "prod", ...WAIVER }]);
    // Once expired: unsuppressed results, and every result of the run carries an array (SARIF §3.27.23).
    expect(check("--format", "sarif", "--output", out, "--today", "2026-02-01").status).toBe(1);
    const after = JSON.parse(readFileSync(out, "utf8")) as typeof log;
    expect(after.runs[0]!.results.map((r) => [r.ruleId, r.suppressions])).toEqual([
      ["s3-no-force-destroy", []],
      ["policy-waiver-expired", []],
    ]);
    expect(validate(after), JSON.stringify(validate.errors)).toBe(true);
  });
});

describe("npm run policy:config", () => {
  const write = (stack: string, projectRoot: string) => {
    const out = join(mkdtempSync(join(tmpdir(), "hm-policy-config-")), "policy-config.json");
    const result = node(dist("policy-config.js"), [stack, "--output", out, "--root", projectRoot]);
    return { result, config: result.status === 0 ? (JSON.parse(readFileSync(out, "utf8")) as Record<string, Record<string, unknown>>) : undefined };
  };

  it("gives every policy of the pack the stack's tier and waivers, each valid against the configSchema as the Pulumi CLI applies it", () => {
    const { result, config } = write("prod", root);
    expect(result.status, result.stderr).toBe(0);
    expect(Object.keys(config!)).toEqual(RULES.map((r) => r.id));
    // Keys the CLI reserves are never a policy's name (pulumi/pulumi pkg/resource/analyzer/config.go).
    expect(Object.keys(config!)).not.toEqual(expect.arrayContaining(["all"]));
    expect(Object.keys(config!)).not.toEqual(expect.arrayContaining(["environments"]));
    // The CLI validates each policy's properties against {type: object, properties, required} (convertSchema).
    const validate = new Ajv({ allErrors: true, strict: true }).compile({ type: "object", properties: CONTEXT_SCHEMA.properties });
    for (const [policy, properties] of Object.entries(config!)) {
      expect(properties, policy).toMatchObject({ tier: "prod", waivers: [WAIVER] });
      // The whole rule context but the day: the image settings and privileged namespaces too.
      expect(Object.keys(properties as object).sort(), policy).toEqual(["imageRegistries", "privilegedNamespaces", "requireImageDigests", "tier", "waivers"]);
      expect(validate(properties), `${policy}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }
    expect(validate({ tier: "prod", waivers: [{ ...WAIVER, reason: "short" }] })).toBe(false);
    expect(validate({ tier: "prod", waivers: [{ ...WAIVER, owner: "x" }] })).toBe(false);
  });

  it("writes an empty list of waivers for a stack without any, and exits 1 on an invalid config, 2 without a stack", () => {
    const plain = projectWith({ "Pulumi.dev.yaml": stackFile(REFERENCE_STACKS.dev) });
    expect(write("dev", plain).config!["s3-versioning"]).toMatchObject({ tier: "dev", waivers: [] });
    const bad = projectWith({
      "Pulumi.prod.yaml": stackFile([...REFERENCE_STACKS.prod, `policyWaivers: ${JSON.stringify([{ ...WAIVER, rule: "no-such-rule" }])}`]),
    });
    const refused = write("prod", bad).result;
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('highmem-platform:policyWaivers[0].rule = "no-such-rule": must be the id of a rule of the policy pack');
    expect(node(dist("policy-config.js"), []).status).toBe(2);
  });
});
