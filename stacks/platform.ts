/**
 * Composes the platform for one environment: the only place that knows both the environment config
 * and the components. Later layers (Karpenter, storage, Redis, buckets, monitoring) plug in here.
 */
import * as pulumi from "@pulumi/pulumi";
import { EksCluster } from "../components/cluster/eks-cluster";
import { ExistingNetwork } from "../components/network/existing-network";
import { VpcNetwork } from "../components/network/vpc-network";
import type { ClusterNetwork } from "../components/network/types";
import type { EnvironmentConfig } from "./config/environment";

export interface Platform {
  readonly network: ClusterNetwork;
  readonly cluster: EksCluster;
}

/** Tags every AWS resource of the stack carries, for cost allocation and ownership. */
export function standardTags(env: EnvironmentConfig): Record<string, string> {
  return { ...env.tags, project: env.project, stack: env.stack, tier: env.tier, "managed-by": "pulumi" };
}

export function composePlatform(env: EnvironmentConfig): Platform {
  const tags = standardTags(env);
  const clusterName = env.namePrefix;
  const network: ClusterNetwork =
    env.network.kind === "create"
      ? new VpcNetwork("network", {
          namePrefix: env.namePrefix,
          clusterName,
          cidrBlock: env.network.cidr,
          availabilityZones: env.network.availabilityZones,
          natGateways: env.network.natGateways,
          tags,
        })
      : new ExistingNetwork("network", {
          clusterName,
          vpcId: env.network.vpcId,
          privateSubnetIds: env.network.privateSubnetIds,
          publicSubnetIds: env.network.publicSubnetIds,
        });

  const cluster = new EksCluster("cluster", {
    clusterName,
    vpcId: network.vpcId,
    privateSubnetIds: network.privateSubnetIds,
    publicSubnetIds: network.publicSubnetIds,
    kubernetesVersion: env.cluster.kubernetesVersion,
    adminRoleArns: env.cluster.adminRoleArns,
    publicAccessCidrs: env.cluster.publicAccessCidrs,
    systemNodes: env.cluster.systemNodes,
    logRetentionDays: env.cluster.logRetentionDays,
    protect: env.protect,
    tags,
  });

  return { network, cluster };
}

/** The stack outputs: what operators and other stacks need. */
export function stackOutputs(env: EnvironmentConfig, p: Platform): Record<string, pulumi.Input<unknown>> {
  return {
    tier: env.tier,
    region: env.region,
    clusterName: p.cluster.clusterName,
    clusterArn: p.cluster.clusterArn,
    kubernetesVersion: p.cluster.kubernetesVersion,
    kubeconfig: p.cluster.kubeconfig,
    vpcId: p.network.vpcId,
    privateSubnetIds: p.network.privateSubnetIds,
    publicSubnetIds: p.network.publicSubnetIds,
  };
}
