import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import { requireThat } from "../lib/args";
import { subnetRoleTags, type ClusterNetwork } from "./types";

export interface ExistingNetworkArgs {
  /** Name of the EKS cluster these subnets serve: used in the discovery tags. */
  readonly clusterName: string;
  /** The VPC to use (vpc-...). */
  readonly vpcId: string;
  /** Private subnets for nodes, in 2 or 3 zones. */
  readonly privateSubnetIds: readonly string[];
  /**
   * Public subnets for internet-facing load balancers.
   * @default []
   */
  readonly publicSubnetIds?: readonly string[];
}

const COMPONENT = "ExistingNetwork";

/**
 * An existing VPC and subnets, adopted without being managed: only the tags that the load balancer
 * controller and Karpenter discover subnets by are added (as separate tag resources, so that
 * destroying the stack removes the tags and leaves the subnets).
 */
export class ExistingNetwork extends pulumi.ComponentResource implements ClusterNetwork {
  readonly vpcId: pulumi.Output<string>;
  readonly privateSubnetIds: pulumi.Output<string[]>;
  readonly publicSubnetIds: pulumi.Output<string[]>;

  constructor(name: string, args: ExistingNetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    const publicSubnetIds = args.publicSubnetIds ?? [];
    requireThat(/^vpc-[0-9a-f]{8,17}$/.test(args.vpcId), COMPONENT, "vpcId", args.vpcId, "must be a VPC id such as vpc-0a1b2c3d4e5f67890");
    requireThat(
      args.privateSubnetIds.length >= 2 && args.privateSubnetIds.length <= 3,
      COMPONENT,
      "privateSubnetIds",
      args.privateSubnetIds,
      "must list 2 or 3 subnets in different zones",
    );
    for (const id of [...args.privateSubnetIds, ...publicSubnetIds]) {
      requireThat(/^subnet-[0-9a-f]{8,17}$/.test(id), COMPONENT, "subnet id", id, "must be a subnet id such as subnet-0a1b2c3d4e5f67890");
    }
    super("highmem:network:ExistingNetwork", name, {}, opts);

    const tagSubnets = (kind: "private" | "public", ids: readonly string[]) =>
      ids.forEach((subnetId) =>
        Object.entries(subnetRoleTags(kind, args.clusterName)).forEach(
          ([key, value]) => new ec2.Tag(`${name}-${subnetId}-${key.replace(/[^a-z0-9]+/gi, "-")}`, { resourceId: subnetId, key, value }, { parent: this }),
        ),
      );
    tagSubnets("private", args.privateSubnetIds);
    tagSubnets("public", publicSubnetIds);

    this.vpcId = pulumi.output(args.vpcId);
    this.privateSubnetIds = pulumi.output([...args.privateSubnetIds]);
    this.publicSubnetIds = pulumi.output([...publicSubnetIds]);
    this.registerOutputs({ vpcId: this.vpcId, privateSubnetIds: this.privateSubnetIds, publicSubnetIds: this.publicSubnetIds });
  }
}
