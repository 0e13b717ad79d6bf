/** The buckets keys of the config registry (see ../keys.ts for the conventions). */
import { z } from "zod";
import { list, pattern, wholeNumber } from "../validators";
import { tierValues, AUTO_REPLICA_REGIONS } from "../tiers";
import { MIN_RETENTION_DAYS, REPLICATED_BUCKET_DEFAULTS } from "../../../components/internal";
import type { ConfigKeySpec } from "../keys";
import { MAX_COPY_REGIONS } from "../../../components/internal";

export const BUCKETS_KEYS = {
  bucketReplicaRegions: {
    group: "buckets",
    type: "array",
    description: `Regions that get a replica of the data bucket. ["auto"] means the tier default (that many regions: ${tierValues((t) => t.buckets.replicaCount)}; taken from ${AUTO_REPLICA_REGIONS.join(", ")} less the stack's region); [] means none. At most ${MAX_COPY_REGIONS}: every volume snapshot is copied to each replica region, and a Data Lifecycle Manager schedule copies to at most ${MAX_COPY_REGIONS}.`,
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
} as const satisfies Record<string, ConfigKeySpec>;
