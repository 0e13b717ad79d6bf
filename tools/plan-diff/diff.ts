/**
 * Compares two offline plans of one stack: resources added, removed and changed (property by
 * property, secrets shown only as changed), data-loss risks, and policy violations new or fixed.
 */
import { STATEFUL_TYPES } from "../../policies/rules/workloads";
import type { Plan, PlanResource, PlanViolation } from "../preview/plan";

/** Types whose deletion or replacement loses data: the same list the policy pack protects. */
const STATEFUL = new Set(STATEFUL_TYPES);

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
}

export interface DataLossRisk {
  readonly urn: string;
  readonly kind: "removed" | "volume-claim-templates-changed" | "protection-removed";
  readonly message: string;
}

export interface StackDiff {
  readonly stack: string;
  readonly added: readonly PlanResource[];
  readonly removed: readonly PlanResource[];
  readonly changed: readonly ChangedResource[];
  readonly dataLossRisks: readonly DataLossRisk[];
  readonly newViolations: readonly PlanViolation[];
  readonly fixedViolations: readonly PlanViolation[];
  /** Monthly cost change (USD), when both plans carry an estimate. */
  readonly cost?: { readonly totalDelta: number; readonly atLimitDelta: number; readonly contributors: readonly { readonly urn: string; readonly delta: number }[] };
}

const isSecret = (v: unknown): v is { "@secret": string } => typeof v === "object" && v !== null && "@secret" in v;

/** Leaf-level differences between two JSON values; a secret is one leaf compared by digest. */
export function propertyChanges(before: unknown, after: unknown, path = ""): PropertyChange[] {
  if (isSecret(before) || isSecret(after)) {
    return JSON.stringify(before) === JSON.stringify(after) ? [] : [{ path, before: "[secret]", after: "[secret]" }];
  }
  const bothObjects = before !== null && after !== null && typeof before === "object" && typeof after === "object" && Array.isArray(before) === Array.isArray(after);
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
  const baseByUrn = new Map(base.resources.map((r) => [r.urn, r]));
  const headByUrn = new Map(head.resources.map((r) => [r.urn, r]));
  const matchedBase = new Set<string>();
  const added: PlanResource[] = [];
  const changed: ChangedResource[] = [];
  const risks: DataLossRisk[] = [];

  for (const h of head.resources) {
    const renamedFrom = baseByUrn.has(h.urn) ? undefined : aliasUrns(h).find((u) => baseByUrn.has(u) && !headByUrn.has(u));
    const b = baseByUrn.get(renamedFrom ?? h.urn);
    if (!b) {
      added.push(h);
      continue;
    }
    matchedBase.add(b.urn);
    const changes = propertyChanges(b.inputs, h.inputs);
    if (b.protect !== h.protect) changes.push({ path: "(protect)", before: b.protect, after: h.protect });
    if (changes.length > 0 || renamedFrom) changed.push({ urn: h.urn, type: h.type, ...(renamedFrom ? { renamedFrom } : {}), changes });
    if (STATEFUL.has(h.type) && b.protect && !h.protect) {
      risks.push({ urn: h.urn, kind: "protection-removed", message: `${h.type} "${h.name}" loses its protection` });
    }
    if (h.type === "kubernetes:apps/v1:StatefulSet" && changes.some((c) => c.path.startsWith("spec.volumeClaimTemplates"))) {
      risks.push({ urn: h.urn, kind: "volume-claim-templates-changed", message: `StatefulSet "${h.name}" changes its volumeClaimTemplates, which are immutable: the StatefulSet is replaced` });
    }
  }
  const removed = base.resources.filter((r) => !matchedBase.has(r.urn));
  for (const r of removed) {
    if (!STATEFUL.has(r.type)) continue;
    const moved = added.find((a) => a.type === r.type);
    risks.push({
      urn: r.urn,
      kind: "removed",
      message: `${r.type} "${r.name}" is deleted${moved ? ` (its URN changed to ${moved.urn} without an alias: add aliases: [{ name: "${r.name}" }] or the matching URN to keep it)` : ""}`,
    });
  }
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
    newViolations: head.violations.filter((v) => !baseViolations.has(violationKey(v))),
    fixedViolations: base.violations.filter((v) => !headViolations.has(violationKey(v))),
  };
}

/** One line per stack, like `pulumi preview` ends with. */
export function summaryLine(d: StackDiff): string {
  const counts = [d.added.length && `+${d.added.length} to create`, d.changed.length && `~${d.changed.length} to update`, d.removed.length && `-${d.removed.length} to delete`].filter(Boolean);
  return `${d.stack}: ${counts.length > 0 ? counts.join(", ") : "no changes"}${d.dataLossRisks.length > 0 ? `; ${d.dataLossRisks.length} data-loss risk${d.dataLossRisks.length > 1 ? "s" : ""}` : ""}`;
}
