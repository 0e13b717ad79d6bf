/**
 * gp3 volume limits (EBS, 2025 onwards): 1 GiB-64 TiB, 3,000-80,000 IOPS at most 500 per GiB,
 * 125-2,000 MiB/s at most 0.25 MiB/s per provisioned IOPS. Many documents still give the older
 * 16,000 IOPS, 1,000 MiB/s and 16 TiB.
 */
export const GP3 = {
  minIops: 3000,
  maxIops: 80000,
  maxIopsPerGiB: 500,
  minThroughputMiBps: 125,
  maxThroughputMiBps: 2000,
  maxThroughputPerIops: 0.25,
  minSizeGiB: 1,
  maxSizeGiB: 65536,
} as const;

/** Why a gp3 performance setting is impossible, or undefined when it is fine. */
export function gp3Problem(iops: number, throughputMiBps: number): string | undefined {
  if (!Number.isInteger(iops) || iops < GP3.minIops || iops > GP3.maxIops) return `iops ${iops} is outside gp3's ${GP3.minIops}-${GP3.maxIops}`;
  if (!Number.isInteger(throughputMiBps) || throughputMiBps < GP3.minThroughputMiBps || throughputMiBps > GP3.maxThroughputMiBps) {
    return `throughput ${throughputMiBps} MiB/s is outside gp3's ${GP3.minThroughputMiBps}-${GP3.maxThroughputMiBps} MiB/s`;
  }
  if (throughputMiBps > iops * GP3.maxThroughputPerIops) {
    return `throughput ${throughputMiBps} MiB/s needs at least ${Math.ceil(throughputMiBps / GP3.maxThroughputPerIops)} IOPS (gp3 allows 0.25 MiB/s per IOPS); ${iops} are set`;
  }
  return undefined;
}

/** The smallest volume that may carry the IOPS (500 per GiB). */
export function minimumVolumeGiB(iops: number): number {
  return Math.max(GP3.minSizeGiB, Math.ceil(iops / GP3.maxIopsPerGiB));
}
