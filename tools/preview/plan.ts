/** The machine-readable plan the offline preview writes (see ARCHITECTURE.md, "the offline preview"). */

export interface PlanResource {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  /** URN of the parent; null for children of the stack. */
  readonly parent: string | null;
  /** URN of the explicit provider; null when the default provider of the package is used. */
  readonly provider: string | null;
  /** Resolved inputs as the engine would receive them; secrets as {"@secret": "<digest>"}. */
  readonly inputs: Record<string, unknown>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deleteBeforeReplace: boolean;
  /** Aliases as URNs, or alias specs ({name, type, parent, ...}) where only parts change. */
  readonly aliases: unknown[];
  readonly dependsOn: string[];
  /**
   * Every URN the engine waits for before creating the resource: explicit dependsOn (a parent
   * component's included), the resources behind every Output among its inputs, and its provider.
   */
  readonly dependencies: string[];
  /** False for component resources. */
  readonly custom: boolean;
}

export interface PlanViolation {
  readonly policy: string;
  readonly enforcementLevel: "advisory" | "mandatory" | "remediate" | "disabled";
  readonly urn: string | null;
  readonly message: string;
}

export interface PlanWaivers {
  /** The day waivers were judged against (YYYY-MM-DD, UTC). */
  readonly today: string;
  readonly active: Waiver[];
  readonly expired: Waiver[];
  /** Active waivers that cover no violation. */
  readonly unused: Waiver[];
  readonly waived: (PlanViolation & { readonly waiver: Waiver })[];
}

type Waiver = import("../../policies/rules/types").Waiver;

export interface PlanSchemaError {
  readonly urn: string;
  readonly message: string;
}

export interface Plan {
  readonly stack: string;
  readonly project: string;
  readonly resources: PlanResource[];
  readonly violations: PlanViolation[];
  readonly schemaErrors: PlanSchemaError[];
  /** Config problems; when present, no resource was declared. */
  readonly configErrors: { readonly key: string; readonly value?: unknown; readonly message: string }[];
  /** Stack outputs, secrets masked. */
  readonly outputs: Record<string, unknown>;
  /** Secret config keys whose values could not be decrypted offline, so were not format-checked. */
  readonly uncheckedSecrets: string[];
  /** What the first-deploy simulation found; empty when the first `pulumi up` would converge. */
  readonly deployFindings: import("./first-deploy/findings").DeployFinding[];
  /**
   * The stack's waivers on the day of the preview: the violations they hide (each with its waiver),
   * and the waivers by state. Expired and unused waivers are also in `violations`
   * (policy-waiver-expired, policy-waiver-unused). Absent when the config is invalid.
   */
  readonly waivers?: PlanWaivers;
  /** What the policy pack was told of the stack (stacks/policy-context.ts); {} when the config is invalid. */
  readonly policyContext: import("../../policies/rules/types").RuleContext;
  /** Monthly cost estimate (tools/cost); absent when the config is invalid. */
  readonly cost?: import("../cost/model").CostEstimate;
}

/** Marker key Pulumi's RPC layer uses for special values, and its secret signature. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
