/** CloudWatch log groups (encryption, retention) and the flow logs of every VPC. */
import { logRetentionProblem } from "./log-retention";
import { asRecord, type Rule, type RuleResource } from "./types";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const VPC = "aws:ec2/vpc:Vpc";
const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

/** The tier of the stack (the rule context) or else of the resource (its tier tag). */
const tierOf = (r: RuleResource, tier: string | undefined) => tier ?? (asRecord(r.inputs["tags"])["tier"] as string | undefined);

export const LOG_RULES: readonly Rule[] = [
  {
    kind: "resource",
    id: "log-group-kms",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [
      { standard: "checkov", control: "CKV_AWS_158" },
      { standard: "kics", control: "CloudWatch Log Group Without KMS (0afbcfe9-d341-4b92-a64c-7e6de0543879)" },
      { standard: "aws-docs", control: "AWS Config rule cloudwatch-log-group-encrypted; AWS Control Tower CT.CLOUDWATCH.PR.3" },
    ],
    resourceTypes: [LOG_GROUP],
    description:
      "Every log group is encrypted with a customer-managed KMS key (kmsKeyId), so that who may read the logs is the key policy's to say and the key can be revoked.",
    check: (r) =>
      typeof r.inputs["kmsKeyId"] === "string" && r.inputs["kmsKeyId"] !== "" ? undefined : "no kmsKeyId: encrypted only with CloudWatch Logs' own key",
  },
  {
    kind: "resource",
    id: "log-group-retention",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [
      { standard: "checkov", control: "CKV_AWS_338" },
      { standard: "aws-docs", control: "AWS Config rule cw-loggroup-retention-period-check; AWS Control Tower CT.CLOUDWATCH.PR.2" },
    ],
    resourceTypes: [LOG_GROUP],
    description:
      "Every log group keeps its events at least the tier minimum (policies/rules/log-retention.ts: dev 7 days, staging 30, prod 365); a group that never expires (retention 0 or unset) passes. Without a tier in the rule context, the group's tier tag decides, and prod's minimum applies when neither says.",
    check: (r, context) => {
      const days = r.inputs["retentionInDays"];
      return logRetentionProblem(typeof days === "number" ? days : undefined, tierOf(r, context.tier));
    },
  },
  {
    kind: "stack",
    id: "vpc-flow-logs",
    enforcementLevel: "mandatory",
    family: "network",
    sources: [
      { standard: "aws-fsbp", control: "EC2.6" },
      { standard: "cis-aws", control: "3.7" },
      { standard: "checkov", control: "CKV2_AWS_11" },
      { standard: "kics", control: "VPC FlowLogs Disabled (f83121ea-03da-434f-9277-9cd247ab3047)" },
    ],
    description:
      "Every VPC the stack creates has a flow log (one that names a vpcId and waits for the VPC). A relation between two resources: it reports after the update. A VPC the stack only adopts (existingVpcId) is not in the plan, and its flow logs are its owner's.",
    check: (rs) => {
      const logged = new Set(rs.filter((r) => r.type === FLOW_LOG && typeof r.inputs["vpcId"] === "string").flatMap((r) => r.dependencies ?? []));
      return rs.filter((r) => r.type === VPC && !logged.has(r.urn)).map((r) => ({ urn: r.urn, message: "no flow log records this VPC's traffic" }));
    },
  },
];
