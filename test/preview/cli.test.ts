/**
 * The offline preview as users run it: the compiled CLI (npm test builds it first), its exit codes
 * and its files.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Ajv2020 } from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { RULES } from "../../policies/rules";
import { availableStacks } from "../../tools/preview/stack-file";
import { referenceProject, ROOT } from "../support/stack-configs";

/** Every stack file present in stacks/: the CLI must preview each of them. */
const STACKS = availableStacks(ROOT);
const CLI = join(ROOT, "dist", "tools", "preview", "cli.js");
const run = (args: string[], cwd = ROOT) => spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: "utf8" });

describe("npm run preview:offline", () => {
  it("prints the tree and summary, writes the JSON plan and Markdown report, and exits 0", () => {
    const out = mkdtempSync(join(tmpdir(), "hm-cli-"));
    const stack = STACKS[0]!;
    const result = run([stack, "--json", join(out, "plan.json"), "--markdown", join(out, "plan.md")]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/[├└]─ highmem:cluster:EksCluster\s+cluster\s+create/);
    expect(result.stdout).toMatch(/Resources:\n\s+\+ \d+ to create/);
    const plan = JSON.parse(readFileSync(join(out, "plan.json"), "utf8"));
    expect(Object.keys(plan)).toEqual(expect.arrayContaining(["stack", "resources", "violations", "schemaErrors"]));
    expect(plan.resources[0]).toEqual(
      expect.objectContaining({
        urn: expect.any(String),
        type: expect.any(String),
        name: expect.any(String),
        parent: null,
        provider: null,
        inputs: expect.any(Object),
        protect: false,
        retainOnDelete: false,
        aliases: [],
        dependsOn: [],
      }),
    );
    expect(plan.stack).toBe(stack);
    expect(readFileSync(join(out, "plan.md"), "utf8")).toMatch(new RegExp(`^## Offline preview: \`${stack}\`\n\n\\*\\*\\d+ to create\\*\\*`));
  });

  it("exits 1 with the problems listed when the config is invalid", () => {
    const root = mkdtempSync(join(tmpdir(), "hm-cli-bad-"));
    copyFileSync(join(ROOT, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
    mkdirSync(join(root, "stacks"));
    writeFileSync(join(root, "stacks", "Pulumi.oops.yaml"), "config:\n  aws:region: us-west-2\n  highmem-platform:tier: prd\n");
    const result = run(["oops"], root);
    expect(result.status).toBe(1);
    expect(result.stdout).toContain('highmem-platform:tier = "prd": must be one of: dev, staging, prod');
  });

  it("previews every stack present in one process, exit 0, writing one plan per stack", () => {
    const out = mkdtempSync(join(tmpdir(), "hm-cli-many-"));
    const result = run([...STACKS, "--json", join(out, "{stack}.json")]);
    expect(result.status, result.stderr + result.stdout.slice(-2000)).toBe(0);
    for (const stack of STACKS) expect(JSON.parse(readFileSync(join(out, `${stack}.json`), "utf8")).stack).toBe(stack);
    expect(run([STACKS[0]!, STACKS.at(-1)!, "--json", join(out, "plan.json")]).status).toBe(2);
  });

  it("exits 2 on usage errors", () => {
    expect(run([]).status).toBe(2);
    const unknown = run(["no-such-stack"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain(`stacks available: ${STACKS.join(", ")}`);
  });
});

describe("npm run policy:check", () => {
  const CHECK = join(ROOT, "dist", "tools", "policy-check.js");
  const check = (file: string) => spawnSync(process.execPath, [CHECK, file], { cwd: ROOT, encoding: "utf8" });

  it("passes a plan the offline preview wrote, and fails it with the rule named once a bucket can be force-destroyed", () => {
    // The reference prod config (test/support/stack-configs.ts): its source bucket is in us-west-2.
    const out = mkdtempSync(join(tmpdir(), "hm-policy-"));
    expect(run(["prod", "--json", join(out, "prod.json")], referenceProject()).status).toBe(0);
    const ok = check(join(out, "prod.json"));
    expect(ok.status, ok.stdout).toBe(0);
    expect(ok.stdout).toMatch(/0 mandatory, 0 advisory violations/);

    const plan = JSON.parse(readFileSync(join(out, "prod.json"), "utf8")) as { resources: { type: string; name: string; inputs: Record<string, unknown> }[] };
    plan.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "data-buckets-us-west-2-data")!.inputs["forceDestroy"] = true;
    writeFileSync(join(out, "bad.json"), JSON.stringify(plan));
    const bad = check(join(out, "bad.json"));
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(
      /✗ s3-no-force-destroy \(mandatory\): 1\n\s+urn:pulumi:prod::highmem-platform::.*data-buckets-us-west-2-data: forceDestroy is true/,
    );
  });

  it("exits 2 when the plan cannot be read, or on an unknown format", () => {
    expect(check("/nonexistent/plan.json").status).toBe(2);
    const bad = spawnSync(process.execPath, [CHECK, "--format", "xml", "plan.json"], { cwd: ROOT, encoding: "utf8" });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--format is xml; allowed: text, json, sarif/);
  });

  it("lists every rule with its level and kind", () => {
    const listed = spawnSync(process.execPath, [CHECK, "--list"], { cwd: ROOT, encoding: "utf8" });
    expect(listed.status).toBe(0);
    const ids = listed.stdout
      .trim()
      .split("\n")
      .map((line) => line.split(/\s+/)[0]);
    expect(ids).toEqual(RULES.map((r) => r.id));
  });

  it("checks several plans at once, as JSON and as SARIF 2.1.0 valid against the standard's schema, failing on a mandatory violation in any", () => {
    const out = mkdtempSync(join(tmpdir(), "hm-policy-many-"));
    for (const stack of ["dev", "prod"]) expect(run([stack, "--json", join(out, `${stack}.json`)], referenceProject()).status).toBe(0);
    const prod = JSON.parse(readFileSync(join(out, "prod.json"), "utf8")) as { resources: { type: string; name: string; inputs: Record<string, unknown> }[] };
    prod.resources.find((r) => r.type === "aws:s3/bucket:Bucket" && r.name === "data-buckets-us-west-2-data")!.inputs["forceDestroy"] = true;
    writeFileSync(join(out, "prod.json"), JSON.stringify(prod));
    const files = [join(out, "dev.json"), join(out, "prod.json")];

    const json = spawnSync(process.execPath, [CHECK, "--format", "json", ...files], { cwd: ROOT, encoding: "utf8" });
    expect(json.status).toBe(1);
    const report = JSON.parse(json.stdout) as { stacks: { stack: string; mandatory: number; findings: { policy: string }[] }[] };
    expect(report.stacks.map((s) => [s.stack, s.mandatory])).toEqual([
      ["dev", 0],
      ["prod", 1],
    ]);
    expect(report.stacks[1]!.findings.map((f) => f.policy)).toEqual(["s3-no-force-destroy"]);

    const sarifFile = join(out, "policy.sarif");
    const sarif = spawnSync(process.execPath, [CHECK, "--format", "sarif", "--output", sarifFile, ...files], { cwd: ROOT, encoding: "utf8" });
    expect(sarif.status).toBe(1);
    const log = JSON.parse(readFileSync(sarifFile, "utf8")) as {
      runs: {
        tool: { driver: { rules: { id: string }[] } };
        results: { ruleId: string; ruleIndex: number; level: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      }[];
    };
    // The OASIS schema as Microsoft's SARIF Multitool ships it (JSON Schema 2020-12).
    const schema = JSON.parse(readFileSync(join(ROOT, "node_modules", "@microsoft", "sarif-multitool-linux", "sarif-2.1.0.json"), "utf8")) as object;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv); // uri, uri-reference, date-time and uuid are checked, not ignored
    const validate = ajv.compile(schema);
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const [result] = log.runs[0]!.results;
    expect(log.runs[0]!.results).toHaveLength(1);
    expect(result!.ruleId).toBe("s3-no-force-destroy");
    expect(log.runs[0]!.tool.driver.rules[result!.ruleIndex]!.id).toBe("s3-no-force-destroy");
    expect(result!.level).toBe("error");
    expect(result!.locations[0]!.physicalLocation.artifactLocation.uri).toBe("stacks/Pulumi.prod.yaml");
  });
});
