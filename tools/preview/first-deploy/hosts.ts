/**
 * The hosts a plan declares for pods: EKS managed node groups and Karpenter NodePools, each as the
 * label values its nodes may carry, its taints, the largest node it may launch, and whether it
 * disrupts running pods.
 */
import { allocatableForPodsMiB } from "../../../components/internal";
import { DAEMONSET_MEMORY_MIB, INSTANCE_TYPES } from "../../../components/helpers";
import type { PlanResource } from "../plan";
import { parseQuantity, satisfiable, type LabelDomain, type NodeHost, type NodeSelectorRequirement, type Resources, type Taint } from "./scheduling";
import { arrayAt, at, isObject, objectAt, str, stringMap } from "./values";

export const NODE_GROUP_TYPE = "aws:eks/nodeGroup:NodeGroup";
export const NODE_POOL_TYPE = "kubernetes:karpenter.sh/v1:NodePool";
export const NODE_CLASS_TYPE = "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass";

/** Labels the kubelet sets on every node whatever its group (k8s.io/api core/v1 well_known_labels.go). */
const ANY_NODE = ["kubernetes.io/hostname", "topology.kubernetes.io/zone", "topology.kubernetes.io/region"];

/**
 * Labels Karpenter derives from the instance it launches, so a pod may select them on any pool
 * that does not restrict them (kubernetes-sigs/karpenter pkg/apis/v1/labels.go WellKnownLabels;
 * aws/karpenter-provider-aws pkg/apis/v1/labels.go, the karpenter.k8s.aws/instance-* labels).
 */
const KARPENTER_WELL_KNOWN = /^(kubernetes\.io\/(arch|os)|node\.kubernetes\.io\/instance-type|karpenter\.sh\/capacity-type|karpenter\.k8s\.aws\/instance-.+)$/;

/** CPU a node keeps (kubeReserved + systemReserved of the node classes) and its daemonsets use. */
const RESERVED_CPU_MILLI = 500 + 250;

/** vCPUs by size name (EC2 instance type naming: large = 2 vCPUs, xlarge = 4, Nxlarge = 4N). */
function vcpusOfSize(size: string): number | undefined {
  if (size === "medium") return 1;
  if (size === "large") return 2;
  const m = /^(\d*)xlarge$/.exec(size);
  return m ? 4 * Number(m[1] || 1) : undefined;
}

/** GiB per vCPU of the general-purpose, compute and memory categories (EC2 instance type specs). */
const GIB_PER_VCPU: Readonly<Record<string, number>> = { c: 2, m: 4, r: 8 };

/** Memory and vCPUs of a type: the instance table, else the c/m/r naming rule; undefined when unknown. */
export function instanceShape(name: string): { memoryGiB: number; vcpu: number } | undefined {
  const known = INSTANCE_TYPES.find((t) => t.name === name);
  if (known) return { memoryGiB: known.memoryGiB, vcpu: known.vcpu };
  const [family = "", size = ""] = name.split(".");
  const vcpu = vcpusOfSize(size);
  const perVcpu = GIB_PER_VCPU[family[0] ?? ""];
  return vcpu !== undefined && perVcpu !== undefined ? { memoryGiB: vcpu * perVcpu, vcpu } : undefined;
}

function largestOf(shapes: readonly { memoryGiB: number; vcpu: number }[]): Resources | undefined {
  if (shapes.length === 0) return undefined;
  const best = [...shapes].sort((a, b) => b.memoryGiB - a.memoryGiB)[0]!;
  return {
    memoryMiB: allocatableForPodsMiB(best, { daemonsetMiB: DAEMONSET_MEMORY_MIB }),
    cpuMilli: Math.max(...shapes.map((s) => s.vcpu)) * 1000 - RESERVED_CPU_MILLI,
  };
}

/** EKS's taint effects in the NodeGroup API, as Kubernetes spells them. */
const EFFECT: Readonly<Record<string, string>> = { NO_SCHEDULE: "NoSchedule", NO_EXECUTE: "NoExecute", PREFER_NO_SCHEDULE: "PreferNoSchedule" };

