/**
 * The pools this platform runs, as data: two high-memory pools (spot first, on-demand as the
 * fallback) whose instance types are computed from the largest pod they must hold, a stateful pool
 * that never moves running pods (Redis, Prometheus), and a general pool for everything else.
 */
import type { BudgetSchedule } from "./budget-schedule";
import { qualifyingTypes } from "./capacity";
import type { Architecture, InstanceType } from "./instance-types";
import type { NodePoolDefinition } from "./karpenter-node-pool";

export const HIGH_MEMORY_TAINT = { key: "workload-type", value: "high-memory", effect: "NoSchedule" } as const;
export const HIGH_MEMORY_LABELS = { "workload-type": "high-memory", "memory-optimized": "true" } as const;
export const STATEFUL_TAINT = { key: "workload-type", value: "stateful", effect: "NoSchedule" } as const;
export const STATEFUL_LABELS = { "workload-type": "stateful" } as const;

/**
 * Memory the daemonsets of a node request (MiB): aws-node, kube-proxy, the Pod Identity agent, the
 * EBS and Mountpoint S3 CSI node plugins (s3-csi-node requests 40 MiB: awslabs/mountpoint-s3-csi-driver@v2.7.0
 * values.yaml node.resources), node-exporter and a log shipper, with room to spare.
 */
export const DAEMONSET_MEMORY_MIB = 1536;

/** Spot-to-spot consolidation only replaces a spot node when at least this many types qualify. */
export const SPOT_TO_SPOT_MIN_TYPES = 15;

/** Defaults of the high-memory pools' options where the platform has one. */
export const HIGH_MEMORY_POOL_DEFAULTS = {
  /** Largest node a high-memory pool launches (GiB): one 250 GiB pod should not land on a 3 TiB node. */
  maxNodeMemoryGiB: 1024,
  /** No underutilised consolidation in working hours: 07:00-19:00 UTC, Monday to Friday. */
  consolidationFreeze: [{ schedule: "0 7 * * mon-fri", duration: "12h" }] as readonly BudgetSchedule[],
} as const;

export interface HighMemoryPoolOptions {
  /** Memory request of the largest pod the pool must hold (GiB). */
  readonly largestPodMemoryGiB: number;
  readonly architectures: readonly Architecture[];
  /** Largest node the pool may launch (GiB). */
  readonly maxNodeMemoryGiB: number;
  /** Region whose prices rank the types. */
  readonly region: string;
  readonly limits: { readonly cpu: number; readonly memoryGiB: number };
  /** 2 MiB huge pages reserved per node (GiB); 0 for none. */
  readonly hugePagesGiB: number;
  /**
   * UTC schedules during which underutilised nodes are not consolidated (budget-schedule.ts converts
   * a window in the team's time zone into these).
   * @default HIGH_MEMORY_POOL_DEFAULTS.consolidationFreeze
   */
  readonly consolidationFreeze?: readonly BudgetSchedule[];
  /**
   * Kubernetes name of the pool.
   * @default "high-memory-<capacity>"
   */
  readonly name?: string;
  /**
   * Local NVMe every node must have (GiB): only types with at least this much qualify, and the pool
   * requires `karpenter.k8s.aws/instance-local-nvme` Gt this less one. 0 for no requirement.
   * @default 0
   */
  readonly minLocalNvmeGiB?: number;
}

/**
 * Root volume throughput (MiB/s) of a high-memory pool that may launch a type without local NVMe:
 * there spill and image pulls share the root volume. 3,000 IOPS allow up to 750 MiB/s (gp3's
 * 0.25 MiB/s per IOPS, components/storage/gp3-limits.ts GP3).
 */
export const NO_NVME_ROOT_THROUGHPUT_MIBPS = 500;

/** Why a pool cannot be built from the options; the message says what to change. */
export class PoolSizingError extends Error {
  override name = "PoolSizingError";
}

