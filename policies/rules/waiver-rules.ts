/**
 * The rules about the stack's waivers themselves (policies/rules/waivers.ts). Under CrossGuard the
 * expiry rule runs on the stack resource (pulumi:pulumi:Stack), which the engine registers, and so
 * analyses, before any other resource (pulumi/pulumi@v3.259.0 pkg/resource/deploy/step_generator.go:
 * every registration goes to the analyzers before its step), so an expired waiver blocks the update
 * before anything changes. Whether a waiver covers any finding needs every resource: a stack rule,
 * which reports after the update. Offline, applyWaivers gives the same findings with the same messages.
 */
import type { Rule, RuleContext, RuleResource, RuleSource } from "./types";
import { applyWaivers, expiredMessage, isExpired, unusedMessage, WAIVER_EXPIRED_RULE, WAIVER_UNUSED_RULE, type WaivableFinding } from "./waivers";

/** The Pulumi SDKs' type of the root stack resource (@pulumi/pulumi runtime/stack.ts, rootPulumiStackTypeName). */
export const STACK_TYPE = "pulumi:pulumi:Stack";

// NIST SP 800-53 Rev. 5 CM-6 c: deviations from the configuration settings are identified,
// documented and approved (usnistgov/oscal-content nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json, cm-6).
const SOURCES: readonly RuleSource[] = [{ standard: "nist-800-53", control: "CM-6 c" }];

/** The waiver rules; `evaluateOthers` gives the findings of every other rule on the stack's resources. */
export function waiverRules(evaluateOthers: (resources: readonly RuleResource[], context: RuleContext) => readonly WaivableFinding[]): Rule[] {
  return [
    {
      kind: "resource",
      id: WAIVER_EXPIRED_RULE,
      enforcementLevel: "mandatory",
      family: "operations",
      sources: SOURCES,
      resourceTypes: [STACK_TYPE],
      description: "No waiver of the stack (policyWaivers) has passed its expiry date: an expired waiver waives nothing and fails the check.",
      check: (_stack, context) => {
        const today = context.today;
        if (today === undefined) return undefined;
        const expired = (context.waivers ?? []).filter((w) => isExpired(w, today));
        return expired.length > 0 ? expired.map((w) => expiredMessage(w, today)).join("; ") : undefined;
      },
    },
    {
      kind: "stack",
      id: WAIVER_UNUSED_RULE,
      enforcementLevel: "advisory",
      family: "operations",
      sources: SOURCES,
      description: "Every active waiver covers a finding; one that covers none is left over and is to be removed.",
      check: (resources, context) => {
        const today = context.today;
        const waivers = context.waivers ?? [];
        if (today === undefined || waivers.length === 0) return [];
        return applyWaivers(evaluateOthers(resources, context), waivers, today).unused.map((w) => ({ urn: null, message: unusedMessage(w) }));
      },
    },
  ];
}
