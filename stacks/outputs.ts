/** The stack's outputs: what operators, other stacks and the cost model read. */
import * as pulumi from "@pulumi/pulumi";
import { PROMETHEUS_SERVER_ADDRESS } from "../components/internal";
import type { EnvironmentConfig } from "./config/environment";
import type { Platform } from "./platform";

/** Names of the stack outputs that mark the data buckets: the cost model reads them, not naming conventions. */
export const DATA_BUCKET_OUTPUTS = { source: "dataBucket", replicas: "replicaBuckets" } as const;

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
    storageClasses: [p.storage.defaultClassName, p.storage.highIopsClassName],
    redisService: p.redis.endpoint,
    redisPasswordSecret: p.redis.passwordSecretRef,
    // Where the backups are, and the CronJob whose last success the staleness alert watches.
    redisBackup: { prefix: p.redisBackup.prefix, cronJob: `${p.redisBackup.namespace}/${p.redisBackup.cronJobName}`, roleArn: p.redisBackup.roleArn },
    [DATA_BUCKET_OUTPUTS.source]: p.buckets.source.bucketName,
    [DATA_BUCKET_OUTPUTS.replicas]: p.buckets.replicas.map((r) => r.bucketName),
    grafanaAdminPassword: pulumi.secret(p.monitoring.grafanaAdminPassword),
    alarmTopicArn: p.alarms.topicArn,
    volumeSnapshotPolicy: p.volumeBackups.policyId,
    volumeSnapshotClass: p.volumeBackups.snapshotClassName,
    teamNamespaces: p.teams.map((t) => ({ namespace: t.namespaceName, serviceAccount: t.serviceAccountName, datasetClaim: t.datasetClaimName ?? null })),
    referenceWorkloads: p.referenceWorkloads.map((w) => w.workloadName),
    // What a team's ScaledObject puts in a prometheus trigger's serverAddress.
    prometheusServerAddress: PROMETHEUS_SERVER_ADDRESS,
  };
}
