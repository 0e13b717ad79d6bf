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
  /** What the policy pack was told of the stack (stacks/policy-context.ts); {} when the config is invalid. */
  readonly policyContext: import("../../policies/rules/types").RuleContext;
  /** Monthly cost estimate (tools/cost); absent when the config is invalid. */
  readonly cost?: import("../cost/model").CostEstimate;
}

/** Marker key Pulumi's RPC layer uses for special values, and its secret signature. */
export const SIG_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
