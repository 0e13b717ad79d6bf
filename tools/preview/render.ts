/** Renders a plan for people: a resource tree like `pulumi preview` prints, and a Markdown report. */
import type { Plan, PlanResource } from "./plan";

const STACK_TYPE = "pulumi:pulumi:Stack";

function countsByType(plan: Plan): [string, number][] {
  const counts = new Map<string, number>();
  for (const r of plan.resources) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function children(plan: Plan): Map<string | null, PlanResource[]> {
  const map = new Map<string | null, PlanResource[]>();
  for (const r of plan.resources) map.set(r.parent, [...(map.get(r.parent) ?? []), r]);
  return map;
}

function formatValue(v: unknown): string {
  if (v && typeof v === "object" && "@secret" in v) return "[secret]";
  const text = JSON.stringify(v);
  return text.length > 100 ? `${text.slice(0, 97)}...` : text;
}

export function renderTree(plan: Plan): string {
  const rows: [string, string, string][] = [[`+   ${STACK_TYPE}`, `${plan.project}-${plan.stack}`, "create"]];
  const tree = children(plan);
  const walk = (parent: string | null, indent: string) => {
    const kids = tree.get(parent) ?? [];
    kids.forEach((r, i) => {
      const last = i === kids.length - 1;
      rows.push([`+   ${indent}${last ? "└─ " : "├─ "}${r.type}`, r.name, r.protect ? "create [protected]" : "create"]);
      walk(r.urn, indent + (last ? "   " : "│  "));
    });
  };
  walk(null, "");
  const width = (i: 0 | 1) => Math.max(...rows.map((r) => r[i].length));
  const header = `    ${"Type".padEnd(width(0) - 4)}  ${"Name".padEnd(width(1))}  Plan`;
  return [header, ...rows.map((r) => `${r[0].padEnd(width(0))}  ${r[1].padEnd(width(1))}  ${r[2]}`)].join("\n");
}

export function renderSummary(plan: Plan, validatedObjects: number): string {
  const lines: string[] = [];
  if (plan.configErrors.length > 0) {
    lines.push(`Invalid configuration for stack "${plan.stack}"; no resources were declared:`);
    for (const p of plan.configErrors) lines.push(`  - ${p.key}${"value" in p ? ` = ${JSON.stringify(p.value)}` : ""}: ${p.message}`);
    return lines.join("\n");
  }
  lines.push("Outputs:");
  const keys = Object.keys(plan.outputs);
  const pad = Math.max(0, ...keys.map((k) => k.length));
  for (const k of keys) lines.push(`    ${k.padEnd(pad)}: ${formatValue(plan.outputs[k])}`);
  lines.push("", "Resources:", `    + ${plan.resources.length + 1} to create (${plan.resources.filter((r) => r.protect).length} protected)`, "", "By type:");
  for (const [type, n] of countsByType(plan)) lines.push(`    ${String(n).padStart(3)}  ${type}`);
  lines.push("", "Checks:");
  lines.push(`    Kubernetes schemas: ${validatedObjects} objects valid, ${plan.schemaErrors.length} errors`);
  if (plan.uncheckedSecrets.length > 0)
    lines.push(`    Config: ${plan.uncheckedSecrets.length} secret values not format-checked offline (no passphrase): ${plan.uncheckedSecrets.join(", ")}`);
  for (const e of plan.schemaErrors) lines.push(`      ✗ ${e.urn}: ${e.message}`);
  lines.push(
    `    First deploy (simulated): ${plan.deployFindings.length === 0 ? "every resource finds what it needs already created" : `${plan.deployFindings.length} findings`}`,
  );
  for (const f of plan.deployFindings) lines.push(`      ✗ [${f.check}] ${f.urn}: ${f.message}`);
  const mandatory = plan.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  lines.push(`    Policies: ${mandatory} mandatory, ${plan.violations.length - mandatory} advisory violations${waiverCounts(plan)}`);
  if (plan.cost) lines.push("", ...renderCost(plan.cost));
  for (const v of plan.violations) lines.push(`      ${v.enforcementLevel === "mandatory" ? "✗" : "!"} [${v.policy}] ${v.urn ?? "stack"}: ${v.message}`);
  lines.push(...renderWaivers(plan).map((l) => `    ${l}`));
  return lines.join("\n");
}

export function renderMarkdown(plan: Plan, validatedObjects: number): string {
  const out = [`## Offline preview: \`${plan.stack}\``, ""];
  if (plan.configErrors.length > 0) {
    out.push("**Invalid configuration; no resources were declared.**", "");
    for (const p of plan.configErrors) out.push(`- \`${p.key}\`${"value" in p ? ` = \`${JSON.stringify(p.value)}\`` : ""}: ${p.message}`);
    return out.join("\n") + "\n";
  }
  const mandatory = plan.violations.filter((v) => v.enforcementLevel === "mandatory").length;
  out.push(
    `**${plan.resources.length + 1} to create** (${plan.resources.filter((r) => r.protect).length} protected) · ` +
      `Kubernetes schemas: ${plan.schemaErrors.length} errors in ${validatedObjects + plan.schemaErrors.length} objects · ` +
      `first deploy: ${plan.deployFindings.length} findings · ` +
      `policies: ${mandatory} mandatory, ${plan.violations.length - mandatory} advisory`,
    "",
    "| Type | Count |",
    "| --- | ---: |",
    ...countsByType(plan).map(([t, n]) => `| \`${t}\` | ${n} |`),
    "",
  );
  for (const e of plan.schemaErrors) out.push(`- ✗ schema: \`${e.urn}\`: ${e.message}`);
  for (const f of plan.deployFindings) out.push(`- ✗ first deploy \`${f.check}\` on \`${f.urn}\`: ${f.message}`);
  for (const v of plan.violations) out.push(`- ${v.enforcementLevel === "mandatory" ? "✗" : "⚠"} \`${v.policy}\` on \`${v.urn ?? "stack"}\`: ${v.message}`);
  const waivers = renderWaivers(plan);
  if (waivers.length > 0) out.push("", "```", ...waivers, "```");
  out.push("", "<details><summary>Resource tree</summary>", "", "```", renderTree(plan), "```", "</details>", "");
  return out.join("\n");
}

