/**
 * Replays, on this machine, the jobs of a GitHub Actions workflow that need no cloud credentials:
 * their `run:` steps run as written (shell, working directory, env, `${{ }}` expressions evaluated by
 * GitHub's own expression library, @actions/expressions), in the order of `needs`, each job in its own
 * workspace. Called by scripts/replay-workflow-jobs.sh, which makes the scratch clone and the user.
 *
 *   node --import tsx scripts/replay-workflow-jobs.mts --repo DIR --base SHA --work DIR [--workflow FILE]
 *
 * What is not GitHub's runner, and what stands in for it:
 * - a job with `id-token: write` (OIDC: cloud credentials) is not replayed, and says so;
 * - actions/checkout = a clone of --repo at the ref asked for (default: the head, --repo's HEAD);
 * - actions/setup-node = the Node on PATH when its major version is the one asked for, else the
 *   project's scripts/node.sh Node (24 from the npm registry), put first on PATH for later steps;
 * - actions/github-script = skipped (it talks to the GitHub API), and says so;
 * - any other `uses:` step in a replayed job fails the replay, so that it cannot pass by omission;
 * - contexts: `vars` and `secrets` are empty (a repository that set none), the pull request carries
 *   the labels of REPLAY_LABELS (comma-separated, default none), base.sha is --base.
 * Exit code: 0 when every replayed step passed, 1 otherwise.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Evaluator, Lexer, Parser, data } from "@actions/expressions";
import type { FunctionDefinition } from "@actions/expressions/funcs/info";
import { truthy } from "@actions/expressions/result";
import { parse } from "yaml";

interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  if?: string | boolean;
  shell?: string;
  "working-directory"?: string;
}
interface Job {
  name?: string;
  uses?: string;
  needs?: string | string[];
  if?: string;
  permissions?: Record<string, string>;
  strategy?: unknown;
  env?: Record<string, unknown>;
  outputs?: Record<string, string>;
  steps?: Step[];
  defaults?: { run?: { "working-directory"?: string; shell?: string } };
}
interface Workflow {
  on?: { workflow_call?: { outputs?: Record<string, { value: string }> } };
  jobs: Record<string, Job>;
}
interface JobResult {
  result: "success" | "failure" | "skipped";
  outputs: Record<string, string>;
}

function args(): { repo: string; base: string; work: string; workflow: string } {
  const a = process.argv.slice(2);
  const get = (flag: string, fallback?: string) => {
    const i = a.indexOf(flag);
    const v = i >= 0 ? a[i + 1] : fallback;
    if (v === undefined) throw new Error(`${flag} is required`);
    return v;
  };
  return { repo: resolve(get("--repo")), base: get("--base"), work: resolve(get("--work")), workflow: get("--workflow", ".github/workflows/pull-request.yml") };
}

const opts = args();
const git = (...a: string[]) => execFileSync("git", a, { encoding: "utf8" }).trim();
const headSha = git("-C", opts.repo, "rev-parse", "HEAD");
const baseSha = git("-C", opts.repo, "rev-parse", opts.base);
const labels = (process.env["REPLAY_LABELS"] ?? "")
  .split(",")
  .map((l) => l.trim())
  .filter(Boolean);
const log = (line: string) => console.log(`[replay] ${line}`);
const summary: string[] = [];

// --- expressions, with GitHub's expression library --------------------------------------------
const toData = (value: unknown): data.ExpressionData => JSON.parse(JSON.stringify(value ?? null), data.reviver);
type Status = { failed: boolean };
function functions(status: Status, workspace: string): Map<string, FunctionDefinition> {
  const fn = (name: string, minArgs: number, maxArgs: number, call: (...a: data.ExpressionData[]) => data.ExpressionData): [string, FunctionDefinition] => [
    name.toLowerCase(),
    { name, minArgs, maxArgs, call },
  ];
  return new Map([
    fn("success", 0, 0, () => new data.BooleanData(!status.failed)),
    fn("failure", 0, 0, () => new data.BooleanData(status.failed)),
    fn("always", 0, 0, () => new data.BooleanData(true)),
    fn("cancelled", 0, 0, () => new data.BooleanData(false)),
    // Enough of hashFiles for "is there such a file": a non-empty string when one of the files exists.
    fn("hashFiles", 1, 255, (...patterns) => new data.StringData(patterns.some((p) => existsSync(join(workspace, p.coerceString()))) ? "present" : "")),
  ]);
}
function evaluate(expression: string, context: Record<string, unknown>, status: Status, workspace: string): data.ExpressionData {
  const fns = functions(status, workspace);
  const tokens = new Lexer(expression).lex().tokens;
  const tree = new Parser(tokens, Object.keys(context), [...fns.values()]).parse();
  const ctx = new data.Dictionary(...Object.entries(context).map(([key, value]) => ({ key, value: toData(value) })));
  return new Evaluator(tree, ctx, fns).evaluate();
}
/** A string with `${{ }}` in it, as the runner renders it. */
function render(text: string, context: Record<string, unknown>, status: Status, workspace: string): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, e: string) => {
    const v = evaluate(e.trim(), context, status, workspace);
    return v.kind === data.Kind.Null ? "" : v.coerceString();
  });
}
/** An `if:` (step or job), which may omit the `${{ }}`; a step's default is success(). */
function condition(raw: string | boolean | undefined, context: Record<string, unknown>, status: Status, workspace: string): boolean {
  if (raw === undefined) return !status.failed;
  if (typeof raw === "boolean") return raw && !status.failed;
  const e = raw
    .trim()
    .replace(/^\$\{\{([\s\S]*)\}\}$/, "$1")
    .trim();
  const usesStatus = /\b(success|failure|always|cancelled)\s*\(/i.test(e);
  const value = evaluate(usesStatus ? e : `success() && (${e})`, context, status, workspace);
  return truthy(value);
}

// --- jobs ---------------------------------------------------------------------------------------
function githubContext(workspace: string): Record<string, unknown> {
  return {
    event_name: "pull_request",
    repository: "replay/local",
    workspace,
    sha: headSha,
    run_id: String(process.pid),
    token: "",
    event: {
      action: "synchronize",
      pull_request: {
        number: 0,
        labels: labels.map((name) => ({ name })),
        base: { sha: baseSha, ref: "main" },
        head: { sha: headSha, repo: { full_name: "replay/local" } },
      },
    },
  };
}

function runJob(id: string, job: Job, needs: Record<string, JobResult>, workRoot: string): JobResult {
  if (job.strategy !== undefined) throw new Error(`job ${id}: a matrix job cannot be replayed here`);
  const workspace = join(workRoot, id);
  const temp = join(workRoot, `${id}.tmp`);
  mkdirSync(workspace, { recursive: true });
  mkdirSync(temp, { recursive: true });
  const status: Status = { failed: false };
  const steps: Record<string, { outputs: Record<string, string>; outcome: string }> = {};
  const extraEnv: Record<string, string> = {};
  const context = () => ({
    github: githubContext(workspace),
    vars: {},
    secrets: {},
    inputs: {},
    matrix: {},
    needs,
    steps,
    env: { ...extraEnv },
    runner: { os: "Linux", temp },
  });
  for (const [index, step] of (job.steps ?? []).entries()) {
    const label = `${id} / ${step.name ?? step.uses ?? step.run?.split("\n")[0] ?? `step ${index + 1}`}`;
    if (!condition(step.if, context(), status, workspace)) {
      log(`${label}: skipped (if: ${String(step.if ?? "success()")})`);
      continue;
    }
    const started = performance.now();
    let ok = true;
    const outputs: Record<string, string> = {};
    if (step.uses !== undefined) {
      const action = step.uses.split("@")[0];
      const withs = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, render(String(v), context(), status, workspace)]));
      if (action === "actions/checkout") {
        const dest = join(workspace, withs["path"] ?? ".");
        const ref = withs["ref"] || headSha;
        mkdirSync(dest, { recursive: true });
        execFileSync("git", ["clone", "--quiet", opts.repo, dest], { stdio: "inherit" });
        execFileSync("git", ["-C", dest, "checkout", "--quiet", "--detach", ref], { stdio: "inherit" });
        log(`${label}: checkout = clone of the scratch repository at ${ref.slice(0, 12)} into ${dest}`);
      } else if (action === "actions/setup-node") {
        const want = withs["node-version"] ?? "";
        const have = process.versions.node;
        if (want && !have.startsWith(`${want.split(".")[0]}.`)) {
          // As setup-node would, put the asked-for Node first on PATH for the job's later steps: the
          // project's own scripts/node.sh provides Node 24 from the npm registry where this one is older.
          const nodeSh = join(dirname(fileURLToPath(import.meta.url)), "node.sh");
          const exec = execFileSync("bash", [nodeSh, "node", "-p", "process.execPath"], { encoding: "utf8" }).trim();
          const version = execFileSync(exec, ["--version"], { encoding: "utf8" }).trim();
          extraEnv["PATH"] = `${dirname(exec)}:${extraEnv["PATH"] ?? process.env["PATH"] ?? ""}`;
          log(`${label}: setup-node = ${version} from scripts/node.sh (the workflow asks for ${want}; the Node on PATH here is ${have})`);
          if (!version.startsWith(`v${want.split(".")[0]}.`)) log(`${label}: WARNING: ${version} here, the workflow installs ${want}`);
        } else {
          log(
            `${label}: setup-node = the Node on PATH (${have}; the workflow asks for ${want || "any"}${withs["cache"] ? `, npm cache = this user's ~/.npm` : ""})`,
          );
        }
      } else if (action === "actions/github-script") {
        log(`${label}: SKIPPED: actions/github-script talks to the GitHub API (it would post the comment)`);
        summary.push(`${label}: skipped (github-script, needs the GitHub API)`);
        continue;
      } else {
        throw new Error(`${label}: ${step.uses} cannot be replayed here; teach scripts/replay-workflow-jobs.mts what stands in for it`);
      }
    } else if (step.run !== undefined) {
      const script = render(step.run, context(), status, workspace);
      const file = join(temp, `step-${index + 1}.sh`);
      writeFileSync(file, script);
      const outputFile = join(temp, `output-${index + 1}`);
      const envFile = join(temp, `env-${index + 1}`);
      writeFileSync(outputFile, "");
      writeFileSync(envFile, "");
      const env: Record<string, string> = {
        ...(process.env as Record<string, string>),
        CI: "true",
        GITHUB_ACTIONS: "true",
        GITHUB_WORKSPACE: workspace,
        RUNNER_TEMP: temp,
        GITHUB_OUTPUT: outputFile,
        GITHUB_ENV: envFile,
        GITHUB_STEP_SUMMARY: join(temp, "summary.md"),
        GITHUB_EVENT_NAME: "pull_request",
        ...extraEnv,
      };
      for (const [k, v] of Object.entries({ ...job.env, ...step.env })) env[k] = render(String(v), context(), status, workspace);
      const cwd = join(workspace, render(step["working-directory"] ?? job.defaults?.run?.["working-directory"] ?? ".", context(), status, workspace));
      // The runner's defaults (docs.github.com, workflow syntax, jobs.<job_id>.steps[*].shell):
      // no shell given: `bash -e {0}`; `shell: bash`: `bash --noprofile --norc -eo pipefail {0}`.
      const shell = step.shell ?? job.defaults?.run?.shell;
      if (shell !== undefined && shell !== "bash") throw new Error(`${label}: shell ${shell} is not replayed`);
      const argv = shell === "bash" ? ["--noprofile", "--norc", "-eo", "pipefail", file] : ["-e", file];
      log(`${label}: run (in ${cwd})`);
      const result = spawnSync("bash", argv, { cwd, env, stdio: "inherit" });
      ok = result.status === 0;
      for (const line of readFileSync(outputFile, "utf8").split("\n")) {
        const eq = line.indexOf("=");
        if (eq > 0) outputs[line.slice(0, eq)] = line.slice(eq + 1);
      }
      for (const line of readFileSync(envFile, "utf8").split("\n")) {
        const eq = line.indexOf("=");
        if (eq > 0) extraEnv[line.slice(0, eq)] = line.slice(eq + 1);
      }
    }
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    if (step.id) steps[step.id] = { outputs, outcome: ok ? "success" : "failure" };
    summary.push(`${label}: ${ok ? "passed" : "FAILED"} (${seconds}s)`);
    log(`${label}: ${ok ? "passed" : "FAILED"} in ${seconds}s`);
    if (!ok) status.failed = true;
  }
  const outputs = Object.fromEntries(Object.entries(job.outputs ?? {}).map(([k, v]) => [k, render(v, context(), status, workspace)]));
  return { result: status.failed ? "failure" : "success", outputs };
}

