/**
 * What `npm run policy:check` prints, as pure functions of the rules and the findings per plan: the
 * rule list, text, JSON, and SARIF 2.1.0 for GitHub code scanning. Types of the SARIF log come from
 * @types/sarif (the OASIS SARIF 2.1.0 object model); the tests validate the output against the
 * standard's JSON schema.
 */
import type * as sarif from "sarif";
import type { Finding } from "../../policies/rules";
import { sourceLabel, type Rule, type Waiver } from "../../policies/rules/types";

/** The findings of one plan, and where its stack is declared (SARIF locations point there). */
export interface PlanFindings {
  readonly stack: string;
  /** Repository-relative path of the stack file, such as stacks/Pulumi.prod.yaml. */
  readonly stackFile: string;
  readonly resources: number;
  /** What still counts: unwaived findings, and one per expired or unused waiver. */
  readonly findings: readonly Finding[];
  /** The stack's waivers as of `today` (policies/rules/waivers.ts); absent when it has none. */
  readonly waivers?: PlanWaiverReport;
}

export interface PlanWaiverReport {
  readonly today: string;
  readonly active: readonly Waiver[];
  readonly expired: readonly Waiver[];
  readonly unused: readonly Waiver[];
  readonly waived: readonly { readonly finding: Finding; readonly waiver: Waiver }[];
}

/** Lines listing a stack's waivers: each active one with the findings it waives, then the expired ones. */
function waiverLines(w: PlanWaiverReport | undefined): string[] {
  if (!w || w.active.length + w.expired.length === 0) return [];
  const lines = [`Waivers as of ${w.today}: ${w.active.length} active, ${w.waived.length} findings waived, ${w.expired.length} expired`];
  for (const waiver of w.active) {
    lines.push(`  ~ ${waiver.rule} for ${waiver.resource}, until ${waiver.expires}: ${waiver.reason}`);
    const covered = w.waived.filter((x) => x.waiver === waiver);
    for (const { finding } of covered) lines.push(`      waives ${finding.urn ?? "stack"}: ${finding.message}`);
    if (covered.length === 0) lines.push("      waives nothing (unused)");
  }
  for (const waiver of w.expired) lines.push(`  ✗ ${waiver.rule} for ${waiver.resource}, expired ${waiver.expires}: ${waiver.reason}`);
  return lines;
}