function waiverCounts(plan: Plan): string {
  const w = plan.waivers;
  return w && w.active.length + w.expired.length > 0
    ? `; waivers: ${w.active.length} active (${w.waived.length} violations waived), ${w.expired.length} expired`
    : "";
}

/** The stack's waivers as of the preview's day: every active one with what it waives, then the expired ones. */
export function renderWaivers(plan: Plan): string[] {
  const w = plan.waivers;
  if (!w || w.active.length + w.expired.length === 0) return [];
  const lines = [`Waivers (policyWaivers, as of ${w.today}):`];
  for (const waiver of w.active) {
    const covered = w.waived.filter((v) => v.waiver === waiver || JSON.stringify(v.waiver) === JSON.stringify(waiver));
    lines.push(`  ~ [${waiver.rule}] ${waiver.resource}, until ${waiver.expires}: ${waiver.reason}`);
    for (const v of covered) lines.push(`      waives ${v.urn ?? "stack"}: ${v.message}`);
    if (covered.length === 0) lines.push("      waives nothing (unused)");
  }
  for (const waiver of w.expired) lines.push(`  ✗ [${waiver.rule}] ${waiver.resource}, expired ${waiver.expires}: ${waiver.reason}`);
  return lines;
}

export function renderCost(c: NonNullable<Plan["cost"]>): string[] {
  const m = c.monthlyUsd;
  const h = c.highMemoryPerGiBHour;
  const usd = (n: number) => `$${n.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
  return [
    `Cost estimate (monthly, USD, us-west-2 list prices): ${usd(m.total)}`,
    `    fixed ${usd(m.fixed)} + usage ${usd(m.usage)} + node pools at expected use ${usd(m.nodePoolsExpected)}; node pools at their limits ${usd(m.nodePoolsAtLimit)}`,
    // A stack without a high-memory pool (the bootstrap) has no price per GiB-hour to show.
    ...(Number.isFinite(h.spot)
      ? [`    high-memory $/GiB-hour: spot ${h.spot} (assumed discount), on-demand ${h.onDemand}, r5 on-demand baseline ${h.baseline}`]
      : []),
    ...(m.capacityWindows ? [`    capacity windows ${usd(m.capacityWindows)} (in the total):`] : []),
    ...(c.capacityWindows ?? []).map((w) => `      ${w}`),
    ...((c.highMemoryWorkloads ?? []).length > 0 ? ["    high-memory workloads (their pools' node-hours, not added again):"] : []),
    ...(c.highMemoryWorkloads ?? []).map((w) => `      ${w}`),
    ...c.dependsOnUsage.map((d) => `    ${d}`),
  ];
}
