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
import { WORKLOAD_RULES } from "./workloads";

export const RULES: readonly Rule[] = [
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
