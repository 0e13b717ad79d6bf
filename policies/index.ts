/**
 * The CrossGuard policy pack. It only adapts the rules in ./rules (plain modules that tests and the
 * offline preview use too) to CrossGuard; never import this file elsewhere: `new PolicyPack`
 * starts the policy server.
 */
import { PolicyPack, type PolicyConfigSchema, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { RULES } from "./rules";
import { CONTEXT_SCHEMA } from "./rules/context-schema";
import { sourceLabel, type Rule, type RuleContext, type RuleResource } from "./rules/types";
import { dayOf, waiverFor } from "./rules/waivers";

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
 * returns it, validated by the CLI against this schema (./rules/context-schema.ts).
 */
const SCHEMA: PolicyConfigSchema = CONTEXT_SCHEMA;

/** The policy's config, and today from the clock: waivers expire by the date of the run. */
const contextOf = (args: { getConfig<T extends object>(): T }): RuleContext => ({ ...args.getConfig<RuleContext>(), today: dayOf(new Date()) });

/**
 * A violation of `rule` on `urn`, unless an active waiver of the stack covers it (./rules/waivers.ts,
 * the same matching the offline preview applies); an expired waiver covers nothing, and says so.
 */
function report(rule: Rule, urn: string | undefined, message: string, context: RuleContext, reportViolation: (message: string, urn?: string) => void): void {
  const waiver = waiverFor(rule.id, urn ?? null, context.waivers ?? [], context.today ?? dayOf(new Date()));
  if (waiver && !waiver.expired) return;
  reportViolation(waiver ? `${message} (its waiver expired on ${waiver.waiver.expires})` : message, urn);
}

const describe = (rule: Rule) => `${rule.description} (${rule.sources.map(sourceLabel).join("; ")})`;

const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = RULES.map((rule) =>
  rule.kind === "resource"
    ? {
        name: rule.id,
        description: describe(rule),
        enforcementLevel: rule.enforcementLevel,
        configSchema: SCHEMA,
        validateResource: (args, reportViolation) => {
          if (!rule.resourceTypes.includes(args.type)) return;
          const context = contextOf(args);
          const message = rule.check(view(args), context);
          if (message) report(rule, args.urn, message, context, (m) => reportViolation(m));
        },
      }
    : {
        name: rule.id,
        description: describe(rule),
        enforcementLevel: rule.enforcementLevel,
        configSchema: SCHEMA,
        validateStack: (args, reportViolation) => {
          const context = contextOf(args);
          for (const v of rule.check(args.resources.map(view), context)) report(rule, v.urn ?? undefined, v.message, context, reportViolation);
        },
      },
);

new PolicyPack("highmem-platform", { policies });
