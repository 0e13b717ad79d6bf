/** Resolves the bucket keys: replica regions (tier default or listed), retention, replication options. */
import { replicaRegionProblem } from "../../../components/internal";
import { MAX_COPY_REGIONS } from "../../../components/internal";
import type { BucketSettings } from "../environment";
import { AUTO_REPLICA_REGIONS, type TierDefaults } from "../tiers";
import type { Problem, Values } from "../errors";

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
  if (replicaRegions.length > MAX_COPY_REGIONS)
    problem(
      "bucketReplicaRegions",
      replicaRegions,
      `at most ${MAX_COPY_REGIONS} regions: every volume snapshot is copied to each replica region, and a Data Lifecycle Manager schedule copies to at most ${MAX_COPY_REGIONS}`,
    );
  return {
    replicaRegions,
    snapshotRetentionDays: v.snapshotRetentionDays,
    noncurrentVersionDays: v.noncurrentVersionDays || tier.buckets.noncurrentVersionDays,
    replicationTimeControl: v.replicationTimeControl,
    replicateDeleteMarkers: v.replicateDeleteMarkers,
  };
}
