/** Karpenter pools, the interruption queue and KMS keys (IAM rules: iam.ts). */
import { asArray, asRecord, at, listOf, policyStatements, type Rule, type RuleResource } from "./types";
import { grantsEveryone } from "./public-statements";

const NODE_POOL = ["kubernetes:karpenter.sh/v1:NodePool"];
const QUEUE = "aws:sqs/queue:Queue";

const requirement = (r: RuleResource, key: string) =>
  asArray(at(r.inputs, "spec.template.spec.requirements"))
    .map(asRecord)
    .find((q) => q["key"] === key);

/** An Allow statement whose principal is everyone, with no condition narrowing it. */
function publicAllow(statement: Record<string, unknown>): boolean {
  if (statement["Effect"] !== "Allow" || statement["Condition"] !== undefined) return false;
  const principal = statement["Principal"];
  return principal === "*" || listOf(asRecord(principal)["AWS"]).includes("*");
}

export const KARPENTER_AND_IAM_RULES: readonly Rule[] = [
  {
    kind: "resource",
    id: "nodepool-disruption-budgets",
    enforcementLevel: "mandatory",
    family: "nodes",
    sources: [{ standard: "karpenter-docs", control: "Karpenter best practices" }],
    resourceTypes: NODE_POOL,
    description: "Every NodePool limits how many nodes Karpenter may disrupt at once.",
    check: (r) => (asArray(at(r.inputs, "spec.disruption.budgets")).length > 0 ? undefined : "spec.disruption.budgets is empty"),
  },
  {
    kind: "resource",
    id: "nodepool-expire-after",
    enforcementLevel: "mandatory",
    family: "nodes",
    sources: [{ standard: "karpenter-docs", control: "Karpenter best practices" }],
    resourceTypes: NODE_POOL,
    description:
      "Every NodePool replaces its nodes after a bounded lifetime (expireAfter), so that AMIs stay current; only a pool that consolidates nothing but empty nodes (stateful workloads) may say Never, and then relies on drift when the AMI pin moves.",
    check: (r) => {
      const expire = at(r.inputs, "spec.template.spec.expireAfter");
      if (typeof expire === "string" && expire !== "Never") return undefined;
      // Karpenter v1 expiration is forceful (ignores budgets and do-not-disrupt): for pools that keep
      // data it is replaced by drift, which budgets and PodDisruptionBudgets do govern.
      if (expire === "Never" && at(r.inputs, "spec.disruption.consolidationPolicy") === "WhenEmpty") return undefined;
      return `expireAfter is ${JSON.stringify(expire)}: only a pool with consolidationPolicy WhenEmpty may never expire its nodes`;
    },
  },
  {
    kind: "resource",
    id: "nodepool-limits",
    enforcementLevel: "mandatory",
    family: "nodes",
    sources: [{ standard: "karpenter-docs", control: "NodePools: spec.limits" }],
    resourceTypes: NODE_POOL,
    description: "Every NodePool has cpu and memory limits.",
    check: (r) => {
      const limits = asRecord(at(r.inputs, "spec.limits"));
      return limits["cpu"] !== undefined && limits["memory"] !== undefined ? undefined : `spec.limits ${JSON.stringify(limits)} lacks cpu or memory`;
    },
  },
  {
    kind: "resource",
    id: "nodepool-spot-diversified",
    enforcementLevel: "mandatory",
    family: "nodes",
    sources: [{ standard: "karpenter-docs", control: "Karpenter spot best practices" }],
    resourceTypes: NODE_POOL,
    description:
      "A spot NodePool may choose among at least 15 instance types, or at least 3 families (spot-to-spot consolidation and resilience to shortages).",
    check: (r) => {
      if (!asArray(requirement(r, "karpenter.sh/capacity-type")?.["values"]).includes("spot")) return undefined;
      const types = requirement(r, "node.kubernetes.io/instance-type");
      if (types && types["operator"] === "In") {
        const n = asArray(types["values"]).length;
        return n >= 15 ? undefined : `only ${n} instance types are allowed; spot needs at least 15`;
      }
      const families = requirement(r, "karpenter.k8s.aws/instance-family") ?? requirement(r, "karpenter.k8s.aws/instance-category");
      return families && (families["operator"] !== "In" || asArray(families["values"]).length >= 3)
        ? undefined
        : "spot capacity is limited to fewer than 3 families";
    },
  },
  {
    kind: "resource",
    id: "nodepool-high-memory-tainted",
    enforcementLevel: "mandatory",
    family: "nodes",
    sources: [{ standard: "kubernetes-docs", control: "Taints and Tolerations: dedicated nodes" }],
    resourceTypes: NODE_POOL,
    description: "NodePools that label nodes workload-type=high-memory also taint them, so that ordinary pods stay off.",
    check: (r) => {
      if (at(r.inputs, "spec.template.metadata.labels.workload-type") !== "high-memory") return undefined;
      const taints = asArray(at(r.inputs, "spec.template.spec.taints")).map(asRecord);
      return taints.some((t) => t["key"] === "workload-type" && t["value"] === "high-memory" && t["effect"] === "NoSchedule")
        ? undefined
        : "the high-memory pool has no workload-type=high-memory:NoSchedule taint";
    },
  },
  {
    kind: "stack",
    id: "karpenter-interruption-queue",
    enforcementLevel: "mandatory",
    family: "nodes",
    sources: [{ standard: "karpenter-docs", control: "Disruption: interruption handling" }],
    description: "The Karpenter chart is given an interruption queue that the stack creates.",
    check: (resources) => {
      const chart = resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs["name"] === "karpenter");
      if (!chart) return [];
      const queue = at(chart.inputs, "values.settings.interruptionQueue");
      const queues = resources.filter((r) => r.type === QUEUE).map((r) => r.inputs["name"]);
      return typeof queue === "string" && queues.includes(queue)
        ? []
        : [{ urn: chart.urn, message: `settings.interruptionQueue ${JSON.stringify(queue)} is not a queue of this stack` }];
    },
  },
  {
    kind: "resource",
    id: "sqs-encrypted",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [
      { standard: "aws-fsbp", control: "SQS.1" },
      { standard: "checkov", control: "CKV_AWS_27" },
      { standard: "kics", control: "SQS With SSE Disabled (6e8849c1-3aa7-40e3-9063-b85ee300f29f)" },
    ],
    resourceTypes: [QUEUE],
    description: "SQS queues are encrypted at rest.",
    check: (r) =>
      r.inputs["sqsManagedSseEnabled"] === true || typeof r.inputs["kmsMasterKeyId"] === "string"
        ? undefined
        : "neither sqsManagedSseEnabled nor kmsMasterKeyId is set",
  },
  {
    kind: "stack",
    id: "sqs-tls-only",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "aws-fsbp", control: "SQS (secure transport)" }],
    description: "Every SQS queue has a policy that denies requests without TLS.",
    check: (resources) => {
      const policies = resources.filter((r) => r.type === "aws:sqs/queuePolicy:QueuePolicy").map((r) => r.inputs["policy"]);
      const denyNonTls = policies.some((p) =>
        policyStatements(p).some((s) => s["Effect"] === "Deny" && at(s, "Condition.Bool.aws:SecureTransport") === "false"),
      );
      return resources.filter((r) => r.type === QUEUE && !denyNonTls).map((r) => ({ urn: r.urn, message: "no queue policy denies requests without TLS" }));
    },
  },
  {
    kind: "resource",
    id: "sqs-no-public-policy",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [
      { standard: "checkov", control: "CKV_AWS_168" },
      { standard: "kics", control: "abb06e5f-ef9a-4a99-98c6-376d396bfcdf" },
      { standard: "aws-docs", control: "AWS Config rule sqs-queue-no-public-access" },
    ],
    resourceTypes: ["aws:sqs/queuePolicy:QueuePolicy"],
    description: "Queue policies allow no unconditioned wildcard principal.",
    check: (r) => (policyStatements(r.inputs["policy"]).some(publicAllow) ? "an Allow statement names Principal * without a condition" : undefined),
  },
  {
    kind: "resource",
    id: "kms-key-rotation",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [
      { standard: "aws-fsbp", control: "KMS.4" },
      { standard: "cis-aws", control: "3.6" },
      { standard: "checkov", control: "CKV_AWS_7" },
    ],
    resourceTypes: ["aws:kms/key:Key"],
    description: "KMS keys rotate automatically.",
    check: (r) => (r.inputs["enableKeyRotation"] === true ? undefined : "enableKeyRotation is not true"),
  },
  {
    kind: "resource",
    id: "kms-no-public-policy",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [
      { standard: "aws-fsbp", control: "KMS.5" },
      { standard: "checkov", control: "CKV_AWS_33" },
    ],
    resourceTypes: ["aws:kms/key:Key"],
    description:
      "No key policy allows everyone (Principal * or AWS *) without a condition that fixes who may use the key (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID and the like; policies/rules/public-statements.ts).",
    check: (r) =>
      policyStatements(r.inputs["policy"]).some(grantsEveryone) ? "an Allow statement grants everyone (Principal *) without a narrowing condition" : undefined,
  },
];
