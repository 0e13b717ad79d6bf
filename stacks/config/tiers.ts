/**
 * What each tier means when a key is left at its "tier default" value, as data: the components'
 * own defaults (their `*_DEFAULTS` constants) are the baseline, and each tier lists only where it
 * differs. Dev is small and cheap, staging mirrors prod's topology at lower retention, prod is
 * highly available and protected.
 *
 * Key descriptions that mention tier defaults are rendered from this table (`tierValues`), so that
 * changing a value here changes Pulumi.yaml and the README through `npm run config:sync` and
 * `npm run docs:sync`, and the sync tests fail until they are regenerated.
 */
import { REPLICATED_BUCKET_DEFAULTS } from "../../components/internal";
import { CONTROL_PLANE_LOG_RETENTION_DAYS } from "../../components/internal";
import { SYSTEM_NODE_GROUP_DEFAULTS } from "../../components/internal";
import { MONITORING_STACK_DEFAULTS } from "../../components/internal";
import { FLOW_LOG_DEFAULTS, VPC_NETWORK_DEFAULTS } from "../../components/internal";
import { REDIS_CLUSTER_DEFAULTS } from "../../components/internal";
import { VOLUME_BACKUPS_DEFAULTS } from "../../components/internal";
import { ADMISSION_CONTROLLER_DEFAULTS } from "../../components/internal";

export const TIERS = ["dev", "staging", "prod"] as const;
export type Tier = (typeof TIERS)[number];

export interface Limits {
  readonly cpu: number;
  readonly memoryGiB: number;
}

export interface TierDefaults {
  /** Protect stateful resources against deletion and replacement. Not configurable: prod is always protected. */
  readonly protect: boolean;
  readonly natGateways: "single" | "perAz";
  readonly systemNodeInstanceTypes: readonly string[];
  readonly systemNodeCount: number;
  readonly systemNodeMaxCount: number;
  readonly controlPlaneLogRetentionDays: number;
  /** Retention of the VPC flow logs (a VPC the stack creates). */
  readonly flowLogRetentionDays: number;
  readonly largestPodMemoryGiB: number;
  /** Limits of a node pool, by pool kind (components/karpenter/pool-kinds.ts). */
  readonly poolLimits: { readonly highMemory: Limits; readonly general: Limits };
  readonly redis: {
    readonly memoryGiB: number;
    readonly cpu: number;
    readonly storageGiB: number;
    /** Cron schedule (UTC) of the Redis backup to the data bucket, and how many complete backups are kept. */
    readonly backupSchedule: string;
    readonly backupsKept: number;
  };
  /** How many replica regions ["auto"] means, and how long old versions are kept. */
  readonly buckets: { readonly replicaCount: number; readonly noncurrentVersionDays: number };
  readonly monitoring: { readonly retentionDays: number; readonly storageGiB: number; readonly prometheusReplicas: number };
  /** Scheduled volume snapshots (Data Lifecycle Manager): hours between them, and how many are kept. */
  readonly volumeSnapshots: { readonly hours: number; readonly retentionCount: number };
  /** Admission policies of team namespaces (Kyverno): enforce or audit, and admission controller replicas. */
  readonly admission: { readonly mode: "enforce" | "audit"; readonly replicas: number };
}

/** The components' own defaults, where a component has one. */
const COMPONENT_BASELINE = {
  protect: false,
  natGateways: VPC_NETWORK_DEFAULTS.natGateways,
  systemNodeInstanceTypes: SYSTEM_NODE_GROUP_DEFAULTS.instanceTypes,
  systemNodeCount: SYSTEM_NODE_GROUP_DEFAULTS.minSize,
  systemNodeMaxCount: SYSTEM_NODE_GROUP_DEFAULTS.maxSize,
  controlPlaneLogRetentionDays: CONTROL_PLANE_LOG_RETENTION_DAYS,
  flowLogRetentionDays: FLOW_LOG_DEFAULTS.retentionDays,
  redis: { cpu: REDIS_CLUSTER_DEFAULTS.cpu },
  buckets: { noncurrentVersionDays: REPLICATED_BUCKET_DEFAULTS.noncurrentVersionDays },
  volumeSnapshots: { hours: VOLUME_BACKUPS_DEFAULTS.scheduleHours, retentionCount: VOLUME_BACKUPS_DEFAULTS.retentionCount },
  monitoring: {
    retentionDays: MONITORING_STACK_DEFAULTS.retentionDays,
    storageGiB: MONITORING_STACK_DEFAULTS.storageGiB,
    prometheusReplicas: MONITORING_STACK_DEFAULTS.prometheusReplicas,
  },
  admission: { mode: ADMISSION_CONTROLLER_DEFAULTS.mode, replicas: ADMISSION_CONTROLLER_DEFAULTS.admissionReplicas },
} as const;

