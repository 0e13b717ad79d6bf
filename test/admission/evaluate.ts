/**
 * Evaluates generated ValidatingPolicies the way Kyverno does for one object: the variables in order
 * (each sees the earlier ones under `variables`), then every validation, with an independent CEL
 * implementation (@marcbachmann/cel-js). What this does NOT model of Kyverno: the type checking of
 * expressions against the object's schema at policy creation, the Kubernetes CEL libraries beyond
 * the strings extension (none is used), matchConstraints (tested separately on the objects), and
 * PolicyExceptions.
 */
import { evaluate } from "@marcbachmann/cel-js";

export interface PolicyObject {
  readonly metadata: { readonly name: string };
  readonly spec: {
    readonly variables: readonly { readonly name: string; readonly expression: string }[];
    readonly validations: readonly { readonly expression: string; readonly message: string }[];
  };
}

export interface Failure {
  readonly policy: string;
  readonly message: string;
  /** Set when the expression raised instead of returning false (the webhook would refuse too, failing closed). */
  readonly error?: string;
}

/** The validations an object fails, over every policy. */
export function failures(policies: readonly PolicyObject[], object: unknown): Failure[] {
  const out: Failure[] = [];
  for (const p of policies) {
    const variables: Record<string, unknown> = {};
    try {
      for (const v of p.spec.variables) variables[v.name] = evaluate(v.expression, { object, variables });
    } catch (error) {
      out.push({ policy: p.metadata.name, message: "variables", error: String(error) });
      continue;
    }
    for (const v of p.spec.validations) {
      try {
        const result = evaluate(v.expression, { object, variables });
        if (result !== true) out.push({ policy: p.metadata.name, message: v.message });
      } catch (error) {
        out.push({ policy: p.metadata.name, message: v.message, error: String(error) });
      }
    }
  }
  return out;
}

/**
 * The policy as Kyverno's autogen rewrites it for a pod controller (kyverno/kyverno@v1.19.0
 * pkg/cel/autogen/data.go ReplacementsMap and replacement.go): `object.spec` and `object.metadata`
 * become the pod template's, except `object.metadata.namespace`, which stays the controller's.
 */
export function autogen(policy: PolicyObject, kind: "Job" | "StatefulSet" | "Deployment" | "CronJob"): PolicyObject {
  const template = kind === "CronJob" ? "spec.jobTemplate.spec.template" : "spec.template";
  const rewrite = (e: string) =>
    e.replace(/object\.spec/g, `object.${template}.spec`).replace(/object\.metadata(?!\.namespace(?![A-Za-z0-9_]))/g, `object.${template}.metadata`);
  return {
    metadata: policy.metadata,
    spec: {
      variables: policy.spec.variables.map((v) => ({ ...v, expression: rewrite(v.expression) })),
      validations: policy.spec.validations.map((v) => ({ ...v, expression: rewrite(v.expression) })),
    },
  };
}
