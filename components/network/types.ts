import type * as pulumi from "@pulumi/pulumi";

/** What the rest of the platform needs from a network, whether created or existing. */
export interface ClusterNetwork {
  readonly vpcId: pulumi.Output<string>;
  /** Subnets for nodes and pods, one per availability zone. */
  readonly privateSubnetIds: pulumi.Output<string[]>;
  /** Subnets for internet-facing load balancers; may be empty. */
  readonly publicSubnetIds: pulumi.Output<string[]>;
}

/** Tags that let the AWS Load Balancer Controller and Karpenter find the subnets. */
export function subnetRoleTags(kind: "private" | "public", clusterName: string): Record<string, string> {
  return kind === "private"
    ? { "kubernetes.io/role/internal-elb": "1", "karpenter.sh/discovery": clusterName, [`kubernetes.io/cluster/${clusterName}`]: "shared" }
    : { "kubernetes.io/role/elb": "1", [`kubernetes.io/cluster/${clusterName}`]: "shared" };
}
