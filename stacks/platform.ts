/**
 * Composes the platform for one environment: the only place that knows both the environment config
 * and the components. Later layers (Karpenter, storage, Redis, buckets, monitoring) plug in here.
 */
import * as pulumi from "@pulumi/pulumi";
import { EksCluster } from "../components/cluster/eks-cluster";
import { ExistingNetwork } from "../components/network/existing-network";
import { VpcNetwork } from "../components/network/vpc-network";
import type { ClusterNetwork } from "../components/network/types";
import { KarpenterController } from "../components/karpenter/karpenter-controller";
import { KarpenterNodePool, type NodePoolDefinition } from "../components/karpenter/karpenter-node-pool";
import { generalPool, highMemoryPool } from "../components/karpenter/pool-presets";
import type { EnvironmentConfig } from "./config/environment";

export interface Platform {
  readonly network: ClusterNetwork;
  readonly cluster: EksCluster;
  readonly karpenter: KarpenterController;
  readonly nodePools: readonly NodePoolDefinition[];
}

/** The three Karpenter pools of the environment, computed before any resource is declared. */
export function nodePoolDefinitions(env: EnvironmentConfig): NodePoolDefinition[] {
  const k = env.karpenter;
  const highMemory = { ...k, region: env.region, limits: k.highMemoryLimits };
  return [
    highMemoryPool("spot", { ...highMemory, hugePagesGiB: k.hugePagesGiB.spot }),
    highMemoryPool("on-demand", { ...highMemory, hugePagesGiB: k.hugePagesGiB.onDemand }),
    generalPool({ architectures: k.architectures, limits: k.generalLimits }),
  ];
}

/** Tags every AWS resource of the stack carries, for cost allocation and ownership. */
export function standardTags(env: EnvironmentConfig): Record<string, string> {
  return { ...env.tags, project: env.project, stack: env.stack, tier: env.tier, "managed-by": "pulumi" };
}

export function composePlatform(env: EnvironmentConfig): Platform {
  const nodePools = nodePoolDefinitions(env);
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

  const karpenter = new KarpenterController("karpenter", {
    clusterName,
    clusterArn: cluster.clusterArn,
    partition: cluster.partition,
    region: cluster.region,
    accountId: cluster.accountId,
    provider: cluster.provider,
    dependsOn: [cluster.systemNodeGroup],
    tags,
  });
  for (const pool of nodePools) {
    new KarpenterNodePool(pool.poolName, {
      ...pool,
      clusterName,
      nodeRoleName: karpenter.nodeRoleName,
      provider: cluster.provider,
      dependsOn: [karpenter.release],
      tags,
    });
  }

  return { network, cluster, karpenter, nodePools };
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
    karpenterNodeRole: p.karpenter.nodeRoleName,
    karpenterInterruptionQueue: p.karpenter.interruptionQueue.queueName,
    nodePools: p.nodePools.map((pool) => pool.poolName),
  };
}
