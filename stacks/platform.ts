/**
 * Composes the platform for one environment: the only place that knows both the environment config
 * and the components. Later layers (Karpenter, storage, Redis, buckets, monitoring) plug in here.
 */
import * as pulumi from "@pulumi/pulumi";
import { EksCluster } from "../components/internal";
import { ExistingNetwork } from "../components/internal";
import { planSubnets, VpcNetwork } from "../components/internal";
import type { ClusterNetwork } from "../components/internal";
import { KarpenterController } from "../components/internal";
import { KarpenterNodePool, type NodePoolDefinition } from "../components/internal";
import { placementOn } from "../components/internal";
import { buildPool, firstPoolWithRole } from "../components/internal";
import { DataNamespace } from "../components/internal";
import { PrometheusOperatorCrds } from "../components/internal";
import { RedisCluster } from "../components/internal";
import { RedisBackup, REPLICATED_BUCKET_DEFAULTS } from "../components/internal";
import { StorageClasses } from "../components/internal";
import { ReplicatedBucket } from "../components/internal";
import { AlarmTopic } from "../components/internal";
import { MonitoringStack } from "../components/internal";
import { CapacityWindows } from "../components/internal";
import { PriorityClasses } from "../components/internal";
import { TeamNamespace } from "../components/internal";
import { PVC_NAME_TAG, PVC_NAMESPACE_TAG, VolumeBackups } from "../components/internal";
import { DATASET_CLAIM_NAME } from "../components/internal";
import { WorkloadAutoscaling } from "../components/internal";
import type { HighMemoryWorkload } from "../components/internal";
import type { EnvironmentConfig } from "./config/environment";
import { composeReferenceWorkloads } from "./reference-workloads";
import { composeAdmission } from "./admission";
import type { AdmissionController } from "../components/internal";

export interface Platform {
  readonly network: ClusterNetwork;
  readonly cluster: EksCluster;
  readonly karpenter: KarpenterController;
  readonly nodePools: readonly NodePoolDefinition[];
  readonly storage: StorageClasses;
  readonly redis: RedisCluster;
  /** The Redis backup CronJob (to the data bucket's snapshots/redis/ prefix) and its Pod Identity role. */
  readonly redisBackup: RedisBackup;
  readonly buckets: ReplicatedBucket;
  readonly monitoring: MonitoringStack;
  readonly alarms: AlarmTopic;
  /** KEDA and the VPA recommender: custom resources of keda.sh and autoscaling.k8s.io depend on it. */
  readonly autoscaling: WorkloadAutoscaling;
  /** Present when the stack declares capacity windows. */
  readonly capacityWindows?: CapacityWindows;
  readonly priorityClasses: PriorityClasses;
  /** One per entry of the teams key, in its order. */
  readonly teams: readonly TeamNamespace[];
  /** Scheduled snapshots of the Redis volumes and dataset claims, and the VolumeSnapshotClass. */
  readonly volumeBackups: VolumeBackups;
  /** One per entry of the referenceWorkloads key (none unless the stack asks). */
  readonly referenceWorkloads: readonly HighMemoryWorkload[];
  /** Kyverno and the team-namespace policies, unless admissionPolicies is off. */
  readonly admission?: AdmissionController;
}

