/**
 * What the policy pack needs to know of a stack beyond its resources' inputs, derived from the
 * stack's validated config: one function, used by the offline preview (Plan.policyContext) and by
 * `npm run policy:config`, which writes it as CrossGuard policy config.
 */
import { MONITORING_NAMESPACE } from "../components/internal";
import type { RuleContext } from "../policies/rules/types";
import type { EnvironmentConfig } from "./config/environment";

export function policyContextOf(env: EnvironmentConfig): RuleContext {
  return {
    tier: env.tier,
    waivers: env.policyWaivers,
    imageRegistries: env.cluster.imageRegistries,
    requireImageDigests: env.cluster.requireImageDigests,
    // The one namespace the platform runs privileged, for node-exporter (MONITORING_PRIVILEGED_REASON).
    privilegedNamespaces: [MONITORING_NAMESPACE],
  };
}
