/**
 * Fixtures of the waiver rules. Their subject is the stack's config (its waivers), not a resource's
 * inputs, so the context carries the waivers and the day:
 * - policy-waiver-expired runs, under CrossGuard, on the stack resource (pulumi:pulumi:Stack), which
 *   the offline plan does not record: the break adds it (synthetic), with an expired waiver in context;
 * - policy-waiver-unused: the reference plan has no finding, so any waiver there covers nothing; the
 *   break adds a waiver to the stack's waivers (the array the context holds) rather than to a resource.
 */
import type { Waiver } from "../../policies/rules/types";
import { STACK_TYPE } from "../../policies/rules/waiver-rules";
import { synthetic, type Fixture } from "./fixture-support";

const TODAY = "2026-03-01";
const REASON = "replaced by the new bucket once the partner has moved its reads";
const expired: Waiver = { rule: "s3-access-logging", resource: "data-buckets-us-west-2-logs", reason: REASON, expires: "2026-02-28" };
const addedLater: Waiver[] = [];

export const WAIVER_FIXTURES: Fixture[] = [
  [
    "policy-waiver-expired",
    "prod",
    (rs) => {
      const stack = synthetic(STACK_TYPE, "highmem-platform-prod", {});
      rs.push({ ...stack, inputs: {} });
      return stack.urn;
    },
    { waivers: [expired], today: TODAY },
  ],
  [
    "policy-waiver-unused",
    "prod",
    () => {
      addedLater.splice(0, addedLater.length, { ...expired, expires: "2026-12-31" });
      return null;
    },
    { waivers: addedLater, today: TODAY },
  ],
];
