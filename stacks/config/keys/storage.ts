/** The storage keys of the config registry (see ../keys.ts for the conventions). */
import { wholeNumber } from "../validators";
import { GP3, HIGH_IOPS_STORAGE_CLASS, STORAGE_CLASSES_DEFAULTS } from "../../../components/internal";
import { MAX_SNAPSHOT_RETENTION_COUNT, SNAPSHOT_INTERVAL_HOURS } from "../../../components/internal";
import { tierValues } from "../tiers";
import type { ConfigKeySpec } from "../keys";

const thousands = (n: number) => n.toLocaleString("en-US");

export const STORAGE_KEYS = {
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
  volumeSnapshotHours: {
    group: "storage",
    type: "integer",
    description: `Hours between snapshots of the Redis volumes and the teams' dataset claims (Data Lifecycle Manager): ${SNAPSHOT_INTERVAL_HOURS.join(", ")}. 0 means the tier default (${tierValues((t) => t.volumeSnapshots.hours)}).`,
    default: 0,
    schema: wholeNumber(0, 24),
  },
  volumeSnapshotRetention: {
    group: "storage",
    type: "integer",
    description: `Snapshots kept per volume, 1-${thousands(MAX_SNAPSHOT_RETENTION_COUNT)}; copies in the data bucket's replica regions are kept as many days as these cover. 0 means the tier default (${tierValues((t) => t.volumeSnapshots.retentionCount)}).`,
    default: 0,
    schema: wholeNumber(0, MAX_SNAPSHOT_RETENTION_COUNT),
  },
} as const satisfies Record<string, ConfigKeySpec>;
