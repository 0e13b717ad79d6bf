/**
 * npm run policy:check -- [--list] [--format text|json|sarif] [--output FILE] [--today YYYY-MM-DD] <plan.json>...
 * Evaluates the policy pack's rules against plans the offline preview wrote (a file may hold one plan
 * or a list), prints the findings as text, JSON or SARIF 2.1.0 (for GitHub code scanning), and exits
 * 1 on a mandatory violation in any plan (2 on a usage error). --list prints the rules and exits.
 * Each plan's waivers (plan.policyContext.waivers, from its stack's policyWaivers) are applied as of
 * --today (default: today, UTC), and every report lists them.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { dayOf, evaluateWithWaivers, isCalendarDay, RULES } from "../policies/rules";
import type { Plan } from "./preview/plan";
import { REPORT_FORMATS, renderJson, renderRuleList, renderSarif, renderText, type PlanFindings, type ReportFormat } from "./policy/report";

const USAGE = `usage: npm run policy:check -- [--list] [--format ${REPORT_FORMATS.join("|")}] [--output FILE] [--today YYYY-MM-DD] <plan.json>...`;

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

const args = process.argv.slice(2);
let format: ReportFormat = "text";
let output: string | undefined;
let list = false;
let today = dayOf(new Date());
const files: string[] = [];
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === "--list") list = true;
  else if (a === "--format") {
    const f = args[++i];
    if (!(REPORT_FORMATS as readonly string[]).includes(f ?? "")) fail(`--format is ${f ?? "missing"}; allowed: ${REPORT_FORMATS.join(", ")}`);
    format = f as ReportFormat;
  } else if (a === "--output") output = args[++i] ?? fail("--output needs a file");
  else if (a === "--today") {
    const d = args[++i] ?? "";
    if (!isCalendarDay(d)) fail(`--today is ${d || "missing"}; it must be a day, YYYY-MM-DD`);
    today = d;
  } else if (a.startsWith("--")) fail(`unknown option ${a}`);
  else files.push(a);
}

if (list) {
  console.log(renderRuleList(RULES));
  process.exit(0);
}
if (files.length === 0) fail("no plan file given");

const plans: Plan[] = files.flatMap((file) => {
  try {
    const parsed = JSON.parse(readFileSync(file, "utf8")) as Plan | Plan[];
    return Array.isArray(parsed) ? parsed : [parsed];
  } catch (error) {
    return fail(`cannot read plan ${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
});
const results: PlanFindings[] = plans.map((plan) => {
  const outcome = evaluateWithWaivers(plan.resources, plan.policyContext ?? {}, today);
  return {
    stack: plan.stack,
    stackFile: `stacks/Pulumi.${plan.stack}.yaml`,
    resources: plan.resources.length,
    findings: outcome.findings,
    waivers: { today, active: outcome.active, expired: outcome.expired, unused: outcome.unused, waived: outcome.waived },
  };
});
// npm runs scripts from the package root, where the pack's own package.json carries its version.
const version = (JSON.parse(readFileSync(join(process.cwd(), "policies", "package.json"), "utf8")) as { version: string }).version;
const text =
  format === "sarif"
    ? JSON.stringify(renderSarif(RULES, results, version), null, 2)
    : format === "json"
      ? renderJson(RULES, results)
      : renderText(RULES, results);
if (output) writeFileSync(output, `${text}\n`);
else console.log(text);
process.exitCode = results.some((r) => r.findings.some((f) => f.enforcementLevel === "mandatory")) ? 1 : 0;
