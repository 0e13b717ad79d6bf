/** plan:diff output for people: terminal text and the pull-request Markdown (data loss first). */
import { summaryLine, type StackDiff } from "./diff";
import type { StackSetDiff } from "./stacks";

const presenceOf = (d: StackDiff) => ("presence" in d ? (d as StackSetDiff).presence : "both");

const short = (v: unknown) => {
  const text = v === undefined ? "(absent)" : JSON.stringify(v);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
};
const tail = (urn: string) => urn.split("::").slice(2).join("::");

/** Two long strings shown around where they differ, so that the change itself is visible. */
function excerpt(before: string, after: string): [string, string] {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && end < after.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  const cut = (s: string) => {
    const from = Math.max(0, start - 30);
    const to = Math.min(s.length, s.length - end + 30);
    return `${from > 0 ? "…" : ""}${s.slice(from, to)}${to < s.length ? "…" : ""}`;
  };
  return [cut(before), cut(after)];
}

function change(before: unknown, after: unknown): string {
  if (typeof before === "string" && typeof after === "string" && (before.length > 80 || after.length > 80)) {
    const [b, a] = excerpt(before, after);
    return `${JSON.stringify(b)} → ${JSON.stringify(a)}`;
  }
  return `${short(before)} → ${short(after)}`;
}

export function renderMarkdown(diffs: readonly StackDiff[]): string {
  const out: string[] = [];
  const risks = diffs.flatMap((d) => d.dataLossRisks.map((r) => ({ stack: d.stack, ...r })));
  if (risks.length > 0) {
    out.push(
      "### ⚠️ Data would be lost",
      "",
      "Merging this changes stateful resources. CI fails until the risk is acknowledged (`--acknowledge-data-loss`).",
      "",
    );
    for (const r of risks) out.push(`- **${r.stack}**: ${r.message}`);
    out.push("");
  }
  const resizes = diffs.flatMap((d) => d.safeResizes.map((r) => ({ stack: d.stack, ...r })));
  if (resizes.length > 0) {
    out.push("### Volumes grown (no data loss)", "");
    for (const r of resizes) out.push(`- **${r.stack}**: ${r.message}`);
    out.push("");
  }
  const line = (d: StackDiff) => {
    const presence = presenceOf(d);
    if (presence === "added") return `- ${d.stack}: new stack, ${d.added.length} resources to create`;
    if (presence === "removed") return `- ${d.stack}: stack removed from the repository; its ${d.removed.length} resources stay until \`pulumi destroy\``;
    return `- ${summaryLine(d)}`;
  };
  out.push("### Offline plan diff", "", ...diffs.map(line), "");
  const renames = diffs.flatMap((d) => d.renames.map((r) => ({ stack: d.stack, ...r })));
  if (renames.length > 0) {
    out.push("### Renames", "");
    for (const r of renames)
      out.push(
        `- **${r.stack}**: \`${r.type}\` "${r.oldName}" → "${r.newName}" (${r.pairs.length} resources): one \`aliases: [{ name: "${r.oldName}" }]\` on it keeps them all`,
      );
    out.push("");
  }
  const costed = diffs.filter((d) => d.cost && (d.cost.totalDelta !== 0 || d.cost.atLimitDelta !== 0));
  if (costed.length > 0) {
    out.push("### Monthly cost change", "");
    for (const d of costed) {
      const sign = (n: number) => `${n >= 0 ? "+" : "-"}$${Math.abs(n).toFixed(2)}`;
      out.push(`- **${d.stack}**: ${sign(d.cost!.totalDelta)} at expected use, ${sign(d.cost!.atLimitDelta)} for node pools at their limits`);
      for (const c of d.cost!.contributors) out.push(`  - \`${tail(c.urn)}\`: ${sign(c.delta)}`);
    }
    out.push("");
  }
  for (const d of diffs) {
    if (presenceOf(d) !== "both") continue;
    if (d.added.length + d.removed.length + d.changed.length + d.newViolations.length + d.fixedViolations.length === 0) continue;
    out.push(`#### ${d.stack}`, "");
    for (const r of d.added) out.push(`- \`+\` \`${tail(r.urn)}\``);
    for (const r of d.removed) out.push(`- \`-\` \`${tail(r.urn)}\``);
    for (const c of d.changed) {
      const op = c.replaceReasons.length > 0 ? `+-` : "~";
      const why = c.replaceReasons.length > 0 ? ` (replaced: ${c.replaceReasons.map((p) => `\`${p}\``).join(", ")} cannot change in place)` : "";
      out.push(`- \`${op}\` \`${tail(c.urn)}\`${c.renamedFrom ? ` (moved from \`${tail(c.renamedFrom)}\`, alias kept)` : ""}${why}`);
      for (const p of c.changes) out.push(`  - \`${p.path}\`: ${change(p.before, p.after)}`);
    }
    if (d.unknownTypes.length > 0)
      out.push(`- changed types this tool cannot tell replacements for: ${d.unknownTypes.map((t) => `\`${t}\``).join(", ")} (\`pulumi preview\` can)`);
    for (const v of d.newViolations) out.push(`- policy \`${v.policy}\` (${v.enforcementLevel}) newly violated: ${v.message}`);
    for (const v of d.fixedViolations) out.push(`- policy \`${v.policy}\` fixed: ${v.message}`);
    out.push("");
  }
  return out.join("\n");
}

export function renderText(diffs: readonly StackDiff[]): string {
  return renderMarkdown(diffs).replace(/^#+ /gm, "").replace(/\*\*/g, "").replace(/`/g, "");
}
