/**
 * Where one platform stack's resources live, and the ARN patterns that name them. Every pattern
 * carries the stack's name prefix where the service puts a name in the ARN; where it does not (EC2
 * ids, KMS key ids), the grant is conditioned on the `stack` tag every platform resource carries
 * (stacks/platform.ts standardTags).
 */
export interface Scope {
  readonly partition: string;
  readonly accountId: string;
  /** The platform stack (dev, staging, prod). */
  readonly stack: string;
  /** Prefix of every physical name of the stack (stacks/config: namePrefix, "hm-<stack>"). */
  readonly namePrefix: string;
  /** Every region the stack declares resources in. */
  readonly regions: readonly string[];
  /**
   * Name prefixes of IAM roles that remote components create with an auto-name that does not
   * carry the stack prefix (see footprint.ts).
   */
  readonly extraRolePrefixes: readonly string[];
}

/** The resources a grant applies to, by how they can be named. */
export type Target =
  | "any" // the action takes no resource ARN (Describe*, List*, Create* of ids not yet known)
  | "ec2-new" // EC2 resources being created, tagged stack=<stack> in the request
  | "ec2-owned" // existing EC2 resources tagged stack=<stack>
  | "ec2-eks-owned" // the cluster security group EKS creates, tagged aws:eks:cluster-name=<prefix>
  | "ec2-untagged" // EC2 resources with no stack tag at all (the VPC's default security group, adopted)
  | "iam-role"
  | "eks"
  | "eks-new" // eks:CreateCluster takes no resource ARN: conditioned on the stack tag of the request
  | "kms-new"
  | "kms-owned"
  | "kms-alias"
  | "logs"
  | "sqs"
  | "sns"
  | "events"
  | "cloudwatch-alarm"
  | "dlm-policy" // Data Lifecycle Manager policies: ids only (policy/policy-<hex>), no name to scope by
  | "s3-bucket";

const perRegion = (s: Scope, make: (region: string) => string[]): string[] => s.regions.flatMap(make);

/** ARN patterns of a target ("*" where the service takes none). */
export function arnsOf(target: Target, s: Scope): string[] {
  const { partition: p, accountId: a, namePrefix: n } = s;
  switch (target) {
    case "any":
    case "kms-new":
    case "eks-new":
      return ["*"];
    case "ec2-new":
    case "ec2-owned":
    case "ec2-eks-owned":
    case "ec2-untagged":
      return perRegion(s, (r) => [`arn:${p}:ec2:${r}:${a}:*`]);
    case "iam-role":
      return [`arn:${p}:iam::${a}:role/${n}-*`, ...s.extraRolePrefixes.map((x) => `arn:${p}:iam::${a}:role/${x}*`)];
    case "eks":
      // Service Authorization Reference, Amazon EKS: resource types cluster, nodegroup, addon,
      // access-entry, podidentityassociation, each named under its cluster.
      return perRegion(s, (r) => [
        `arn:${p}:eks:${r}:${a}:cluster/${n}`,
        ...["nodegroup", "addon", "access-entry", "podidentityassociation"].map((t) => `arn:${p}:eks:${r}:${a}:${t}/${n}/*`),
      ]);
    case "kms-owned":
      return perRegion(s, (r) => [`arn:${p}:kms:${r}:${a}:key/*`]);
    case "kms-alias":
      return perRegion(s, (r) => [`arn:${p}:kms:${r}:${a}:alias/${n}-*`]);
    case "logs":
      // The control-plane log group is /aws/eks/<cluster>/cluster (EKS user guide, control plane logs);
      // the VPC's flow logs go to /aws/vpc/<prefix>/flow-logs (components/network/flow-logs.ts).
      return perRegion(s, (r) => [`arn:${p}:logs:${r}:${a}:log-group:/aws/eks/${n}/*`, `arn:${p}:logs:${r}:${a}:log-group:/aws/vpc/${n}/*`]);
    case "sqs":
      return perRegion(s, (r) => [`arn:${p}:sqs:${r}:${a}:${n}-*`]);
    case "sns":
      return perRegion(s, (r) => [`arn:${p}:sns:${r}:${a}:${n}-*`]);
    case "events":
      return perRegion(s, (r) => [`arn:${p}:events:${r}:${a}:rule/${n}-*`]);
    case "cloudwatch-alarm":
      return perRegion(s, (r) => [`arn:${p}:cloudwatch:${r}:${a}:alarm:${n}-*`]);
    case "dlm-policy":
      // Service Authorization Reference, Amazon Data Lifecycle Manager: resource type policy,
      // arn:${Partition}:dlm:${Region}:${Account}:policy/${ResourceName}; the name is a generated id.
      return perRegion(s, (r) => [`arn:${p}:dlm:${r}:${a}:policy/*`]);
    case "s3-bucket":
      return [`arn:${p}:s3:::${n}-*`];
  }
}

/** The condition a target puts on its grant, if any. */
export function conditionOf(target: Target, s: Scope): Record<string, Record<string, string>> | undefined {
  switch (target) {
    case "ec2-new":
    case "kms-new":
    case "eks-new":
      return { StringEquals: { "aws:RequestTag/stack": s.stack } };
    case "ec2-owned":
    case "kms-owned":
      return { StringEquals: { "aws:ResourceTag/stack": s.stack } };
    case "ec2-eks-owned":
      return { StringEquals: { "aws:ResourceTag/aws:eks:cluster-name": s.namePrefix } };
    case "ec2-untagged":
      return { Null: { "aws:ResourceTag/stack": "true" } };
    default:
      return undefined;
  }
}
