/**
 * The policyWaivers key of the config registry (see ../keys.ts for the conventions): rules of the
 * policy pack waived for named resources of this stack, each with a reason and an expiry date
 * (policies/rules/waivers.ts says how a waiver matches a finding and when it expires). Each entry is
 * checked here on its own, without the clock; resolve/policy.ts checks what spans entries, the
 * stack's own URNs and the horizon.
 */
import { z } from "zod";
import { RULES } from "../../../policies/rules";
import { isCalendarDay, URN_PREFIX, WAIVER_RULE_IDS } from "../../../policies/rules/waivers";
import { entryObject, list, nearest } from "../validators";
import type { ConfigKeySpec } from "../keys";

/** The ids a waiver may name: every rule but those about waivers themselves. */
export const WAIVABLE_RULE_IDS: readonly string[] = RULES.map((r) => r.id).filter((id) => !WAIVER_RULE_IDS.includes(id));
/** A reason says why the finding is accepted, not just "accepted" or a ticket number alone. */
export const WAIVER_REASON_MIN = 20;
export const WAIVER_REASON_MAX = 500;
/** At most this many days ahead of the day the config is loaded: see resolve/policy.ts. */
export const WAIVER_HORIZON_DAYS = 365;

function ruleProblem(id: string): string | undefined {
  if (WAIVABLE_RULE_IDS.includes(id)) return undefined;
  if (WAIVER_RULE_IDS.includes(id)) return `cannot be waived: ${id} is about waivers themselves`;
  const guess = nearest(id, WAIVABLE_RULE_IDS);
  return `must be the id of a rule of the policy pack (npm run policy:check -- --list)${guess ? `; did you mean "${guess}"?` : ""}`;
}

/** urn:pulumi:<stack>::<project>::<type>::<name>, each part non-empty (pulumi/pulumi sdk/go/common/resource/urn/urn.go). */
const URN = /^urn:pulumi:[^:]+::[^:]+::[^:]+(?::[^:]+)*::.+$/;

function resourceProblem(resource: string): string | undefined {
  if (resource.trim() !== resource || resource.length === 0) return "must be a resource's logical name or full URN, without surrounding spaces";
  if (resource.startsWith(URN_PREFIX) && !URN.test(resource)) return "must be a full URN, urn:pulumi:<stack>::<project>::<type>::<name>";
  return undefined;
}

const SHAPE = {
  rule: z.string({ error: "must be a string" }).refine((id) => ruleProblem(id) === undefined, { error: (issue) => ruleProblem(String(issue.input)) }),
  resource: z.string({ error: "must be a string" }).refine((r) => resourceProblem(r) === undefined, { error: (issue) => resourceProblem(String(issue.input)) }),
  reason: z
    .string({ error: "must be a string" })
    .refine((r) => r.trim().length >= WAIVER_REASON_MIN, { error: `must say why the finding is accepted, in at least ${WAIVER_REASON_MIN} characters` })
    .refine((r) => r.length <= WAIVER_REASON_MAX, { error: `must be at most ${WAIVER_REASON_MAX} characters` }),
  expires: z
    .string({ error: 'must be a date as a string, YYYY-MM-DD (quote it in YAML: "2027-01-31")' })
    .refine(isCalendarDay, { error: "must be a day of the calendar, YYYY-MM-DD (the last day the waiver holds, UTC)" }),
};

const entry = entryObject(SHAPE, "a waiver", "{rule: s3-access-logging, resource: data-buckets-us-west-2-logs, reason: ..., expires: 2027-01-31}");

export type PolicyWaiverEntry = z.output<typeof entry>;

export const POLICY_KEYS = {
  policyWaivers: {
    group: "policy",
    type: "array",
    items: "object",
    description: `Rules of the policy pack waived for one resource of this stack, one object each: rule (a rule id, npm run policy:check -- --list), resource (the resource's full URN, or its logical name for every resource of that name), reason (why the finding is accepted, at least ${WAIVER_REASON_MIN} characters), expires (the last day it holds, YYYY-MM-DD in UTC, at most ${WAIVER_HORIZON_DAYS} days ahead). An active waiver hides the finding and is listed in every report; an expired one fails the check (policy-waiver-expired); one that covers no finding is reported (policy-waiver-unused). Default: none.`,
    default: [],
    schema: list(entry, 50),
  },
} as const satisfies Record<string, ConfigKeySpec>;
