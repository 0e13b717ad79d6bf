/**
 * The GitHub Actions workflows, validated by GitHub's own workflow parser (@actions/workflow-parser,
 * which checks them against the Actions workflow schema), and held to the project's rules:
 * least-privilege permissions, pinned actions, ordered and non-overlapping deployments; stacks read from
 * the stack files, never listed; a preview role per stack for pull requests, a deploy role per stack
 * for deployments; the backend, region and runner from variables.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const DIR = join(ROOT, ".github", "workflows");
const files = readdirSync(DIR)
  .filter((f) => f.endsWith(".yml"))
  .sort();
const text = (f: string) => readFileSync(join(DIR, f), "utf8");
interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, string>;
  env?: Record<string, string>;
}
interface Job {
  permissions?: Record<string, string>;
  uses?: string;
  needs?: string | string[];
  environment?: string;
  concurrency?: { group: string; "cancel-in-progress": boolean };
  steps?: Step[];
  if?: string;
  "runs-on"?: unknown;
  strategy?: { matrix?: unknown; "max-parallel"?: number; "fail-fast"?: boolean };
  with?: Record<string, string>;
}
const workflow = (f: string) =>
  parse(text(f)) as { on?: Record<string, { types?: string[] } | null>; permissions?: Record<string, string>; jobs: Record<string, Job> };
const steps = (f: string) => Object.values(workflow(f).jobs).flatMap((j) => j.steps ?? []);
const allSteps = () => files.flatMap(steps);
/** The stacks of the repository: its stack files. */
const STACKS = readdirSync(join(ROOT, "stacks")).flatMap((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1] ?? []);
/** Every string in a parsed workflow (keys and values; comments are not in it). */
const strings = (v: unknown): string[] =>
  typeof v === "string"
    ? [v]
    : Array.isArray(v)
      ? v.flatMap(strings)
      : v && typeof v === "object"
        ? Object.entries(v).flatMap(([k, x]) => [k, ...strings(x)])
        : [];

