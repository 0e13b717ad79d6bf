/**
 * A StatefulSet replacement that only grows its volumes, done so that nothing is lost
 * (components/redis/resize.ts): the only replace reasons are larger storage requests of its claim
 * templates; the deployed StatefulSet (base) and the new one both orphan their pods on deletion
 * (pulumi-kubernetes deletes the old object with the propagation its own annotation names:
 * provider/pkg/metadata DeletionPropagation, Foreground by default) and keep their claims
 * (whenDeleted Retain, the Kubernetes default); and every claim of the pods that exist is grown
 * first, by a PersistentVolumeClaimPatch the StatefulSet waits for. Anything else stays data loss.
 */
import type { Plan, PlanResource } from "../preview/plan";

const STATEFUL_SET = "kubernetes:apps/v1:StatefulSet";
const CLAIM_PATCH = "kubernetes:core/v1:PersistentVolumeClaimPatch";
const TEMPLATE_SIZE = /^spec\.volumeClaimTemplates\[(\d+)\]\.spec\.resources\.requests\.storage$/;

const get = (value: unknown, path: readonly (string | number)[]): unknown =>
  path.reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string | number, unknown>)[k] : undefined), value);
const GIB: Readonly<Record<string, number>> = { Mi: 1 / 1024, Gi: 1, Ti: 1024 };
const gib = (v: unknown): number | undefined => {
  const m = typeof v === "string" ? /^(\d+(?:\.\d+)?)(Mi|Gi|Ti)$/.exec(v) : null;
  return m ? Number(m[1]) * GIB[m[2]!]! : undefined;
};

const orphans = (r: PlanResource) => {
  const policy = get(r.inputs, ["metadata", "annotations", "pulumi.com/deletionPropagationPolicy"]);
  return typeof policy === "string" && policy.toLowerCase() === "orphan";
};
const keepsClaims = (r: PlanResource) => (get(r.inputs, ["spec", "persistentVolumeClaimRetentionPolicy", "whenDeleted"]) ?? "Retain") === "Retain";

/**
 * Why replacing `base` by `head` for `reasons` is not a safe resize, or undefined when it is.
 * `plan` is head's plan, where the claim patches are declared.
 */
export function unsafeResizeReason(base: PlanResource, head: PlanResource, reasons: readonly string[], plan: Plan): string | undefined {
  if (head.type !== STATEFUL_SET || reasons.length === 0) return "not a StatefulSet replacement";
  const other = reasons.filter((p) => !TEMPLATE_SIZE.test(p));
  if (other.length > 0) return `${other.join(", ")} changed, not only claim sizes`;
  const grown = reasons.map((p) => Number(TEMPLATE_SIZE.exec(p)![1]));
  for (const i of grown) {
    const path = ["spec", "volumeClaimTemplates", i, "spec", "resources", "requests", "storage"];
    const [before, after] = [gib(get(base.inputs, path)), gib(get(head.inputs, path))];
    if (before === undefined || after === undefined || after <= before) return `claim template ${i} does not grow`;
  }
  if (!orphans(base)) return "the deployed StatefulSet does not carry pulumi.com/deletionPropagationPolicy: orphan, so deleting it deletes its pods";
  if (!orphans(head)) return "the new StatefulSet does not orphan its pods on deletion";
  if (!keepsClaims(base) || !keepsClaims(head)) return "its claims are not retained when it is deleted";
  const name = get(head.inputs, ["metadata", "name"]);
  const namespace = get(head.inputs, ["metadata", "namespace"]);
  // The pods that exist are base's; their claims are the ones the new template does not resize.
  const pods = Number(get(base.inputs, ["spec", "replicas"]) ?? 1);
  const patches = plan.resources.filter((r) => r.type === CLAIM_PATCH && get(r.inputs, ["metadata", "namespace"]) === namespace);
  const ordinalOf = (p: PlanResource) => Number(/-(\d+)$/.exec(String(get(p.inputs, ["metadata", "name"])))?.[1] ?? -1);
  const early = patches.filter((p) => String(get(p.inputs, ["metadata", "name"])).endsWith(`-${String(name)}-${ordinalOf(p)}`) && ordinalOf(p) >= pods);
  if (early.length > 0)
    return `it also grows claims of pods that do not exist yet (${pods} pods now): change the pod count and the volume size in separate updates`;
  for (const i of grown) {
    const template = get(head.inputs, ["spec", "volumeClaimTemplates", i, "metadata", "name"]);
    const size = gib(get(head.inputs, ["spec", "volumeClaimTemplates", i, "spec", "resources", "requests", "storage"]))!;
    for (let ordinal = 0; ordinal < pods; ordinal++) {
      const claim = `${String(template)}-${String(name)}-${ordinal}`;
      const patch = patches.find((p) => get(p.inputs, ["metadata", "name"]) === claim);
      if (!patch) return `claim ${claim} is not grown first (no PersistentVolumeClaimPatch)`;
      if ((gib(get(patch.inputs, ["spec", "resources", "requests", "storage"])) ?? 0) < size) return `claim ${claim} is grown to less than the new template`;
      if (!head.dependencies.includes(patch.urn)) return `the StatefulSet does not wait for the growth of claim ${claim}`;
    }
  }
  return undefined;
}
