/**
 * With credentials, `pulumi preview --json` tells what the providers themselves decided. Its steps
 * (pulumi/pulumi pkg/display/json.go, PreviewDigest.steps: op, urn, oldState/newState with type and
 * inputs, diffReasons, replaceReasons) mark a replacement with op "replace" (plus
 * "create-replacement" and "delete-replaced" steps for the same URN). This reads those steps and
 * sets them beside the offline diff: where the two disagree, the engine is right and the offline
 * replacement table needs an entry.
 */
import type { DataLossRisk, StackDiff } from "./diff";
import { losesData, replaceRuleOf } from "./replacements";

export interface EnginePreviewStep {
  readonly op: string;
  readonly urn: string;
  readonly replaceReasons?: readonly string[] | null;
  readonly newState?: { readonly type?: string } | null;
  readonly oldState?: { readonly type?: string } | null;
}

export interface EnginePreview {
  readonly steps: readonly EnginePreviewStep[];
}

export interface EngineComparison {
  /** Replacements both found. */
  readonly agreed: readonly string[];
  /** The engine replaces these; the offline table did not know. */
  readonly missedOffline: readonly { readonly urn: string; readonly type: string; readonly reasons: readonly string[] }[];
  /** The offline table expected a replacement the engine does not make. */
  readonly notReplacedByEngine: readonly string[];
  /** Data-loss risks the engine's replacements add to the offline ones. */
  readonly extraRisks: readonly DataLossRisk[];
}

/** Throws on a document that is not `pulumi preview --json` output. */
export function parseEnginePreview(value: unknown): EnginePreview {
  const steps = (value as { steps?: unknown } | null)?.steps;
  if (
    !Array.isArray(steps) ||
    !steps.every(
      (s) => typeof s === "object" && s !== null && typeof (s as { op?: unknown }).op === "string" && typeof (s as { urn?: unknown }).urn === "string",
    )
  ) {
    throw new Error("not the output of `pulumi preview --json`: expected an object with steps[] of {op, urn}");
  }
  return { steps: steps as EnginePreviewStep[] };
}

export function compareWithEngine(diff: StackDiff, preview: EnginePreview): EngineComparison {
  const engine = new Map(preview.steps.filter((s) => s.op === "replace").map((s) => [s.urn, s]));
  const offline = new Map(diff.changed.filter((c) => c.replaceReasons.length > 0).map((c) => [c.urn, c]));
  const agreed = [...offline.keys()].filter((u) => engine.has(u)).sort();
  const missedOffline = [...engine.values()]
    .filter((s) => !offline.has(s.urn))
    .map((s) => ({ urn: s.urn, type: s.newState?.type ?? s.oldState?.type ?? "", reasons: [...(s.replaceReasons ?? [])] }));
  const extraRisks = missedOffline
    .filter((m) => replaceRuleOf(m.type)?.stateful && losesData(m.type, m.reasons.length > 0 ? m.reasons : ["(engine)"]))
    .map((m): DataLossRisk => ({
      urn: m.urn,
      kind: "replaced",
      message: `${m.type} is replaced according to \`pulumi preview\` (${m.reasons.join(", ") || "no reason given"}): what it holds is lost. Instead: ${replaceRuleOf(m.type)!.advice}`,
    }));
  return { agreed, missedOffline, notReplacedByEngine: [...offline.keys()].filter((u) => !engine.has(u)).sort(), extraRisks };
}
