/** Kubernetes workloads, alert rules and the safety of stateful resources. */
import { asArray, asRecord, at, isProd, quantityBytes, type Rule, type RuleResource, type RuleViolation } from "./types";
// The vocabulary module itself, not the components index: the policy pack is its own package and
// loads no provider SDK (policies/package.json has @pulumi/policy and @pulumi/pulumi only).
import { DATA_HOLDING_TYPES, PROTECTED_IN_PROD_TYPES } from "../../components/lib/resource-kinds";
import { POD_TEMPLATES, WORKLOAD_TYPES } from "./pod-checks";

const WORKLOADS = WORKLOAD_TYPES;
const podSpec = (r: RuleResource) => asRecord(at(r.inputs, POD_TEMPLATES[r.type]!));
const containers = (r: RuleResource) => [...asArray(podSpec(r)["containers"]), ...asArray(podSpec(r)["initContainers"])].map(asRecord);
/** Names of containers failing a test, as a message, or nothing. */
const failing = (r: RuleResource, bad: (c: Record<string, unknown>) => boolean, what: string) => {
  const names = containers(r)
    .filter(bad)
    .map((c) => c["name"]);
  return names.length > 0 ? `containers ${names.join(", ")}: ${what}` : undefined;
};
/**
 * What is wrong with a pod's memory-backed emptyDirs: a tmpfs's pages are charged to the pod's memory
 * cgroup (Kubernetes docs, Volumes, emptyDir: files on a medium Memory emptyDir count against the
 * container's memory limit), so each needs a sizeLimit, and together they must leave the containers
 * memory of their own below the sum of their limits (without a sizeLimit the tmpfs may take up to
 * that whole sum: k8s.io/api core/v1 EmptyDirVolumeSource.sizeLimit).
 */
function memoryVolumeProblem(r: RuleResource): string | undefined {
  const volumes = asArray(podSpec(r)["volumes"])
    .map(asRecord)
    .filter((v) => at(v, "emptyDir.medium") === "Memory");
  if (volumes.length === 0) return undefined;
  const unbounded = volumes.filter((v) => quantityBytes(at(v, "emptyDir.sizeLimit")) === undefined).map((v) => v["name"]);
  if (unbounded.length > 0) return `memory-backed emptyDir ${unbounded.join(", ")} has no sizeLimit`;
  const tmpfs = volumes.reduce((sum, v) => sum + quantityBytes(at(v, "emptyDir.sizeLimit"))!, 0);
  const limits = asArray(podSpec(r)["containers"]).map((c) => quantityBytes(at(c, "resources.limits.memory")));
  if (limits.some((l) => l === undefined)) return "memory-backed emptyDirs in a pod whose containers do not all have a memory limit";
  const limit = limits.reduce<number>((sum, l) => sum + l!, 0);
  const gib = (b: number) => `${(b / 2 ** 30).toFixed(2)} GiB`;
  return tmpfs >= limit
    ? `memory-backed emptyDirs size ${gib(tmpfs)}, not below the containers' ${gib(limit)} memory limits they count against: nothing is left for the processes`
    : undefined;
}

