/**
 * The config every policy of the pack takes under CrossGuard: the stack's rule context (RuleContext
 * but `today`, which the pack takes from the clock), written by `npm run policy:config` from the
 * stack's config and passed with `pulumi preview|up --policy-pack policies --policy-pack-config FILE`.
 *
 * The Pulumi CLI reads that file as one object per policy name, `enforcementLevel` optional and every
 * other property checked against the policy's configSchema, which it wraps as {type: object,
 * properties, required} (pulumi/pulumi@v3.259.0 pkg/resource/analyzer/config.go: parsePolicyPackConfig,
 * extractEnforcementLevel, validatePolicyConfig, convertSchema); "all" and "environments" are
 * reserved keys there. @pulumi/policy@1.21.0 hands a policy its properties, enforcementLevel
 * removed, through getConfig (server.ts, makeGetConfigFun).
 *
 * Plain data (no @pulumi/policy import), so that tools and tests use it without the policy SDK.
 */
import type { RuleContext } from "./types";
/** The part of JSON Schema these schemas use (a subset of @pulumi/policy's PolicyConfigJSONSchema). */
export interface JsonSchema {
  type?: "string" | "number" | "integer" | "boolean" | "object" | "array" | "null";
  enum?: string[];
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
}

/** The JSON schema of one waiver: the shape the config key (stacks/config/keys/policy.ts) checks more closely. */
export const WAIVER_SCHEMA: JsonSchema = {
  type: "object",
  properties: {
    rule: { type: "string", minLength: 1 },
    resource: { type: "string", minLength: 1 },
    reason: { type: "string", minLength: 20, maxLength: 500 },
    expires: { type: "string", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" },
  },
  required: ["rule", "resource", "reason", "expires"],
  additionalProperties: false,
};

/** Every policy's configSchema (PolicyConfigSchema of @pulumi/policy). */
export const CONTEXT_SCHEMA: { properties: Record<string, JsonSchema> } = {
  properties: {
    tier: { type: "string", enum: ["dev", "staging", "prod"] },
    waivers: { type: "array", items: WAIVER_SCHEMA },
    imageRegistries: { type: "array", items: { type: "string", minLength: 1 } },
    requireImageDigests: { type: "boolean" },
    privilegedNamespaces: { type: "array", items: { type: "string", minLength: 1 } },
  },
};

/** The stack's rule context as policy config: everything but `today`, which the pack takes from the clock. */
export type PolicyConfig = Omit<RuleContext, "today">;

/** What `--policy-pack-config` holds: each policy's config, keyed by policy (rule) name. */
export type PolicyPackConfig = Record<string, PolicyConfig>;

/** The policy config file for a stack: every rule given the stack's whole context; no enforcementLevel, so the pack's own stand. */
export function policyPackConfig(ruleIds: readonly string[], context: RuleContext): PolicyPackConfig {
  const { today: _today, ...config } = context;
  const known = Object.keys(CONTEXT_SCHEMA.properties);
  const unknown = Object.keys(config).filter((k) => !known.includes(k));
  // Every context field must be declared in the schema, or the CLI would pass it unchecked.
  if (unknown.length > 0) throw new Error(`policy config: context fields ${unknown.join(", ")} have no schema in CONTEXT_SCHEMA`);
  return Object.fromEntries(ruleIds.map((id) => [id, { ...config, waivers: [...(config.waivers ?? [])] }]));
}
