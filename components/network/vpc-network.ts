import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import { PHYSICAL_NAME, requireThat, withDefaults } from "../lib/args";
import { parseIpv4Cidr } from "../lib/cidr";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { LOG_RETENTION_DAYS } from "../lib/cloudwatch";
import { declareFlowLogs, FLOW_LOG_TRAFFIC_TYPES, type FlowLogTrafficType } from "./flow-logs";
import { planSubnets } from "./subnet-plan";
import { subnetRoleTags, type ClusterNetwork } from "./types";

export interface VpcNetworkArgs {
  /** Prefix of every child's name. */
  readonly namePrefix: string;
  /** Name of the EKS cluster these subnets serve: used in the discovery tags. */
  readonly clusterName: string;
  /** Availability zones, one private and one public subnet each (2 or 3). */
  readonly availabilityZones: readonly string[];
  /**
   * CIDR block of the VPC, /16 to /20.
   * @default "10.0.0.0/16"
   */
  readonly cidrBlock?: string;
  /**
   * One NAT gateway for the whole VPC (cheap, a single point of failure) or one per zone.
   * @default "perAz"
   */
  readonly natGateways?: "single" | "perAz";
  /**
   * Flow logs of the whole VPC, to a CloudWatch log group encrypted with a key of its own:
   * `retentionDays` (a CloudWatch retention value) and which traffic is recorded.
   * @default { retentionDays: 365, trafficType: "ALL" }
   */
  readonly flowLogs?: { readonly retentionDays?: number; readonly trafficType?: FlowLogTrafficType };
  /**
   * Protect the flow logs' key against deletion (prod): losing it loses the logs it encrypted.
   * @default false
   */
  readonly protect?: boolean;
  /**
   * Tags for every resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/** Flow logs when none are configured: a year of all traffic (rejected and accepted). */
export const FLOW_LOG_DEFAULTS = { retentionDays: 365, trafficType: "ALL" as FlowLogTrafficType } as const;

export const VPC_NETWORK_DEFAULTS = {
  cidrBlock: "10.0.0.0/16",
  natGateways: "perAz" as const,
  flowLogs: FLOW_LOG_DEFAULTS,
  protect: false,
  tags: {},
} satisfies Partial<VpcNetworkArgs>;

const COMPONENT = "VpcNetwork";

/** Prefix lengths a VPC may have: /16 is the largest AWS allows, /20 the smallest that leaves room for nodes in three zones. */
export const VPC_PREFIX = { largest: 16, smallest: 20 } as const;

/** Why a VPC CIDR block is refused, or undefined when it is fine. */
export function vpcCidrProblem(cidr: string): string | undefined {
  const parsed = parseIpv4Cidr(cidr);
  if (!parsed) return "must be an IPv4 CIDR block with no host bits set";
  if (parsed.prefix < VPC_PREFIX.largest || parsed.prefix > VPC_PREFIX.smallest) {
    return `must be an IPv4 CIDR block from /${VPC_PREFIX.largest} to /${VPC_PREFIX.smallest}: /${VPC_PREFIX.largest} is the largest VPC AWS allows, /${VPC_PREFIX.smallest} the smallest that leaves room for nodes in three zones`;
  }
  return undefined;
}

/**
 * A VPC over two or three zones fit for EKS: private subnets for nodes (routed through NAT), public
 * subnets for load balancers, discovery tags, an S3 gateway endpoint so that bulk S3 traffic skips
 * the NAT gateways, a default security group stripped of its rules, and flow logs of all its traffic
 * (FSBP EC2.6) to an encrypted log group.
 */
export class VpcNetwork extends pulumi.ComponentResource implements ClusterNetwork {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string[]>;
  readonly natGatewayCount: number;