function nodeGroupHost(r: PlanResource): NodeHost {
  const name = str(r.inputs["nodeGroupName"]) ?? r.name;
  const labels = stringMap(r.inputs["labels"]);
  const types = arrayAt(r.inputs, "instanceTypes").filter((t): t is string => typeof t === "string");
  const amiType = str(r.inputs["amiType"]) ?? "";
  // Labels EKS puts on managed nodes (EKS user guide, "Managed node groups": eks.amazonaws.com/nodegroup,
  // eks.amazonaws.com/capacityType) and the kubelet's own (kubernetes.io/arch, os, instance-type).
  const domains = new Map<string, LabelDomain>([
    ...Object.entries(labels).map(([k, v]): [string, LabelDomain] => [k, new Set([v])]),
    ["eks.amazonaws.com/nodegroup", new Set([name])],
    ["eks.amazonaws.com/capacityType", new Set([str(r.inputs["capacityType"]) ?? "ON_DEMAND"])],
    ["node.kubernetes.io/instance-type", types.length > 0 ? new Set(types) : "any"],
    ["kubernetes.io/arch", new Set([/ARM/.test(amiType) ? "arm64" : "amd64"])],
    ["kubernetes.io/os", new Set(["linux"])],
  ]);
  const taints: Taint[] = arrayAt(r.inputs, "taints")
    .filter(isObject)
    .map((t) => ({
      key: str(t["key"]) ?? "",
      ...(str(t["value"]) !== undefined ? { value: str(t["value"])! } : {}),
      effect: EFFECT[str(t["effect"]) ?? ""] ?? str(t["effect"]) ?? "",
    }));
  const shapes = types.map(instanceShape).filter((s): s is { memoryGiB: number; vcpu: number } => s !== undefined);
  return {
    urn: r.urn,
    kind: "node group",
    name,
    taints,
    labels: (key) => domains.get(key) ?? (ANY_NODE.includes(key) ? "any" : "absent"),
    largest: shapes.length === types.length ? largestOf(shapes) : undefined,
    consolidates: false,
    expires: false,
  };
}

/** The labels an instance type of the table carries, for matching a pool's requirements. */
function typeLabels(t: (typeof INSTANCE_TYPES)[number]): Record<string, string> {
  return {
    "node.kubernetes.io/instance-type": t.name,
    "karpenter.k8s.aws/instance-family": t.family,
    "karpenter.k8s.aws/instance-category": t.family.replace(/\d.*$/, ""),
    "karpenter.k8s.aws/instance-generation": String(t.generation),
    "karpenter.k8s.aws/instance-size": t.name.split(".")[1] ?? "",
    "kubernetes.io/arch": t.arch,
  };
}

/**
 * Ephemeral storage (MiB) the node of a class with the most local storage leaves for pods. Its
 * filesystem is the instance-store RAID0 where the class sets `instanceStorePolicy: RAID0` and the
 * type has NVMe, else the root volume (aws/karpenter-provider-aws v1.8.1
 * website/content/en/v1.8/concepts/nodeclasses.md, spec.instanceStorePolicy); allocatable is that
 * less the kubelet's kubeReserved and systemReserved ephemeral-storage and its nodefs.available
 * eviction threshold (Kubernetes docs, "Reserve Compute Resources for System Daemons", node
 * allocatable). Undefined when the class is not in the plan or its root volume size is not known.
 */
