/**
 * The CrossGuard policy pack. It only adapts the rules in ./rules (plain modules that tests and the
 * offline preview use too) to CrossGuard; never import this file elsewhere: `new PolicyPack`
 * starts the policy server.
 */
import { PolicyPack, type PolicyConfigSchema, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { RULES } from "./rules";
import { sourceLabel, type Rule, type RuleContext, type RuleResource } from "./rules/types";

function view(r: {
  urn: string;
  type: string;
  name: string;
  props: Record<string, unknown>;
  opts: { protect: boolean; deleteBeforeReplace?: boolean };
  dependencies?: readonly { urn: string }[];
}): RuleResource {
  return {
    urn: r.urn,
    type: r.type,
    name: r.name,
    inputs: r.props,
    protect: r.opts.protect,
    deleteBeforeReplace: r.opts.deleteBeforeReplace === true,
    ...(r.dependencies ? { dependencies: r.dependencies.map((d) => d.urn) } : {}),
  };
}

/**
 * Every policy takes the stack's rule context as its config (`pulumi preview --policy-pack policies
 * --policy-pack-config <file>`, written by `npm run policy:config`); @pulumi/policy's getConfig
 * returns it, validated against this schema.
 */
const CONTEXT_SCHEMA: PolicyConfigSchema = {
  properties: {
    tier: { type: "string", enum: ["dev", "staging", "prod"] },
    imageRegistries: { type: "array", items: { type: "string" } },
    requireImageDigests: { type: "boolean" },
    privilegedNamespaces: { type: "array", items: { type: "string" } },
  },
};

const describe = (rule: Rule) => `${rule.description} (${rule.sources.map(sourceLabel).join("; ")})`;

const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = RULES.map((rule) =>
  rule.kind === "resource"
    ? {
        name: rule.id,
        description: describe(rule),
        enforcementLevel: rule.enforcementLevel,
        configSchema: CONTEXT_SCHEMA,
        validateResource: (args, reportViolation) => {
          if (!rule.resourceTypes.includes(args.type)) return;
          const message = rule.check(view(args), args.getConfig<RuleContext>());
          if (message) reportViolation(message);
        },
      }
    : {
        name: rule.id,
        description: describe(rule),
        enforcementLevel: rule.enforcementLevel,
        configSchema: CONTEXT_SCHEMA,
        validateStack: (args, reportViolation) => {
          for (const v of rule.check(args.resources.map(view), args.getConfig<RuleContext>())) reportViolation(v.message, v.urn ?? undefined);
        },
      },
);

new PolicyPack("highmem-platform", { policies });
