/**
 * Config keys of the workload layers (Karpenter pools, storage, Redis, the data bucket,
 * monitoring), merged into CONFIG_KEYS in keys.ts; same conventions as there.
 */
import { z } from "zod";
import { MIN_RETENTION_DAYS, REPLICATED_BUCKET_DEFAULTS } from "../../components/internal";
import { HIGH_MEMORY_POOL_DEFAULTS } from "../../components/internal";
import { EMAIL_ADDRESS } from "../../components/internal";
import { MONITORING_LIMITS } from "../../components/internal";
import { REDIS_CLUSTER_DEFAULTS } from "../../components/internal";
import { DEFAULT_MAXMEMORY_RATIO, MAXMEMORY_POLICIES, REDIS_MIN_MASTERS } from "../../components/internal";
import { GP3 } from "../../components/internal";
import { DEFAULT_STORAGE_CLASS, HIGH_IOPS_STORAGE_CLASS, STORAGE_CLASSES_DEFAULTS } from "../../components/internal";
import type { ConfigKeySpec } from "./keys";
import { AUTO_REPLICA_REGIONS, tierValues } from "./tiers";
import { POOL_KIND_REGISTRY, POOL_KINDS } from "../../components/internal";
import { POOL_ENTRY_SYNTAX } from "./karpenter-settings";
import { list, oneOf, pattern, wholeNumber } from "./validators";

const thousands = (n: number) => n.toLocaleString("en-US");

