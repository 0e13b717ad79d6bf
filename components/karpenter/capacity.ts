/**
 * Which instance types really fit a pod of a given memory request, after everything a node keeps
 * for itself. A 256 GiB node does not hold a 250 GiB pod: Karpenter assumes 7.5% of the memory is
 * VM overhead until it has measured the type, and kubelet reservations, the eviction threshold,
 * huge pages and daemonsets take their share of what is left.
 */
import { INSTANCE_TYPES, type Architecture, type InstanceType } from "./instance-types";

/** Karpenter's assumed VM memory overhead for types it has not measured (its vmMemoryOverheadPercent default). */
export const VM_MEMORY_OVERHEAD = 0.075;

/** Kubelet reservations the node classes set (MiB), sized for nodes of hundreds of GiB. */
export const KUBELET_MEMORY_MIB = {
  /** 255 MiB + 11 MiB per pod at 110 pods, as EKS's formula, rounded up. */
  kubeReserved: 1536,
  systemReserved: 1024,
  /** Evict before the kernel's OOM killer acts; the 100 MiB default is nothing on such nodes. */
  evictionHard: 1024,
} as const;

export interface FitOptions {
  /** Memory the node's daemonsets request (MiB). */
  readonly daemonsetMiB: number;
  /** Huge pages reserved on the node (GiB); they are not available to ordinary pod memory. */
  readonly hugePagesGiB?: number;
}

/** Memory (MiB) a pod can request on a node of this type. */
export function allocatableForPodsMiB(type: Pick<InstanceType, "memoryGiB">, options: FitOptions): number {
  const capacity = Math.floor(type.memoryGiB * 1024 * (1 - VM_MEMORY_OVERHEAD));
  const reserved = KUBELET_MEMORY_MIB.kubeReserved + KUBELET_MEMORY_MIB.systemReserved + KUBELET_MEMORY_MIB.evictionHard;
  return capacity - reserved - (options.hugePagesGiB ?? 0) * 1024 - options.daemonsetMiB;
}

export interface QualifyOptions extends FitOptions {
  /** Memory request of the largest pod the pool must hold (GiB). */
  readonly podMemoryGiB: number;
  readonly architectures: readonly Architecture[];
  /** Larger nodes are left out: one 250 GiB pod should not land on a 3 TiB node. */
  readonly maxNodeMemoryGiB: number;
  readonly region: string;
  /**
   * Local NVMe the node must have (GiB, as Karpenter's `karpenter.k8s.aws/instance-local-nvme`);
   * the fit stays a memory fit, this only leaves out types with less.
   * @default 0
   */
  readonly minLocalNvmeGiB?: number;
}

/** Instance types of the table that fit the pod, cheapest per GiB first. Fit does not depend on the region. */
export function qualifyingTypes(options: QualifyOptions): InstanceType[] {
  return INSTANCE_TYPES.filter(
    (t) =>
      options.architectures.includes(t.arch) &&
      t.memoryGiB <= options.maxNodeMemoryGiB &&
      t.localNvmeGiB >= (options.minLocalNvmeGiB ?? 0) &&
      allocatableForPodsMiB(t, options) >= options.podMemoryGiB * 1024,
  ).sort((a, b) => pricePerGiB(a, options.region) - pricePerGiB(b, options.region) || a.name.localeCompare(b.name));
}

/** The region whose prices rank types where the table has none for the stack's region. */
export const PRICE_REFERENCE_REGION = "us-west-2";

/** On-demand price per GiB-hour: the region's own price, else the reference region's (for ranking only). */
export function pricePerGiB(t: InstanceType, region: string): number {
  return (t.onDemandUsdPerHour[region] ?? t.onDemandUsdPerHour[PRICE_REFERENCE_REGION]!) / t.memoryGiB;
}