export function nodeClassEphemeralMiB(nodeClass: PlanResource | undefined, types: readonly (typeof INSTANCE_TYPES)[number][]): number | undefined {
  if (!nodeClass) return undefined;
  const spec = objectAt(nodeClass.inputs, "spec");
  const root = arrayAt(spec, "blockDeviceMappings")
    .filter(isObject)
    .find((m) => m["rootVolume"] === true);
  const rootSize = str(at(root, "ebs.volumeSize"));
  if (rootSize === undefined) return undefined;
  const rootMiB = parseQuantity(rootSize) / 1024 ** 2;
  const raid = str(spec["instanceStorePolicy"]) === "RAID0";
  const capacityMiB = Math.max(rootMiB, ...(raid ? types.map((t) => t.localNvmeGiB * 1024) : []));
  const reservedMiB = ["kubeReserved", "systemReserved"].reduce(
    (sum, k) => sum + parseQuantity(str(at(spec, `kubelet.${k}.ephemeral-storage`)) ?? "0") / 1024 ** 2,
    0,
  );
  // Read by key: "nodefs.available" is one key, not a path.
  const eviction = str(objectAt(spec, "kubelet.evictionHard")["nodefs.available"]);
  // The kubelet's own default hard threshold is nodefs.available<10% (KubeletConfiguration v1beta1 evictionHard).
  const evictionMiB =
    eviction === undefined || eviction.endsWith("%") ? (capacityMiB * Number((eviction ?? "10%").slice(0, -1))) / 100 : parseQuantity(eviction) / 1024 ** 2;
  return capacityMiB - reservedMiB - evictionMiB;
}

function nodePoolHost(r: PlanResource, resources: readonly PlanResource[]): NodeHost {
  const name = str(at(r.inputs, "metadata.name")) ?? r.name;
  const template = objectAt(r.inputs, "spec.template");
  const requirements: NodeSelectorRequirement[] = arrayAt(template, "spec.requirements")
    .filter(isObject)
    .map((q) => ({
      key: str(q["key"]) ?? "",
      operator: str(q["operator"]) ?? "",
      values: arrayAt(q, "values").map(String),
    }));
  const domains = new Map<string, LabelDomain>(Object.entries(stringMap(at(template, "metadata.labels"))).map(([k, v]) => [k, new Set([v])]));
  for (const q of requirements) {
    if (q.operator === "In") domains.set(q.key, new Set(q.values));
    else if (q.operator === "DoesNotExist") domains.set(q.key, "absent");
    else if (!domains.has(q.key)) domains.set(q.key, "any");
  }
  domains.set("karpenter.sh/nodepool", new Set([name]));
  const taints: Taint[] = arrayAt(template, "spec.taints")
    .filter(isObject)
    .map((t) => ({
      key: str(t["key"]) ?? "",
      ...(str(t["value"]) !== undefined ? { value: str(t["value"])! } : {}),
      effect: str(t["effect"]) ?? "",
    }));
  const candidates = INSTANCE_TYPES.filter((t) => {
    const labels = typeLabels(t);
    return requirements.every((q) => labels[q.key] === undefined || satisfiable(new Set([labels[q.key]!]), q));
  });
  // Karpenter v1 defaults (kubernetes-sigs/karpenter pkg/apis/v1/nodepool.go kubebuilder defaults):
  // consolidationPolicy WhenEmptyOrUnderutilized, expireAfter 720h.
  const policy = str(at(r.inputs, "spec.disruption.consolidationPolicy")) ?? "WhenEmptyOrUnderutilized";
  const expireAfter = str(at(template, "spec.expireAfter")) ?? "720h";
  return {
    urn: r.urn,
    kind: "node pool",
    name,
    taints,
    labels: (key) => domains.get(key) ?? (ANY_NODE.includes(key) || KARPENTER_WELL_KNOWN.test(key) ? "any" : "absent"),
    largest: largestOf(candidates),
    largestEphemeralStorageMiB: nodeClassEphemeralMiB(
      resources.find((c) => c.type === NODE_CLASS_TYPE && str(at(c.inputs, "metadata.name")) === str(at(template, "spec.nodeClassRef.name"))),
      candidates,
    ),
    consolidates: policy === "WhenEmptyOrUnderutilized",
    expires: expireAfter !== "Never",
  };
}

/** Every node group and node pool of the plan. */
export function nodeHosts(resources: readonly PlanResource[]): NodeHost[] {
  return resources.flatMap((r) => (r.type === NODE_GROUP_TYPE ? [nodeGroupHost(r)] : r.type === NODE_POOL_TYPE ? [nodePoolHost(r, resources)] : []));
}