export const WORKLOAD_KEYS = {
  largestPodMemoryGiB: {
    group: "karpenter",
    type: "integer",
    description: `Memory request (GiB) of the largest pod the high-memory pools must hold; the instance types of both pools are computed from it. 0 means the tier default (${tierValues((t) => t.largestPodMemoryGiB)}).`,
    default: 0,
    schema: z.union([z.literal(0), wholeNumber(16, 3000)]),
  },
  highMemoryArm64: {
    group: "karpenter",
    type: "boolean",
    description: "Let the high-memory and general pools launch arm64 (Graviton) instances as well as amd64; only if every image they run is multi-arch.",
    default: false,
    schema: z.boolean({ error: "must be true or false" }),
  },
  highMemoryMaxNodeMemoryGiB: {
    group: "karpenter",
    type: "integer",
    description: "Largest node (GiB of memory) the high-memory pools may launch.",
    default: HIGH_MEMORY_POOL_DEFAULTS.maxNodeMemoryGiB,
    schema: wholeNumber(128, 4096),
  },
  highMemoryPoolCpuLimit: {
    group: "karpenter",
    type: "integer",
    description: `Most vCPUs each high-memory pool may hold. 0 means the tier default (${tierValues((t) => t.poolLimits.highMemory.cpu)}).`,
    default: 0,
    schema: wholeNumber(0, 100000),
  },
  highMemoryPoolMemoryLimitGiB: {
    group: "karpenter",
    type: "integer",
    description: `Most memory (GiB) each high-memory pool may hold. 0 means the tier default (${tierValues((t) => t.poolLimits.highMemory.memoryGiB)}).`,
    default: 0,
    schema: wholeNumber(0, 1000000),
  },
  highMemorySpotHugePagesGiB: {
    group: "karpenter",
    type: "integer",
    description:
      "2 MiB huge pages (GiB) reserved on every high-memory spot node, for workloads that request hugepages-2Mi. 0 reserves none; reserved pages are no longer ordinary memory.",
    default: 0,
    schema: wholeNumber(0, 2048),
  },
  highMemoryOnDemandHugePagesGiB: {
    group: "karpenter",
    type: "integer",
    description: "2 MiB huge pages (GiB) reserved on every high-memory on-demand node. 0 reserves none.",
    default: 0,
    schema: wholeNumber(0, 2048),
  },
  generalPoolCpuLimit: {
    group: "karpenter",
    type: "integer",
    description: `Most vCPUs the general pool may hold. 0 means the tier default (${tierValues((t) => t.poolLimits.general.cpu)}).`,
    default: 0,
    schema: wholeNumber(0, 100000),
  },
  generalPoolMemoryLimitGiB: {
    group: "karpenter",
    type: "integer",
    description: `Most memory (GiB) the general pool may hold. 0 means the tier default (${tierValues((t) => t.poolLimits.general.memoryGiB)}).`,
    default: 0,
    schema: wholeNumber(0, 1000000),
  },
  nodePools: {
    group: "karpenter",
    type: "array",
    description: `Node pools besides the platform's four (high-memory-spot, high-memory-on-demand, stateful, general), one entry each: "${POOL_ENTRY_SYNTAX}", such as "nvme=stateful,cpu=64,memoryGiB=512,taint=disk=nvme:NoSchedule,label=disk=nvme". Kinds: ${POOL_KINDS.map((k) => `${k} (${POOL_KIND_REGISTRY[k].description})`).join("; ")}. Limits left out are the tier's for the kind: high-memory kinds (${tierValues((t) => `${t.poolLimits.highMemory.cpu} vCPU/${t.poolLimits.highMemory.memoryGiB} GiB`)}), others (${tierValues((t) => `${t.poolLimits.general.cpu} vCPU/${t.poolLimits.general.memoryGiB} GiB`)}).`,
    default: [],
    schema: list(pattern(/^[a-z0-9][-a-z0-9]*=[a-z-]+(,[^,]+)*$/, `a pool entry such as "nvme=stateful,cpu=64": ${POOL_ENTRY_SYNTAX}`), 10),
  },
  gp3HighIops: {
    group: "storage",
    type: "integer",
    description: `IOPS of ${HIGH_IOPS_STORAGE_CLASS} volumes: ${thousands(GP3.minIops)}-${thousands(GP3.maxIops)}; volumes need at least 1 GiB per ${GP3.maxIopsPerGiB} IOPS.`,
    default: STORAGE_CLASSES_DEFAULTS.highIops,
    schema: wholeNumber(GP3.minIops, GP3.maxIops),
  },
  gp3HighIopsThroughputMiBps: {
    group: "storage",
    type: "integer",
    description: `Throughput of ${HIGH_IOPS_STORAGE_CLASS} volumes in MiB/s: ${thousands(GP3.minThroughputMiBps)}-${thousands(GP3.maxThroughputMiBps)}, at most ${GP3.maxThroughputPerIops} MiB/s per IOPS.`,
    default: STORAGE_CLASSES_DEFAULTS.highIopsThroughputMiBps,
    schema: wholeNumber(GP3.minThroughputMiBps, GP3.maxThroughputMiBps),
  },
  redisMasters: {
    group: "redis",
    type: "integer",
    description: `Masters (shards) of the Redis Cluster, each with one replica; at least ${REDIS_MIN_MASTERS}.`,
    default: REDIS_CLUSTER_DEFAULTS.masters,
    schema: wholeNumber(REDIS_MIN_MASTERS, 50, ` (Redis Cluster needs ${REDIS_MIN_MASTERS} masters to fail one over)`),
  },
  redisMemoryGiB: {
    group: "redis",
    type: "integer",
    description: `Memory request and limit of each Redis container (GiB); ${DEFAULT_MAXMEMORY_RATIO * 100}% of it holds data, the rest is fork copy-on-write headroom. 0 means the tier default (${tierValues((t) => t.redis.memoryGiB)}).`,
    default: 0,
    schema: wholeNumber(0, 512),
  },
  redisCpu: {
    group: "redis",
    type: "integer",
    description: `CPU cores (request and limit) of each Redis container. 0 means the tier default (${tierValues((t) => t.redis.cpu)}).`,
    default: 0,
    schema: wholeNumber(0, 64),
  },
  redisStorageGiB: {
    group: "redis",
    type: "integer",
    description: `Persistent volume of each Redis node (GiB), at least twice its data memory. 0 means the tier default (${tierValues((t) => t.redis.storageGiB)}).`,
    default: 0,
    schema: wholeNumber(0, 16384),
  },
  redisStorageClass: {
    group: "redis",
    type: "string",
    description: `StorageClass of the Redis volumes: ${DEFAULT_STORAGE_CLASS} or ${HIGH_IOPS_STORAGE_CLASS}.`,
    default: DEFAULT_STORAGE_CLASS,
    schema: oneOf([DEFAULT_STORAGE_CLASS, HIGH_IOPS_STORAGE_CLASS]),
  },
  redisMaxmemoryPolicy: {
    group: "redis",
    type: "string",
    description: "What Redis does when its data fills maxmemory: allkeys-lru and the like evict (a cache), noeviction refuses writes (a store).",
    default: REDIS_CLUSTER_DEFAULTS.maxmemoryPolicy,
    schema: oneOf(MAXMEMORY_POLICIES),
  },
  bucketReplicaRegions: {
    group: "buckets",
    type: "array",
    description: `Regions that get a replica of the data bucket. ["auto"] means the tier default (that many regions: ${tierValues((t) => t.buckets.replicaCount)}; taken from ${AUTO_REPLICA_REGIONS.join(", ")} less the stack's region); [] means none.`,
    default: ["auto"],
    schema: list(pattern(/^(auto|[a-z]{2}(-gov)?-[a-z]+-\d)$/, 'an AWS region such as us-east-1, or "auto"'), 5),
  },
  snapshotRetentionDays: {
    group: "buckets",
    type: "integer",
    description: "Days snapshots (objects under snapshots/) are kept, in the source and every replica.",
    default: REPLICATED_BUCKET_DEFAULTS.snapshotRetentionDays,
    schema: wholeNumber(MIN_RETENTION_DAYS, 3650),
  },
  noncurrentVersionDays: {
    group: "buckets",
    type: "integer",
    description: `Days an overwritten or deleted object's previous version is kept. 0 means the tier default (${tierValues((t) => t.buckets.noncurrentVersionDays)}).`,
    default: 0,
    schema: wholeNumber(0, 3650),
  },
  replicationTimeControl: {
    group: "buckets",
    type: "boolean",
    description: "S3 Replication Time Control: 99.99% of objects replicated within 15 minutes, for an extra charge per GB.",
    default: REPLICATED_BUCKET_DEFAULTS.replicationTimeControl,
    schema: z.boolean({ error: "must be true or false" }),
  },
  replicateDeleteMarkers: {
    group: "buckets",
    type: "boolean",
    description: "Replicate delete markers. Off: a delete on the source leaves the replicas' objects visible.",
    default: REPLICATED_BUCKET_DEFAULTS.replicateDeleteMarkers,
    schema: z.boolean({ error: "must be true or false" }),
  },
  monitoringRetentionDays: {
    group: "monitoring",
    type: "integer",
    description: `Days of metrics Prometheus keeps. 0 means the tier default (${tierValues((t) => t.monitoring.retentionDays)}).`,
    default: 0,
    schema: z.union([z.literal(0), wholeNumber(MONITORING_LIMITS.minRetentionDays, MONITORING_LIMITS.maxRetentionDays)]),
  },
  monitoringStorageGiB: {
    group: "monitoring",
    type: "integer",
    description: `Prometheus volume (GiB, ${DEFAULT_STORAGE_CLASS}). 0 means the tier default (${tierValues((t) => t.monitoring.storageGiB)}).`,
    default: 0,
    schema: z.union([z.literal(0), wholeNumber(MONITORING_LIMITS.minStorageGiB, MONITORING_LIMITS.maxStorageGiB)]),
  },
  alarmEmailAddresses: {
    group: "monitoring",
    type: "array",
    description:
      "Email addresses subscribed to the stack's AWS alarm topic (S3 replication failures). Each gets a confirmation email from SNS first. The topic's ARN is a stack output for other subscribers.",
    default: [],
    schema: list(pattern(EMAIL_ADDRESS, "an email address such as oncall@example.com"), 20),
  },
  alertSlackWebhookUrl: {
    group: "monitoring",
    type: "string",
    description:
      "Slack incoming-webhook URL that receives every alert. Secret: set it with `pulumi config set --secret alertSlackWebhookUrl <url>`. Unset: no Slack.",
    default: "",
    secret: true,
    offlineStandIn: "https://hooks.slack.com/services/T00000000/B00000000/OfflineStandIn",
    schema: z.union([z.literal(""), pattern(/^https:\/\/hooks\.slack\.com\/services\/\S+$/, "a Slack webhook URL (https://hooks.slack.com/services/...)")]),
  },
  alertPagerDutyRoutingKey: {
    group: "monitoring",
    type: "string",
    description:
      "PagerDuty Events v2 routing key that receives critical alerts. Secret: set it with `pulumi config set --secret alertPagerDutyRoutingKey <key>`. Unset: no PagerDuty.",
    default: "",
    secret: true,
    offlineStandIn: "OfflineStandIn000000000000000000",
    schema: z.union([z.literal(""), pattern(/^[a-zA-Z0-9]{32}$/, "a 32-character PagerDuty routing key")]),
  },
  alertDeadMansSwitchUrl: {
    group: "monitoring",
    type: "string",
    description:
      "URL the always-firing Watchdog alert is sent to every minute; the service behind it alarms when it stops. Secret: set it with `pulumi config set --secret alertDeadMansSwitchUrl <url>`. Unset: none.",
    default: "",
    secret: true,
    offlineStandIn: "https://offline-stand-in.invalid/watchdog",
    schema: z.union([z.literal(""), pattern(/^https:\/\/\S+$/, "an https URL")]),
  },
} as const satisfies Record<string, ConfigKeySpec>;
