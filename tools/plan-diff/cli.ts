/**
 * npm run plan:diff -- <base> <head> [--markdown FILE] [--acknowledge-data-loss]
 * base and head are plan files of one stack, or folders of <stack>.json plans (every stack in both).
 * Exit codes: 0 fine, 1 data-loss risk not acknowledged, 2 usage error.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Plan } from "../preview/plan";
import { diffPlans } from "./diff";
import { renderMarkdown, renderText } from "./render";

function usage(message: string): never {
  console.error(`${message}\nusage: npm run plan:diff -- <base.json|dir> <head.json|dir> [--markdown FILE] [--acknowledge-data-loss]`);
  process.exit(2);
}

const args = process.argv.slice(2);
const acknowledged = args.includes("--acknowledge-data-loss");
const markdownAt = args.indexOf("--markdown");
const markdownFile = markdownAt >= 0 ? args[markdownAt + 1] : undefined;
if (markdownAt >= 0 && !markdownFile) usage("--markdown needs a file name");
const positional = args.filter((a, i) => !a.startsWith("--") && (markdownAt < 0 || i !== markdownAt + 1));
if (positional.length !== 2) usage("give a base and a head plan");
const [base, head] = positional as [string, string];
for (const p of [base, head]) if (!existsSync(p)) usage(`no plan at ${p}`);

const read = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Plan;
const pairs: [Plan, Plan][] = statSync(base).isDirectory()
  ? readdirSync(head).filter((f) => f.endsWith(".json") && existsSync(join(base, f))).sort().map((f) => [read(join(base, f)), read(join(head, f))])
  : [[read(base), read(head)]];
if (pairs.length === 0) usage(`no <stack>.json plan is in both ${basename(base)} and ${basename(head)}`);

const diffs = pairs.map(([b, h]) => diffPlans(b, h));
console.log(renderText(diffs));
if (markdownFile) writeFileSync(markdownFile, renderMarkdown(diffs));
const risky = diffs.some((d) => d.dataLossRisks.length > 0);
if (risky && !acknowledged) console.error("Data-loss risks found; rerun with --acknowledge-data-loss once they are intended.");
process.exitCode = risky && !acknowledged ? 1 : 0;