type Nested<T> = { readonly [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? Partial<T[K]> : T[K] };

/** Where each tier differs from the components' defaults, and what no component defaults. */
const TIER_DIFFERENCES: Readonly<Record<Tier, Nested<TierDefaults>>> = {
  dev: {
    natGateways: "single",
    systemNodeInstanceTypes: ["m7i.large", "m6i.large"],
    systemNodeMaxCount: 3,
    // The tier minimums of policies/rules/log-retention.ts: dev and staging keep logs for the least
    // time the policy allows, prod for the year of the components' defaults.
    controlPlaneLogRetentionDays: 7,
    flowLogRetentionDays: 7,
    largestPodMemoryGiB: 100,
    poolLimits: { highMemory: { cpu: 96, memoryGiB: 768 }, general: { cpu: 32, memoryGiB: 128 } },
    redis: { memoryGiB: 4, cpu: 1, storageGiB: 20, backupSchedule: "0 3 * * *", backupsKept: 3 },
    buckets: { replicaCount: 0, noncurrentVersionDays: 7 },
    monitoring: { retentionDays: 3, storageGiB: 20 },
    // Daily, three days back: enough to undo a bad change, cheap.
    volumeSnapshots: { retentionCount: 3 },
    // Teams try things in dev: a pod that fails a policy is admitted, reported and warned about, so
    // they see what staging and prod will refuse. Audit never blocks, so one replica is enough.
    admission: { mode: "audit", replicas: 1 },
  },
  staging: {
    controlPlaneLogRetentionDays: 30,
    flowLogRetentionDays: 30,
    largestPodMemoryGiB: 200,
    poolLimits: { highMemory: { cpu: 384, memoryGiB: 3072 }, general: { cpu: 128, memoryGiB: 512 } },
    redis: { memoryGiB: 16, storageGiB: 50, backupSchedule: "0 3 * * *", backupsKept: 7 },
    buckets: { replicaCount: 1 },
  },
  prod: {
    protect: true,
    // One node per zone, so that CoreDNS and the Karpenter controller survive the loss of a zone.
    systemNodeCount: 3,
    systemNodeMaxCount: 6,
    // The seed design's workloads: pods of up to 250 GB.
    largestPodMemoryGiB: 250,
    poolLimits: { highMemory: { cpu: 1536, memoryGiB: 12288 }, general: { cpu: 512, memoryGiB: 2048 } },
    // The seed design's Redis: 32 GiB pods with 100 GiB volumes.
    redis: { memoryGiB: 32, cpu: 4, storageGiB: 100, backupSchedule: "0 */6 * * *", backupsKept: 28 },
    // The seed design: us-west-2 replicated to us-east-1 and eu-west-1.
    buckets: { replicaCount: 2, noncurrentVersionDays: 90 },
    monitoring: { retentionDays: 30, storageGiB: 250, prometheusReplicas: 2 },
    // Every 6 hours, a week back (28 snapshots); the copies in the replica regions cover 7 days.
    volumeSnapshots: { hours: 6, retentionCount: 28 },
  },
};

function resolveTier(tier: Tier): TierDefaults {
  const d = TIER_DIFFERENCES[tier];
  const b = COMPONENT_BASELINE;
  const required = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`tiers.ts: tier ${tier} sets no ${what}, and no component defaults it`);
    return value;
  };
  return {
    protect: d.protect ?? b.protect,
    natGateways: d.natGateways ?? b.natGateways,
    systemNodeInstanceTypes: d.systemNodeInstanceTypes ?? b.systemNodeInstanceTypes,
    systemNodeCount: d.systemNodeCount ?? b.systemNodeCount,
    systemNodeMaxCount: d.systemNodeMaxCount ?? b.systemNodeMaxCount,
    controlPlaneLogRetentionDays: d.controlPlaneLogRetentionDays ?? b.controlPlaneLogRetentionDays,
    flowLogRetentionDays: d.flowLogRetentionDays ?? b.flowLogRetentionDays,
    largestPodMemoryGiB: required(d.largestPodMemoryGiB, "largestPodMemoryGiB"),
    poolLimits: {
      highMemory: required(d.poolLimits?.highMemory, "poolLimits.highMemory"),
      general: required(d.poolLimits?.general, "poolLimits.general"),
    },
    redis: {
      memoryGiB: required(d.redis?.memoryGiB, "redis.memoryGiB"),
      cpu: d.redis?.cpu ?? b.redis.cpu,
      storageGiB: required(d.redis?.storageGiB, "redis.storageGiB"),
      backupSchedule: required(d.redis?.backupSchedule, "redis.backupSchedule"),
      backupsKept: required(d.redis?.backupsKept, "redis.backupsKept"),
    },
    buckets: {
      replicaCount: required(d.buckets?.replicaCount, "buckets.replicaCount"),
      noncurrentVersionDays: d.buckets?.noncurrentVersionDays ?? b.buckets.noncurrentVersionDays,
    },
    monitoring: { ...b.monitoring, ...d.monitoring },
    volumeSnapshots: { ...b.volumeSnapshots, ...d.volumeSnapshots },
    admission: { ...b.admission, ...d.admission },
  };
}

export const TIER_DEFAULTS: Readonly<Record<Tier, TierDefaults>> = {
  dev: resolveTier("dev"),
  staging: resolveTier("staging"),
  prod: resolveTier("prod"),
};

/** Regions ["auto"] picks replicas of the data bucket from, in order (less the stack's own region). */
export const AUTO_REPLICA_REGIONS = ["us-east-1", "eu-west-1", "us-west-2"] as const;

/**
 * The tier values of one setting, as key descriptions print them: "dev 4, staging 16, prod 32".
 * Every description that mentions a tier default is rendered with this, never typed by hand.
 */
export function tierValues(pick: (t: TierDefaults) => string | number | readonly string[]): string {
  return TIERS.map((tier) => {
    const v = pick(TIER_DEFAULTS[tier]);
    return `${tier} ${Array.isArray(v) ? v.join(" + ") : String(v)}`;
  }).join(", ");
}
