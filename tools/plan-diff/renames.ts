/**
 * Resources that disappear from base and appear in head under another URN are usually one rename:
 * a component renamed in code, whose children are named after it. Pulumi derives a child's alias
 * from its parent's by swapping the parent's name prefix in the child's name (@pulumi/pulumi
 * resource.ts, inheritedChildAlias), so one alias on the highest renamed component keeps the whole
 * subtree. This pairs old and new by type and by role (the name with the component's prefix
 * swapped), never by position.
 */
import type { PlanResource } from "../preview/plan";

export interface RenamedComponent {
  readonly type: string;
  readonly oldName: string;
  readonly newName: string;
  readonly newUrn: string;
  /** Removed resources this rename explains, each with the added resource it became. */
  readonly pairs: readonly { readonly from: PlanResource; readonly to: PlanResource }[];
}

export interface RenameAnalysis {
  /** Highest renamed components first: an alias on each keeps everything under it. */
  readonly components: readonly RenamedComponent[];
  /** Removed URN -> the added resource it became (through a component rename or on its own). */
  readonly pairedTo: ReadonlyMap<string, PlanResource>;
}

const depth = (r: PlanResource) => (r.urn.split("::")[2] ?? "").split("$").length;

/** The resource that `name` under prefix `from` becomes under prefix `to`, of the same type. */
function counterpart(r: PlanResource, from: string, to: string, added: readonly PlanResource[]): PlanResource | undefined {
  if (!r.name.startsWith(from)) return undefined;
  const name = to + r.name.slice(from.length);
  return added.find((a) => a.type === r.type && a.name === name);
}

export function analyseRenames(removed: readonly PlanResource[], added: readonly PlanResource[]): RenameAnalysis {
  const pairedTo = new Map<string, PlanResource>();
  const components: RenamedComponent[] = [];
  // Components, highest first: a rename found at one level explains the levels below it.
  for (const old of [...removed].filter((r) => !r.custom).sort((a, b) => depth(a) - depth(b))) {
    if (pairedTo.has(old.urn)) continue;
    const candidates = added.filter((a) => !a.custom && a.type === old.type && depth(a) === depth(old));
    let best: { to: PlanResource; pairs: { from: PlanResource; to: PlanResource }[] } | undefined;
    for (const to of candidates) {
      const pairs = removed.flatMap((r) => {
        const c = !pairedTo.has(r.urn) ? counterpart(r, old.name, to.name, added) : undefined;
        return c ? [{ from: r, to: c }] : [];
      });
      if (!best || pairs.length > best.pairs.length) best = { to, pairs };
    }
    if (!best || best.pairs.length === 0) continue;
    for (const p of best.pairs) pairedTo.set(p.from.urn, p.to);
    components.push({ type: old.type, oldName: old.name, newName: best.to.name, newUrn: best.to.urn, pairs: best.pairs });
  }
  // A lone resource renamed: the only added resource of its type under the same parent.
  for (const old of removed.filter((r) => !pairedTo.has(r.urn))) {
    const taken = new Set([...pairedTo.values()].map((p) => p.urn));
    const same = added.filter((a) => !taken.has(a.urn) && a.type === old.type && a.parent === old.parent);
    if (same.length === 1) pairedTo.set(old.urn, same[0]!);
  }
  return { components, pairedTo };
}
