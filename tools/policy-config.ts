/**
 * npm run policy:config -- <stack> [--output FILE] [--root DIR]
 * (--root: the folder holding Pulumi.yaml; default the current one, where npm runs scripts)
 * Writes the policy config for CrossGuard from the stack's config: every policy of the pack given the
 * stack's rule context (its tier and its waivers, stacks/policy-context.ts), in the format
 * `pulumi preview|up --policy-pack policies --policy-pack-config FILE` reads
 * (policies/rules/context-schema.ts). Prints to stdout without --output. Exits 1 when the stack's
 * config is invalid (listing every problem, as the program would refuse it), 2 on a usage error.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { RULES } from "../policies/rules";
import { policyPackConfig } from "../policies/rules/context-schema";
import { ConfigError, loadEnvironment } from "../stacks/config/load";
import { policyContextOf } from "../stacks/policy-context";
import { loadStackConfig, StackFileError, uncheckedSecretsNotice } from "./preview/stack-file";

const USAGE = "usage: npm run policy:config -- <stack> [--output FILE]";

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const args = process.argv.slice(2);
let output: string | undefined;
let root = process.cwd();
const stacks: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === "--output") output = args[++i] ?? fail("--output needs a file");
  else if (a === "--root") root = resolve(args[++i] ?? fail("--root needs a folder (the one holding Pulumi.yaml)"));
  else if (a.startsWith("-")) fail(`unknown option ${a}`);
  else stacks.push(a);
}
if (stacks.length !== 1) fail(stacks.length === 0 ? "give a stack name" : `give one stack, not ${stacks.join(", ")}`);
const stack = stacks[0]!;

let stackConfig;
try {
  stackConfig = loadStackConfig(root, stack);
} catch (error) {
  if (error instanceof StackFileError) fail(error.message);
  throw error;
}
if (stackConfig.uncheckedSecrets.length > 0) console.error(uncheckedSecretsNotice(stackConfig));
const problems = stackConfig.problems.map((p) => `  - ${p.key}: ${p.message}`);
let context: ReturnType<typeof policyContextOf> | undefined;
if (problems.length === 0) {
  try {
    const secretKeys = new Set(stackConfig.secretKeys);
    context = policyContextOf(loadEnvironment(stackConfig.config, stack, { isSecret: (key) => secretKeys.has(key) }));
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    console.error(error.message);
  }
} else console.error(`Invalid configuration for stack "${stack}":\n${problems.join("\n")}`);

if (context === undefined) process.exitCode = 1;
else {
  const text = `${JSON.stringify(
    policyPackConfig(
      RULES.map((r) => r.id),
      context,
    ),
    null,
    2,
  )}\n`;
  if (output === undefined) process.stdout.write(text);
  else {
    mkdirSync(dirname(resolve(output)), { recursive: true });
    writeFileSync(output, text);
    console.error(`Policy config of stack "${stack}" written to ${output}: ${RULES.length} policies, ${context.waivers?.length ?? 0} waivers`);
  }
}
