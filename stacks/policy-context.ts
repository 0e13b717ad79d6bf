/**
 * What the policy pack needs to know of a stack beyond its resources' inputs, derived from the
 * stack's validated config: one function, used by the offline preview (Plan.policyContext) and by
 * `npm run policy:config`, which writes it as CrossGuard policy config.
 */
import type { RuleContext } from "../policies/rules/types";
import type { EnvironmentConfig } from "./config/environment";

export function policyContextOf(env: EnvironmentConfig): RuleContext {
  return { tier: env.tier, waivers: env.policyWaivers };
}
