/**
 * Resolves the Karpenter keys and checks that the pools they describe can exist: enough instance
 * types fit the largest pod (15 for spot-to-spot consolidation), and each pool's limit admits at
 * least one of its nodes. The same pool functions compose the stack, so what passes here builds.
 */
import { highMemoryPool, highMemoryTypes, PoolSizingError } from "../../components/karpenter/pool-presets";
import type { KarpenterSettings } from "./environment";
import type { CONFIG_KEYS } from "./keys";
import type { TierDefaults } from "./tiers";
import type { z } from "zod";

type Values = { readonly [K in keyof typeof CONFIG_KEYS]: z.output<(typeof CONFIG_KEYS)[K]["schema"]> };
type Problem = (key: keyof typeof CONFIG_KEYS, value: unknown, message: string) => void;

export function resolveKarpenter(v: Values, tier: TierDefaults, region: string, problem: Problem): KarpenterSettings {
  const settings: KarpenterSettings = {
    largestPodMemoryGiB: v.largestPodMemoryGiB || tier.largestPodMemoryGiB,
    architectures: v.highMemoryArm64 ? ["amd64", "arm64"] : ["amd64"],
    maxNodeMemoryGiB: v.highMemoryMaxNodeMemoryGiB,
    highMemoryLimits: {
      cpu: v.highMemoryPoolCpuLimit || tier.poolLimits.highMemory.cpu,
      memoryGiB: v.highMemoryPoolMemoryLimitGiB || tier.poolLimits.highMemory.memoryGiB,
    },
    generalLimits: {
      cpu: v.generalPoolCpuLimit || tier.poolLimits.general.cpu,
      memoryGiB: v.generalPoolMemoryLimitGiB || tier.poolLimits.general.memoryGiB,
    },
    hugePagesGiB: { spot: v.highMemorySpotHugePagesGiB, onDemand: v.highMemoryOnDemandHugePagesGiB },
  };
  for (const [capacity, hugePagesGiB, key] of [
    ["spot", settings.hugePagesGiB.spot, "highMemorySpotHugePagesGiB"],
    ["on-demand", settings.hugePagesGiB.onDemand, "highMemoryOnDemandHugePagesGiB"],
  ] as const) {
    const options = { ...settings, region, limits: settings.highMemoryLimits, hugePagesGiB };
    try {
      highMemoryPool(capacity, options);
    } catch (error) {
      if (!(error instanceof PoolSizingError)) throw error;
      problem(hugePagesGiB > 0 ? key : "largestPodMemoryGiB", hugePagesGiB > 0 ? hugePagesGiB : settings.largestPodMemoryGiB, error.message);
      continue;
    }
    const smallest = Math.min(...highMemoryTypes(options).map((t) => t.memoryGiB));
    if (settings.highMemoryLimits.memoryGiB < smallest) {
      problem("highMemoryPoolMemoryLimitGiB", settings.highMemoryLimits.memoryGiB, `must be at least ${smallest} GiB: the smallest node that holds a ${settings.largestPodMemoryGiB} GiB pod has that much, so the high-memory-${capacity} pool could never launch one`);
    }
  }
  return settings;
}
