/** The redis keys of the config registry (see ../keys.ts for the conventions). */
import { z } from "zod";
import { oneOf, wholeNumber } from "../validators";
import { tierValues } from "../tiers";
import {
  REDIS_CLUSTER_DEFAULTS,
  REDIS_ENGINES,
  DEFAULT_MAXMEMORY_RATIO,
  MAXMEMORY_POLICIES,
  REDIS_MIN_MASTERS,
  DEFAULT_STORAGE_CLASS,
  HIGH_IOPS_STORAGE_CLASS,
  cronProblem,
} from "../../../components/internal";
import type { ConfigKeySpec } from "../keys";

export const REDIS_KEYS = {
  redisEngine: {
    group: "redis",
    type: "string",
    description:
      "Server of the cluster: valkey (BSD 3-Clause, the Linux Foundation fork of Redis) or redis (7.4 and later are RSALv2/SSPLv1, source-available). Both run the same config and scripts; changing it on a running cluster rolls the pods onto the other image (see the README).",
    default: REDIS_CLUSTER_DEFAULTS.engine,
    schema: oneOf(REDIS_ENGINES),
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
  redisResizeFromGiB: {
    group: "redis",
    type: "integer",
    description:
      "While growing redisStorageGiB: the size (GiB) the Redis volumes have now. The deploy grows every existing claim first, then replaces the StatefulSet without touching its pods (README, Growing Redis volumes). 0 (no resize) once done; must be below redisStorageGiB: volumes cannot shrink.",
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
  redisBackupSchedule: {
    group: "redis",
    type: "string",
    description: `Cron schedule (five numeric fields, UTC) of the Redis backup: an RDB of every shard, from its replica, to the data bucket under snapshots/redis/<cluster>/<timestamp>/. Empty means the tier default (${tierValues((t) => `"${t.redis.backupSchedule}"`)}).`,
    default: "",
    schema: z.string({ error: "must be a string" }).refine((v) => v === "" || cronProblem(v) === undefined, {
      error: 'must be a five-field cron schedule such as "0 3 * * *" (numbers, *, ranges, lists, /steps)',
    }),
  },
  redisBackupsKept: {
    group: "redis",
    type: "integer",
    description: `Complete Redis backups kept under the prefix; each run removes older ones (the snapshots/ lifecycle, snapshotRetentionDays, removes them earlier if it is shorter). 0 means the tier default (${tierValues((t) => t.redis.backupsKept)}).`,
    default: 0,
    schema: wholeNumber(0, 1000),
  },
} as const satisfies Record<string, ConfigKeySpec>;
