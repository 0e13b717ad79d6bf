/**
 * Compares two offline plans of one stack: resources added, removed, changed (property by property,
 * secrets shown only as changed) and replaced (a change the provider cannot make in place),
 * data-loss risks with what to do instead, and policy violations new or fixed.
 */
import type { Plan, PlanResource, PlanViolation } from "../preview/plan";
import { analyseRenames, type RenamedComponent } from "./renames";
import { losesData, replaceReasons, replaceRuleOf } from "./replacements";
import { unsafeResizeReason } from "./resize";
import { shrinkRisks, type ShrinkRisk } from "./shrink";

/** Plans of different stacks or projects are not two versions of one thing. */
export class PlanMismatchError extends Error {
  override name = "PlanMismatchError";
}

export interface PropertyChange {
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

export interface ChangedResource {
  readonly urn: string;
  readonly type: string;
  /** Set when the resource moved (URN changed) and an alias carries its identity. */
  readonly renamedFrom?: string;
  readonly changes: readonly PropertyChange[];
  /** The changed paths that make the provider replace it (delete, then create); empty for an update. */
  readonly replaceReasons: readonly string[];
}

export interface DataLossRisk {
  readonly urn: string;
  readonly kind: "removed" | "renamed-without-alias" | "replaced" | "protection-removed" | ShrinkRisk["kind"];
  readonly message: string;
}

export interface StackDiff {
  readonly stack: string;
  readonly added: readonly PlanResource[];
  readonly removed: readonly PlanResource[];
  readonly changed: readonly ChangedResource[];
  readonly dataLossRisks: readonly DataLossRisk[];
  /** StatefulSet replacements that only grow volumes, with the pods orphaned and the claims grown first (./resize.ts): no data loss. */
  readonly safeResizes: readonly { readonly urn: string; readonly message: string }[];
  /** Renamed components whose one alias would keep everything under them. */
  readonly renames: readonly RenamedComponent[];
  /** Types the replacement table does not know (their replacements cannot be shown offline). */
  readonly unknownTypes: readonly string[];
  readonly newViolations: readonly PlanViolation[];
  readonly fixedViolations: readonly PlanViolation[];
  /** Monthly cost change (USD), when both plans carry an estimate. */
  readonly cost?: {
    readonly totalDelta: number;
    readonly atLimitDelta: number;
    readonly contributors: readonly { readonly urn: string; readonly delta: number }[];
  };
}

const isSecret = (v: unknown): v is { "@secret": string } => typeof v === "object" && v !== null && "@secret" in v;

/** Leaf-level differences between two JSON values; a secret is one leaf compared by digest. */
export function propertyChanges(before: unknown, after: unknown, path = ""): PropertyChange[] {
  if (isSecret(before) || isSecret(after)) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before: "[secret]", after: "[secret]" }];
  }
  const bothObjects =
    before !== null && after !== null && typeof before === "object" && typeof after === "object" && Array.isArray(before) === Array.isArray(after);
  if (!bothObjects) return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before, after }];
  const b = before as Record<string, unknown>;
  const a = after as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])].sort((x, y) => (Array.isArray(before) ? Number(x) - Number(y) : x.localeCompare(y)));
  return keys.flatMap((k) => propertyChanges(b[k], a[k], Array.isArray(before) ? `${path}[${k}]` : path ? `${path}.${k}` : k));
}

/** The URN an alias of `r` refers to: a URN string, or a spec naming what changed. */
function aliasUrns(r: PlanResource): string[] {
  const [prefix = "", qualifiedType = "", name = ""] = (() => {
    const parts = r.urn.split("::");
    return [parts.slice(0, 2).join("::"), parts[2] ?? "", parts[3] ?? ""];
  })();
  return r.aliases.flatMap((alias) => {
    if (typeof alias === "string") return [alias];
    if (alias && typeof alias === "object") {
      const spec = alias as { name?: string; type?: string };
      const types = qualifiedType.split("$");
      if (spec.type) types[types.length - 1] = spec.type;
      return [`${prefix}::${types.join("$")}::${spec.name ?? name}`];
    }
    return [];
  });
}

const violationKey = (v: PlanViolation) => `${v.policy}|${v.urn ?? ""}|${v.message}`;

