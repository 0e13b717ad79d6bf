/**
 * npm run bootstrap:preview -- <stack> [--json FILE]
 *   The bootstrap program under runtime mocks with bootstrap/stacks/Pulumi.<stack>.yaml, through
 *   the platform's offline preview (tools/preview/run.ts). Exit codes: 0 fine, 1 invalid config or
 *   failed checks, 2 usage error.
 * npm run bootstrap:preview -- --write-footprint
 *   Runs the platform's offline preview of every platform stack and writes their footprints to
 *   bootstrap/platform-footprint.json (the roles' permissions are computed from it).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { availableStacks, StackFileError } from "../tools/preview/stack-file";
import { planFails, previewStack } from "../tools/preview/run";
import { renderSummary, renderTree } from "../tools/preview/render";
import { FOOTPRINT_FILE, footprintFileText, footprintOfPlan, type PlatformFootprint } from "./footprint";
import { BOOTSTRAP_ROOT, bootstrapProgram, PLATFORM_ROOT } from "./preview-program";

function usage(message: string): never {
  console.error(`${message}\nusage: npm run bootstrap:preview -- <stack> [--json FILE]\n       npm run bootstrap:preview -- --write-footprint`);
  process.exit(2);
}

/** The footprints of every platform stack, from their offline plans; refuses a plan that fails. */
export async function platformFootprints(): Promise<PlatformFootprint[]> {
  const footprints: PlatformFootprint[] = [];
  for (const stack of availableStacks(PLATFORM_ROOT)) {
    const { plan } = await previewStack(stack, { root: PLATFORM_ROOT });
    if (planFails(plan))
      throw new Error(`the platform's offline preview of ${stack} fails (npm run preview:offline -- ${stack}); fix it before deriving permissions from it`);
    footprints.push(footprintOfPlan(plan));
  }
  return footprints;
}

async function main(argv: string[]): Promise<void> {
  if (argv.includes("--write-footprint")) {
    if (argv.length > 1) usage("--write-footprint takes no other argument");
    writeFileSync(FOOTPRINT_FILE, footprintFileText(await platformFootprints()));
    console.log(`wrote ${FOOTPRINT_FILE}`);
    return;
  }
  let json: string | undefined;
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--json") json = argv[++i] ?? usage("--json needs a file name");
    else if (arg.startsWith("-")) usage(`unknown option ${arg}`);
    else positional.push(arg);
  }
  if (positional.length !== 1) usage("give one bootstrap stack name (bootstrap/stacks/Pulumi.<stack>.yaml)");
  const stack = positional[0]!;
  let result;
  try {
    result = await previewStack(stack, { root: BOOTSTRAP_ROOT, program: bootstrapProgram });
  } catch (error) {
    if (error instanceof StackFileError) usage(error.message);
    throw error;
  }
  const { plan, validatedObjects } = result;
  console.log(`Previewing update (${plan.project}/${plan.stack}), offline: the bootstrap program under runtime mocks\n`);
  if (plan.configErrors.length === 0) console.log(`${renderTree(plan)}\n`);
  console.log(renderSummary(plan, validatedObjects));
  if (json) {
    mkdirSync(dirname(resolve(json)), { recursive: true });
    writeFileSync(json, JSON.stringify(plan, null, 2) + "\n");
  }
  process.exitCode = planFails(plan) ? 1 : 0;
}

// Started directly, or through tools/run.mjs (which loads this file with process.argv[1] set to it).
if (require.main === module || process.argv[1] === __filename) {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exit(1);
  });
}
