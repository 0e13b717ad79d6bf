import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import { PHYSICAL_NAME, requireThat, withDefaults } from "../lib/args";
import { parseIpv4Cidr } from "../lib/cidr";
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
   * Tags for every resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const VPC_NETWORK_DEFAULTS = {
  cidrBlock: "10.0.0.0/16",
  natGateways: "perAz" as const,
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
 * the NAT gateways, and a default security group stripped of its rules.
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

    this.vpcId = vpc.id;
    this.privateSubnetIds = pulumi.all(privateSubnets.map((s) => s.id));
    this.publicSubnetIds = pulumi.all(publicSubnets.map((s) => s.id));
    this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds, publicSubnetIds: this.publicSubnetIds });
  }
}