describe("GitHub Actions workflows", () => {
  it("are the pull-request, deploy, deploy-stack and stacks workflows", () => {
    expect(files).toEqual(["deploy-stack.yml", "deploy.yml", "pull-request.yml", "stacks.yml"]);
  });

  it.each(files)("%s passes GitHub's workflow parser with no error", async (f) => {
    const { parseWorkflow, NoOperationTraceWriter } = await import("@actions/workflow-parser");
    const result = parseWorkflow({ name: f, content: text(f) }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
  });

  it("the parser does catch a mistake (a misspelt key), so that the check above can fail", async () => {
    const { parseWorkflow, NoOperationTraceWriter } = await import("@actions/workflow-parser");
    const broken = text("deploy-stack.yml").replace("    steps:", "    stepz:");
    expect(parseWorkflow({ name: "broken.yml", content: broken }, new NoOperationTraceWriter()).context.errors.getErrors().length).toBeGreaterThan(0);
  });

  it.each(files)("%s grants read-only contents by default and every job states its own permissions", (f) => {
    const w = workflow(f);
    expect(w.permissions).toEqual({ contents: "read" });
    for (const [name, job] of Object.entries(w.jobs)) {
      expect(job.permissions, `${f}: job ${name}`).toBeDefined();
      expect(Object.values(job.permissions!).every((p) => p === "read" || p === "write")).toBe(true);
      expect(job.permissions!["contents"]).toBe("read");
    }
  });

  it("pins every action to a commit SHA, except pulumi/actions, pinned to an exact release", () => {
    const uses = files.flatMap((f) => Object.values(workflow(f).jobs).flatMap((j) => (j.steps ?? []).flatMap((s) => (s.uses ? [s.uses] : []))));
    const external = uses.filter((u) => !u.startsWith("./"));
    expect(external.length).toBeGreaterThan(5);
    const bySha = external.filter((u) => /@[0-9a-f]{40}$/.test(u));
    const byTag = external.filter((u) => !bySha.includes(u));
    expect([...new Set(byTag)]).toEqual(["pulumi/actions@v6.2.0"]);
  });

  it("deploys every stack, one at a time in the stacks' order, each in its environment and never twice at once", () => {
    const deploy = workflow("deploy.yml").jobs["deploy"]!;
    expect(deploy.needs).toBe("stacks");
    expect(deploy.uses).toBe("./.github/workflows/deploy-stack.yml");
    expect(deploy.strategy).toEqual({ "max-parallel": 1, "fail-fast": true, matrix: "${{ fromJSON(needs.stacks.outputs.matrix) }}" });
    expect(deploy.with).toEqual({ stack: "${{ matrix.stack }}", region: "${{ matrix.region }}", runner: "${{ matrix.runner }}" });
    const stack = workflow("deploy-stack.yml").jobs["up"]!;
    expect(stack.environment).toBe("${{ inputs.stack }}");
    expect(stack.concurrency).toEqual({ group: "deploy-${{ inputs.stack }}", "cancel-in-progress": false });
  });

  it("verifies the EKS add-on pins against the API before pulumi up", () => {
    const steps = workflow("deploy-stack.yml").jobs["up"]!.steps as { run?: string; uses?: string }[];
    const verify = steps.findIndex((s) => s.run === "npm run addons:verify");
    const up = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
    const credentials = steps.findIndex((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@"));
    expect(verify).toBeGreaterThan(credentials);
    expect(verify).toBeLessThan(up);
  });

  it("runs the real preview only where the repository turns it on and never for pull requests from forks", () => {
    expect(workflow("pull-request.yml").jobs["pulumi-preview"]!.if).toBe(
      "github.event.pull_request.head.repo.full_name == github.repository && vars.PULUMI_REAL_PREVIEW == 'true'",
    );
    expect(text("pull-request.yml")).toContain("updateComment");
  });

  it("holds no list of stacks: every stack comes from the stack files", () => {
    expect(STACKS.length).toBeGreaterThan(1);
    const name = `(?:${STACKS.map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`;
    const list = new RegExp(`\\b${name}\\b[\\s,'"]+\\b${name}\\b`);
    for (const f of files) {
      const w = workflow(f);
      for (const s of strings(w)) expect(s, `${f}: ${s}`).not.toMatch(list);
      for (const [id, job] of Object.entries(w.jobs)) {
        expect(STACKS, `${f}: job ${id} is named after a stack`).not.toContain(id);
        if (job.strategy?.matrix !== undefined) expect(job.strategy.matrix, `${f}: job ${id}`).toBe("${{ fromJSON(needs.stacks.outputs.matrix) }}");
        for (const v of Object.values(job.with ?? {})) expect(STACKS, `${f}: job ${id} with`).not.toContain(v);
        for (const step of job.steps ?? []) for (const v of Object.values(step.with ?? {})) expect(STACKS, `${f}: job ${id} step with`).not.toContain(v);
      }
    }
    // The offline plans take the stacks each side has.
    const previews = steps("pull-request.yml").flatMap((s) => s.run?.split("\n").filter((l) => l.includes("preview:offline")) ?? []);
    expect(previews).toHaveLength(2);
    for (const line of previews) expect(line).toMatch(/preview:offline -- \$stacks --json/);
  });

  it("lists the stacks of the stack files, in tier order, with a runner from DEPLOY_RUNNER_LABELS for those deployed from inside their VPC", () => {
    const step = (workflow("stacks.yml").jobs["list"]!.steps as { id?: string; run?: string }[]).find((s) => s.id === "list")!;
    const out = join(mkdtempSync(join(tmpdir(), "stacks-")), "output");
    const run = (labels: string) => {
      execFileSync("bash", ["-e", "-c", step.run!], {
        cwd: ROOT,
        env: { ...process.env, GITHUB_OUTPUT: out, DEPLOY_RUNNER_LABELS: labels, PREVIEW_RUNNER_LABELS: "" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      const line = readFileSync(out, "utf8").trim().split("\n").at(-1)!;
      return (JSON.parse(line.replace(/^matrix=/, "")) as { include: { stack: string; tier: string; region: string; runner: string; previewRunner: string }[] })
        .include;
    };
    const rows = run('["self-hosted", "linux", "highmem-{stack}"]');
    expect(rows.map((r) => r.stack).sort()).toEqual([...STACKS].sort());
    const tiers = ["dev", "staging", "prod"];
    expect(rows.map((r) => tiers.indexOf(r.tier))).toEqual(rows.map((r) => tiers.indexOf(r.tier)).sort());
    for (const r of rows) {
      expect(r.region, r.stack).toMatch(/^[a-z]{2}-[a-z]+-\d$/);
      const inVpc = /clusterPrivateAccessCidrs:\s*\n\s+- /.test(readFileSync(join(ROOT, "stacks", `Pulumi.${r.stack}.yaml`), "utf8"));
      expect(JSON.parse(r.runner), r.stack).toEqual(inVpc ? ["self-hosted", "linux", `highmem-${r.stack}`] : "ubuntu-latest");
      expect(r.previewRunner).toBe(r.runner);
    }
    // (The sample staging and prod stacks exercise the self-hosted branch; a team whose stacks are all
    // public still passes: the rule above is per stack.)
    expect(run("").every((r) => r.runner === '"ubuntu-latest"')).toBe(true);
  });

  it("the diff step compares the stacks on both sides and lists a stack added or removed, without failing on them", () => {
    const step = (workflow("pull-request.yml").jobs["offline-plan-diff"]!.steps as { id?: string; run?: string }[]).find((s) => s.id === "diff")!;
    // The job's layout: plans/base, plans/head next to the head checkout, which runs plan:diff.
    const dir = mkdtempSync(join(tmpdir(), "plan-diff-"));
    const plan = (side: string, stack: string) => {
      mkdirSync(join(dir, "plans", side), { recursive: true });
      writeFileSync(
        join(dir, "plans", side, `${stack}.json`),
        JSON.stringify({ stack, project: "highmem-platform", resources: [], violations: [], schemaErrors: [], deployFindings: [], configErrors: [] }),
      );
    };
    plan("base", "one");
    plan("base", "gone");
    plan("head", "one");
    plan("head", "new");
    const head = join(dir, "head");
    mkdirSync(head);
    copyFileSync(join(ROOT, "package.json"), join(head, "package.json"));
    for (const d of ["tools", "dist", "node_modules", "scripts"]) symlinkSync(join(ROOT, d), join(head, d));
    execFileSync("bash", ["-e", "-c", step.run!], { cwd: head, env: { ...process.env, ACKNOWLEDGED: "false" }, stdio: "ignore" });
    const markdown = readFileSync(join(dir, "plan-diff.md"), "utf8");
    expect(markdown).toContain("- one: no changes");
    expect(markdown).toContain("- new: new stack, 0 resources to create");
    expect(markdown).toContain("- gone: stack removed from the repository; its 0 resources stay until `pulumi destroy`");
  });

  it("re-runs on label events, so that the data-loss-acknowledged label re-runs the diff", () => {
    const types = workflow("pull-request.yml").on!["pull_request"]!.types!;
    for (const t of ["opened", "synchronize", "reopened", "labeled", "unlabeled"]) expect(types).toContain(t);
  });

  it("has a lockfile for every package a workflow installs with npm ci", () => {
    const runs = allSteps().flatMap((s) => s.run ?? []);
    const prefixes = runs.flatMap((r) => [...r.matchAll(/npm ci --prefix (\S+)/g)].map((m) => m[1]!));
    expect(prefixes).toContain("policies");
    for (const p of [".", ...prefixes]) expect(existsSync(join(ROOT, p, "package-lock.json")), `${p}/package-lock.json`).toBe(true);
  });

  it("previews each stack in its own preview environment with a read-only preview role, and deploys with the deploy role", () => {
    const preview = workflow("pull-request.yml").jobs["pulumi-preview"]!;
    expect(preview.environment).toBe("preview-${{ matrix.stack }}");
    expect(preview.strategy?.matrix).toBe("${{ fromJSON(needs.stacks.outputs.matrix) }}");
    const role = (job: Job) =>
      (job.steps ?? []).filter((s) => s.uses?.startsWith("aws-actions/configure-aws-credentials@")).map((s) => s.with!["role-to-assume"]);
    expect(role(preview)).toEqual(["${{ vars.AWS_PREVIEW_ROLE_ARN }}"]);
    expect(role(workflow("deploy-stack.yml").jobs["up"]!)).toEqual(["${{ vars.AWS_DEPLOY_ROLE_ARN }}"]);
    // Pull-request code never assumes the deploy role, and no role is shared by every stack.
    for (const s of steps("pull-request.yml")) expect(s.with?.["role-to-assume"] ?? "").not.toContain("DEPLOY");
    for (const f of files) expect(text(f)).not.toMatch(/\bAWS_ROLE_ARN\b/);
    // The region comes from a variable or the stack file, never from the workflow.
    for (const s of allSteps().filter((s) => s.with?.["aws-region"] !== undefined))
      expect(s.with!["aws-region"]).toMatch(/^\$\{\{ vars\.AWS_REGION \|\| (matrix|inputs)\.region \}\}$/);
  });

  it("takes runs-on of deploy and real-preview jobs from variables (through the stacks list)", () => {
    expect(workflow("deploy-stack.yml").jobs["up"]!["runs-on"]).toBe("${{ fromJSON(inputs.runner) }}");
    expect(workflow("pull-request.yml").jobs["pulumi-preview"]!["runs-on"]).toBe("${{ fromJSON(matrix.previewRunner) }}");
    const list = (workflow("stacks.yml").jobs["list"]!.steps as { id?: string; env?: Record<string, string> }[]).find((s) => s.id === "list")!;
    expect(list.env).toEqual({ DEPLOY_RUNNER_LABELS: "${{ vars.DEPLOY_RUNNER_LABELS }}", PREVIEW_RUNNER_LABELS: "${{ vars.PREVIEW_RUNNER_LABELS }}" });
  });

  it("passes the backend variables to every pulumi/actions step", () => {
    const pulumi = allSteps().filter((s) => s.uses?.startsWith("pulumi/actions@"));
    expect(pulumi.length).toBe(2);
    for (const s of pulumi) expect(s.with!["cloud-url"]).toBe("${{ vars.PULUMI_BACKEND_URL }}");
    const up = pulumi.filter((s) => s.with!["command"] === "up");
    expect(up.map((s) => [s.with!["secrets-provider"], s.with!["upsert"]])).toEqual([["${{ vars.PULUMI_SECRETS_PROVIDER }}", true]]);
  });

  it("gives the policy pack the stack's policy config (tier and waivers) wherever it runs, written by policy:config for that job's stack", () => {
    const jobs = files.flatMap((f) => Object.entries(workflow(f).jobs).map(([id, job]) => ({ f, id, steps: job.steps ?? [] })));
    const withPack = jobs.filter((j) => j.steps.some((s) => s.with?.["policyPacks"] !== undefined));
    expect(withPack.map((j) => `${j.f}:${j.id}`).sort()).toEqual(["deploy-stack.yml:up", "pull-request.yml:pulumi-preview"]);
    for (const { f, id, steps } of withPack) {
      const pulumi = steps.findIndex((s) => s.with?.["policyPacks"] !== undefined);
      const writes = steps.findIndex((s) => s.run === 'npm run policy:config -- "$STACK" --output policy-config.json');
      expect(writes, `${f}:${id}`).toBeGreaterThan(-1);
      expect(writes, `${f}:${id}`).toBeLessThan(pulumi);
      expect(steps[writes]!.env!["STACK"]).toBe(steps[pulumi]!.with!["stack-name"]);
      expect(steps[pulumi]!.with!["policyPackConfigs"], `${f}:${id}`).toBe("policy-config.json");
    }
    // And, without credentials, for every stack file before any job that assumes a role.
    const list = (workflow("stacks.yml").jobs["list"]!.steps ?? []).map((s) => s.run ?? "");
    expect(list.some((r) => r.includes('npm run --silent policy:config -- "$stack"'))).toBe(true);
  });

  it("puts no ${{ }} expression in a run: script (inputs reach scripts through env:)", () => {
    for (const s of allSteps()) expect(s.run ?? "").not.toContain("${{");
  });
});