/** The instance types a high-memory pool may launch, cheapest per GiB first. */
export function highMemoryTypes(o: HighMemoryPoolOptions): InstanceType[] {
  return qualifyingTypes({
    podMemoryGiB: o.largestPodMemoryGiB,
    architectures: o.architectures,
    maxNodeMemoryGiB: o.maxNodeMemoryGiB,
    region: o.region,
    daemonsetMiB: DAEMONSET_MEMORY_MIB,
    hugePagesGiB: o.hugePagesGiB,
    minLocalNvmeGiB: o.minLocalNvmeGiB ?? 0,
  });
}

export function highMemoryPool(capacity: "spot" | "on-demand", o: HighMemoryPoolOptions): NodePoolDefinition {
  const poolName = o.name ?? `high-memory-${capacity}`;
  const types = highMemoryTypes(o);
  const minNvme = o.minLocalNvmeGiB ?? 0;
  const needed = capacity === "spot" ? SPOT_TO_SPOT_MIN_TYPES : 1;
  if (types.length < needed) {
    throw new PoolSizingError(
      `${poolName}: ${types.length} instance types (${o.architectures.join(" or ")}, at most ${o.maxNodeMemoryGiB} GiB, ` +
        `${o.hugePagesGiB} GiB huge pages${minNvme > 0 ? `, at least ${minNvme} GiB local NVMe` : ""}) fit a ${o.largestPodMemoryGiB} GiB pod; ${needed} are needed` +
        (capacity === "spot" ? " for spot-to-spot consolidation" : "") +
        ": allow arm64, raise the largest node size, reserve fewer huge pages, " +
        (minNvme > 0 ? "ask for less local NVMe, " : "") +
        "or lower the largest pod",
    );
  }
  const allHaveNvme = types.every((t) => t.localNvmeGiB > 0);
  const families = [...new Set(types.map((t) => t.family))].sort();
  return {
    poolName,
    requirements: [
      { key: "karpenter.sh/capacity-type", operator: "In", values: [capacity] },
      { key: "kubernetes.io/arch", operator: "In", values: [...o.architectures] },
      { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
      { key: "node.kubernetes.io/instance-type", operator: "In", values: types.map((t) => t.name).sort() },
      // Spot: every launch must be able to choose among three families, so that one family's
      // shortage (and its interruptions) never takes all of the pool's capacity.
      {
        key: "karpenter.k8s.aws/instance-family",
        operator: "In",
        values: families,
        ...(capacity === "spot" ? { minValues: Math.min(3, families.length) } : {}),
      },
      // Gt is strict: at least N GiB is more than N - 1.
      ...(minNvme > 0 ? [{ key: "karpenter.k8s.aws/instance-local-nvme", operator: "Gt" as const, values: [String(minNvme - 1)] }] : []),
    ],
    labels: { ...HIGH_MEMORY_LABELS, "highmem.io/capacity": capacity },
    taints: [HIGH_MEMORY_TAINT],
    // Spot first; on-demand takes over when spot capacity is short.
    weight: capacity === "spot" ? 100 : 10,
    limits: o.limits,
    disruption: {
      consolidationPolicy: "WhenEmptyOrUnderutilized",
      // A 200 GiB pod takes minutes to warm up: do not churn nodes for small savings.
      consolidateAfter: "15m",
      budgets: [
        { nodes: "10%" },
        // No consolidation during working hours (UTC schedules); emptiness, drift and expiry still apply.
        ...(o.consolidationFreeze ?? HIGH_MEMORY_POOL_DEFAULTS.consolidationFreeze).map((b) => ({
          nodes: "0",
          reasons: ["Underutilized" as const],
          schedule: b.schedule,
          duration: b.duration,
        })),
      ],
    },
    expireAfter: "720h",
    terminationGracePeriod: "24h",
    rootVolumeGiB: 200,
    // Instance-store NVMe as the node's ephemeral storage (kubelet, containerd, emptyDir) where the type has it.
    instanceStorePolicy: "RAID0",
    // A type without NVMe spills to the root volume: give it more throughput (gp3 bills above 125 MiB/s).
    ...(allHaveNvme ? {} : { rootVolumeThroughputMiBps: NO_NVME_ROOT_THROUGHPUT_MIBPS }),
    tuning: { enabled: true, hugePagesGiB: o.hugePagesGiB },
  };
}

/** Requirements of a pool that lets Karpenter choose among current-generation types of some categories (no bare metal). */
function currentGenerationTypes(
  capacity: readonly string[],
  architectures: readonly Architecture[],
  categories: readonly string[],
): NodePoolDefinition["requirements"] {
  return [
    { key: "karpenter.sh/capacity-type", operator: "In", values: [...capacity] },
    { key: "kubernetes.io/arch", operator: "In", values: [...architectures] },
    { key: "kubernetes.io/os", operator: "In", values: ["linux"] },
    { key: "karpenter.k8s.aws/instance-category", operator: "In", values: [...categories] },
    { key: "karpenter.k8s.aws/instance-generation", operator: "Gt", values: ["5"] },
    { key: "karpenter.k8s.aws/instance-size", operator: "NotIn", values: ["metal", "metal-24xl", "metal-48xl"] },
  ];
}

export interface GeneralPoolOptions {
  readonly architectures: readonly Architecture[];
  readonly limits: { readonly cpu: number; readonly memoryGiB: number };
  /**
   * Kubernetes name of the pool.
   * @default the kind's name: "general" or "stateful"
   */
  readonly name?: string;
}

export function generalPool(o: GeneralPoolOptions): NodePoolDefinition {
  return {
    poolName: o.name ?? "general",
    requirements: currentGenerationTypes(["spot", "on-demand"], o.architectures, ["c", "m", "r"]),
    labels: { "workload-type": "general" },
    taints: [],
    weight: 50,
    limits: o.limits,
    disruption: { consolidationPolicy: "WhenEmptyOrUnderutilized", consolidateAfter: "2m", budgets: [{ nodes: "20%" }] },
    expireAfter: "720h",
    terminationGracePeriod: "1h",
    rootVolumeGiB: 100,
    tuning: { enabled: false, hugePagesGiB: 0 },
  };
}

export type StatefulPoolOptions = GeneralPoolOptions;

/**
 * On-demand nodes for workloads that keep data on volumes. Karpenter v1 expiration is forceful: it
 * ignores disruption budgets and karpenter.sh/do-not-disrupt (kubernetes-sigs/karpenter v1.8.0
 * website disruption.md, "Expiration"), and nodes launched together expire together, so this pool
 * never expires nodes (`expireAfter: Never`, allowed by pkg/apis/v1/nodeclaim.go) and consolidates
 * only empty nodes (`WhenEmpty`: "a node with no running non-daemon pods"). Drift (a new AMI) still
 * replaces nodes, one at a time under the budget, and the workloads' PodDisruptionBudgets hold.
 */
export function statefulPool(o: StatefulPoolOptions): NodePoolDefinition {
  return {
    poolName: o.name ?? "stateful",
    requirements: currentGenerationTypes(["on-demand"], o.architectures, ["m", "r"]),
    labels: { ...STATEFUL_LABELS },
    taints: [STATEFUL_TAINT],
    weight: 20,
    limits: o.limits,
    disruption: { consolidationPolicy: "WhenEmpty", consolidateAfter: "30m", budgets: [{ nodes: "1" }] },
    expireAfter: "Never",
    terminationGracePeriod: "24h",
    rootVolumeGiB: 100,
    tuning: { enabled: false, hugePagesGiB: 0 },
  };
}

/** A pod placement (node selector and tolerations) that lands on exactly this pool. */
export interface PoolPlacement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly {
    readonly key: string;
    readonly operator: "Equal";
    readonly value: string;
    readonly effect: "NoSchedule" | "NoExecute" | "PreferNoSchedule";
  }[];
}

/** Selects the pool by its name label (karpenter.sh/nodepool, set on every node) and tolerates its taints. */
export function placementOn(pool: NodePoolDefinition): PoolPlacement {
  return {
    nodeSelector: { "karpenter.sh/nodepool": pool.poolName },
    tolerations: pool.taints.map((t) => ({ key: t.key, operator: "Equal" as const, value: t.value, effect: t.effect })),
  };
}