/** Replays the jobs of one workflow file; a job calling a local reusable workflow replays its jobs. */
function replayWorkflow(file: string, workRoot: string): { ok: boolean; results: Record<string, JobResult>; workflow: Workflow } {
  const workflow = parse(readFileSync(join(opts.repo, file), "utf8")) as Workflow;
  const results: Record<string, JobResult> = {};
  const pending = Object.keys(workflow.jobs);
  while (pending.length > 0) {
    const ready = pending.findIndex((id) => [workflow.jobs[id]!.needs ?? []].flat().every((n) => results[n] !== undefined));
    if (ready < 0) throw new Error(`${file}: jobs ${pending.join(", ")} wait for jobs that do not exist`);
    const id = pending.splice(ready, 1)[0]!;
    const job = workflow.jobs[id]!;
    const needIds = [job.needs ?? []].flat();
    const needs = Object.fromEntries(needIds.map((n) => [n, results[n]!]));
    if (job.permissions?.["id-token"] === "write") {
      log(`${file} job ${id}: NOT REPLAYED: it asks for id-token: write (cloud credentials through OIDC)`);
      summary.push(`${file} job ${id}: not replayed (needs cloud credentials)`);
      results[id] = { result: "skipped", outputs: {} };
    } else if (needIds.some((n) => results[n]!.result !== "success")) {
      log(`${file} job ${id}: skipped: a job it needs did not succeed`);
      summary.push(`${file} job ${id}: skipped (a needed job did not succeed)`);
      results[id] = { result: "skipped", outputs: {} };
    } else if (job.if !== undefined && !condition(job.if, { github: githubContext(workRoot), vars: {}, needs, inputs: {} }, { failed: false }, workRoot)) {
      log(`${file} job ${id}: skipped (if: ${job.if})`);
      summary.push(`${file} job ${id}: skipped (its if: is false here)`);
      results[id] = { result: "skipped", outputs: {} };
    } else if (job.uses !== undefined) {
      if (!job.uses.startsWith("./")) throw new Error(`${file} job ${id}: ${job.uses} is not a local reusable workflow`);
      log(`${file} job ${id}: replaying the reusable workflow ${job.uses}`);
      const called = replayWorkflow(job.uses.slice(2), join(workRoot, id));
      const jobs = called.results;
      const outputs = Object.fromEntries(
        Object.entries(called.workflow.on?.workflow_call?.outputs ?? {}).map(([k, o]) => [k, render(o.value, { jobs }, { failed: false }, workRoot)]),
      );
      results[id] = { result: called.ok ? "success" : "failure", outputs };
    } else {
      log(`${file} job ${id}: replaying ${job.steps?.length ?? 0} steps`);
      results[id] = runJob(id, job, needs, workRoot);
    }
  }
  return { ok: Object.values(results).every((r) => r.result !== "failure"), results, workflow };
}

const started = performance.now();
log(
  `workflow ${opts.workflow} of ${opts.repo}: head ${headSha.slice(0, 12)}, base ${baseSha.slice(0, 12)}, labels [${labels.join(", ")}], user ${process.env["USER"] ?? process.getuid?.()}`,
);
let ok = false;
try {
  ok = replayWorkflow(opts.workflow, opts.work).ok;
} catch (error) {
  console.error(`[replay] error: ${error instanceof Error ? error.message : String(error)}`);
}
const minutes = ((performance.now() - started) / 60000).toFixed(1);
console.log(`\n[replay] summary (${minutes} min):\n${summary.map((s) => `  ${s}`).join("\n")}\n[replay] ${ok ? "every replayed step passed" : "FAILED"}`);
if (process.env["REPLAY_SUMMARY_FILE"]) appendFileSync(process.env["REPLAY_SUMMARY_FILE"], `${summary.join("\n")}\n`);
process.exit(ok ? 0 : 1);
