/**
 * npm run plan:diff -- <base> <head> [--markdown FILE] [--acknowledge-data-loss]
 * base and head are plan files of one stack, or folders of <stack>.json plans: every stack of
 * either side is shown, a stack on one side only as created or gone. Plans of different stacks or
 * projects are refused. With --engine-preview FILE (one stack's `pulumi preview --json`, when
 * credentials allow a real preview) the engine's replacements are set beside the offline ones.
 * Exit codes: 0 fine, 1 data-loss risk not acknowledged, 2 usage error.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Plan } from "../preview/plan";
import { diffPlans, PlanMismatchError, type StackDiff } from "./diff";
import { diffStackSets } from "./stacks";
import { compareWithEngine, parseEnginePreview } from "./engine-preview";
import { renderMarkdown, renderText } from "./render";

function usage(message: string): never {
  console.error(`${message}\nusage: npm run plan:diff -- <base.json|dir> <head.json|dir> [--markdown FILE] [--acknowledge-data-loss]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const acknowledged = args.includes("--acknowledge-data-loss");
const valueOf = (flag: string): string | undefined => {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (!value || value.startsWith("--")) usage(`${flag} needs a file name`);
  return value;
};
const markdownFile = valueOf("--markdown");
const enginePreviewFile = valueOf("--engine-preview");
const flagValues = new Set([markdownFile, enginePreviewFile].filter((v) => v !== undefined));
const positional = args.filter((a) => !a.startsWith("--") && !flagValues.has(a));
if (positional.length !== 2) usage("give a base and a head plan");
const [base, head] = positional as [string, string];
for (const p of [base, head]) if (!existsSync(p)) usage(`no plan at ${p}`);

const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Plan;
const plansIn = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => read(join(dir, f)));
if (statSync(base).isDirectory() !== statSync(head).isDirectory()) usage("give two plan files or two folders of plans");
let diffs: StackDiff[];
try {
  diffs = statSync(base).isDirectory() ? diffStackSets(plansIn(base), plansIn(head)) : [diffPlans(read(base), read(head))];
} catch (error) {
  if (error instanceof PlanMismatchError) usage(error.message);
  throw error;
}
if (diffs.length === 0) usage(`no <stack>.json plan in ${basename(base)} or ${basename(head)}`);
if (enginePreviewFile) {
  if (diffs.length !== 1) usage("--engine-preview takes the real preview of one stack: compare one stack's plans with it");
  const comparison = compareWithEngine(diffs[0]!, parseEnginePreview(JSON.parse(readFileSync(enginePreviewFile, "utf8"))));
  console.log(`pulumi preview agrees on ${comparison.agreed.length} replacements`);
  for (const m of comparison.missedOffline)
    console.log(`  replaced by the engine, not foreseen offline: ${m.urn} (${m.reasons.join(", ") || "no reason given"})`);
  for (const u of comparison.notReplacedByEngine) console.log(`  foreseen offline, not replaced by the engine: ${u}`);
  diffs[0] = { ...diffs[0]!, dataLossRisks: [...diffs[0]!.dataLossRisks, ...comparison.extraRisks] };
}
console.log(renderText(diffs));
if (markdownFile) writeFileSync(markdownFile, renderMarkdown(diffs));
const risky = diffs.some((d) => d.dataLossRisks.length > 0);
if (risky && !acknowledged) console.error("Data-loss risks found; rerun with --acknowledge-data-loss once they are intended.");
process.exitCode = risky && !acknowledged ? 1 : 0;
