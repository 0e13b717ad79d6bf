/**
 * npm run policy:check -- <plan.json>
 * Evaluates the policy pack's rules against a plan the offline preview wrote, prints violations
 * grouped by rule, and exits 1 on a mandatory one (2 on a usage error).
 */
import { readFileSync } from "node:fs";
import { evaluate, RULES } from "../policies/rules";
import type { Plan } from "./preview/plan";

const file = process.argv[2];
if (!file || process.argv.length > 3) {
  console.error("usage: npm run policy:check -- <plan.json>");
  process.exit(2);
}
let plan: Plan;
try {
  plan = JSON.parse(readFileSync(file, "utf8")) as Plan;
} catch (error) {
  console.error(`cannot read plan ${file}: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(2);
}
const findings = evaluate(plan.resources);
const byRule = new Map<string, typeof findings>();
for (const f of findings) byRule.set(f.policy, [...(byRule.get(f.policy) ?? []), f]);
console.log(`Policy pack: ${RULES.length} rules on ${plan.resources.length} resources of stack "${plan.stack}"`);
for (const [policy, list] of byRule) {
  console.log(`\n${list[0]!.enforcementLevel === "mandatory" ? "✗" : "!"} ${policy} (${list[0]!.enforcementLevel}): ${list.length}`);
  for (const f of list) console.log(`    ${f.urn ?? "stack"}: ${f.message}`);
}
const mandatory = findings.filter((f) => f.enforcementLevel === "mandatory").length;
console.log(`\n${mandatory} mandatory, ${findings.length - mandatory} advisory violations`);
process.exitCode = mandatory > 0 ? 1 : 0;
