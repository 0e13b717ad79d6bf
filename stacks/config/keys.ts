/**
 * The registry of every config key a stack may set: its Pulumi type, its description, its
 * Pulumi.yaml default and the rule its value must follow. Pulumi.yaml's `config:` section is
 * generated from this registry (`npm run config:sync`), and a test keeps the two identical.
 *
 * The Pulumi CLI makes every key Pulumi.yaml declares without a default mandatory in every stack,
 * so keys are flat and typed, and optional keys have defaults. Where the right value depends on the
 * tier, the default is an explicit "tier default" value (`auto`, `0` or `[]`) resolved in `tiers.ts`.
 *
 * Secret keys (pulumi/pulumi@v3.248.0 sdk/go/common/workspace/config.go, mergeConfig and
 * validateStackConfigValue): the CLI applies a declared default as a plaintext value and then
 * refuses every plaintext value of a key declared `secret: true`, so a declared secret key cannot
 * have a default. A secret key without a default is declared in Pulumi.yaml (required, encryption
 * enforced by the CLI); an optional secret key (one with a default here) is left out of Pulumi.yaml,
 * and the program itself refuses a plaintext value for it (load.ts).
 */
import { z } from "zod";
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../components/versions";
import { ROLE_ARN as ROLE_ARN_SHAPE } from "../../components/internal";
import { SYSTEM_NODE_DISK_GIB, SYSTEM_NODE_GROUP_DEFAULTS } from "../../components/internal";
import { VPC_NETWORK_DEFAULTS, VPC_PREFIX } from "../../components/internal";
import { AWS_REGION, LOG_RETENTION_DAYS, ipv4Cidr, list, oneOf, pattern, wholeNumber } from "./validators";
import { WORKLOAD_KEYS } from "./keys-workloads";
import { TIERS, tierValues } from "./tiers";

/** The Pulumi project name: the namespace of every key below. */
export const PROJECT = "highmem-platform";

export { TIERS, type Tier } from "./tiers";

export type PulumiConfigType = "string" | "integer" | "boolean" | "array";

export interface ConfigKeySpec {
  /** Section of the README config reference. */
  readonly group: "general" | "network" | "cluster" | "karpenter" | "storage" | "redis" | "buckets" | "monitoring";
  /** The type Pulumi.yaml declares; arrays are arrays of strings. */
  readonly type: PulumiConfigType;
  readonly description: string;
  /** Default (in Pulumi.yaml, or for optional secret keys in the program only); absent means every stack must set the key. */
  readonly default?: string | number | boolean | readonly string[];
  /** The rule the (type-converted) value must follow. */
  readonly schema: z.ZodType;
  /** The stack value must be encrypted (`pulumi config set --secret`); never shown in errors. */
  readonly secret?: boolean;
  /**
   * Secret keys: a value of the right shape the offline preview runs the program with when it
   * cannot decrypt the stack's value (no passphrase). Must satisfy `schema`; the preview reports
   * the real value as unchecked.
   */
  readonly offlineStandIn?: string;
}

/** Whether Pulumi.yaml declares the key: every key but optional secret ones (see above). */
export const declaredInProjectFile = (spec: ConfigKeySpec): boolean => !(spec.secret === true && "default" in spec);

const ROLE_ARN = pattern(ROLE_ARN_SHAPE, "an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin");
const INSTANCE_TYPE = pattern(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "an EC2 instance type such as m7i.xlarge");
const TAG = pattern(/^(?!aws:)[\w .:/=+@-]{1,128}=[\w .:/=+@-]{0,256}$/, 'a "key=value" tag (key 1-128 characters, not starting with aws:)');

