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
  /**
   * URNs the resource waits for: the offline plan's `dependencies`, CrossGuard's
   * PolicyResource.dependencies in stack rules. Absent where the caller does not know them.
   */
  readonly dependencies?: readonly string[];
}

export type EnforcementLevel = "mandatory" | "advisory";

export interface RuleViolation {
  readonly urn: string | null;
  readonly message: string;
}

/** What a rule guards, for the README's table and the reports. */
export const CONTROL_FAMILIES = ["iam", "network", "data", "cluster", "nodes", "kubernetes", "charts", "operations"] as const;
export type ControlFamily = (typeof CONTROL_FAMILIES)[number];

/**
 * The published standards and upstream documents a rule may cite. `short` prefixes the control in
 * reports ("AWS FSBP EKS.1"); `url` is where a reader finds the standard.
 */
export const STANDARDS = {
  "cis-eks": { short: "CIS EKS", name: "CIS Amazon EKS Benchmark v1.7.0", url: "https://www.cisecurity.org/benchmark/kubernetes" },
  "cis-aws": { short: "CIS AWS", name: "CIS AWS Foundations Benchmark v3.0.0", url: "https://www.cisecurity.org/benchmark/amazon_web_services" },
  "aws-fsbp": {
    short: "AWS FSBP",
    name: "AWS Foundational Security Best Practices (Security Hub)",
    url: "https://docs.aws.amazon.com/securityhub/latest/userguide/fsbp-standard.html",
  },
  pss: { short: "PSS", name: "Kubernetes Pod Security Standards", url: "https://kubernetes.io/docs/concepts/security/pod-security-standards/" },
  "nsa-cisa": {
    short: "NSA/CISA",
    name: "NSA/CISA Kubernetes Hardening Guide v1.2",
    url: "https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
  },
  checkov: { short: "Checkov", name: "Checkov (Bridgecrew) policy index", url: "https://www.checkov.io/5.Policy%20Index/all.html" },
  kics: { short: "KICS", name: "KICS (Checkmarx) queries", url: "https://docs.kics.io/latest/queries/all-queries/" },
  "eks-best-practices": { short: "EKS BP", name: "Amazon EKS Best Practices Guide", url: "https://docs.aws.amazon.com/eks/latest/best-practices/" },
  "aws-docs": { short: "AWS docs", name: "AWS service user guides", url: "https://docs.aws.amazon.com/" },
  "kubernetes-docs": { short: "Kubernetes docs", name: "Kubernetes documentation", url: "https://kubernetes.io/docs/" },
  "karpenter-docs": { short: "Karpenter docs", name: "Karpenter documentation (v1.8)", url: "https://karpenter.sh/v1.8/" },
  "pulumi-docs": { short: "Pulumi docs", name: "Pulumi documentation (resource options)", url: "https://www.pulumi.com/docs/iac/concepts/options/" },
  "prometheus-docs": { short: "Prometheus docs", name: "Prometheus documentation", url: "https://prometheus.io/docs/" },
  "nist-800-53": {
    short: "NIST SP 800-53",
    name: "NIST SP 800-53 Rev. 5, Security and Privacy Controls",
    url: "https://csrc.nist.gov/pubs/sp/800/53/r5/upd1/final",
  },
} as const;
export type Standard = keyof typeof STANDARDS;

/** One control of a standard, or one section of an upstream guide, that a rule implements. */
export interface RuleSource {
  readonly standard: Standard;
  /** The control's id ("EKS.1", "5.4.2", "CKV_AWS_39") or the guide's section title. */
  readonly control: string;
}

export const sourceLabel = (s: RuleSource): string => `${STANDARDS[s.standard].short} ${s.control}`;

/**
 * What a rule may know of the stack beyond one resource's inputs: its tier and the image settings of
 * its config. The offline preview takes it from the stack config (Plan.policy); under CrossGuard the
 * pack reads it from the policy config `npm run policy:config` writes for the stack.
 */
export interface RuleContext {
  /** dev, staging or prod; undefined when unknown (rules then fall back to the resources' tier tags). */
  readonly tier?: string;
  /**
   * Registries (hosts or host/path prefixes of normalised image names) pods may pull from; undefined:
   * the platform's own (components/versions.ts PLATFORM_IMAGE_REGISTRIES). Config key imageRegistries.
   */
  readonly imageRegistries?: readonly string[];
  /** Every image must be pinned by a sha256 digest (config key requireImageDigests); undefined: false. */
  readonly requireImageDigests?: boolean;
  /**
   * Namespaces the stack runs privileged on purpose (each labelled with its reason): only their pods
   * may use host namespaces, host paths and host ports. Undefined: none.
   */
  readonly privilegedNamespaces?: readonly string[];
  /** The stack's waivers (its policyWaivers config key); absent or empty when it has none. */
  readonly waivers?: readonly Waiver[];
  /**
   * The day the check runs (UTC, YYYY-MM-DD), against which waivers expire. Never from config: the
   * evaluator sets it (CrossGuard: the clock; the offline preview and policy:check: the clock unless
   * a test or `--today` gives one).
   */
  readonly today?: string;
}

/**
 * A rule waived for one resource of one stack, for a reason, until a date (policies/rules/waivers.ts
 * says how it matches a finding and when it expires).
 */
export interface Waiver {
  /** The id of the rule waived. */
  readonly rule: string;
  /** The resource: its full URN, or its logical name (every resource of that name). */
  readonly resource: string;
  /** Why the finding is accepted, for the reviewer and the reports. */
  readonly reason: string;
  /** The last day the waiver holds (YYYY-MM-DD, UTC); from the next day it fails the check. */
  readonly expires: string;
}

interface RuleBase {
  /** Stable id, used in reports, waivers and enforcement-level overrides. */
  readonly id: string;
  readonly description: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly family: ControlFamily;
  /** The controls the rule implements; at least one, each from a published standard or upstream guide. */
  readonly sources: readonly RuleSource[];
}

/** A rule checked on each resource of the given types; returns what is wrong, or nothing. */
export interface ResourceRule extends RuleBase {
  readonly kind: "resource";
  readonly resourceTypes: readonly string[];
  readonly check: (resource: RuleResource, context: RuleContext) => string | undefined;
}

/**
 * A rule over the whole stack: relations between resources. Under CrossGuard a stack rule runs on
 * the stack's final state, after the update (pulumi/pulumi pkg/resource/deploy/step_generator.go,
 * AnalyzeResources: "AnalyzeStack is called on the final outputs of each resource"), so it reports
 * but cannot block; whatever one resource's inputs decide is a resource rule.
 */
export interface StackRule extends RuleBase {
  readonly kind: "stack";
  readonly check: (resources: readonly RuleResource[], context: RuleContext) => RuleViolation[];
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

/** The stack is prod when its context says so, or else when its AWS resources carry the platform's tier tag. */
export function isProd(resources: readonly RuleResource[], context: RuleContext = {}): boolean {
  if (context.tier !== undefined) return context.tier === "prod";
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
