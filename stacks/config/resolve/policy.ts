/**
 * Resolves the policyWaivers key: no two waivers of one rule for one resource, a URN names this
 * stack and project, and no waiver runs more than WAIVER_HORIZON_DAYS past `today`.
 *
 * The horizon is the one config rule that reads the clock (`today`, injected: LoadOptions.today).
 * It cannot turn a valid config invalid as days pass, since an expiry only comes nearer; so a stack
 * that loads today loads tomorrow. Expiry itself is not a config error but a policy finding
 * (policy-waiver-expired), so that an expired waiver fails the policy check and never stops the
 * program from loading (a destroy or a refresh still runs). A year bounds a waiver so that every
 * accepted deviation is decided again at least yearly instead of becoming permanent unnoticed.
 */
import type { Waiver } from "../../../policies/rules/types";
import { addDays, URN_PREFIX } from "../../../policies/rules/waivers";
import type { Problem, Values } from "../errors";
import { PROJECT } from "../keys";
import { WAIVER_HORIZON_DAYS } from "../keys/policy";

export function resolvePolicy(v: Values, stack: string, today: string, problem: Problem): Waiver[] {
  const seen = new Set<string>();
  const latest = addDays(today, WAIVER_HORIZON_DAYS);
  v.policyWaivers.forEach((w, i) => {
    const key = `policyWaivers[${i}]` as const;
    const id = `${w.rule} ${w.resource}`;
    if (seen.has(id)) problem(`${key}.resource`, w.resource, `is waived for ${w.rule} by an earlier entry already; keep one waiver per rule and resource`);
    seen.add(id);
    if (w.resource.startsWith(URN_PREFIX)) {
      const [stackPart, project] = w.resource.slice(URN_PREFIX.length).split("::");
      if (stackPart !== stack || project !== PROJECT)
        problem(`${key}.resource`, w.resource, `must be a URN of this stack (urn:pulumi:${stack}::${PROJECT}::...), or a logical name`);
    }
    if (w.expires > latest)
      problem(
        `${key}.expires`,
        w.expires,
        `must be at most ${WAIVER_HORIZON_DAYS} days ahead (${latest} or earlier, today being ${today}): a waiver is reviewed and renewed at least yearly`,
      );
  });
  return v.policyWaivers.map((w) => ({ rule: w.rule, resource: w.resource, reason: w.reason, expires: w.expires }));
}
