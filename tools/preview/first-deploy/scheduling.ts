/**
 * The scheduling model: which hosts (managed node groups, Karpenter node pools) may run a pod,
 * following the kube-scheduler's filters that configuration decides: taints and tolerations
 * (k8s.io/kubernetes pkg/scheduler/framework/plugins/tainttoleration), the pod's nodeSelector and
 * required node affinity (plugins/nodeaffinity; the terms of nodeSelectorTerms are ORed, the
 * expressions of a term ANDed), and requests against what the largest node leaves for pods
 * (plugins/noderesources; ephemeral-storage is one of the resources it fits). A host is described by
 * the values each label may take on its nodes.
 */

export interface Toleration {
  readonly key?: string;
  readonly operator?: string;
  readonly value?: string;
  readonly effect?: string;
}

export interface Taint {
  readonly key: string;
  readonly value?: string;
  readonly effect: string;
}

export interface NodeSelectorRequirement {
  readonly key: string;
  readonly operator: string;
  readonly values?: readonly string[];
}

/** The values a label may take on a host's nodes: some of these, any value, or never set. */
export type LabelDomain = ReadonlySet<string> | "any" | "absent";

export interface Resources {
  readonly memoryMiB: number;
  readonly cpuMilli: number;
}

export interface NodeHost {
  readonly urn: string;
  readonly kind: "node group" | "node pool";
  readonly name: string;
  readonly taints: readonly Taint[];
  readonly labels: (key: string) => LabelDomain;
  /** What the largest node the host may launch leaves for one pod; undefined when unknown. */
  readonly largest: Resources | undefined;
  /**
   * Local ephemeral storage (MiB) the node with the most leaves for pods (its allocatable: root
   * volume or instance-store RAID0, less the kubelet's reservations and nodefs eviction threshold);
   * undefined when unknown.
   */
  readonly largestEphemeralStorageMiB?: number | undefined;
  /** Moves pods to pack nodes tighter (Karpenter WhenEmptyOrUnderutilized). */
  readonly consolidates: boolean;
  /** Replaces nodes after a lifetime (Karpenter expireAfter other than Never); forceful in Karpenter v1. */
  readonly expires: boolean;
}

export interface PodTemplate {
  /** The resource whose creation waits for these pods. */
  readonly urn: string;
  /** For messages: "StatefulSet data/redis", "chart kube-prometheus-stack: prometheus". */
  readonly description: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly Toleration[];
  /** Required node affinity: OR of terms, each an AND of requirements; empty when none. */
  readonly requiredTerms: readonly (readonly NodeSelectorRequirement[])[];
  readonly requests: Resources;
  /** The pod's ephemeral-storage request (MiB): local scratch emptyDirs, logs, writable layers. */
  readonly ephemeralStorageMiB: number;
  /** Claims persistent volumes, with these StorageClasses ("" = the cluster's default class). */
  readonly storageClasses: readonly string[];
  /** A DaemonSet pod runs on whatever nodes exist: it needs no host of its own. */
  readonly daemon: boolean;
}

/** kube-scheduler's ToleratesTaint (k8s.io/api core/v1 toleration.go): PreferNoSchedule never blocks. */
export function tolerates(tolerations: readonly Toleration[], taint: Taint): boolean {
  if (taint.effect === "PreferNoSchedule") return true;
  return tolerations.some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.key && t.key !== taint.key) return false;
    // An empty key with operator Exists matches every taint.
    if (t.operator === "Exists") return true;
    return (t.value ?? "") === (taint.value ?? "");
  });
}

/** Whether some node of a domain can satisfy one requirement. */
export function satisfiable(domain: LabelDomain, r: NodeSelectorRequirement): boolean {
  const values = r.values ?? [];
  switch (r.operator) {
    case "Exists":
      return domain !== "absent";
    case "DoesNotExist":
      return domain === "absent";
    case "In":
      return domain === "any" || (domain !== "absent" && values.some((v) => domain.has(v)));
    case "NotIn":
      return domain === "absent" || domain === "any" || [...domain].some((v) => !values.includes(v));
    case "Gt":
    case "Lt": {
      if (domain === "absent") return false;
      if (domain === "any") return true;
      const bound = Number(values[0]);
      return [...domain].some((v) => (r.operator === "Gt" ? Number(v) > bound : Number(v) < bound));
    }
    default:
      return false;
  }
}

