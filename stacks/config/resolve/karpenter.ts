/**
 * Resolves the Karpenter keys into the stack's node pools, as data: the platform's four pools (two
 * high-memory, stateful, general) with their tier defaults, then the pools of the `nodePools` key.
 * Every pool is checked by its kind and by the NodePool component's own rules (pool-kinds.ts), so
 * what passes here builds.
 */
import { PROMETHEUS_REQUEST } from "../../../components/internal";
import { REDIS_EXPORTER_REQUEST } from "../../../components/internal";
import { highMemoryTypes } from "../../../components/internal";
import { localWindowProblems, utcBudgetsFor } from "../../../components/internal";
import { TAINT_EFFECTS, type Taint } from "../../../components/internal";
import {
  POOL_KIND_REGISTRY,
  POOL_KINDS,
  poolDeclarationProblems,
  type PoolContext,
  type PoolDeclaration,
  type PoolKind,
  type PoolLimits,
} from "../../../components/internal";
import type { KarpenterSettings, MonitoringSettings, RedisSettings } from "../environment";
import type { TierDefaults } from "../tiers";

/** The grammar of one `nodePools` entry, for descriptions and messages. */
import type { Problem, Values } from "../errors";
import { resolveCapacityWindows } from "./capacity-windows";

export const POOL_ENTRY_SYNTAX =
  "<name>=<kind>[,cpu=<vCPUs>][,memoryGiB=<GiB>][,hugePagesGiB=<GiB>][,localNvmeGiB=<GiB>][,taint=<key>=<value>:<effect>][,label=<key>=<value>]";

/**
 * The stateful pool holds the platform's own stateful workloads (Redis, Prometheus), so its limits
 * follow from them: three times what they request, room to replace every node once while the old
 * ones drain, rounded up to 16 GiB and whole vCPUs.
 */
export function statefulPoolLimits(redis: RedisSettings, monitoring: Pick<MonitoringSettings, "prometheusReplicas">): PoolLimits {
  const redisPods = redis.masters * 2;
  const memoryGiB = redisPods * (redis.memoryGiB + REDIS_EXPORTER_REQUEST.memoryMiB / 1024) + monitoring.prometheusReplicas * PROMETHEUS_REQUEST.memoryGiB;
  const cpu = redisPods * (redis.cpu + REDIS_EXPORTER_REQUEST.cpuMilli / 1000) + monitoring.prometheusReplicas * (PROMETHEUS_REQUEST.cpuMilli / 1000);
  return { cpu: Math.ceil(3 * cpu), memoryGiB: Math.ceil((3 * memoryGiB) / 16) * 16 };
}

/** Parses one `nodePools` entry; limits the entry leaves out are the tier's for the kind. */
export function parsePoolEntry(entry: string, tier: TierDefaults): { declaration: PoolDeclaration } | { error: string } {
  const [head = "", ...fields] = entry.split(",").map((f) => f.trim());
  const [name = "", kind = ""] = head.split("=");
  if (!(POOL_KINDS as readonly string[]).includes(kind))
    return { error: `kind "${kind}" is not one of: ${POOL_KINDS.join(", ")} (entries read ${POOL_ENTRY_SYNTAX})` };
  const poolKind = kind as PoolKind;
  const limits = { ...tier.poolLimits[POOL_KIND_REGISTRY[poolKind].tierLimits] };
  const taints: Taint[] = [];
  const labels: Record<string, string> = {};
  let hugePagesGiB: number | undefined;
  let minLocalNvmeGiB: number | undefined;
  for (const field of fields) {
    const at = field.indexOf("=");
    const [key, value] = [field.slice(0, at), field.slice(at + 1)];
    const whole = /^\d+$/.test(value) ? Number(value) : NaN;
    if (key === "cpu" || key === "memoryGiB" || key === "hugePagesGiB" || key === "localNvmeGiB") {
      if (!Number.isInteger(whole)) return { error: `${key} "${value}" must be a whole number` };
      if (key === "hugePagesGiB") hugePagesGiB = whole;
      else if (key === "localNvmeGiB") minLocalNvmeGiB = whole;
      else limits[key] = whole;
    } else if (key === "taint") {
      const m = /^([^=:]+)=([^=:]*):(\w+)$/.exec(value);
      if (!m || !(TAINT_EFFECTS as readonly string[]).includes(m[3]!))
        return { error: `taint "${value}" must be <key>=<value>:<effect>, effect one of ${TAINT_EFFECTS.join(", ")}` };
      taints.push({ key: m[1]!, value: m[2]!, effect: m[3] as Taint["effect"] });
    } else if (key === "label") {
      const m = /^([^=]+)=(.*)$/.exec(value);
      if (!m) return { error: `label "${value}" must be <key>=<value>` };
      labels[m[1]!] = m[2]!;
    } else {
      return { error: `field "${field}" is not one of cpu, memoryGiB, hugePagesGiB, localNvmeGiB, taint, label (entries read ${POOL_ENTRY_SYNTAX})` };
    }
  }
  return {
    declaration: {
      name,
      kind: poolKind,
      limits,
      ...(hugePagesGiB !== undefined ? { hugePagesGiB } : {}),
      ...(minLocalNvmeGiB !== undefined ? { minLocalNvmeGiB } : {}),
      ...(taints.length ? { taints } : {}),
      ...(Object.keys(labels).length ? { labels } : {}),
    },
  };
}

