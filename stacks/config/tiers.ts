/**
 * What each tier means when a key is left at its "tier default" value. Dev is small and cheap,
 * staging mirrors prod's topology at lower retention, prod is highly available and protected.
 */
import type { Tier } from "./keys";

export interface TierDefaults {
  /** Protect stateful resources against deletion and replacement. Not configurable: prod is always protected. */
  readonly protect: boolean;
  readonly natGateways: "single" | "perAz";
  readonly systemNodeInstanceTypes: readonly string[];
  readonly systemNodeCount: number;
  readonly systemNodeMaxCount: number;
  readonly controlPlaneLogRetentionDays: number;
  readonly largestPodMemoryGiB: number;
  readonly highMemoryLimits: { readonly cpu: number; readonly memoryGiB: number };
  readonly generalLimits: { readonly cpu: number; readonly memoryGiB: number };
  readonly redis: { readonly memoryGiB: number; readonly cpu: number; readonly storageGiB: number };
  /** How many replica regions ["auto"] means, and how long old versions are kept. */
  readonly buckets: { readonly replicaCount: number; readonly noncurrentVersionDays: number };
  readonly monitoring: { readonly retentionDays: number; readonly storageGiB: number };
}

export const TIER_DEFAULTS: Readonly<Record<Tier, TierDefaults>> = {
  dev: {
    protect: false,
    natGateways: "single",
    systemNodeInstanceTypes: ["m7i.large", "m6i.large"],
    systemNodeCount: 2,
    systemNodeMaxCount: 3,
    controlPlaneLogRetentionDays: 7,
    largestPodMemoryGiB: 100,
    highMemoryLimits: { cpu: 96, memoryGiB: 768 },
    generalLimits: { cpu: 32, memoryGiB: 128 },
    redis: { memoryGiB: 4, cpu: 1, storageGiB: 20 },
    buckets: { replicaCount: 0, noncurrentVersionDays: 7 },
    monitoring: { retentionDays: 3, storageGiB: 20 },
  },
  staging: {
    protect: false,
    natGateways: "perAz",
    systemNodeInstanceTypes: ["m7i.xlarge", "m6i.xlarge"],
    systemNodeCount: 2,
    systemNodeMaxCount: 4,
    controlPlaneLogRetentionDays: 30,
    largestPodMemoryGiB: 200,
    highMemoryLimits: { cpu: 384, memoryGiB: 3072 },
    generalLimits: { cpu: 128, memoryGiB: 512 },
    redis: { memoryGiB: 16, cpu: 2, storageGiB: 50 },
    buckets: { replicaCount: 1, noncurrentVersionDays: 30 },
    monitoring: { retentionDays: 15, storageGiB: 100 },
  },
  prod: {
    protect: true,
    natGateways: "perAz",
    // One node per zone, so that CoreDNS and the Karpenter controller survive the loss of a zone.
    systemNodeInstanceTypes: ["m7i.xlarge", "m6i.xlarge"],
    systemNodeCount: 3,
    systemNodeMaxCount: 6,
    controlPlaneLogRetentionDays: 90,
    // The seed design's workloads: pods of up to 250 GB.
    largestPodMemoryGiB: 250,
    highMemoryLimits: { cpu: 1536, memoryGiB: 12288 },
    generalLimits: { cpu: 512, memoryGiB: 2048 },
    // The seed design's Redis: 32 GiB pods with 100 GiB volumes.
    redis: { memoryGiB: 32, cpu: 4, storageGiB: 100 },
    // The seed design: us-west-2 replicated to us-east-1 and eu-west-1.
    buckets: { replicaCount: 2, noncurrentVersionDays: 90 },
    monitoring: { retentionDays: 30, storageGiB: 250 },
  },
};
