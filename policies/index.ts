/**
 * The CrossGuard policy pack. It only adapts the rules in ./rules (plain modules that tests and the
 * offline preview use too) to CrossGuard; never import this file elsewhere: `new PolicyPack`
 * starts the policy server.
 */
import { PolicyPack, type ResourceValidationPolicy, type StackValidationPolicy } from "@pulumi/policy";
import { RULES } from "./rules";
import type { RuleResource } from "./rules/types";

function view(r: {
  urn: string;
  type: string;
  name: string;
  props: Record<string, unknown>;
  opts: { protect: boolean; deleteBeforeReplace?: boolean };
}): RuleResource {
  return { urn: r.urn, type: r.type, name: r.name, inputs: r.props, protect: r.opts.protect, deleteBeforeReplace: r.opts.deleteBeforeReplace === true };
}

const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = RULES.map((rule) =>
  rule.kind === "resource"
    ? {
        name: rule.id,
        description: `${rule.description} (${rule.anchor})`,
        enforcementLevel: rule.enforcementLevel,
        validateResource: (args, reportViolation) => {
          if (!rule.resourceTypes.includes(args.type)) return;
          const message = rule.check(view(args));
          if (message) reportViolation(message);
        },
      }
    : {
        name: rule.id,
        description: `${rule.description} (${rule.anchor})`,
        enforcementLevel: rule.enforcementLevel,
        validateStack: (args, reportViolation) => {
          for (const v of rule.check(args.resources.map(view))) reportViolation(v.message, v.urn ?? undefined);
        },
      },
);

new PolicyPack("highmem-platform", { policies });