const matches = (selector: Record<string, unknown>, labels: Record<string, unknown>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

/** Types whose loss loses data. */
export const STATEFUL_TYPES = DATA_HOLDING_TYPES;
/** Of those, the ones that must be protected in prod (StorageClasses are recreated harmlessly). */
const MUST_PROTECT = PROTECTED_IN_PROD_TYPES;

/**
 * What is of a data-holding type but holds no data of its own, so that prod need not protect it:
 * - a StatefulSet without volumeClaimTemplates: its pods' volumes (emptyDir, generic ephemeral) live
 *   and die with the pods, whatever happens to the StatefulSet;
 * - a claim bound by name to a volume the stack pre-provisions (static provisioning: storageClassName
 * "" and spec.volumeName) whose reclaim policy is Retain holds no data of its own: deleting the claim
 * releases the volume and never deletes what backs it (Kubernetes docs, Persistent Volumes,
 * "Reclaiming": Retain). A Mountpoint for Amazon S3 claim is one: its data is the bucket's.
 * - a StatefulSet being resized: it orphans its pods when deleted (pulumi-kubernetes annotation
 *   pulumi.com/deletionPropagationPolicy), keeps its claims (whenDeleted Retain, the default), and
 *   the plan grows every claim of its pods with a PersistentVolumeClaimPatch. Its replacement
 *   leaves pods and data in place, and the engine replaces only what the program does not protect
 *   (components/redis/resize.ts).
 */
export function isBeingResized(r: RuleResource, all: readonly RuleResource[]): boolean {
  const orphans = String(asRecord(at(r.inputs, "metadata.annotations"))["pulumi.com/deletionPropagationPolicy"] ?? "");
  const retained = (at(r.inputs, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted") ?? "Retain") === "Retain";
  if (r.type !== "kubernetes:apps/v1:StatefulSet" || orphans.toLowerCase() !== "orphan" || !retained) return false;
  const templates = asArray(at(r.inputs, "spec.volumeClaimTemplates")).map((t) => String(at(t, "metadata.name")));
  const pods = Number(at(r.inputs, "spec.replicas") ?? 1);
  const patched = new Set(
    all
      .filter((p) => p.type === "kubernetes:core/v1:PersistentVolumeClaimPatch" && at(p.inputs, "metadata.namespace") === at(r.inputs, "metadata.namespace"))
      .map((p) => at(p.inputs, "metadata.name")),
  );
  const claims = templates.flatMap((t) => Array.from({ length: pods }, (_, i) => `${t}-${String(at(r.inputs, "metadata.name"))}-${i}`));
  return claims.length > 0 && claims.every((c) => patched.has(c));
}

/**
 * Whether only other resources can tell that an unprotected `r` holds no data of its own: a
 * StatefulSet that orphans its pods and keeps its claims (it may be under a resize, which the claim
 * patches decide), or a claim bound by name to a volume (which that volume's reclaim policy decides).
 * The resource rule data-protected-in-prod leaves these to the stack rule data-protected-in-prod-relations,
 * so that it never blocks what the stack rule exempts.
 */
export function protectionNeedsRelations(r: RuleResource): boolean {
  if (r.type === "kubernetes:apps/v1:StatefulSet") {
    if (asArray(at(r.inputs, "spec.volumeClaimTemplates")).length === 0) return false;
    const orphans = String(asRecord(at(r.inputs, "metadata.annotations"))["pulumi.com/deletionPropagationPolicy"] ?? "").toLowerCase() === "orphan";
    return orphans && (at(r.inputs, "spec.persistentVolumeClaimRetentionPolicy.whenDeleted") ?? "Retain") === "Retain";
  }
  return (
    r.type === "kubernetes:core/v1:PersistentVolumeClaim" && at(r.inputs, "spec.storageClassName") === "" && typeof at(r.inputs, "spec.volumeName") === "string"
  );
}

function holdsNoDataOfItsOwn(r: RuleResource, all: readonly RuleResource[]): boolean {
  if (r.type === "kubernetes:apps/v1:StatefulSet") return asArray(at(r.inputs, "spec.volumeClaimTemplates")).length === 0 || isBeingResized(r, all);
  const claim = r;
  if (claim.type !== "kubernetes:core/v1:PersistentVolumeClaim" || at(claim.inputs, "spec.storageClassName") !== "") return false;
  const volumeName = at(claim.inputs, "spec.volumeName");
  return all.some(
    (v) =>
      v.type === "kubernetes:core/v1:PersistentVolume" &&
      at(v.inputs, "metadata.name") === volumeName &&
      at(v.inputs, "spec.persistentVolumeReclaimPolicy") === "Retain",
  );
}

export const WORKLOAD_RULES: readonly Rule[] = [
  {
    kind: "resource",
    id: "k8s-requests-and-memory-limits",
    enforcementLevel: "mandatory",
    family: "kubernetes",
    sources: [
      { standard: "checkov", control: "CKV_K8S_10" },
      { standard: "checkov", control: "CKV_K8S_12" },
      { standard: "checkov", control: "CKV_K8S_13" },
      { standard: "kubernetes-docs", control: "Resource Management for Pods and Containers" },
    ],
    resourceTypes: WORKLOADS,
    description: "Every container requests cpu and memory and has a memory limit.",
    check: (r) =>
      failing(
        r,
        (c) =>
          at(c, "resources.requests.cpu") === undefined || at(c, "resources.requests.memory") === undefined || at(c, "resources.limits.memory") === undefined,
        "missing cpu/memory requests or a memory limit",
      ),
  },
  {
    kind: "resource",
    id: "k8s-high-memory-guaranteed",
    enforcementLevel: "mandatory",
    family: "kubernetes",
    sources: [{ standard: "kubernetes-docs", control: "Pod Quality of Service Classes: Guaranteed" }],
    resourceTypes: WORKLOADS,
    description: "Pods that tolerate the high-memory taint request exactly the memory they are limited to.",
    check: (r) => {
      if (
        !asArray(podSpec(r)["tolerations"])
          .map(asRecord)
          .some((t) => t["key"] === "workload-type" && t["value"] === "high-memory")
      )
        return undefined;
      return failing(r, (c) => at(c, "resources.requests.memory") !== at(c, "resources.limits.memory"), "memory request differs from its limit");
    },
  },
  {
    kind: "resource",
    id: "k8s-memory-volumes-bounded",
    enforcementLevel: "mandatory",
    family: "kubernetes",
    sources: [{ standard: "kubernetes-docs", control: "Volumes: emptyDir (medium Memory counts against the memory limit)" }],
    resourceTypes: WORKLOADS,
    description: "Memory-backed emptyDirs (/dev/shm) have a sizeLimit and together stay below the containers' memory limits they count against.",
    check: memoryVolumeProblem,
  },
  {
    kind: "resource",
    id: "k8s-probes",
    enforcementLevel: "advisory",
    family: "kubernetes",
    sources: [
      { standard: "eks-best-practices", control: "Reliability: applications, use probes" },
      { standard: "checkov", control: "CKV_K8S_8" },
      { standard: "checkov", control: "CKV_K8S_9" },
    ],
    resourceTypes: ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"],
    description: "Long-running containers have readiness and liveness probes.",
    check: (r) => failing(r, (c) => c["readinessProbe"] === undefined || c["livenessProbe"] === undefined, "missing readiness or liveness probe"),
  },
  {
    kind: "stack",
    id: "k8s-pdb-for-replicated-workloads",
    enforcementLevel: "mandatory",
    family: "kubernetes",
    sources: [{ standard: "eks-best-practices", control: "Reliability: applications, Pod Disruption Budgets" }],
    description: "Deployments and StatefulSets with more than one replica have a PodDisruptionBudget.",
    check: (rs) => {
      const pdbs = rs.filter((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget").map((p) => asRecord(at(p.inputs, "spec.selector.matchLabels")));
      return rs
        .filter((r) => ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"].includes(r.type) && Number(at(r.inputs, "spec.replicas") ?? 1) > 1)
        .filter((r) => !pdbs.some((sel) => matches(sel, asRecord(at(r.inputs, "spec.template.metadata.labels")))))
        .map((r) => ({ urn: r.urn, message: "no PodDisruptionBudget selects its pods" }));
    },
  },
  {
    kind: "stack",
    id: "k8s-network-policy",
    enforcementLevel: "mandatory",
    family: "kubernetes",
    sources: [{ standard: "cis-eks", control: "4.3.2" }],
    description: "Every workload's pods are selected by a NetworkPolicy.",
    check: (rs) => {
      const policies = rs
        .filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")
        .map((p) => ({ ns: at(p.inputs, "metadata.namespace"), sel: asRecord(at(p.inputs, "spec.podSelector.matchLabels")) }));
      const violations: RuleViolation[] = [];
      for (const w of rs.filter((r) => ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:StatefulSet"].includes(r.type))) {
        const labels = asRecord(at(w.inputs, "spec.template.metadata.labels"));
        if (!policies.some((p) => p.ns === at(w.inputs, "metadata.namespace") && matches(p.sel, labels)))
          violations.push({ urn: w.urn, message: "no NetworkPolicy selects its pods" });
      }
      return violations;
    },
  },
  {
    kind: "resource",
    id: "k8s-no-default-namespace",
    enforcementLevel: "mandatory",
    family: "kubernetes",
    sources: [
      { standard: "cis-eks", control: "4.5.2" },
      { standard: "checkov", control: "CKV_K8S_21" },
    ],
    resourceTypes: [
      ...WORKLOADS,
      "kubernetes:core/v1:Service",
      "kubernetes:core/v1:ConfigMap",
      "kubernetes:core/v1:Secret",
      "kubernetes:policy/v1:PodDisruptionBudget",
      "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ],
    description: "Namespaced objects name a namespace other than default.",
    check: (r) => {
      const ns = at(r.inputs, "metadata.namespace");
      return ns === undefined || ns === "default" ? `namespace is ${JSON.stringify(ns ?? "unset (default)")}` : undefined;
    },
  },
  {
    kind: "resource",
    id: "alert-rules-complete",
    enforcementLevel: "mandatory",
    family: "operations",
    sources: [{ standard: "prometheus-docs", control: "Alerting rules: for, labels, annotations" }],
    resourceTypes: ["kubernetes:monitoring.coreos.com/v1:PrometheusRule"],
    description: "Every alert has a for duration, a severity label, and summary and runbook_url annotations.",
    check: (r) => {
      const alerts = asArray(at(r.inputs, "spec.groups"))
        .flatMap((g) => asArray(asRecord(g)["rules"]))
        .map(asRecord)
        .filter((rule) => rule["alert"] !== undefined);
      const incomplete = alerts.filter(
        (a) =>
          a["for"] === undefined ||
          at(a, "labels.severity") === undefined ||
          at(a, "annotations.summary") === undefined ||
          at(a, "annotations.runbook_url") === undefined,
      );
      return incomplete.length > 0 ? `alerts without for, severity, summary or runbook_url: ${incomplete.map((a) => a["alert"]).join(", ")}` : undefined;
    },
  },
  {
    kind: "stack",
    id: "data-protected-in-prod-relations",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "pulumi-docs", control: "protect" }],
    description:
      "In prod, what data-protected-in-prod cannot decide from one resource: a StatefulSet that orphans its pods is protected unless it is being safely resized (every claim of its pods grown first), and a claim bound by name to a volume is protected unless that volume is pre-provisioned and retained. Reported after the update: the exemptions are relations between resources.",
    check: (rs, context) =>
      isProd(rs, context)
        ? rs
            .filter((r) => MUST_PROTECT.includes(r.type) && protectionNeedsRelations(r) && !r.protect && !holdsNoDataOfItsOwn(r, rs))
            .map((r) => ({ urn: r.urn, message: "not protected in prod" }))
        : [],
  },
  {
    kind: "resource",
    id: "data-no-delete-before-replace",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "pulumi-docs", control: "deleteBeforeReplace" }],
    resourceTypes: STATEFUL_TYPES,
    description: "Stateful resources are never deleted before their replacement exists.",
    check: (r) => (r.deleteBeforeReplace ? "deleteBeforeReplace is set on a stateful resource" : undefined),
  },
];