/** Why the host cannot run the pod, or undefined when it can. */
export function whyNot(host: NodeHost, pod: PodTemplate): string | undefined {
  const untolerated = host.taints.filter((t) => !tolerates(pod.tolerations, t));
  if (untolerated.length > 0) return `taint ${untolerated.map((t) => `${t.key}=${t.value ?? ""}:${t.effect}`).join(", ")} not tolerated`;
  for (const [key, value] of Object.entries(pod.nodeSelector)) {
    if (!satisfiable(host.labels(key), { key, operator: "In", values: [value] })) return `nodeSelector ${key}=${value} matches no node`;
  }
  if (pod.requiredTerms.length > 0 && !pod.requiredTerms.some((term) => term.every((r) => satisfiable(host.labels(r.key), r)))) {
    return "required node affinity matches no node";
  }
  if (host.largest && !pod.daemon) {
    if (pod.requests.memoryMiB > host.largest.memoryMiB)
      return `requests ${gib(pod.requests.memoryMiB)} of memory; the largest node leaves ${gib(host.largest.memoryMiB)}`;
    if (pod.requests.cpuMilli > host.largest.cpuMilli) return `requests ${pod.requests.cpuMilli}m CPU; the largest node leaves ${host.largest.cpuMilli}m`;
  }
  if (host.largestEphemeralStorageMiB !== undefined && !pod.daemon && pod.ephemeralStorageMiB > host.largestEphemeralStorageMiB) {
    return `requests ${gib(pod.ephemeralStorageMiB)} of ephemeral storage; the node with the most local storage leaves ${gib(host.largestEphemeralStorageMiB)}`;
  }
  return undefined;
}

const gib = (mib: number) => `${(mib / 1024).toFixed(1)} GiB`;

/** Kubernetes quantities (k8s.io/apimachinery resource.Quantity): "4Gi", "500M", "250m", "2". */
export function parseQuantity(text: string | number | undefined): number {
  if (text === undefined) return 0;
  if (typeof text === "number") return text;
  const m = /^([0-9.]+)([a-zA-Z]*)$/.exec(text.trim());
  if (!m) throw new Error(`not a Kubernetes quantity: "${text}"`);
  const n = Number(m[1]);
  const factor: Record<string, number> = {
    "": 1,
    m: 1e-3,
    k: 1e3,
    M: 1e6,
    G: 1e9,
    T: 1e12,
    Ki: 1024,
    Mi: 1024 ** 2,
    Gi: 1024 ** 3,
    Ti: 1024 ** 4,
  };
  const f = factor[m[2]!];
  if (f === undefined) throw new Error(`unknown quantity suffix in "${text}"`);
  return n * f;
}

/** A container's requests; Kubernetes defaults a missing request to the limit (core/v1 defaults). */
export function containerRequests(resources: { requests?: Record<string, string | number>; limits?: Record<string, string | number> } | undefined): Resources {
  const pick = (name: string) => resources?.requests?.[name] ?? resources?.limits?.[name];
  return { memoryMiB: parseQuantity(pick("memory")) / 1024 ** 2, cpuMilli: parseQuantity(pick("cpu")) * 1000 };
}

/** A pod's effective request: its containers together, or its largest init container if larger. */
export function podRequests(containers: readonly Resources[], initContainers: readonly Resources[] = []): Resources {
  const sum = containers.reduce((a, c) => ({ memoryMiB: a.memoryMiB + c.memoryMiB, cpuMilli: a.cpuMilli + c.cpuMilli }), { memoryMiB: 0, cpuMilli: 0 });
  const init = initContainers.reduce((a, c) => ({ memoryMiB: Math.max(a.memoryMiB, c.memoryMiB), cpuMilli: Math.max(a.cpuMilli, c.cpuMilli) }), {
    memoryMiB: 0,
    cpuMilli: 0,
  });
  return { memoryMiB: Math.max(sum.memoryMiB, init.memoryMiB), cpuMilli: Math.max(sum.cpuMilli, init.cpuMilli) };
}

/** A pod's ephemeral-storage request (MiB), summed like memory: containers together, or the largest init container. */
export function ephemeralStorageRequestMiB(
  containers: readonly Parameters<typeof containerRequests>[0][],
  initContainers: readonly Parameters<typeof containerRequests>[0][] = [],
): number {
  const of = (r: Parameters<typeof containerRequests>[0]) => parseQuantity(r?.requests?.["ephemeral-storage"] ?? r?.limits?.["ephemeral-storage"]) / 1024 ** 2;
  return Math.max(
    containers.reduce((sum, c) => sum + of(c), 0),
    ...initContainers.map(of),
  );
}
