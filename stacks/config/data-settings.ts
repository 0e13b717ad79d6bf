/** Resolves the storage and Redis keys and checks what spans them (gp3 limits, volume sizes). */
import type { z } from "zod";
import { DEFAULT_MAXMEMORY_RATIO, gp3Problem, minimumVolumeGiB } from "../../components/internal";
import { KNOWN_REGIONS } from "../../components";
import type { BucketSettings, RedisSettings, StorageSettings } from "./environment";
import type { CONFIG_KEYS } from "./keys";
import type { TierDefaults } from "./tiers";

type Values = { readonly [K in keyof typeof CONFIG_KEYS]: z.output<(typeof CONFIG_KEYS)[K]["schema"]> };
type Problem = (key: keyof typeof CONFIG_KEYS, value: unknown, message: string) => void;

export function resolveData(v: Values, tier: TierDefaults, problem: Problem): { storage: StorageSettings; redis: RedisSettings } {
  const storage = { highIops: v.gp3HighIops, highIopsThroughputMiBps: v.gp3HighIopsThroughputMiBps };
  const gp3 = gp3Problem(storage.highIops, storage.highIopsThroughputMiBps);
  if (gp3) problem("gp3HighIopsThroughputMiBps", storage.highIopsThroughputMiBps, gp3);

  const redis: RedisSettings = {
    masters: v.redisMasters,
    memoryGiB: v.redisMemoryGiB || tier.redis.memoryGiB,
    cpu: v.redisCpu || tier.redis.cpu,
    storageGiB: v.redisStorageGiB || tier.redis.storageGiB,
    storageClassName: v.redisStorageClass,
    maxmemoryPolicy: v.redisMaxmemoryPolicy,
  };
  const neededGiB = Math.ceil(2 * redis.memoryGiB * DEFAULT_MAXMEMORY_RATIO);
  if (redis.storageGiB < neededGiB) {
    problem("redisStorageGiB", redis.storageGiB, `must be at least ${neededGiB} GiB for ${redis.memoryGiB} GiB Redis containers: twice their data memory, for the append-only file during a rewrite`);
  }
  if (redis.storageClassName === "gp3-high-iops" && redis.storageGiB < minimumVolumeGiB(storage.highIops)) {
    problem("redisStorageGiB", redis.storageGiB, `must be at least ${minimumVolumeGiB(storage.highIops)} GiB on gp3-high-iops: ${storage.highIops} IOPS need 1 GiB per 500`);
  }
  return { storage, redis };
}

/** Regions ["auto"] picks replicas from, in order. */
export const AUTO_REPLICA_REGIONS = ["us-east-1", "eu-west-1", "us-west-2"] as const;

export function resolveBuckets(v: Values, tier: TierDefaults, region: string, problem: Problem): BucketSettings {
  let replicaRegions: readonly string[] = v.bucketReplicaRegions;
  if (replicaRegions.includes("auto")) {
    if (replicaRegions.length > 1) problem("bucketReplicaRegions", replicaRegions, '"auto" stands alone: list regions, or ["auto"] for the tier default');
    replicaRegions = AUTO_REPLICA_REGIONS.filter((r) => r !== region).slice(0, tier.buckets.replicaCount);
  }
  for (const r of replicaRegions) {
    if (r === "auto") continue;
    if (!(KNOWN_REGIONS as readonly string[]).includes(r)) problem("bucketReplicaRegions", replicaRegions, `"${r}" is not a known region; use regions such as ${AUTO_REPLICA_REGIONS.join(", ")}`);
    else if (r === region) problem("bucketReplicaRegions", replicaRegions, `"${r}" is the stack's own region: replicas must be elsewhere`);
  }
  if (new Set(replicaRegions).size !== replicaRegions.length) problem("bucketReplicaRegions", replicaRegions, "lists a region more than once");
  return {
    replicaRegions,
    snapshotRetentionDays: v.snapshotRetentionDays,
    noncurrentVersionDays: v.noncurrentVersionDays || tier.buckets.noncurrentVersionDays,
    replicationTimeControl: v.replicationTimeControl,
    replicateDeleteMarkers: v.replicateDeleteMarkers,
  };
}
