/**
 * The policyWaivers key: every refusal names the key path, the value and what is allowed, before
 * any resource; the clock enters only through LoadOptions.today (never the real date here).
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadEnvironment } from "../../stacks/config/load";
import { WAIVER_HORIZON_DAYS, WAIVER_REASON_MIN } from "../../stacks/config/keys/policy";
import { policyContextOf } from "../../stacks/policy-context";
import { RULES } from "../../policies/rules";

const P = "highmem-platform";
const TODAY = "2026-03-01";
const REASON = "vendor bucket read by a partner's legacy job until its migration";
const raw = (waivers: unknown[]): Record<string, string> => ({
  "aws:region": "us-west-2",
  [`${P}:tier`]: "dev",
  [`${P}:clusterPrivateAccessCidrs`]: '["10.0.240.0/24"]',
  [`${P}:policyWaivers`]: JSON.stringify(waivers),
});
const waiver = (fields: Record<string, unknown> = {}) => ({
  rule: "s3-access-logging",
  resource: "data-buckets-us-west-2-logs",
  reason: REASON,
  expires: "2026-06-30",
  ...fields,
});

function problemsOf(waivers: unknown[], stack = "test") {
  try {
    loadEnvironment(raw(waivers), stack, { today: TODAY });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error("config was accepted");
}

describe("policyWaivers", () => {
  it("accepts waivers by name and by URN of this stack, and hands them to the policy pack's context", () => {
    const urn = `urn:pulumi:test::${P}::aws:s3/bucket:Bucket::data-buckets-us-west-2-logs`;
    const env = loadEnvironment(raw([waiver(), waiver({ rule: "s3-lifecycle", resource: urn, expires: "2027-03-01" })]), "test", { today: TODAY });
    expect(env.policyWaivers.map((w) => w.resource)).toEqual(["data-buckets-us-west-2-logs", urn]);
    expect(policyContextOf(env)).toMatchObject({ tier: "dev", waivers: env.policyWaivers });
    expect(loadEnvironment(raw([]), "test", { today: TODAY }).policyWaivers).toEqual([]);
  });

  it.each([
    [
      "an unknown rule, with the nearest id",
      { rule: "s3-acess-logging" },
      "rule",
      "s3-acess-logging",
      /rule of the policy pack.*did you mean "s3-access-logging"/,
    ],
    ["a rule about waivers themselves", { rule: "policy-waiver-expired" }, "rule", "policy-waiver-expired", /cannot be waived/],
    ["an empty resource", { resource: "" }, "resource", "", /logical name or full URN/],
    ["a resource with spaces around", { resource: " data " }, "resource", " data ", /without surrounding spaces/],
    ["a malformed URN", { resource: "urn:pulumi:test::bucket" }, "resource", "urn:pulumi:test::bucket", /full URN, urn:pulumi:<stack>/],
    ["a reason too short to say why", { reason: "accepted" }, "reason", "accepted", new RegExp(`at least ${WAIVER_REASON_MIN} characters`)],
    ["a day that does not exist", { expires: "2026-02-30" }, "expires", "2026-02-30", /day of the calendar, YYYY-MM-DD/],
    ["a date in another format", { expires: "30/06/2026" }, "expires", "30/06/2026", /day of the calendar/],
    ["a date that is not a string", { expires: 20260630 }, "expires", 20260630, /YYYY-MM-DD \(quote it in YAML/],
  ])("refuses %s, naming the field and the value", (_what, fields, field, value, message) => {
    expect(problemsOf([waiver(fields)])).toContainEqual({ key: `${P}:policyWaivers[0].${field}`, value, message: expect.stringMatching(message) });
  });

  it("refuses a missing field and an unknown one, naming the fields a waiver has", () => {
    const { reason: _, ...noReason } = waiver();
    expect(problemsOf([noReason])).toContainEqual(expect.objectContaining({ key: `${P}:policyWaivers[0].reason` }));
    expect(problemsOf([{ ...waiver(), owner: "me" }])).toContainEqual(
      expect.objectContaining({ key: `${P}:policyWaivers[0]`, message: expect.stringMatching(/unknown fields owner.*rule, resource, reason, expires/) }),
    );
  });

  it("refuses a URN of another stack or project, and two waivers of one rule for one resource", () => {
    const other = `urn:pulumi:prod::${P}::aws:s3/bucket:Bucket::logs`;
    expect(problemsOf([waiver({ resource: other })])).toContainEqual({
      key: `${P}:policyWaivers[0].resource`,
      value: other,
      message: expect.stringMatching(/URN of this stack \(urn:pulumi:test::highmem-platform::/),
    });
    expect(problemsOf([waiver(), waiver({ expires: "2026-04-01" })])).toEqual([
      { key: `${P}:policyWaivers[1].resource`, value: "data-buckets-us-west-2-logs", message: expect.stringMatching(/earlier entry already/) },
    ]);
  });

  it(`refuses an expiry more than ${WAIVER_HORIZON_DAYS} days after the injected day, and accepts the last day allowed and any day past`, () => {
    expect(problemsOf([waiver({ expires: "2027-03-02" })])).toEqual([
      {
        key: `${P}:policyWaivers[0].expires`,
        value: "2027-03-02",
        message: expect.stringMatching(/at most 365 days ahead \(2027-03-01 or earlier, today being 2026-03-01\)/),
      },
    ]);
    // A past date is valid config: expiry is the policy check's finding (policy-waiver-expired), not a config error.
    for (const expires of ["2027-03-01", "2020-01-01"])
      expect(loadEnvironment(raw([waiver({ expires })]), "test", { today: TODAY }).policyWaivers).toHaveLength(1);
  });

  it("takes any rule of the pack but the waiver rules, and at most 50 waivers", () => {
    const ids = RULES.map((r) => r.id).filter((id) => !id.startsWith("policy-waiver-"));
    for (let i = 0; i < ids.length; i += 50) {
      const chunk = ids.slice(i, i + 50);
      expect(loadEnvironment(raw(chunk.map((rule) => waiver({ rule }))), "test", { today: TODAY }).policyWaivers.map((w) => w.rule)).toEqual(chunk);
    }
    const many = Array.from({ length: 51 }, (_, i) => waiver({ resource: `bucket-${i}` }));
    expect(problemsOf(many)).toEqual([{ key: `${P}:policyWaivers`, value: many, message: "must have at most 50 entries" }]);
  });
});
