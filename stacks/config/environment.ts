/** The validated, fully resolved configuration of one stack: what the stack layer composes from. */
import type { CapacityWindow, DataAccess, PoolDeclaration } from "../../components/internal";
import type { Tier } from "./keys";

export type NetworkSettings =
  | {
      readonly kind: "create";
      readonly cidr: string;
      readonly availabilityZones: readonly string[];
      readonly natGateways: "single" | "perAz";
      /** Days the VPC flow logs are kept (at least the tier minimum). */
      readonly flowLogRetentionDays: number;
    }
  | {
      readonly kind: "existing";
      readonly vpcId: string;
      readonly privateSubnetIds: readonly string[];
      readonly publicSubnetIds: readonly string[];
    };

export interface ClusterSettings {
  readonly kubernetesVersion: string;
  readonly adminRoleArns: readonly string[];
  readonly publicAccessCidrs: readonly string[];
  readonly privateAccessCidrs: readonly string[];
  readonly systemNodes: {
    readonly instanceTypes: readonly string[];
    readonly minSize: number;
    readonly maxSize: number;
    readonly diskSizeGiB: number;
  };
  readonly logRetentionDays: number;
  /** Registries pods may pull from (config imageRegistries): the platform's own at least. */
  readonly imageRegistries: readonly string[];
  readonly requireImageDigests: boolean;
  /** Admission policies of team namespaces: enforce, audit or off (no Kyverno), and admission controller replicas. */
  readonly admission: { readonly mode: "enforce" | "audit" | "off"; readonly replicas: number };
}

export interface KarpenterSettings {
  /** Region whose prices rank the high-memory pools' instance types. */
  readonly region: string;
  readonly largestPodMemoryGiB: number;
  readonly architectures: readonly ("amd64" | "arm64")[];
  readonly maxNodeMemoryGiB: number;
  readonly highMemoryLimits: { readonly cpu: number; readonly memoryGiB: number };
  readonly generalLimits: { readonly cpu: number; readonly memoryGiB: number };
  readonly hugePagesGiB: { readonly spot: number; readonly onDemand: number };
  /** UTC schedules of the high-memory pools' working-hours consolidation freeze (from the consolidationFreeze* keys). */
  readonly consolidationFreeze: readonly { readonly schedule: string; readonly duration: string }[];
  /** Every pool of the stack: the platform's four, then those the nodePools key declares. */
  readonly pools: readonly PoolDeclaration[];
  /** Capacity windows (the capacityWindows key), each checked against its pool. */
  readonly capacityWindows: readonly CapacityWindow[];
}

export interface StorageSettings {
  readonly highIops: number;
  readonly highIopsThroughputMiBps: number;
  /** Hours between scheduled volume snapshots (one of SNAPSHOT_INTERVAL_HOURS). */
  readonly snapshotHours: number;
  /** Scheduled snapshots kept per volume. */
  readonly snapshotRetentionCount: number;
}

export interface RedisSettings {
  readonly engine: "valkey" | "redis";
  readonly masters: number;
  readonly memoryGiB: number;
  readonly cpu: number;
  readonly storageGiB: number;
  /** The volumes' size now while they are grown to storageGiB; absent when no resize is under way. */
  readonly resizeFromGiB?: number;
  readonly storageClassName: "gp3" | "gp3-high-iops";
  /** Cron schedule (UTC) of the backup to the data bucket, and how many complete backups are kept. */
  readonly backupSchedule: string;
  readonly backupsKept: number;
  readonly maxmemoryPolicy:
    "noeviction" | "allkeys-lru" | "allkeys-lfu" | "volatile-lru" | "volatile-lfu" | "allkeys-random" | "volatile-random" | "volatile-ttl";
}

export interface BucketSettings {
  readonly replicaRegions: readonly string[];
  readonly snapshotRetentionDays: number;
  readonly noncurrentVersionDays: number;
  readonly replicationTimeControl: boolean;
  readonly replicateDeleteMarkers: boolean;
}

export interface MonitoringSettings {
  readonly retentionDays: number;
  readonly storageGiB: number;
  readonly prometheusReplicas: number;
  /** Subscribers of the AWS alarm topic. */
  readonly alarmEmailAddresses: readonly string[];
  /** Secrets: MonitoringStack wraps each with pulumi.secret before it reaches a resource. */
  readonly receivers: { readonly slackWebhookUrl?: string; readonly pagerDutyRoutingKey?: string; readonly deadMansSwitchUrl?: string };
}

/** One team namespace (the teams key), checked across teams and against the cluster's admins. */
export interface TeamSettings {
  readonly name: string;
  readonly memoryGiB: number;
  readonly cpu: number;
  readonly storageGiB: number;
  readonly hugePagesGiB: number;
  readonly pods: number;
  readonly accessRoleArns: readonly string[];
  readonly viewRoleArns: readonly string[];
  readonly dataAccess: readonly DataAccess[];
  /** Physical name of the team's workload role, made when dataAccess names prefixes. */
  readonly workloadRoleName: string;
  /** 0: no dataset claim. */
  readonly datasetGiB: number;
  readonly allowRedis: boolean;
  readonly serviceAccountName: string;
}

/** A reference high-memory workload (the referenceWorkloads key), checked against its team and the pools. */
export interface ReferenceWorkloadSettings {
  readonly name: string;
  readonly team: string;
  /** The team's data prefix mounted read-only at /data. */
  readonly prefix: string;
  readonly kind: "Job" | "StatefulSet";
  readonly memoryGiB: number;
  readonly cpu: number;
  /** 0: no scratch volume. */
  readonly scratchGiB: number;
  readonly replicas: number;
}

export interface EnvironmentConfig {
  readonly project: string;
  readonly stack: string;
  readonly tier: Tier;
  readonly region: string;
  readonly namePrefix: string;
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
  readonly network: NetworkSettings;
  readonly cluster: ClusterSettings;
  readonly karpenter: KarpenterSettings;
  readonly storage: StorageSettings;
  readonly redis: RedisSettings;
  readonly buckets: BucketSettings;
  readonly monitoring: MonitoringSettings;
  readonly teams: readonly TeamSettings[];
  readonly referenceWorkloads: readonly ReferenceWorkloadSettings[];
  /** Policy rules waived for named resources (the policyWaivers key), as the policy pack takes them. */
  readonly policyWaivers: readonly import("../../policies/rules/types").Waiver[];
}
