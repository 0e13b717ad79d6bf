/**
 * Waivers (policies/rules/waivers.ts): matching by URN and by logical name, expiry by the day given
 * (never the real date), unused waivers, the waiver rules, and the CrossGuard pack honouring them.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { evaluateWithWaivers, RULES } from "../../policies/rules";
import type { RuleResource, Waiver } from "../../policies/rules/types";
import { STACK_TYPE } from "../../policies/rules/waiver-rules";
import { addDays, applyWaivers, isCalendarDay, urnName, waiverFor, waiverMatches, type WaivableFinding } from "../../policies/rules/waivers";

const BUCKET = "urn:pulumi:prod::highmem-platform::highmem:storage:ReplicatedBucket$aws:s3/bucket:Bucket::data-buckets-us-west-2-data";
const OTHER = "urn:pulumi:prod::highmem-platform::aws:s3/bucket:Bucket::data-buckets-us-west-2-data";
const REASON = "the partner's legacy job deletes this bucket when its migration ends";
const waiver = (fields: Partial<Waiver> = {}): Waiver => ({
  rule: "s3-no-force-destroy",
  resource: "data-buckets-us-west-2-data",
  reason: REASON,
  expires: "2026-03-31",
  ...fields,
});
const finding = (urn: string | null, policy = "s3-no-force-destroy"): WaivableFinding => ({
  policy,
  enforcementLevel: "mandatory",
  urn,
  message: "forceDestroy is true",
});

describe("waiver matching", () => {
  it("takes the logical name as everything after the URN's third '::', and matches a name to every resource of that name", () => {
    expect(urnName(BUCKET)).toBe("data-buckets-us-west-2-data");
    expect(urnName("urn:pulumi:s::p::t::a::b")).toBe("a::b");
    expect(waiverMatches(waiver(), "s3-no-force-destroy", BUCKET)).toBe(true);
    expect(waiverMatches(waiver(), "s3-no-force-destroy", OTHER)).toBe(true);
    expect(waiverMatches(waiver(), "s3-versioning", BUCKET)).toBe(false);
    expect(waiverMatches(waiver({ resource: "data-buckets" }), "s3-no-force-destroy", BUCKET)).toBe(false);
  });

  it("matches a URN exactly, and never a stack-level finding or a waiver rule's", () => {
    expect(waiverMatches(waiver({ resource: BUCKET }), "s3-no-force-destroy", BUCKET)).toBe(true);
    expect(waiverMatches(waiver({ resource: BUCKET }), "s3-no-force-destroy", OTHER)).toBe(false);
    expect(waiverMatches(waiver(), "s3-no-force-destroy", null)).toBe(false);
    expect(waiverMatches(waiver({ rule: "policy-waiver-expired" }), "policy-waiver-expired", BUCKET)).toBe(false);
  });

  it("knows the days of the calendar and counts days across months and leap years", () => {
    expect(["2028-02-29", "2026-12-31"].every(isCalendarDay)).toBe(true);
    expect(["2026-02-29", "2026-13-01", "2026-1-01", "2026-01-01T00:00:00Z"].some(isCalendarDay)).toBe(false);
    expect(addDays("2026-03-01", 365)).toBe("2027-03-01");
    expect(addDays("2028-02-28", 1)).toBe("2028-02-29");
  });
});

describe("applyWaivers", () => {
  it("waives a covered finding through its expiry day, lists the waiver active, and keeps the rest", () => {
    const kept = finding(BUCKET, "s3-versioning");
    for (const today of ["2026-03-01", "2026-03-31"]) {
      const o = applyWaivers([finding(BUCKET), kept], [waiver()], today);
      expect(o.findings).toEqual([kept]);
      expect(o.waived).toEqual([{ finding: finding(BUCKET), waiver: waiver() }]);
      expect([o.active, o.expired, o.unused]).toEqual([[waiver()], [], []]);
    }
  });

  it("from the next day, waives nothing and adds a mandatory finding naming the waiver", () => {
    const o = applyWaivers([finding(BUCKET)], [waiver()], "2026-04-01");
    expect(o.waived).toEqual([]);
    expect(o.expired).toEqual([waiver()]);
    expect(o.findings).toEqual([
      finding(BUCKET),
      {
        policy: "policy-waiver-expired",
        enforcementLevel: "mandatory",
        urn: null,
        message: expect.stringMatching(/waiver of s3-no-force-destroy for data-buckets-us-west-2-data \(".*"\) expired on 2026-03-31 \(today is 2026-04-01\)/),
      },
    ]);
  });

  it("reports an active waiver that covers nothing as unused (advisory), and an active waiver wins over an expired one", () => {
    const o = applyWaivers([], [waiver()], "2026-03-01");
    expect(o.unused).toEqual([waiver()]);
    expect(o.findings).toEqual([
      { policy: "policy-waiver-unused", enforcementLevel: "advisory", urn: null, message: expect.stringMatching(/covers no finding/) },
    ]);
    const old = waiver({ resource: BUCKET, expires: "2026-01-31" });
    expect(waiverFor("s3-no-force-destroy", BUCKET, [old, waiver()], "2026-03-01")).toEqual({ waiver: waiver(), expired: false });
    expect(waiverFor("s3-no-force-destroy", BUCKET, [old], "2026-03-01")).toEqual({ waiver: old, expired: true });
    expect(waiverFor("s3-versioning", BUCKET, [old], "2026-03-01")).toBeUndefined();
  });
});

describe("the waiver rules", () => {
  const stack: RuleResource = {
    urn: "urn:pulumi:prod::highmem-platform::pulumi:pulumi:Stack::highmem-platform-prod",
    type: STACK_TYPE,
    name: "highmem-platform-prod",
    inputs: {},
    protect: false,
    deleteBeforeReplace: false,
  };
  const bucket: RuleResource = {
    urn: BUCKET,
    type: "aws:s3/bucket:Bucket",
    name: "data-buckets-us-west-2-data",
    inputs: { forceDestroy: true },
    protect: false,
    deleteBeforeReplace: false,
  };
  const rule = (id: string) => RULES.find((r) => r.id === id)!;

  it("are in the pack: expiry blocks (a mandatory rule on the stack resource), an unused waiver is advisory", () => {
    expect([rule("policy-waiver-expired").kind, rule("policy-waiver-expired").enforcementLevel]).toEqual(["resource", "mandatory"]);
    expect([rule("policy-waiver-unused").kind, rule("policy-waiver-unused").enforcementLevel]).toEqual(["stack", "advisory"]);
  });

  it("give, from the rules, the messages applyWaivers gives", () => {
    const expiredRule = rule("policy-waiver-expired");
    if (expiredRule.kind !== "resource") throw new Error("resource rule expected");
    const context = { waivers: [waiver()], today: "2026-04-01" };
    expect(expiredRule.check(stack, context)).toBe(applyWaivers([], [waiver()], "2026-04-01").findings[0]!.message);
    expect(expiredRule.check(stack, { ...context, today: "2026-03-31" })).toBeUndefined();
    const unusedRule = rule("policy-waiver-unused");
    if (unusedRule.kind !== "stack") throw new Error("stack rule expected");
    expect(unusedRule.check([stack, bucket], { ...context, today: "2026-03-01" })).toEqual([]);
    expect(unusedRule.check([stack, { ...bucket, inputs: {} }], { ...context, today: "2026-03-01" })).toEqual([
      { urn: null, message: applyWaivers([], [waiver()], "2026-03-01").findings[0]!.message },
    ]);
  });

  it("evaluateWithWaivers: the rules' findings with the stack's waivers applied on the day given", () => {
    const active = evaluateWithWaivers([bucket], { waivers: [waiver()] }, "2026-03-01");
    expect(active.findings.filter((f) => f.policy === "s3-no-force-destroy" || f.policy.startsWith("policy-waiver-"))).toEqual([]);
    expect(active.waived.map((w) => w.finding.policy)).toEqual(["s3-no-force-destroy"]);
    const expired = evaluateWithWaivers([bucket], { waivers: [waiver()] }, "2026-04-01");
    expect(expired.waived).toEqual([]);
    expect(expired.findings.map((f) => f.policy)).toEqual(expect.arrayContaining(["s3-no-force-destroy", "policy-waiver-expired"]));
  });
});

describe("the CrossGuard pack", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.doUnmock("@pulumi/policy");
    vi.resetModules();
  });

  type Validate = (args: object, report: (message: string, urn?: string) => void) => void;
  /** The pack's real policies, caught where it hands them to PolicyPack (which would start the policy server). */
  async function packPolicies(): Promise<{ name: string; validateResource?: Validate; validateStack?: Validate }[]> {
    let caught: { policies: { name: string; validateResource?: Validate; validateStack?: Validate }[] } | undefined;
    vi.doMock("@pulumi/policy", () => ({
      PolicyPack: class {
        constructor(_name: string, args: { policies: { name: string; validateResource?: Validate }[] }) {
          caught = args;
        }
      },
    }));
    await import("../../policies/index.js");
    return caught!.policies;
  }

  const args = (config: object) => ({
    urn: BUCKET,
    type: "aws:s3/bucket:Bucket",
    name: "data-buckets-us-west-2-data",
    props: { forceDestroy: true },
    opts: { protect: false },
    getConfig: () => config,
  });

  it("skips a finding an active waiver covers, and reports it, saying so, once the waiver has expired by the clock", async () => {
    const policies = await packPolicies();
    const forceDestroy = policies.find((p) => p.name === "s3-no-force-destroy")!;
    const expired = policies.find((p) => p.name === "policy-waiver-expired")!;
    const run = (policy: { validateResource?: Validate }, a: object) => {
      const reported: string[] = [];
      policy.validateResource!(a, (m: string) => reported.push(m));
      return reported;
    };
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-03-31T23:59:00Z"));
    expect(run(forceDestroy, args({ tier: "prod", waivers: [waiver()] }))).toEqual([]);
    expect(run(forceDestroy, args({ tier: "prod", waivers: [] }))).toEqual(["forceDestroy is true"]);
    const stackArgs = {
      ...args({ waivers: [waiver()] }),
      type: STACK_TYPE,
      urn: "urn:pulumi:prod::highmem-platform::pulumi:pulumi:Stack::highmem-platform-prod",
    };
    expect(run(expired, stackArgs)).toEqual([]);
    vi.setSystemTime(new Date("2026-04-01T00:00:00Z"));
    expect(run(forceDestroy, args({ tier: "prod", waivers: [waiver()] }))).toEqual(["forceDestroy is true (its waiver expired on 2026-03-31)"]);
    expect(run(expired, stackArgs)).toEqual([expect.stringMatching(/expired on 2026-03-31 \(today is 2026-04-01\)/)]);
  });
});
