/**
 * Changes that keep a resource but lose data in it: fewer StatefulSet replicas, a smaller volume,
 * a shorter retention. None of them replaces anything, so no URN or replacement check sees them.
 */
import type { PlanResource } from "../preview/plan";
import type { PropertyChange } from "./diff";

export interface ShrinkRisk {
  readonly kind: "scale-in" | "volume-shrink" | "retention-shortened";
  readonly message: string;
}

const num = (v: unknown): number | undefined => (typeof v === "number" ? v : typeof v === "string" && /^\d+$/.test(v) ? Number(v) : undefined);
const GIB: Readonly<Record<string, number>> = { Mi: 1 / 1024, Gi: 1, Ti: 1024 };
const gib = (v: unknown): number | undefined => {
  const m = typeof v === "string" ? /^(\d+(?:\.\d+)?)(Mi|Gi|Ti)$/.exec(v) : null;
  return m ? Number(m[1]) * GIB[m[2]!]! : undefined;
};

/** What a change to one resource loses without replacing it. */
export function shrinkRisks(resource: PlanResource, changes: readonly PropertyChange[]): ShrinkRisk[] {
  const risks: ShrinkRisk[] = [];
  const label = `${resource.type.split(":").pop()} "${resource.name}"`;
  for (const c of changes) {
    const [before, after] = [num(c.before), num(c.after)];
    if (resource.type === "kubernetes:apps/v1:StatefulSet" && c.path === "spec.replicas" && before !== undefined && after !== undefined && after < before) {
      // The controller removes the highest ordinals first (Kubernetes: StatefulSet scaling).
      risks.push({
        kind: "scale-in",
        message: `${label} scales in from ${before} to ${after} pods: pods ${after}..${before - 1} are deleted (their claims are kept only if the retention policy says so); a Redis Cluster must first move their slots away (redis-cli --cluster reshard / del-node)`,
      });
    }
    if (/(^|\.)resources\.requests\.storage$/.test(c.path) && (gib(c.after) ?? Infinity) < (gib(c.before) ?? 0)) {
      risks.push({
        kind: "volume-shrink",
        message: `${label} asks for a smaller volume at ${c.path} (${String(c.before)} → ${String(c.after)}): Kubernetes never shrinks a claim (only growth is allowed)`,
      });
    }
    if (
      resource.type === "aws:cloudwatch/logGroup:LogGroup" &&
      c.path === "retentionInDays" &&
      before !== undefined &&
      after !== undefined &&
      after > 0 &&
      after < before
    ) {
      risks.push({ kind: "retention-shortened", message: `${label} keeps events ${before} → ${after} days: older events are deleted` });
    }
    if (
      resource.type === "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration" &&
      /\.(days|noncurrentDays)$/.test(c.path) &&
      before !== undefined &&
      after !== undefined &&
      after < before
    ) {
      risks.push({
        kind: "retention-shortened",
        message: `${label} shortens ${c.path} from ${before} to ${after} days: objects (or old versions) past the new age are deleted at the next lifecycle run`,
      });
    }
  }
  return risks;
}
