/**
 * Another team's program: three highmem-platform components on an EKS cluster that already exists.
 *
 * What the cluster must already have (the platform's own stacks create all of it; here it is given):
 * - the EBS CSI driver, whose controller runs as `ebsCsiRoleName` (StorageClasses grants it the key);
 * - the Karpenter controller and its CRDs (NodePool, EC2NodeClass), a node role `karpenterNodeRoleName`
 *   with an EKS access entry, and subnets and security groups tagged karpenter.sh/discovery=<cluster>;
 * - the prometheus-operator CRDs (RedisCluster declares a ServiceMonitor).
 */
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { KarpenterNodePool, RedisCluster, StorageClasses, type RedisClusterArgs } from "highmem-platform";
import { placementOn, statefulPool } from "highmem-platform/components/helpers";

const config = new pulumi.Config();
const clusterName = config.require("clusterName");
const redisMemoryGiB = config.requireNumber("redisMemoryGiB");

// Every Kubernetes object goes to the existing cluster through this provider, built from its kubeconfig.
const provider = new k8s.Provider("analytics", { kubeconfig: config.requireSecret("kubeconfig"), enableServerSideApply: true });

const storage = new StorageClasses("storage", {
  clusterName,
  ebsCsiRoleName: config.require("ebsCsiRoleName"),
  provider,
});

// A pool of on-demand nodes for Redis, sized for six Redis pods and their exporters.
const pool = statefulPool({ architectures: ["amd64"], limits: { cpu: 32, memoryGiB: 6 * (redisMemoryGiB + 1) } });
const nodePool = new KarpenterNodePool("stateful-pool", {
  ...pool,
  clusterName,
  nodeRoleName: config.require("karpenterNodeRoleName"),
  kubernetesVersion: config.require("kubernetesVersion"),
  provider,
});

const namespace = new k8s.core.v1.Namespace(
  "data",
  {
    metadata: { name: "data", labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
  },
  { provider },
);

const redisArgs: RedisClusterArgs = {
  namespace: "data",
  provider,
  memoryGiB: redisMemoryGiB,
  storageGiB: 50,
  storageClassName: storage.defaultClassName,
  knownStorageClasses: [storage.defaultClassName, storage.highIopsClassName],
  ...placementOn(pool),
};
const redis = new RedisCluster("redis", redisArgs, { dependsOn: [namespace, storage, nodePool] });

export const redisService = `${redis.serviceName}.data.svc.cluster.local:6379`;
export const redisPasswordSecret = `data/${redis.passwordSecretName}`;
export const nodePoolName = nodePool.poolName;
export const volumeKeyArn = storage.volumeKeyArn;