export const CONFIG_KEYS = {
  tier: {
    group: "general",
    type: "string",
    description:
      "Environment tier: dev (small and cheap), staging, or prod (highly available and protected). Picks the defaults of every key whose default is a tier default.",
    schema: oneOf(TIERS),
  },
  namePrefix: {
    group: "general",
    type: "string",
    description: 'Prefix of every physical resource name (cluster, roles, keys). Empty means "hm-<stack>". Changing it replaces every named resource.',
    default: "",
    schema: z.union([z.literal(""), pattern(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, "3-20 lowercase letters, digits and hyphens, starting with a letter")]),
  },
  tags: {
    group: "general",
    type: "array",
    description: 'Extra tags for every AWS resource, as "key=value" strings.',
    default: [],
    schema: list(TAG, 40),
  },
  vpcCidr: {
    group: "network",
    type: "string",
    description: `CIDR block of the VPC the stack creates: /${VPC_PREFIX.largest} to /${VPC_PREFIX.smallest}. Each availability zone gets a private subnet of a quarter of it and a public one of a sixteenth.`,
    default: VPC_NETWORK_DEFAULTS.cidrBlock,
    schema: ipv4Cidr(`from /${VPC_PREFIX.largest} to /${VPC_PREFIX.smallest}, such as ${VPC_NETWORK_DEFAULTS.cidrBlock}`),
  },
  availabilityZones: {
    group: "network",
    type: "array",
    description: 'Exactly three availability zones of the stack\'s region. [] means "<region>a", "<region>b" and "<region>c".',
    default: [],
    schema: list(pattern(/^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/, "an availability zone name such as us-west-2a"), 3),
  },
  natGateways: {
    group: "network",
    type: "string",
    description: `NAT gateways: single (one, cheap, a single point of failure), perAz (one per zone), or auto (the tier default: ${tierValues((t) => t.natGateways)}).`,
    default: "auto",
    schema: oneOf(["auto", "single", "perAz"]),
  },
  existingVpcId: {
    group: "network",
    type: "string",
    description: "Use this existing VPC instead of creating one (vpc-...). Requires existingPrivateSubnetIds.",
    default: "",
    schema: z.union([z.literal(""), pattern(/^vpc-[0-9a-f]{8,17}$/, "a VPC id such as vpc-0a1b2c3d4e5f67890")]),
  },
  existingPrivateSubnetIds: {
    group: "network",
    type: "array",
    description: "With existingVpcId: the private subnets for nodes, one per availability zone (2 or 3).",
    default: [],
    schema: list(pattern(/^subnet-[0-9a-f]{8,17}$/, "a subnet id such as subnet-0a1b2c3d4e5f67890"), 3),
  },
  existingPublicSubnetIds: {
    group: "network",
    type: "array",
    description: "With existingVpcId: the public subnets for internet-facing load balancers (optional).",
    default: [],
    schema: list(pattern(/^subnet-[0-9a-f]{8,17}$/, "a subnet id such as subnet-0a1b2c3d4e5f67890"), 3),
  },
  kubernetesVersion: {
    group: "cluster",
    type: "string",
    description: `Kubernetes minor version of the cluster: one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")} (the versions this project pins add-ons for). Empty means the project's pinned default.`,
    default: "",
    schema: z.union([z.literal(""), oneOf(SUPPORTED_KUBERNETES_VERSIONS as [string, ...string[]])]),
  },
  clusterAdminRoleArns: {
    group: "cluster",
    type: "array",
    description: "IAM roles granted cluster-admin through EKS access entries (API authentication mode).",
    default: [],
    schema: list(ROLE_ARN, 20),
  },
  clusterPublicAccessCidrs: {
    group: "cluster",
    type: "array",
    description: "CIDR blocks allowed to reach the public API endpoint. [] keeps the endpoint private (reachable only from the VPC). 0.0.0.0/0 is refused.",
    default: [],
    schema: list(ipv4Cidr("such as 203.0.113.0/24"), 40),
  },
  clusterPrivateAccessCidrs: {
    group: "cluster",
    type: "array",
    description:
      "CIDR blocks inside the VPC or a connected network (a self-hosted CI runner's subnet, a VPN) allowed to reach the private API endpoint on 443. A cluster without public access CIDRs needs at least one: that is how deployments reach its API.",
    default: [],
    schema: list(ipv4Cidr("such as 10.32.240.0/24"), 40),
  },
  systemNodeInstanceTypes: {
    group: "cluster",
    type: "array",
    description: `Instance types of the on-demand managed node group for system pods (CoreDNS, Karpenter, monitoring). [] means the tier default (${tierValues((t) => t.systemNodeInstanceTypes)}).`,
    default: [],
    schema: list(INSTANCE_TYPE, 10),
  },
  systemNodeCount: {
    group: "cluster",
    type: "integer",
    description: `Minimum (and initial) number of system nodes: 0 means the tier default (${tierValues((t) => t.systemNodeCount)}).`,
    default: 0,
    schema: wholeNumber(0, 20),
  },
  systemNodeMaxCount: {
    group: "cluster",
    type: "integer",
    description: `Maximum number of system nodes: 0 means the tier default (${tierValues((t) => t.systemNodeMaxCount)}).`,
    default: 0,
    schema: wholeNumber(0, 50),
  },
  systemNodeDiskGiB: {
    group: "cluster",
    type: "integer",
    description: "Root volume size of system nodes, in GiB (encrypted gp3).",
    default: SYSTEM_NODE_GROUP_DEFAULTS.diskSizeGiB,
    schema: wholeNumber(SYSTEM_NODE_DISK_GIB.min, SYSTEM_NODE_DISK_GIB.max),
  },
  controlPlaneLogRetentionDays: {
    group: "cluster",
    type: "integer",
    description: `Retention of the control-plane log group, in days (a CloudWatch retention value). 0 means the tier default (${tierValues((t) => t.controlPlaneLogRetentionDays)}).`,
    default: 0,
    schema: z.union([
      z.literal(0),
      z.literal(LOG_RETENTION_DAYS, { error: `must be one of the CloudWatch retention periods: ${LOG_RETENTION_DAYS.join(", ")}` }),
    ]),
  },
  // Karpenter, storage, Redis, buckets and monitoring: keys-workloads.ts.
  ...WORKLOAD_KEYS,
} as const satisfies Record<string, ConfigKeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** Keys of other namespaces that the program reads. */
export const PROVIDER_KEYS = {
  "aws:region": {
    description: "AWS region of the stack, such as us-west-2.",
    schema: pattern(AWS_REGION, "an AWS region such as us-west-2"),
  },
} as const;
