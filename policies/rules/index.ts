/** Every rule of the pack, and their evaluation over a set of resources. */
import { CLUSTER_AND_NODE_RULES } from "./cluster-and-nodes";
import { IAM_RULES } from "./iam";
import { KARPENTER_AND_IAM_RULES } from "./karpenter-and-iam";
import { POD_SECURITY_RULES } from "./pod-security";
import { DATA_PROTECTION_RULES } from "./data-protection";
import { LOG_RULES } from "./logs";
import { NETWORK_RULES } from "./network";
import { S3_RULES } from "./s3";
import type { Rule, RuleContext, RuleResource } from "./types";
import { waiverRules } from "./waiver-rules";
import { applyWaivers, WAIVER_RULE_IDS, type WaiverOutcome } from "./waivers";
import { WORKLOAD_RULES } from "./workloads";

/** The rules about the platform's resources (everything but the waiver rules). */
const PLATFORM_RULES: readonly Rule[] = [
  ...CLUSTER_AND_NODE_RULES,
  ...KARPENTER_AND_IAM_RULES,
  ...S3_RULES,
  ...WORKLOAD_RULES,
  ...POD_SECURITY_RULES,
  ...LOG_RULES,
  ...DATA_PROTECTION_RULES,
  ...IAM_RULES,
  ...NETWORK_RULES,
];

export const RULES: readonly Rule[] = [...PLATFORM_RULES, ...waiverRules((resources, context) => evaluate(resources, PLATFORM_RULES, context))];

export interface Finding {
  readonly policy: string;
  readonly enforcementLevel: Rule["enforcementLevel"];
  readonly urn: string | null;
  readonly message: string;
}

export function evaluate(resources: readonly RuleResource[], rules: readonly Rule[] = RULES, context: RuleContext = {}): Finding[] {
  const findings: Finding[] = [];
  for (const rule of rules) {
    const base = { policy: rule.id, enforcementLevel: rule.enforcementLevel };
    if (rule.kind === "stack") {
      for (const v of rule.check(resources, context)) findings.push({ ...base, ...v });
      continue;
    }
    for (const r of resources) {
      if (!rule.resourceTypes.includes(r.type)) continue;
      const message = rule.check(r, context);
      if (message) findings.push({ ...base, urn: r.urn, message });
    }
  }
  return findings;
}

/**
 * The rules over a stack's resources with its waivers applied on `today` (YYYY-MM-DD, UTC): what the
 * offline preview and `npm run policy:check` report. The waiver rules' findings come from
 * applyWaivers (one per expired or unused waiver), not from evaluating those rules again.
 */
export function evaluateWithWaivers(
  resources: readonly RuleResource[],
  context: RuleContext,
  today: string,
  rules: readonly Rule[] = RULES,
): WaiverOutcome<Finding> {
  const checked = rules.filter((r) => !WAIVER_RULE_IDS.includes(r.id));
  return applyWaivers(evaluate(resources, checked, { ...context, today }), context.waivers ?? [], today);
}

export { applyWaivers, dayOf, isCalendarDay, waiverFor, waiverMatches, type WaiverOutcome } from "./waivers";
export type { Waiver } from "./types";
