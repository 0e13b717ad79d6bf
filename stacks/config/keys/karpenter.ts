/** The karpenter keys of the config registry (see ../keys.ts for the conventions). */
import { z } from "zod";
import { list, pattern, wholeNumber } from "../validators";
import { tierValues } from "../tiers";
import { HIGH_MEMORY_POOL_DEFAULTS, POOL_KIND_REGISTRY, POOL_KINDS } from "../../../components/internal";
import { isTimeZone, parseDays, parseHours } from "../../../components/internal";
import { POOL_ENTRY_SYNTAX } from "../resolve/karpenter";
import { WINDOW_ENTRY_SYNTAX } from "../resolve/capacity-windows";
import type { ConfigKeySpec } from "../keys";

export const KARPENTER_KEYS = {
  largestPodMemoryGiB: {
    group: "karpenter",
    type: "integer",
    description: `Memory request (GiB) of the largest pod the high-memory pools must hold; the instance types of both pools are computed from it. 0 means the tier default (${tierValues((t) => t.largestPodMemoryGiB)}).`,
    default: 0,
    schema: z.union([z.literal(0), wholeNumber(16, 3000)]),
  },
  highMemoryArm64: {
    group: "karpenter",
    type: "boolean",
    description: "Let the high-memory and general pools launch arm64 (Graviton) instances as well as amd64; only if every image they run is multi-arch.",
    default: false,
    schema: z.boolean({ error: "must be true or false" }),
  },
  highMemoryMaxNodeMemoryGiB: {
    group: "karpenter",
    type: "integer",
    description: "Largest node (GiB of memory) the high-memory pools may launch.",
    default: HIGH_MEMORY_POOL_DEFAULTS.maxNodeMemoryGiB,
    schema: wholeNumber(128, 4096),
  },
  highMemoryPoolCpuLimit: {
    group: "karpenter",
    type: "integer",
    description: `Most vCPUs each high-memory pool may hold. 0 means the tier default (${tierValues((t) => t.poolLimits.highMemory.cpu)}).`,
    default: 0,
    schema: wholeNumber(0, 100000),
  },
  highMemoryPoolMemoryLimitGiB: {
    group: "karpenter",
    type: "integer",
    description: `Most memory (GiB) each high-memory pool may hold. 0 means the tier default (${tierValues((t) => t.poolLimits.highMemory.memoryGiB)}).`,
    default: 0,
    schema: wholeNumber(0, 1000000),
  },
  highMemorySpotHugePagesGiB: {
    group: "karpenter",
    type: "integer",
    description:
      "2 MiB huge pages (GiB) reserved on every high-memory spot node, for workloads that request hugepages-2Mi. 0 reserves none; reserved pages are no longer ordinary memory.",
    default: 0,
    schema: wholeNumber(0, 2048),
  },
  highMemoryOnDemandHugePagesGiB: {
    group: "karpenter",
    type: "integer",
    description: "2 MiB huge pages (GiB) reserved on every high-memory on-demand node. 0 reserves none.",
    default: 0,
    schema: wholeNumber(0, 2048),
  },
  generalPoolCpuLimit: {
    group: "karpenter",
    type: "integer",
    description: `Most vCPUs the general pool may hold. 0 means the tier default (${tierValues((t) => t.poolLimits.general.cpu)}).`,
    default: 0,
    schema: wholeNumber(0, 100000),
  },
  generalPoolMemoryLimitGiB: {
    group: "karpenter",
    type: "integer",
    description: `Most memory (GiB) the general pool may hold. 0 means the tier default (${tierValues((t) => t.poolLimits.general.memoryGiB)}).`,
    default: 0,
    schema: wholeNumber(0, 1000000),
  },
  consolidationFreezeHours: {
    group: "karpenter",
    type: "string",
    description:
      "Working hours (HH:MM-HH:MM, 24-hour, in consolidationFreezeTimeZone) in which the high-memory pools do not consolidate underutilised nodes; an end before the start runs past midnight.",
    default: "07:00-19:00",
    schema: z
      .string({ error: "must be a string" })
      .refine((v) => parseHours(v) !== undefined, { error: 'must be HH:MM-HH:MM with different start and end, such as "07:00-19:00"' }),
  },
  consolidationFreezeDays: {
    group: "karpenter",
    type: "string",
    description: "Days (a cron day-of-week field, such as mon-fri or mon,wed,fri) on which the consolidation freeze starts, in consolidationFreezeTimeZone.",
    default: "mon-fri",
    schema: z
      .string({ error: "must be a string" })
      .refine((v) => parseDays(v) !== undefined, { error: 'must be a cron day-of-week field such as "mon-fri", "mon,wed,fri" or "*"' }),
  },
  consolidationFreezeTimeZone: {
    group: "karpenter",
    type: "string",
    description:
      "IANA time zone of the consolidation freeze, such as Europe/Berlin. Karpenter schedules are UTC only: the window becomes UTC budgets covering it at every offset the zone uses in the coming year (with DST, an hour longer than asked).",
    default: "UTC",
    schema: z.string({ error: "must be a string" }).refine(isTimeZone, { error: 'must be an IANA time zone such as "Europe/Berlin" or "UTC"' }),
  },
  nodePools: {
    group: "karpenter",
    type: "array",
    description: `Node pools besides the platform's four (high-memory-spot, high-memory-on-demand, stateful, general), one entry each: "${POOL_ENTRY_SYNTAX}", such as "nvme=stateful,cpu=64,memoryGiB=512,taint=disk=nvme:NoSchedule,label=disk=nvme". Kinds: ${POOL_KINDS.map((k) => `${k} (${POOL_KIND_REGISTRY[k].description})`).join("; ")}. Limits left out are the tier's for the kind: high-memory kinds (${tierValues((t) => `${t.poolLimits.highMemory.cpu} vCPU/${t.poolLimits.highMemory.memoryGiB} GiB`)}), others (${tierValues((t) => `${t.poolLimits.general.cpu} vCPU/${t.poolLimits.general.memoryGiB} GiB`)}).`,
    default: [],
    schema: list(pattern(/^[a-z0-9][-a-z0-9]*=[a-z-]+(,[^,]+)*$/, `a pool entry such as "nvme=stateful,cpu=64": ${POOL_ENTRY_SYNTAX}`), 10),
  },
  capacityWindows: {
    group: "karpenter",
    type: "array",
    description: `Capacity windows: placeholder pods that hold nodes on a pool from start - lead to end + drain, so that scheduled work finds them up (README, Capacity windows). One entry each: "${WINDOW_ENTRY_SYNTAX}", such as "nightly=high-memory-spot,start=0 22 * * mon-fri,tz=Europe/Berlin,duration=2h,pods=2,memoryGiB=200,cpu=8". Lead and drain default to 30m. The cron's minute and hour are single numbers; it is read in tz (the CronJobs carry the zone). A window its pool cannot hold (largest node, limits) is refused.`,
    default: [],
    schema: list(
      pattern(
        /^[a-z0-9][-a-z0-9]*=[a-z0-9][-a-z0-9]*,.+$/,
        `a window entry such as "nightly=high-memory-spot,start=0 22 * * *,tz=UTC,duration=2h,pods=1,memoryGiB=200": ${WINDOW_ENTRY_SYNTAX}`,
      ),
      10,
    ),
  },
} as const satisfies Record<string, ConfigKeySpec>;
