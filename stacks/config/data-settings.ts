/** Resolves the storage and Redis keys and checks what spans them (gp3 limits, volume sizes). */
import type { z } from "zod";
import { gp3Problem, minimumVolumeGiB } from "../../components/storage/gp3-limits";
import { DEFAULT_MAXMEMORY_RATIO } from "../../components/redis/redis-config";
import type { RedisSettings, StorageSettings } from "./environment";
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
