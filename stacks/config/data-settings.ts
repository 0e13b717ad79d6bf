/** Resolves the storage and Redis keys and checks what spans them (gp3 limits, volume sizes). */
import type { z } from "zod";
import { gp3Problem, minimumVolumeGiB } from "../../components/internal";
import { redisStorageProblem } from "../../components/internal";
import { replicaRegionProblem } from "../../components/internal";
import { HIGH_IOPS_STORAGE_CLASS } from "../../components/internal";
import type { BucketSettings, RedisSettings, StorageSettings } from "./environment";
import type { CONFIG_KEYS } from "./keys";
import { AUTO_REPLICA_REGIONS, type TierDefaults } from "./tiers";

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
  const tooSmall = redisStorageProblem(redis.memoryGiB, redis.storageGiB);
  if (tooSmall) problem("redisStorageGiB", redis.storageGiB, tooSmall);
  if (redis.storageClassName === HIGH_IOPS_STORAGE_CLASS && redis.storageGiB < minimumVolumeGiB(storage.highIops)) {
    problem(
      "redisStorageGiB",
      redis.storageGiB,
      `must be at least ${minimumVolumeGiB(storage.highIops)} GiB on ${HIGH_IOPS_STORAGE_CLASS}: ${storage.highIops} IOPS need 1 GiB per 500`,
    );
  }
  return { storage, redis };
}

export function resolveBuckets(v: Values, tier: TierDefaults, region: string, problem: Problem): BucketSettings {
  let replicaRegions: readonly string[] = v.bucketReplicaRegions;
  if (replicaRegions.includes("auto")) {
    if (replicaRegions.length > 1) problem("bucketReplicaRegions", replicaRegions, '"auto" stands alone: list regions, or ["auto"] for the tier default');
    replicaRegions = AUTO_REPLICA_REGIONS.filter((r) => r !== region).slice(0, tier.buckets.replicaCount);
  }
  for (const r of replicaRegions) {
    if (r === "auto") continue;
    const regionProblem = replicaRegionProblem(region, r);
    if (regionProblem) problem("bucketReplicaRegions", replicaRegions, `"${r}" ${regionProblem}`);
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
