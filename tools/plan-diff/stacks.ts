/**
 * The whole repository's view: every stack of base and head. A stack only in head is shown as
 * created; one only in base as gone from the repository (merging does not destroy it: its
 * resources stay until someone runs `pulumi destroy`, so it is not counted as data loss here).
 */
import type { Plan } from "../preview/plan";
import { diffPlans, PlanMismatchError, type StackDiff } from "./diff";

export interface StackSetDiff extends StackDiff {
  readonly presence: "both" | "added" | "removed";
}

/** A stack with nothing in it: what a new stack is compared against, and what a removed one becomes. */
const empty = (like: Plan): Plan => ({
  ...like,
  resources: [],
  violations: [],
  schemaErrors: [],
  configErrors: [],
  deployFindings: [],
  uncheckedSecrets: [],
  outputs: {},
  ...(like.cost
    ? {
        cost: {
          ...like.cost,
          monthlyUsd: { total: 0, fixed: 0, usage: 0, nodePoolsExpected: 0, nodePoolsAtLimit: 0, capacityWindows: 0 },
          byResource: {},
          dependsOnUsage: [],
          capacityWindows: [],
          highMemoryWorkloads: [],
        },
      }
    : {}),
});

export function diffStackSets(base: readonly Plan[], head: readonly Plan[]): StackSetDiff[] {
  const projects = new Set([...base, ...head].map((p) => p.project));
  if (projects.size > 1) throw new PlanMismatchError(`refusing to compare plans of different projects: ${[...projects].sort().join(", ")}`);
  const baseBy = new Map(base.map((p) => [p.stack, p]));
  const headBy = new Map(head.map((p) => [p.stack, p]));
  const stacks = [...new Set([...baseBy.keys(), ...headBy.keys()])].sort();
  return stacks.map((stack): StackSetDiff => {
    const b = baseBy.get(stack);
    const h = headBy.get(stack);
    if (b && h) return { ...diffPlans(b, h), presence: "both" };
    if (h) return { ...diffPlans(empty(h), h), presence: "added" };
    const gone = diffPlans(b!, empty(b!));
    return { ...gone, dataLossRisks: [], presence: "removed" };
  });
}
