/**
 * Waivers: a rule accepted for one resource of one stack, with a reason, until a date (the stack's
 * policyWaivers config key). Pure functions of the findings, the waivers and the day, shared by the
 * offline preview, `npm run policy:check` and the CrossGuard pack (policies/index.ts), so that a
 * waiver means the same everywhere. A waiver is an approved, documented deviation from the
 * configuration baseline (NIST SP 800-53 Rev. 5 CM-6 c: "Identify, document, and approve any
 * deviations from established configuration settings"; usnistgov/oscal-content
 * nist.gov/SP800-53/rev5/json/NIST_SP-800-53_rev5_catalog.json, control cm-6).
 *
 * Matching: a waiver covers a finding when its `rule` is the finding's rule and its `resource` is
 * either the finding's full URN (exactly) or the logical name of the finding's resource: the part of
 * the URN after its third "::" (pulumi/pulumi@v3.259.0 sdk/go/common/resource/urn/urn.go,
 * URN.Name), which covers every resource of that name the rule flags. A finding of the whole stack
 * (no URN) is never waived.
 *
 * Expiry: a waiver holds through its `expires` day (UTC) and has expired from the next day on. An
 * expired waiver waives nothing and is itself a mandatory finding (policy-waiver-expired); an active
 * waiver that covers no finding is an advisory one (policy-waiver-unused), so stale waivers get
 * removed.
 */
import type { EnforcementLevel, Waiver } from "./types";

export const WAIVER_EXPIRED_RULE = "policy-waiver-expired";
export const WAIVER_UNUSED_RULE = "policy-waiver-unused";
/** The rules about waivers themselves: they cannot be waived. */
export const WAIVER_RULE_IDS: readonly string[] = [WAIVER_EXPIRED_RULE, WAIVER_UNUSED_RULE];

/** A finding as the rules' evaluation returns it (policies/rules/index.ts, Finding), or a plan's violation. */
export interface WaivableFinding {
  readonly policy: string;
  readonly enforcementLevel: string;
  readonly urn: string | null;
  readonly message: string;
}

/** The finding an expired or unused waiver gives. */
export interface WaiverFinding extends WaivableFinding {
  readonly enforcementLevel: EnforcementLevel;
  readonly urn: null;
}

export const URN_PREFIX = "urn:pulumi:";

/** The day of a date, UTC, as YYYY-MM-DD. */
export const dayOf = (date: Date): string => date.toISOString().slice(0, 10);

/** True for a YYYY-MM-DD text that names a day of the calendar (no 2027-02-30). */
export function isCalendarDay(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return dayOf(date) === text;
}

/** The day `days` after `day` (both YYYY-MM-DD). */
export function addDays(day: string, days: number): string {
  return dayOf(new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000));
}

/** The logical name of a resource from its URN: everything after the URN's third "::". */
export function urnName(urn: string): string {
  return urn.split("::").slice(3).join("::");
}

/** Whether the waiver covers a finding of `policy` on `urn` (see the matching rule above). */
export function waiverMatches(waiver: Waiver, policy: string, urn: string | null): boolean {
  if (urn === null || waiver.rule !== policy || WAIVER_RULE_IDS.includes(policy)) return false;
  return waiver.resource.startsWith(URN_PREFIX) ? waiver.resource === urn : waiver.resource === urnName(urn);
}

export const isExpired = (waiver: Waiver, today: string): boolean => waiver.expires < today;

const describe = (w: Waiver) => `waiver of ${w.rule} for ${w.resource} ("${w.reason}")`;

export const expiredMessage = (w: Waiver, today: string): string =>
  `${describe(w)} expired on ${w.expires} (today is ${today}) and no longer waives anything: fix the finding, or renew the waiver with a new date after review`;

export const unusedMessage = (w: Waiver): string =>
  `${describe(w)}, active until ${w.expires}, covers no finding: the resource is compliant, renamed or gone; remove the waiver`;

/**
 * For one finding: the waiver that covers it and whether that waiver has expired. An active waiver
 * wins over an expired one for the same finding. Undefined when no waiver names it.
 */
export function waiverFor(
  policy: string,
  urn: string | null,
  waivers: readonly Waiver[],
  today: string,
): { readonly waiver: Waiver; readonly expired: boolean } | undefined {
  const matching = waivers.filter((w) => waiverMatches(w, policy, urn));
  const active = matching.find((w) => !isExpired(w, today));
  if (active) return { waiver: active, expired: false };
  return matching.length > 0 ? { waiver: matching[0]!, expired: true } : undefined;
}

export interface WaiverOutcome<F extends WaivableFinding> {
  /** What still counts: the findings no active waiver covers, then one finding per expired or unused waiver. */
  readonly findings: (F | WaiverFinding)[];
  /** The findings an active waiver covers, each with its waiver. */
  readonly waived: { readonly finding: F; readonly waiver: Waiver }[];
  /** Waivers in force today (used or not). */
  readonly active: Waiver[];
  readonly expired: Waiver[];
  /** Active waivers that cover no finding. */
  readonly unused: Waiver[];
}

/**
 * Applies the stack's waivers to the findings of its rules on `today`: splits the findings into
 * those still counting and those waived, and adds a mandatory finding per expired waiver and an
 * advisory one per unused waiver (stack-level: urn null).
 */
export function applyWaivers<F extends WaivableFinding>(findings: readonly F[], waivers: readonly Waiver[], today: string): WaiverOutcome<F> {
  const active = waivers.filter((w) => !isExpired(w, today));
  const expired = waivers.filter((w) => isExpired(w, today));
  const used = new Set<Waiver>();
  const kept: (F | WaiverFinding)[] = [];
  const waived: { finding: F; waiver: Waiver }[] = [];
  for (const finding of findings) {
    const waiver = active.find((w) => waiverMatches(w, finding.policy, finding.urn));
    if (waiver) {
      used.add(waiver);
      waived.push({ finding, waiver });
    } else kept.push(finding);
  }
  const unused = active.filter((w) => !used.has(w));
  kept.push(
    ...expired.map((w) => ({ policy: WAIVER_EXPIRED_RULE, enforcementLevel: "mandatory" as const, urn: null, message: expiredMessage(w, today) })),
    ...unused.map((w) => ({ policy: WAIVER_UNUSED_RULE, enforcementLevel: "advisory" as const, urn: null, message: unusedMessage(w) })),
  );
  return { findings: kept, waived, active, expired, unused };
}
