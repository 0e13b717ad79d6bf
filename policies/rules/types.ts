/**
 * What a rule sees of a resource, the same whether it comes from the offline plan or from
 * CrossGuard during `pulumi preview --policy-pack policies`. Rules are plain functions: tests and
 * the offline preview import them without starting the policy server.
 */
export interface RuleResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly inputs: Readonly<Record<string, unknown>>;
  readonly protect: boolean;
  readonly deleteBeforeReplace: boolean;
}

export type EnforcementLevel = "mandatory" | "advisory";

export interface RuleViolation {
  readonly urn: string | null;
  readonly message: string;
}

interface RuleBase {
  /** Stable id, used in reports and in enforcement-level overrides. */
  readonly id: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  /** The benchmark control the rule comes from (CIS EKS, AWS FSBP) or "platform" for our own. */
  readonly anchor: string;
}

/** A rule checked on each resource of the given types; returns what is wrong, or nothing. */
export interface ResourceRule extends RuleBase {
  readonly kind: "resource";
  readonly resourceTypes: readonly string[];
  readonly check: (resource: RuleResource) => string | undefined;
}

/** A rule over the whole stack: relations between resources. */
export interface StackRule extends RuleBase {
  readonly kind: "stack";
  readonly check: (resources: readonly RuleResource[]) => RuleViolation[];
}

export type Rule = ResourceRule | StackRule;

/** A value at a dotted path of an input object (arrays indexed by number). */
export function at(value: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), value);
}

export const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
export const asRecord = (v: unknown): Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/** IAM policy documents arrive as JSON strings or objects. */
export function policyStatements(doc: unknown): Record<string, unknown>[] {
  let parsed = doc;
  if (typeof doc === "string") {
    try {
      parsed = JSON.parse(doc);
    } catch {
      return [];
    }
  }
  const statements = asRecord(parsed)["Statement"];
  return (Array.isArray(statements) ? statements : statements ? [statements] : []).map(asRecord);
}

export const listOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

/** The stack is prod when its AWS resources carry the platform's tier tag. */
export function isProd(resources: readonly RuleResource[]): boolean {
  return resources.some((r) => asRecord(r.inputs["tags"])["tier"] === "prod");
}

/** Bytes of a Kubernetes quantity ("4Gi", "500M", "64Mi", "2"); undefined when it is not one. */
export function quantityBytes(v: unknown): number | undefined {
  if (typeof v === "number") return v;
  if (typeof v !== "string") return undefined;
  const m = /^([0-9.]+)(Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(v.trim());
  if (!m) return undefined;
  const factor: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Number(m[1]) * (m[2] ? factor[m[2]]! : 1);
}
