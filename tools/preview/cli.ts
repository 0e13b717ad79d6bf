/**
 * npm run preview:offline -- <stack> [--json FILE] [--markdown FILE]
 * npm run preview:offline -- <stack> <stack>... [--json DIR/{stack}.json] [--markdown DIR/{stack}.md]
 * npm run preview:offline -- <stack> --program DIR
 *   Any Pulumi Node.js program instead of this repository's stacks: DIR holds its Pulumi.yaml, its
 *   stack files and its installed node_modules (tools/preview/program-dir.ts says how it is loaded).
 * Several stacks run in one process (the start-up cost is paid once); file names then need the
 * {stack} placeholder. Exit codes: 0 fine, 1 invalid config / schema error / mandatory policy
 * violation in any stack, 2 usage error.
 */
// This comes first: it makes the modules imported after it load faster. (Node's compile cache is
// turned on by tools/run.mjs, before this file loads.)
import "../lib/defer-closure-serialization";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { planFails, previewStack, type PreviewProgram } from "./run";
import { renderMarkdown, renderSummary, renderTree } from "./render";
import { StackFileError } from "./stack-file";
import { directoryProgram } from "./program-dir";

function usage(message: string): never {
  console.error(`${message}\nusage: npm run preview:offline -- <stack> [<stack>...] [--json FILE] [--markdown FILE] [--program DIR]`);
  process.exit(2);
}

function parseArgs(argv: string[]): { stacks: string[]; json?: string; markdown?: string; program?: string } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json" || arg === "--markdown" || arg === "--program") {
      const value = argv[++i];
      if (!value) usage(`${arg} needs a ${arg === "--program" ? "folder" : "file name"}`);
      // Resolved now: a program's run switches to its folder, as `pulumi` does.
      flags[arg.slice(2)] = resolve(value);
    } else if (arg.startsWith("-")) usage(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length === 0) usage("give a stack name (dev, staging, prod)");
  if (positional.length > 1) {
    for (const [flag, file] of Object.entries(flags))
      if (flag !== "program" && !file.includes("{stack}")) usage(`with several stacks, --${flag} needs {stack} in its file name`);
  }
  return { stacks: positional, ...flags };
}

function write(file: string, content: string): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, content);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  let program: PreviewProgram | undefined;
  try {
    program = args.program === undefined ? undefined : directoryProgram(args.program);
  } catch (error) {
    usage(error instanceof Error ? error.message : String(error));
  }
  const root = args.program ?? process.cwd();
  let failed = false;
  for (const stack of args.stacks) {
    const started = performance.now();
    let result;
    try {
      result = await previewStack(stack, { root, ...(program ? { program } : {}) });
    } catch (error) {
      if (error instanceof StackFileError) usage(error.message);
      throw error;
    }
    const { plan, validatedObjects } = result;
    console.log(`Previewing update (${plan.stack}), offline: the real program under runtime mocks\n`);
    if (plan.configErrors.length === 0) console.log(`${renderTree(plan)}\n`);
    console.log(renderSummary(plan, validatedObjects));
    console.log(`\nDuration: ${((performance.now() - started) / 1000).toFixed(2)}s\n`);
    if (args.json) write(args.json.replaceAll("{stack}", stack), JSON.stringify(plan, null, 2) + "\n");
    if (args.markdown) write(args.markdown.replaceAll("{stack}", stack), renderMarkdown(plan, validatedObjects));
    // A program of its own (--program) may run against a cluster or account that already has what the
    // first-deploy simulation looks for (CRDs, controllers, access entries): its findings are shown
    // and do not fail the preview, since the simulation cannot see what exists outside the stack.
    failed ||= planFails(args.program === undefined ? plan : { ...plan, deployFindings: [] });
  }
  process.exitCode = failed ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(1);
});
