/**
 * What the policy fixtures share: editable plan resources and path helpers.
 */
import type { RuleContext, RuleResource } from "../../policies/rules/types";
import type { Plan, PlanResource } from "../../tools/preview/plan";

/** A plan resource the fixtures may edit: inputs are plain JSON. */
export interface Editable {
  urn: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  protect: boolean;
  deleteBeforeReplace: boolean;
}
export type Resources = Editable[];
export const clone = (plan: Plan): Resources => structuredClone(plan.resources) as PlanResource[] as Editable[];
export const find = (rs: Resources, type: string, name?: string): Editable => {
  const r = rs.find((x) => x.type === type && (name === undefined || x.name === name));
  if (!r) throw new Error(`fixture: no ${type} ${name ?? ""}`);
  return r;
};

/** The container (object or array) holding the last step of a dotted path such as "spec.items.0.name". */
function parentOf(root: unknown, path: string): { holder: Record<string, unknown>; key: string } {
  const steps = path.split(".");
  const key = steps.pop()!;
  let holder: unknown = root;
  for (const step of steps) {
    holder = (holder as Record<string, unknown>)[step];
    if (holder === null || typeof holder !== "object") throw new Error(`fixture: nothing at ${step} of ${path}`);
  }
  return { holder: holder as Record<string, unknown>, key };
}
export const setAt = (root: unknown, path: string, value: unknown) => {
  const { holder, key } = parentOf(root, path);
  holder[key] = value;
};
export const deleteAt = (root: unknown, path: string) => {
  const { holder, key } = parentOf(root, path);
  delete holder[key];
};
export const STS = "kubernetes:apps/v1:StatefulSet";
export const POD = "spec.template.spec";
export const synthetic = (type: string, name: string, inputs: Record<string, unknown>): RuleResource => ({
  urn: `urn:pulumi:prod::highmem-platform::${type}::${name}`,
  type,
  name,
  inputs,
  protect: false,
  deleteBeforeReplace: false,
});
export const prometheusRule = (alert: Record<string, unknown>) =>
  synthetic("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "alerts", {
    metadata: { name: "alerts", namespace: "monitoring" },
    spec: {
      groups: [
        {
          name: "g",
          rules: [
            {
              alert: "X",
              expr: "up == 0",
              for: "5m",
              labels: { severity: "critical" },
              annotations: { summary: "s", runbook_url: "https://runbooks/x" },
              ...alert,
            },
          ],
        },
      ],
    },
  });

// [rule id, stack, how to break it (mutating the resources, returning the URN expected to be flagged, or null for a stack-level finding)]
/**
 * A rule id, the reference plan (dev or prod) it breaks, the one-property change (returning the URN
 * the rule must name, or null for a stack-level finding), and optionally what the rule context
 * adds to the plan's own (plan.policyContext) for both the passing and the failing evaluation.
 */
export type Fixture = [string, string, (rs: Resources) => string | null, RuleContext?];
