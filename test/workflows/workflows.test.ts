/**
 * The GitHub Actions workflows, validated by GitHub's own workflow parser (@actions/workflow-parser,
 * which checks them against the Actions workflow schema), and held to the project's rules:
 * least-privilege permissions, pinned actions, ordered and non-overlapping deployments.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";

const DIR = join(__dirname, "..", "..", ".github", "workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml")).sort();
const text = (f: string) => readFileSync(join(DIR, f), "utf8");
interface Job { permissions?: Record<string, string>; uses?: string; needs?: string | string[]; environment?: string; concurrency?: { group: string; "cancel-in-progress": boolean }; steps?: { uses?: string }[]; if?: string }
const workflow = (f: string) => parse(text(f)) as { permissions?: Record<string, string>; jobs: Record<string, Job> };

describe("GitHub Actions workflows", () => {
  it("are the pull-request, deploy and deploy-stack workflows", () => {
    expect(files).toEqual(["deploy-stack.yml", "deploy.yml", "pull-request.yml"]);
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

  it("deploys dev, then staging, then prod, each stack in its environment and never twice at once", () => {
    const deploy = workflow("deploy.yml").jobs;
    expect(deploy["staging"]!.needs).toBe("dev");
    expect(deploy["prod"]!.needs).toBe("staging");
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

  it("runs the real preview only with credentials and never for pull requests from forks", () => {
    expect(workflow("pull-request.yml").jobs["pulumi-preview"]!.if).toBe("github.event.pull_request.head.repo.full_name == github.repository && vars.AWS_ROLE_ARN != ''");
    expect(text("pull-request.yml")).toContain("updateComment");
  });
});
