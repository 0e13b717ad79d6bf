/** Resolves the storage and Redis keys and checks what spans them (gp3 limits, volume sizes). */
import { gp3Problem, minimumVolumeGiB } from "../../../components/internal";
import { redisStorageProblem, resizeProblem } from "../../../components/internal";
import { HIGH_IOPS_STORAGE_CLASS } from "../../../components/internal";
import { SNAPSHOT_INTERVAL_HOURS } from "../../../components/internal";
import type { RedisSettings, StorageSettings } from "../environment";
import { type TierDefaults } from "../tiers";
import type { Problem, Values } from "../errors";

export function resolveData(v: Values, tier: TierDefaults, problem: Problem): { storage: StorageSettings; redis: RedisSettings } {
  const storage: StorageSettings = {
    highIops: v.gp3HighIops,
    highIopsThroughputMiBps: v.gp3HighIopsThroughputMiBps,
    snapshotHours: v.volumeSnapshotHours || tier.volumeSnapshots.hours,
    snapshotRetentionCount: v.volumeSnapshotRetention || tier.volumeSnapshots.retentionCount,
  };
  if (!(SNAPSHOT_INTERVAL_HOURS as readonly number[]).includes(storage.snapshotHours))
    problem(
      "volumeSnapshotHours",
      storage.snapshotHours,
      `must be 0 (tier default) or one of ${SNAPSHOT_INTERVAL_HOURS.join(", ")}: the intervals Data Lifecycle Manager offers`,
    );
  const gp3 = gp3Problem(storage.highIops, storage.highIopsThroughputMiBps);
  if (gp3) problem("gp3HighIopsThroughputMiBps", storage.highIopsThroughputMiBps, gp3);

  const redis: RedisSettings = {
    engine: v.redisEngine,
    masters: v.redisMasters,
    memoryGiB: v.redisMemoryGiB || tier.redis.memoryGiB,
    cpu: v.redisCpu || tier.redis.cpu,
    storageGiB: v.redisStorageGiB || tier.redis.storageGiB,
    ...(v.redisResizeFromGiB > 0 ? { resizeFromGiB: v.redisResizeFromGiB } : {}),
    storageClassName: v.redisStorageClass,
    maxmemoryPolicy: v.redisMaxmemoryPolicy,
    backupSchedule: v.redisBackupSchedule || tier.redis.backupSchedule,
    backupsKept: v.redisBackupsKept || tier.redis.backupsKept,
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
  const resize = redis.resizeFromGiB === undefined ? undefined : resizeProblem(redis.resizeFromGiB, redis.storageGiB);
  if (resize) problem("redisResizeFromGiB", redis.resizeFromGiB, resize);
  return { storage, redis };
}