  constructor(name: string, args: VpcNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(VPC_NETWORK_DEFAULTS, args);
    requireThat(PHYSICAL_NAME.test(a.namePrefix), COMPONENT, "namePrefix", a.namePrefix, "must be lowercase letters, digits and hyphens");
    requireThat(
      a.availabilityZones.length >= 2 && a.availabilityZones.length <= 3,
      COMPONENT,
      "availabilityZones",
      a.availabilityZones,
      "must list 2 or 3 zones",
    );
    requireThat(
      new Set(a.availabilityZones).size === a.availabilityZones.length,
      COMPONENT,
      "availabilityZones",
      a.availabilityZones,
      "must not repeat a zone",
    );
    const cidrProblem = vpcCidrProblem(a.cidrBlock);
    requireThat(cidrProblem === undefined, COMPONENT, "cidrBlock", a.cidrBlock, cidrProblem ?? "");
    requireThat(a.natGateways === "single" || a.natGateways === "perAz", COMPONENT, "natGateways", a.natGateways, 'must be "single" or "perAz"');
    const flowLogs = { ...FLOW_LOG_DEFAULTS, ...a.flowLogs };
    requireThat(
      (LOG_RETENTION_DAYS as readonly number[]).includes(flowLogs.retentionDays),
      COMPONENT,
      "flowLogs.retentionDays",
      flowLogs.retentionDays,
      `must be a CloudWatch Logs retention period: ${LOG_RETENTION_DAYS.join(", ")}`,
    );
    requireThat(
      (FLOW_LOG_TRAFFIC_TYPES as readonly string[]).includes(flowLogs.trafficType),
      COMPONENT,
      "flowLogs.trafficType",
      flowLogs.trafficType,
      `must be one of ${FLOW_LOG_TRAFFIC_TYPES.join(", ")}`,
    );
    const plan = planSubnets(a.cidrBlock, a.availabilityZones);

    super("highmem:network:VpcNetwork", name, {}, opts);
    const parent = { parent: this };
    const tags = (extra: Record<string, string>) => ({ ...a.tags, ...extra });

    const vpc = new ec2.Vpc(
      `${name}-vpc`,
      {
        cidrBlock: a.cidrBlock,
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: tags({ Name: `${a.namePrefix}-vpc` }),
      },
      parent,
    );

    // Nothing may use the default security group: remove its allow-all rules (FSBP EC2.2).
    new ec2.DefaultSecurityGroup(`${name}-default-sg`, { vpcId: vpc.id, tags: tags({ Name: `${a.namePrefix}-default-unused` }) }, parent);

    const igw = new ec2.InternetGateway(`${name}-igw`, { vpcId: vpc.id, tags: tags({ Name: `${a.namePrefix}-igw` }) }, parent);
    const publicRoutes = new ec2.RouteTable(
      `${name}-public-rt`,
      {
        vpcId: vpc.id,
        routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }],
        tags: tags({ Name: `${a.namePrefix}-public` }),
      },
      parent,
    );

    // Neither kind hands out public IPs: load balancers and NAT gateways bring their own.
    const subnet = (kind: "public" | "private", i: number, routeTableId: pulumi.Input<string>) => {
      const zone = plan[i]!.zone;
      const created = new ec2.Subnet(
        `${name}-${kind}-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: kind === "public" ? plan[i]!.publicCidr : plan[i]!.privateCidr,
          availabilityZone: zone,
          mapPublicIpOnLaunch: false,
          tags: tags({ Name: `${a.namePrefix}-${kind}-${zone}`, ...subnetRoleTags(kind, a.clusterName) }),
        },
        parent,
      );
      new ec2.RouteTableAssociation(`${name}-${kind}-${i}`, { subnetId: created.id, routeTableId }, parent);
      return created;
    };

    const publicSubnets = plan.map((_, i) => subnet("public", i, publicRoutes.id));

    this.natGatewayCount = a.natGateways === "perAz" ? plan.length : 1;
    const natGateways = publicSubnets.slice(0, this.natGatewayCount).map((subnet, i) => {
      const eip = new ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: tags({ Name: `${a.namePrefix}-nat-${plan[i]!.zone}` }) }, parent);
      return new ec2.NatGateway(
        `${name}-nat-${i}`,
        {
          allocationId: eip.id,
          subnetId: subnet.id,
          connectivityType: "public",
          tags: tags({ Name: `${a.namePrefix}-nat-${plan[i]!.zone}` }),
        },
        { parent: this, dependsOn: [igw] },
      );
    });

    const privateRouteTables: ec2.RouteTable[] = [];
    const privateSubnets = plan.map((p, i) => {
      // Each zone routes through its own NAT gateway when there is one, so losing a zone does not
      // cut the others off the internet.
      const nat = natGateways[Math.min(i, natGateways.length - 1)]!;
      const routes = new ec2.RouteTable(
        `${name}-private-rt-${i}`,
        {
          vpcId: vpc.id,
          routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nat.id }],
          tags: tags({ Name: `${a.namePrefix}-private-${p.zone}` }),
        },
        parent,
      );
      privateRouteTables.push(routes);
      return subnet("private", i, routes.id);
    });

    new ec2.VpcEndpoint(
      `${name}-s3`,
      {
        vpcId: vpc.id,
        serviceName: pulumi.interpolate`com.amazonaws.${vpc.region}.s3`,
        vpcEndpointType: "Gateway",
        routeTableIds: privateRouteTables.map((t) => t.id),
        tags: tags({ Name: `${a.namePrefix}-s3` }),
      },
      parent,
    );

    declareFlowLogs(this, name, {
      namePrefix: a.namePrefix,
      vpcId: vpc.id,
      ...flowLogs,
      partition: getPartitionOutput({}, parent).partition,
      accountId: getCallerIdentityOutput({}, parent).accountId,
      region: vpc.region,
      protect: a.protect,
      tags: a.tags,
    });

    this.vpcId = vpc.id;
    this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
    this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
    this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds, publicSubnetIds: this.publicSubnetIds });
  }
}
