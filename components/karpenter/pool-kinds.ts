/**
 * The registry of node pool kinds. A stack declares its pools as data (a name, a kind, limits, extra
 * taints and labels); the kind turns a declaration into a NodePool definition. Every pool carries
 * its kind's role label (`workload-type`), the semantic marker that placement, cost and policies read
 * instead of pool names.
 */
import type { BudgetSchedule } from "./budget-schedule";
import type { Architecture } from "./instance-types";
import { nodePoolProblems, type NodePoolDefinition, type Taint } from "./karpenter-node-pool";
import { generalPool, highMemoryPool, statefulPool } from "./pool-presets";

/** The label every node of a pool carries, naming its role; the value comes from the kind. */
export const POOL_ROLE_LABEL = "workload-type";

export const POOL_KINDS = ["high-memory-spot", "high-memory-on-demand", "stateful", "general"] as const;
export type PoolKind = (typeof POOL_KINDS)[number];

export interface PoolLimits {
  readonly cpu: number;
  readonly memoryGiB: number;
}

/** A pool as a stack declares it. */
export interface PoolDeclaration {
  /** Kubernetes name of the NodePool and its EC2NodeClass. */
  readonly name: string;
  readonly kind: PoolKind;
  readonly limits: PoolLimits;
  /**
   * 2 MiB huge pages reserved per node (GiB); high-memory kinds only.
   * @default 0
   */
  readonly hugePagesGiB?: number;
  /**
   * Local NVMe every node must have (GiB); high-memory kinds only. Only types with at least this much
   * qualify, and the pool requires `karpenter.k8s.aws/instance-local-nvme` accordingly.
   * @default 0
   */
  readonly minLocalNvmeGiB?: number;
  /**
   * Taints on top of the kind's own.
   * @default []
   */
  readonly taints?: readonly Taint[];
  /**
   * Node labels on top of the kind's own; the role label is the kind's.
   * @default {}
   */
  readonly labels?: Readonly<Record<string, string>>;
}

/** What every pool of a stack shares: the high-memory kinds size their instance types from it. */
export interface PoolContext {
  readonly architectures: readonly Architecture[];
  readonly region: string;
  /** Memory request of the largest pod the high-memory pools must hold (GiB). */
  readonly largestPodMemoryGiB: number;
  /** Largest node the high-memory pools may launch (GiB). */
  readonly maxNodeMemoryGiB: number;
  /**
   * UTC schedules of the high-memory pools' working-hours consolidation freeze.
   * @default HIGH_MEMORY_POOL_DEFAULTS.consolidationFreeze
   */
  readonly consolidationFreeze?: readonly BudgetSchedule[];
}

export interface PoolKindSpec {
  /** What the kind is for (README). */
  readonly description: string;
  /** Value of the role label on its nodes. */
  readonly role: string;
  /** Which tier limits a pool of this kind gets when the stack sets none. */
  readonly tierLimits: "highMemory" | "general";
  readonly build: (d: PoolDeclaration, c: PoolContext) => NodePoolDefinition;
}

const highMemory =
  (capacity: "spot" | "on-demand") =>
  (d: PoolDeclaration, c: PoolContext): NodePoolDefinition =>
    highMemoryPool(capacity, { ...c, name: d.name, limits: d.limits, hugePagesGiB: d.hugePagesGiB ?? 0, minLocalNvmeGiB: d.minLocalNvmeGiB ?? 0 });

export const POOL_KIND_REGISTRY: Readonly<Record<PoolKind, PoolKindSpec>> = {
  "high-memory-spot": {
    description: "spot nodes whose instance types are computed from the largest pod; tried first",
    role: "high-memory",
    tierLimits: "highMemory",
    build: highMemory("spot"),
  },
  "high-memory-on-demand": {
    description: "on-demand nodes of the same types, the fallback when spot is short",
    role: "high-memory",
    tierLimits: "highMemory",
    build: highMemory("on-demand"),
  },
  stateful: {
    description: "on-demand nodes that never expire and consolidate only when empty, for workloads with volumes",
    role: "stateful",
    tierLimits: "general",
    build: (d, c) => statefulPool({ architectures: c.architectures, limits: d.limits, name: d.name }),
  },
  general: {
    description: "spot or on-demand current-generation c, m and r types for everything else",
    role: "general",
    tierLimits: "general",
    build: (d, c) => generalPool({ architectures: c.architectures, limits: d.limits, name: d.name }),
  },
};

/** Label keys a declaration may not set: the role label and the keys Kubernetes and Karpenter own. */
export const RESERVED_LABEL_KEY = /^(workload-type$|karpenter\.sh\/|karpenter\.k8s\.aws\/|kubernetes\.io\/|node\.kubernetes\.io\/|topology\.kubernetes\.io\/)/;

/** The NodePool definition of a declared pool: the kind's, with the declaration's taints and labels added. */
export function buildPool(d: PoolDeclaration, c: PoolContext): NodePoolDefinition {
  const base = POOL_KIND_REGISTRY[d.kind].build(d, c);
  return {
    ...base,
    labels: { ...base.labels, ...d.labels, [POOL_ROLE_LABEL]: POOL_KIND_REGISTRY[d.kind].role },
    taints: [...base.taints, ...(d.taints ?? [])],
  };
}

/**
 * Why a declaration cannot become a pool, as messages naming the field; empty when it can. Runs the
 * kind's sizing (a high-memory pool needs enough instance types for its largest pod) and the
 * NodePool component's own argument rules.
 */
export function poolDeclarationProblems(d: PoolDeclaration, c: PoolContext): string[] {
  if (!(d.kind in POOL_KIND_REGISTRY)) return [`kind "${d.kind}" is not one of: ${POOL_KINDS.join(", ")}`];
  const reserved = Object.keys(d.labels ?? {}).filter((k) => RESERVED_LABEL_KEY.test(k));
  const problems = reserved.map((k) => `label "${k}" is set by the platform (the role label, or a Kubernetes or Karpenter key)`);
  if ((d.hugePagesGiB ?? 0) > 0 && POOL_KIND_REGISTRY[d.kind].role !== "high-memory")
    problems.push(`hugePagesGiB applies to high-memory kinds only, not ${d.kind}`);
  if ((d.minLocalNvmeGiB ?? 0) > 0 && POOL_KIND_REGISTRY[d.kind].role !== "high-memory")
    problems.push(`localNvmeGiB applies to high-memory kinds only, not ${d.kind}: Karpenter picks the other kinds' types at run time`);
  let definition: NodePoolDefinition;
  try {
    definition = buildPool(d, c);
  } catch (error) {
    return [...problems, error instanceof Error ? error.message : String(error)];
  }
  return [...problems, ...nodePoolProblems(definition).map((p) => `${p.arg} ${JSON.stringify(p.value)}: ${p.message}`)];
}

/** The first declared pool of a role (its kind's role label), which the platform's own workloads use. */
export function firstPoolWithRole<T extends { readonly labels: Readonly<Record<string, string>> }>(pools: readonly T[], role: string): T {
  const found = pools.find((p) => p.labels[POOL_ROLE_LABEL] === role);
  if (!found) throw new Error(`no node pool has ${POOL_ROLE_LABEL}=${role}; pools: ${pools.length}`);
  return found;
}