/** The URN the placeholder PriorityClass had when CapacityWindows declared it (an alias: moving it recreates nothing). */
function formerPlaceholderClassUrn(): string {
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::highmem:karpenter:CapacityWindows$kubernetes:scheduling.k8s.io/v1:PriorityClass::capacity-windows-priority`;
}

/** The Karpenter pools of the environment (declared in config, built by their kinds), before any resource is declared. */
export function nodePoolDefinitions(env: EnvironmentConfig): NodePoolDefinition[] {
  return env.karpenter.pools.map((pool) => buildPool(pool, env.karpenter));
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
          flowLogs: { retentionDays: env.network.flowLogRetentionDays },
          protect: env.protect,
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
    privateAccessCidrs: env.cluster.privateAccessCidrs,
    systemNodes: env.cluster.systemNodes,
    logRetentionDays: env.cluster.logRetentionDays,
    protect: env.protect,
    tags,
  });

  // Ordering is by resource options, checked by the offline preview's first-deploy simulation:
  // Karpenter after the cluster and its system nodes; pools after the whole controller (CRDs,
  // controller, the node role's access entry); workloads after the pools they run on.
  const karpenter = new KarpenterController(
    "karpenter",
    {
      clusterName,
      clusterArn: cluster.clusterArn,
      partition: cluster.partition,
      region: cluster.region,
      accountId: cluster.accountId,
      provider: cluster.provider,
      tags,
    },
    { dependsOn: [cluster.systemNodeGroup] },
  );
  // KEDA and the VPA recommender run on the system nodes; their charts install the CRDs of ScaledObject
  // and VerticalPodAutoscaler, so workloads that declare those depend on this component.
  const autoscaling = new WorkloadAutoscaling("autoscaling", { provider: cluster.provider }, { dependsOn: [cluster.systemNodeGroup] });
  const admission = composeAdmission(env, cluster, [cluster.systemNodeGroup]);
  const pools = new Map(
    nodePools.map((pool) => [
      pool.poolName,
      new KarpenterNodePool(
        pool.poolName,
        {
          ...pool,
          clusterName,
          nodeRoleName: karpenter.nodeRoleName,
          provider: cluster.provider,
          kubernetesVersion: cluster.kubernetesVersion,
          tags,
        },
        { dependsOn: [karpenter] },
      ),
    ]),
  );
  // The platform's own workloads use the first pool of each role (its kind's role label), whatever its name.
  const stateful = firstPoolWithRole(nodePools, "stateful");
  const general = firstPoolWithRole(nodePools, "general");
  const component = (pool: NodePoolDefinition) => pools.get(pool.poolName)!;
  const workerAddons = cluster.installWorkerNodeAddons([component(general)]);

  const storage = new StorageClasses(
    "storage",
    {
      clusterName,
      ebsCsiRoleName: cluster.ebsCsiRoleName,
      provider: cluster.provider,
      highIops: env.storage.highIops,
      highIopsThroughputMiBps: env.storage.highIopsThroughputMiBps,
      retainVolumes: env.protect,
      protect: env.protect,
      tags,
    },
    { dependsOn: [cluster.ebsCsiDriver] },
  );
  const crds = new PrometheusOperatorCrds("prometheus-crds", { provider: cluster.provider });
  const dataNamespace = new DataNamespace("data-namespace", { provider: cluster.provider });
  const redis = new RedisCluster(
    "redis",
    {
      namespace: dataNamespace.namespaceName,
      provider: cluster.provider,
      engine: env.redis.engine,
      masters: env.redis.masters,
      // The private subnets' zones, for zone-aware pairing; unknown offline for an existing VPC.
      zoneSubnets:
        env.network.kind === "create" ? planSubnets(env.network.cidr, env.network.availabilityZones).map((p) => ({ zone: p.zone, cidr: p.privateCidr })) : [],
      memoryGiB: env.redis.memoryGiB,
      cpu: env.redis.cpu,
      storageGiB: env.redis.storageGiB,
      ...(env.redis.resizeFromGiB !== undefined ? { resizeFromGiB: env.redis.resizeFromGiB } : {}),
      storageClassName: env.redis.storageClassName,
      knownStorageClasses: [storage.defaultClassName, storage.highIopsClassName],
      maxmemoryPolicy: env.redis.maxmemoryPolicy,
      monitoringDependsOn: [crds.release],
      ...placementOn(stateful),
      protect: env.protect,
    },
    { dependsOn: [dataNamespace, storage, component(stateful)] },
  );

  // AWS-side alarms (CloudWatch) notify through one encrypted topic; in-cluster alerts go through Alertmanager.
  const alarms = new AlarmTopic("alarm-topic", {
    namePrefix: env.namePrefix,
    region: env.region,
    accountId: cluster.accountId,
    partition: cluster.partition,
    emailAddresses: env.monitoring.alarmEmailAddresses,
    protect: env.protect,
    tags,
  });
  const buckets = new ReplicatedBucket("data-buckets", {
    namePrefix: env.namePrefix,
    sourceRegion: env.region,
    accountId: cluster.accountId,
    partition: cluster.partition,
    replicaRegions: env.buckets.replicaRegions,
    snapshotRetentionDays: env.buckets.snapshotRetentionDays,
    noncurrentVersionDays: env.buckets.noncurrentVersionDays,
    replicationTimeControl: env.buckets.replicationTimeControl,
    replicateDeleteMarkers: env.buckets.replicateDeleteMarkers,
    alarmActions: [alarms.topicArn],
    protect: env.protect,
    tags,
  });

  // Redis data to the data bucket: RDBs from the replicas on a schedule, through a role scoped to its prefix.
  const redisBackup = new RedisBackup(
    "redis-backup",
    {
      provider: cluster.provider,
      namespace: dataNamespace.namespaceName,
      clusterName: redis.serviceName,
      engine: env.redis.engine,
      seed: redis.endpoint,
      passwordSecretName: redis.passwordSecretName,
      clientLabel: redis.clientLabel,
      schedule: env.redis.backupSchedule,
      keep: env.redis.backupsKept,
      // Every shard's RDB at once: at most its data memory each.
      scratchGiB: env.redis.masters * Math.ceil(redis.maxmemoryBytes / 1024 ** 3),
      placement: placementOn(general),
      snapshotPrefix: REPLICATED_BUCKET_DEFAULTS.snapshotPrefix,
      identity: {
        roleName: `${env.namePrefix}-redis-backup`,
        clusterName: cluster.clusterName,
        clusterArn: cluster.clusterArn,
        accountId: cluster.accountId,
        bucketName: buckets.source.bucketName,
        bucketArn: buckets.source.bucketArn,
        bucketKeyArn: buckets.source.keyArn,
        bucketRegion: env.region,
      },
      tags,
    },
    // The Redis cluster (its Secret), the bucket, and the general pool the pods run on.
    { dependsOn: [redis, buckets, component(general)] },
  );

  const monitoring = new MonitoringStack(
    "monitoring",
    {
      provider: cluster.provider,
      storageClassName: storage.defaultClassName,
      crds: crds.release,
      retentionDays: env.monitoring.retentionDays,
      storageGiB: env.monitoring.storageGiB,
      prometheusReplicas: env.monitoring.prometheusReplicas,
      // Secrets: the component wraps each receiver with pulumi.secret, once.
      receivers: env.monitoring.receivers,
      prometheusPlacement: placementOn(stateful),
      // BackupTooOld: the backup CronJob as declared, with the schedule its age limit derives from.
      backupCronJobs: [{ namespace: redisBackup.namespace, name: redisBackup.cronJobName, schedule: env.redis.backupSchedule }],
    },
    { dependsOn: [storage, component(general), component(stateful)] },
  );

  // The platform's PriorityClasses (cluster-scoped, shared by teams and capacity windows).
  const priorityClasses = new PriorityClasses("priority-classes", { provider: cluster.provider, placeholderAliases: [formerPlaceholderClassUrn()] });

  // Team namespaces: after the cluster (their provider and access entries), after the storage classes
  // when they claim a dataset volume.
  const teams = env.teams.map(
    (t) =>
      new TeamNamespace(
        `team-${t.name}`,
        {
          provider: cluster.provider,
          clusterName: cluster.clusterName,
          partition: cluster.partition,
          kubernetesVersion: cluster.kubernetesVersion,
          namespace: t.name,
          quota: { memoryGiB: t.memoryGiB, cpu: t.cpu, storageGiB: t.storageGiB, hugePagesGiB: t.hugePagesGiB, pods: t.pods },
          editorRoleArns: t.accessRoleArns,
          viewerRoleArns: t.viewRoleArns,
          reservedRoleArns: env.cluster.adminRoleArns,
          serviceAccountName: t.serviceAccountName,
          dataAccess: t.dataAccess,
          identity: {
            roleName: t.workloadRoleName,
            clusterArn: cluster.clusterArn,
            accountId: cluster.accountId,
            bucketArn: buckets.source.bucketArn,
            bucketKeyArn: buckets.source.keyArn,
            bucketRegion: env.region,
          },
          ...(t.allowRedis ? { redis: { namespace: dataNamespace.namespaceName, podLabels: redis.podLabels, port: redis.port } } : {}),
          datasetGiB: t.datasetGiB,
          datasetStorageClassName: storage.highIopsClassName,
          protect: env.protect,
          tags,
        },
        { dependsOn: [priorityClasses, ...(t.datasetGiB > 0 ? [storage] : [])] },
      ),
  );

  // Volume backups (Data Lifecycle Manager): every volume of the data namespace (the Redis claims)
  // and every claim named like the teams' dataset claim, copied to the data bucket's replica regions.
  // The VolumeSnapshotClass needs the snapshot-controller add-on's CRDs.
  const volumeBackups = new VolumeBackups(
    "volume-backups",
    {
      namePrefix: env.namePrefix,
      provider: cluster.provider,
      region: env.region,
      partition: cluster.partition,
      accountId: cluster.accountId,
      volumeKeyArn: storage.volumeKeyArn,
      targets: [
        { tagKey: PVC_NAMESPACE_TAG, tagValue: dataNamespace.namespaceName },
        { tagKey: PVC_NAME_TAG, tagValue: DATASET_CLAIM_NAME },
      ],
      scheduleHours: env.storage.snapshotHours,
      retentionCount: env.storage.snapshotRetentionCount,
      copyRegions: env.buckets.replicaRegions,
      retainSnapshots: env.protect,
      alarmActions: [alarms.topicArn],
      protect: env.protect,
      tags,
    },
    { dependsOn: [cluster.workerNodeAddon("snapshot-controller")] },
  );

  const referenceWorkloads = composeReferenceWorkloads(env, {
    cluster,
    teams,
    bucketName: buckets.source.bucketName,
    workerAddons,
    pools: nodePools.map((definition) => ({ definition, component: component(definition) })),
    autoscaling,
    ...(admission ? { admission } : {}),
  });

  // Capacity windows: placeholders on their pools (after those pools), scaled by CronJobs on the general pool.
  const windows = env.karpenter.capacityWindows;
  const byName = new Map(nodePools.map((p) => [p.poolName, p]));
  const capacityWindows =
    windows.length === 0
      ? undefined
      : new CapacityWindows(
          "capacity-windows",
          {
            provider: cluster.provider,
            windows: windows.map((w) => ({ ...w, placement: placementOn(byName.get(w.pool)!) })),
            jobPlacement: placementOn(general),
            priorityClassName: priorityClasses.names.placeholder,
            monitoringDependsOn: [crds.release],
          },
          { dependsOn: [priorityClasses, ...[...new Set(windows.map((w) => w.pool))].map((p) => pools.get(p)!)] },
        );

  return {
    network,
    cluster,
    karpenter,
    nodePools,
    storage,
    redis,
    redisBackup,
    buckets,
    monitoring,
    alarms,
    priorityClasses,
    teams,
    volumeBackups,
    referenceWorkloads,
    autoscaling,
    ...(admission ? { admission } : {}),
    ...(capacityWindows ? { capacityWindows } : {}),
  };
}
