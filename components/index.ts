/**
 * The package's main entry point (`highmem-platform`, also `highmem-platform/components`): every
 * component, its `Args` type, its defaults and the constants its arguments are checked against.
 * Workload and pool placement helpers are in `./helpers` (`highmem-platform/components/helpers`).
 *
 * Only what this file and ./helpers.ts export is public: package.json `exports` maps these two and
 * nothing else, so a consumer cannot import a component's module by its path ("Existing packages
 * introducing the exports field will prevent consumers of the package from using any entry points
 * that are not defined": https://nodejs.org/docs/latest-v24.x/api/packages.html#package-entry-points;
 * Node throws ERR_PACKAGE_PATH_NOT_EXPORTED, and TypeScript with moduleResolution node16/nodenext
 * applies the same map: https://www.typescriptlang.org/docs/handbook/modules/reference.html#packagejson-exports). Repository code
 * (stacks/, tools/, bootstrap/, policies/) imports components through this file, ./helpers.ts, or
 * ./internal.ts (the repository's own index of internals, not in the package's `exports`).
 */
export { ComponentArgumentError } from "./lib/args";

// Network
export { VpcNetwork, VPC_NETWORK_DEFAULTS, type VpcNetworkArgs } from "./network/vpc-network";
export { ExistingNetwork, type ExistingNetworkArgs } from "./network/existing-network";
export type { ClusterNetwork } from "./network/types";

// Cluster
export { EksCluster, EKS_CLUSTER_DEFAULTS, CONTROL_PLANE_LOG_TYPES, type EksClusterArgs } from "./cluster/eks-cluster";
export { SystemNodeGroup, SYSTEM_NODE_GROUP_DEFAULTS, SYSTEM_NODE_LABEL, SYSTEM_NODE_TAINT, type SystemNodeGroupArgs } from "./cluster/system-node-group";

// Karpenter
export {
  KarpenterController,
  KARPENTER_CONTROLLER_DEFAULTS,
  KARPENTER_NAMESPACE,
  KARPENTER_SERVICE_ACCOUNT,
  type KarpenterControllerArgs,
} from "./karpenter/karpenter-controller";
export { KarpenterNodePool, type KarpenterNodePoolArgs, type NodePoolDefinition } from "./karpenter/karpenter-node-pool";
export { InterruptionQueue, type InterruptionQueueArgs } from "./karpenter/interruption-queue";

// Storage
export { StorageClasses, STORAGE_CLASSES_DEFAULTS, DEFAULT_STORAGE_CLASS, HIGH_IOPS_STORAGE_CLASS, type StorageClassesArgs } from "./storage/storage-classes";
export {
  VolumeBackups,
  VOLUME_BACKUPS_DEFAULTS,
  SNAPSHOT_CLASS_NAME,
  SNAPSHOT_INTERVAL_HOURS,
  MAX_SNAPSHOT_RETENTION_COUNT,
  MAX_COPY_REGIONS,
  PVC_NAMESPACE_TAG,
  PVC_NAME_TAG,
  copyRetentionDays,
  backupKeyPolicy,
  type VolumeBackupsArgs,
  type BackupTarget,
} from "./storage/volume-backups";

// Redis
export { RedisCluster, REDIS_CLUSTER_DEFAULTS, type RedisClusterArgs } from "./redis/redis-cluster";
export { DataNamespace, type DataNamespaceArgs } from "./redis/data-namespace";
export { RedisBackup, REDIS_BACKUP_DEFAULTS, cronProblem, type RedisBackupArgs } from "./redis/backup";
export { redisBackupPrefix, type RedisBackupManifest } from "./redis/backup-script";
export { MAXMEMORY_POLICIES, type MaxmemoryPolicy } from "./redis/redis-config";
export { TAINT_EFFECTS, TOLERATION_OPERATORS, type RedisPlacement, type RedisToleration } from "./redis/placement";
export { REDIS_EXPORTER_REQUEST } from "./redis/redis-pod";
export { ENGINES, type Engine } from "./redis/engine";
export type { ZoneSubnet } from "./redis/zones";