export const REPORT_FORMATS = ["text", "json", "sarif"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Where the policy pack lives, for SARIF's tool.driver.informationUri and rule help. */
const PACK_URI = "https://github.com/highmem-platform/highmem-platform/tree/main/policies";

export function renderRuleList(rules: readonly Rule[]): string {
  const width = Math.max(...rules.map((r) => r.id.length));
  return rules.map((r) => `${r.id.padEnd(width)}  ${r.enforcementLevel.padEnd(9)}  ${r.kind.padEnd(8)}  ${r.description}`).join("\n");
}

export function renderText(rules: readonly Rule[], plans: readonly PlanFindings[]): string {
  const lines: string[] = [];
  for (const p of plans) {
    lines.push(`Policy pack: ${rules.length} rules on ${p.resources} resources of stack "${p.stack}"`);
    const byRule = new Map<string, Finding[]>();
    for (const f of p.findings) byRule.set(f.policy, [...(byRule.get(f.policy) ?? []), f]);
    for (const [policy, list] of byRule) {
      lines.push("", `${list[0]!.enforcementLevel === "mandatory" ? "✗" : "!"} ${policy} (${list[0]!.enforcementLevel}): ${list.length}`);
      for (const f of list) lines.push(`    ${f.urn ?? "stack"}: ${f.message}`);
    }
    const mandatory = p.findings.filter((f) => f.enforcementLevel === "mandatory").length;
    const waiverText = waiverLines(p.waivers);
    if (waiverText.length > 0) lines.push("", ...waiverText);
    lines.push("", `${mandatory} mandatory, ${p.findings.length - mandatory} advisory violations`, "");
  }
  return lines.join("\n");
}

export function renderJson(rules: readonly Rule[], plans: readonly PlanFindings[]): string {
  return JSON.stringify(
    {
      rules: rules.map((r) => ({ id: r.id, enforcementLevel: r.enforcementLevel, kind: r.kind, description: r.description })),
      stacks: plans.map((p) => ({
        stack: p.stack,
        stackFile: p.stackFile,
        resources: p.resources,
        mandatory: p.findings.filter((f) => f.enforcementLevel === "mandatory").length,
        findings: p.findings,
        waivers: p.waivers
          ? {
              today: p.waivers.today,
              active: p.waivers.active,
              expired: p.waivers.expired,
              unused: p.waivers.unused,
              waived: p.waivers.waived.map(({ finding, waiver }) => ({ ...finding, waiver })),
            }
          : { active: [], expired: [], unused: [], waived: [] },
      })),
    },
    null,
    2,
  );
}

/**
 * SARIF 2.1.0: one run, the pack's rules as reportingDescriptors (mandatory: "error", advisory:
 * "warning"), one result per finding, located at the stack file (GitHub code scanning needs a
 * physical location in the repository) and named by the resource's URN as a logical location.
 * Waived findings are results too, suppressed by their waiver. GitHub code scanning does not read
 * `suppressions` (the properties it uses: github/docs content/code-security/reference/code-scanning/
 * sarif-support-for-code-scanning.md; github/codeql-action#1230), so there a waived result shows
 * as an alert unless a step such as advanced-security/dismiss-alerts dismisses it; other SARIF
 * consumers hide suppressed results (SARIF 2.1.0 §3.35.1, note 2).
 */
export function renderSarif(rules: readonly Rule[], plans: readonly PlanFindings[], version: string): sarif.Log {
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const level = (l: string): sarif.Result.level => (l === "mandatory" ? "error" : "warning");
  const result = (p: PlanFindings, f: Finding, suppressions: sarif.Suppression[]): sarif.Result => ({
    ruleId: f.policy,
    ...(index.has(f.policy) ? { ruleIndex: index.get(f.policy)! } : {}),
    level: level(f.enforcementLevel),
    message: { text: `${p.stack}: ${f.message}` },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: p.stackFile }, region: { startLine: 1 } },
        logicalLocations: [{ fullyQualifiedName: f.urn ?? `stack:${p.stack}`, kind: f.urn ? "resource" : "module" }],
      },
    ],
    // Code scanning matches a result across runs by these: the rule, the stack and the resource.
    partialFingerprints: { "policyFinding/v1": `${f.policy}|${p.stack}|${f.urn ?? "stack"}` },
    // SARIF 2.1.0 §3.27.23: within a run, every result's suppressions is an array (empty: not
    // suppressed) or none is; a waived finding carries its waiver as an accepted external
    // suppression (§3.35: kind "external", status "accepted", justification).
    suppressions,
  });
  const results: sarif.Result[] = plans.flatMap((p) => [
    ...p.findings.map((f) => result(p, f, [])),
    ...(p.waivers?.waived ?? []).map(({ finding, waiver }) =>
      result(p, finding, [
        {
          kind: "external",
          status: "accepted",
          justification: waiver.reason,
          properties: { rule: waiver.rule, resource: waiver.resource, expires: waiver.expires, stack: p.stack },
        },
      ]),
    ),
  ]);
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: "highmem-platform policy pack",
            version,
            informationUri: PACK_URI,
            rules: rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.description },
              fullDescription: { text: `${r.description} (${r.kind} rule; sources: ${r.sources.map(sourceLabel).join(", ")})` },
              defaultConfiguration: { level: level(r.enforcementLevel) },
              helpUri: `${PACK_URI}/rules`,
              properties: { enforcementLevel: r.enforcementLevel, kind: r.kind, tags: ["security", "pulumi", r.family] },
            })),
          },
        },
        results,
        // Every active waiver of every stack, waiving something or not (those waiving nothing are
        // also policy-waiver-unused results).
        properties: {
          activeWaivers: plans.flatMap((p) => (p.waivers?.active ?? []).map((w) => ({ stack: p.stack, ...w }))),
        },
      },
    ],
  };
}