export function diffPlans(base: Plan, head: Plan): StackDiff {
  if (base.project !== head.project || base.stack !== head.stack) {
    throw new PlanMismatchError(`refusing to compare plans of different stacks: base is ${base.project}/${base.stack}, head is ${head.project}/${head.stack}`);
  }
  const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
  const headByUrn = new Map(head.resources.map((r) => [r.urn, r]));
  const matchedBase = new Set<string>();
  const added: PlanResource[] = [];
  const changed: ChangedResource[] = [];
  const risks: DataLossRisk[] = [];
  const safeResizes: { urn: string; message: string }[] = [];
  const label = (r: PlanResource) => `${r.type} "${r.name}"`;

  for (const h of head.resources) {
    const renamedFrom = baseByUrn.has(h.urn) ? undefined : aliasUrns(h).find((u) => baseByUrn.has(u) && !headByUrn.has(u));
    const b = baseByUrn.get(renamedFrom ?? h.urn);
    if (!b) {
      added.push(h);
      continue;
    }
    matchedBase.add(b.urn);
    const changes = propertyChanges(b.inputs, h.inputs);
    const reasons = replaceReasons(
      h.type,
      changes.map((c) => c.path),
    );
    if (b.protect !== h.protect) changes.push({ path: "(protect)", before: b.protect, after: h.protect });
    if (changes.length > 0 || renamedFrom)
      changed.push({ urn: h.urn, type: h.type, ...(renamedFrom ? { renamedFrom } : {}), changes, replaceReasons: reasons });
    const rule = replaceRuleOf(h.type);
    const unsafe = rule && losesData(h.type, reasons) ? unsafeResizeReason(b, h, reasons, head) : "";
    if (rule && unsafe === undefined) {
      safeResizes.push({
        urn: h.urn,
        message: `${label(h)} is replaced to grow its volumes (${reasons.join(", ")}): its pods are orphaned, not deleted, and the new StatefulSet adopts them with their claims, each grown first; its protection is lifted for this update only`,
      });
    } else if (rule && unsafe) {
      const blocked = b.protect ? " It is protected, so `pulumi up` stops here until protection is lifted." : "";
      const resize = reasons.every((p) => /^spec\.volumeClaimTemplates\[\d+\]\.spec\.resources\.requests\.storage$/.test(p))
        ? ` Not a safe resize: ${unsafe}.`
        : "";
      risks.push({
        urn: h.urn,
        kind: "replaced",
        message: `${label(h)} is replaced (deleted, then created anew) because ${reasons.join(", ")} changed: what it holds is lost.${blocked}${resize} Instead: ${rule.advice}`,
      });
    }
    if (rule?.stateful && b.protect && !h.protect && unsafe !== undefined)
      risks.push({ urn: h.urn, kind: "protection-removed", message: `${label(h)} loses its protection` });
    for (const s of shrinkRisks(h, changes)) risks.push({ urn: h.urn, ...s });
  }
  const removed = base.resources.filter((r) => !matchedBase.has(r.urn));
  const renames = analyseRenames(removed, added);
  const aliasFor = (r: PlanResource) => renames.components.find((c) => c.pairs.some((p) => p.from.urn === r.urn));
  for (const r of removed) {
    if (!replaceRuleOf(r.type)?.stateful) continue;
    const to = renames.pairedTo.get(r.urn);
    const component = aliasFor(r);
    if (to && component) {
      risks.push({
        urn: r.urn,
        kind: "renamed-without-alias",
        message: `${label(r)} is deleted and created again as "${to.name}": component ${component.type} "${component.newName}" was renamed from "${component.oldName}". Add \`aliases: [{ name: "${component.oldName}" }]\` to it: its children named after it follow (Pulumi derives their aliases from the parent's)`,
      });
    } else if (to) {
      risks.push({
        urn: r.urn,
        kind: "renamed-without-alias",
        message: `${label(r)} is deleted and created again as "${to.name}": add \`aliases: [{ name: "${r.name}" }]\` to it to keep it`,
      });
    } else {
      risks.push({ urn: r.urn, kind: "removed", message: `${label(r)} is deleted` });
    }
  }
  // Only changed resources matter: a type the table does not know may be replaced unseen.
  const unknownTypes = [...new Set(changed.filter((c) => c.changes.some((x) => x.path !== "(protect)") && !replaceRuleOf(c.type)).map((c) => c.type))].sort();
  const baseViolations = new Set(base.violations.map(violationKey));
  const headViolations = new Set(head.violations.map(violationKey));
  let cost: StackDiff["cost"];
  if (base.cost && head.cost) {
    const urns = new Set([...Object.keys(base.cost.byResource), ...Object.keys(head.cost.byResource)]);
    const contributors = [...urns]
      .map((urn) => ({ urn, delta: Math.round(((head.cost!.byResource[urn] ?? 0) - (base.cost!.byResource[urn] ?? 0)) * 100) / 100 }))
      .filter((c) => c.delta !== 0)
      .sort((a, b) => Math.abs(b.delta) - Math.abs(a.delta))
      .slice(0, 3);
    cost = {
      totalDelta: Math.round((head.cost.monthlyUsd.total - base.cost.monthlyUsd.total) * 100) / 100,
      atLimitDelta: Math.round((head.cost.monthlyUsd.nodePoolsAtLimit - base.cost.monthlyUsd.nodePoolsAtLimit) * 100) / 100,
      contributors,
    };
  }
  return {
    stack: head.stack,
    ...(cost ? { cost } : {}),
    added,
    removed,
    changed,
    dataLossRisks: risks,
    safeResizes,
    renames: renames.components,
    unknownTypes,
    newViolations: head.violations.filter((v) => !baseViolations.has(violationKey(v))),
    fixedViolations: base.violations.filter((v) => !headViolations.has(violationKey(v))),
  };
}

/** One line per stack, like `pulumi preview` ends with. */
export function summaryLine(d: StackDiff): string {
  const replaced = d.changed.filter((c) => c.replaceReasons.length > 0).length;
  const updated = d.changed.length - replaced;
  const counts = [
    d.added.length && `+${d.added.length} to create`,
    updated && `~${updated} to update`,
    replaced && `+-${replaced} to replace`,
    d.removed.length && `-${d.removed.length} to delete`,
  ].filter(Boolean);
  return `${d.stack}: ${counts.length > 0 ? counts.join(", ") : "no changes"}${d.dataLossRisks.length > 0 ? `; ${d.dataLossRisks.length} data-loss risk${d.dataLossRisks.length > 1 ? "s" : ""}` : ""}`;
}