// Team workloads
export { PriorityClasses, PRIORITY_CLASSES, type PriorityClassesArgs, type PriorityClassRole } from "./workloads/priority-classes";
export {
  TeamNamespace,
  TEAM_NAMESPACE_DEFAULTS,
  DATASET_CLAIM_NAME,
  RESERVED_NAMESPACES,
  TEAM_NAMESPACE_LABEL,
  validateTeamNamespaceArgs,
  type DataAccess,
  type TeamIdentitySettings,
  type TeamNamespaceArgs,
} from "./workloads/team-namespace";
export { TEAM_QUOTA_DEFAULTS, type TeamQuota } from "./workloads/team-policies";
// Workloads
export { HighMemoryWorkload, HIGH_MEMORY_WORKLOAD_DEFAULTS, type HighMemoryWorkloadArgs, type ReadOnlyClaim } from "./workloads/high-memory-workload";

// Buckets
export { ReplicatedBucket, REPLICATED_BUCKET_DEFAULTS, KNOWN_REGIONS, type ReplicatedBucketArgs } from "./buckets/replicated-bucket";
export { RegionalBuckets, type LifecycleSettings, type RegionalBucketsArgs } from "./buckets/regional-buckets";
export type { ReplicaTarget } from "./buckets/bucket-policies";

// Workloads: AWS identity of a team's pods, and bucket prefixes as volumes
export { WorkloadIdentity, WORKLOAD_IDENTITY_DEFAULTS, type WorkloadIdentityArgs } from "./workloads/workload-identity";
export { DATA_ACCESS_LEVELS, type DataAccessLevel, type DataGrant } from "./workloads/data-access";
export { S3PrefixVolume, S3_PREFIX_VOLUME_DEFAULTS, type S3PrefixVolumeArgs } from "./workloads/s3-volume";

// Monitoring
export {
  MonitoringStack,
  MONITORING_STACK_DEFAULTS,
  MONITORING_NAMESPACE,
  PROMETHEUS_REQUEST,
  PROMETHEUS_SERVER_ADDRESS,
  type MonitoringStackArgs,
  type Placement,
} from "./monitoring/monitoring-stack";
export { PrometheusOperatorCrds, type PrometheusOperatorCrdsArgs } from "./monitoring/prometheus-operator-crds";
export { AlarmTopic, ALARM_TOPIC_DEFAULTS, EMAIL_ADDRESS, type AlarmSource, type AlarmTopicArgs } from "./monitoring/alarm-topic";
export { DEFAULT_ALERT_THRESHOLDS, type AlertThresholds } from "./monitoring/alert-rules";
export type { BackupCronJob } from "./monitoring/backup-rules";
export type { ReceiverSettings } from "./monitoring/alertmanager-config";

// Autoscaling inputs
export {
  WorkloadAutoscaling,
  WORKLOAD_AUTOSCALING_DEFAULTS,
  KEDA_NAMESPACE,
  VPA_NAMESPACE,
  type AutoscalerResources,
  type WorkloadAutoscalingArgs,
} from "./autoscaling/workload-autoscaling";

// Checks inside the cluster: Kyverno and the ValidatingPolicies of team namespaces
export {
  AdmissionController,
  ADMISSION_CONTROLLER_DEFAULTS,
  ADMISSION_EXCLUDED_NAMESPACES,
  validateAdmissionControllerArgs,
  type AdmissionControllerArgs,
} from "./admission/admission-controller";
export { ADMISSION_MODES, type AdmissionMode } from "./admission/policies";
export { KYVERNO_NAMESPACE } from "./admission/kyverno-values";

// Every version the components pull at deploy time (charts, images, EKS add-ons, AMI releases).
export * from "./versions";
