/**
 * npm run preview:offline -- <stack> [--json FILE] [--markdown FILE]
 * Exit codes: 0 fine, 1 invalid config / schema error / mandatory policy violation, 2 usage error.
 */
// These two come first: they make the modules imported after them load faster.
import { enableCompileCache } from "../lib/compile-cache";
enableCompileCache();
import "../lib/defer-closure-serialization";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { planFails, previewStack } from "./run";
import { renderMarkdown, renderSummary, renderTree } from "./render";
import { StackFileError } from "./stack-file";

function usage(message: string): never {
  console.error(`${message}\nusage: npm run preview:offline -- <stack> [--json FILE] [--markdown FILE]`);
  process.exit(2);
}

function parseArgs(argv: string[]): { stack: string; json?: string; markdown?: string } {
  const positional: string[] = [];
  const flags: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json" || arg === "--markdown") {
      const value = argv[++i];
      if (!value) usage(`${arg} needs a file name`);
      flags[arg.slice(2)] = value;
    } else if (arg.startsWith("-")) usage(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) usage("give exactly one stack name (dev, staging, prod)");
  return { stack: positional[0]!, ...flags };
}

function write(file: string, content: string): void {
  mkdirSync(dirname(resolve(file)), { recursive: true });
  writeFileSync(file, content);
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const started = performance.now();
  let result;
  try {
    result = await previewStack(args.stack, { root: process.cwd() });
  } catch (error) {
    if (error instanceof StackFileError) usage(error.message);
    throw error;
  }
  const { plan, validatedObjects } = result;
  console.log(`Previewing update (${plan.stack}), offline: the real program under runtime mocks\n`);
  if (plan.configErrors.length === 0) console.log(`${renderTree(plan)}\n`);
  console.log(renderSummary(plan, validatedObjects));
  console.log(`\nDuration: ${((performance.now() - started) / 1000).toFixed(2)}s`);
  if (args.json) write(args.json, JSON.stringify(plan, null, 2) + "\n");
  if (args.markdown) write(args.markdown, renderMarkdown(plan, validatedObjects));
  process.exitCode = planFails(plan) ? 1 : 0;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exit(1);
});