/** The working-hours freeze as UTC budget schedules for the year from now (the keys' schemas have checked each field). */
function consolidationFreeze(v: Values): KarpenterSettings["consolidationFreeze"] {
  const window = { hours: v.consolidationFreezeHours, days: v.consolidationFreezeDays, timeZone: v.consolidationFreezeTimeZone };
  return localWindowProblems(window).length > 0 ? [] : utcBudgetsFor(window, new Date());
}

export function resolveKarpenter(
  v: Values,
  tier: TierDefaults,
  region: string,
  data: { redis: RedisSettings; monitoring: Pick<MonitoringSettings, "prometheusReplicas"> },
  problem: Problem,
): KarpenterSettings {
  const highMemoryLimits = {
    cpu: v.highMemoryPoolCpuLimit || tier.poolLimits.highMemory.cpu,
    memoryGiB: v.highMemoryPoolMemoryLimitGiB || tier.poolLimits.highMemory.memoryGiB,
  };
  const generalLimits = {
    cpu: v.generalPoolCpuLimit || tier.poolLimits.general.cpu,
    memoryGiB: v.generalPoolMemoryLimitGiB || tier.poolLimits.general.memoryGiB,
  };
  const freeze = consolidationFreeze(v);
  const context: PoolContext = {
    largestPodMemoryGiB: v.largestPodMemoryGiB || tier.largestPodMemoryGiB,
    architectures: v.highMemoryArm64 ? ["amd64", "arm64"] : ["amd64"],
    maxNodeMemoryGiB: v.highMemoryMaxNodeMemoryGiB,
    region,
    consolidationFreeze: freeze,
  };
  const hugePagesGiB = { spot: v.highMemorySpotHugePagesGiB, onDemand: v.highMemoryOnDemandHugePagesGiB };
  const platformPools: PoolDeclaration[] = [
    { name: "high-memory-spot", kind: "high-memory-spot", limits: highMemoryLimits, hugePagesGiB: hugePagesGiB.spot },
    { name: "high-memory-on-demand", kind: "high-memory-on-demand", limits: highMemoryLimits, hugePagesGiB: hugePagesGiB.onDemand },
    { name: "stateful", kind: "stateful", limits: statefulPoolLimits(data.redis, data.monitoring) },
    { name: "general", kind: "general", limits: generalLimits },
  ];

  // The platform's pools: a problem names the key that sets what is wrong.
  for (const pool of platformPools.filter((p) => POOL_KIND_REGISTRY[p.kind].role === "high-memory")) {
    const hugePagesKey = pool.kind === "high-memory-spot" ? "highMemorySpotHugePagesGiB" : "highMemoryOnDemandHugePagesGiB";
    const sizing = poolDeclarationProblems(pool, context);
    if (sizing.length > 0) {
      const huge = pool.hugePagesGiB ?? 0;
      problem(huge > 0 ? hugePagesKey : "largestPodMemoryGiB", huge > 0 ? huge : context.largestPodMemoryGiB, sizing.join("; "));
      continue;
    }
    const smallest = Math.min(...highMemoryTypes({ ...context, limits: pool.limits, hugePagesGiB: pool.hugePagesGiB ?? 0 }).map((t) => t.memoryGiB));
    if (pool.limits.memoryGiB < smallest) {
      problem(
        "highMemoryPoolMemoryLimitGiB",
        pool.limits.memoryGiB,
        `must be at least ${smallest} GiB: the smallest node that holds a ${context.largestPodMemoryGiB} GiB pod has that much, so the ${pool.name} pool could never launch one`,
      );
    }
  }

  // Pools the stack declares in nodePools.
  const extra: PoolDeclaration[] = [];
  const names = new Set(platformPools.map((p) => p.name));
  v.nodePools.forEach((entry, i) => {
    const parsed = parsePoolEntry(entry, tier);
    if ("error" in parsed) return problem(`nodePools[${i}]`, entry, parsed.error);
    const d = parsed.declaration;
    if (names.has(d.name)) return problem(`nodePools[${i}]`, entry, `pool name "${d.name}" is taken (${[...names].join(", ")}): pick another`);
    names.add(d.name);
    const problems = poolDeclarationProblems(d, context);
    if (problems.length > 0) return problem(`nodePools[${i}]`, entry, problems.join("; "));
    extra.push(d);
  });

  const pools = [...platformPools, ...extra];
  return {
    ...context,
    consolidationFreeze: freeze,
    highMemoryLimits,
    generalLimits,
    hugePagesGiB,
    pools,
    capacityWindows: resolveCapacityWindows(v.capacityWindows, pools, context, problem),
  };
}
