/** The network keys of the config registry (see ../keys.ts for the conventions). */
import { z } from "zod";
import { VPC_NETWORK_DEFAULTS, VPC_PREFIX } from "../../../components/internal";
import { LOG_RETENTION_MINIMUMS, ipv4Cidr, list, logRetentionDays, oneOf, pattern } from "../validators";
import { tierValues } from "../tiers";
import type { ConfigKeySpec } from "../keys";

export const NETWORK_KEYS = {
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
  flowLogRetentionDays: {
    group: "network",
    type: "integer",
    description: `Retention of the VPC flow logs (all traffic, to a KMS-encrypted log group), in days (a CloudWatch retention value, at least the tier minimum: ${LOG_RETENTION_MINIMUMS}). 0 means the tier default (${tierValues((t) => t.flowLogRetentionDays)}). An existing VPC (existingVpcId) keeps whatever flow logs it has.`,
    default: 0,
    schema: logRetentionDays(),
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
} as const satisfies Record<string, ConfigKeySpec>;
