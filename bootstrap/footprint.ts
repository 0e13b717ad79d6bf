/**
 * A platform stack's footprint: what the bootstrap needs to know about it to scope its CI roles,
 * taken from the stack's offline plan (tools/preview, `npm run preview:offline -- <stack> --json`).
 * The bootstrap program cannot run the platform's preview while it runs for real, so the footprints
 * of every platform stack are kept in platform-footprint.json, written by
 * `npm run bootstrap:preview -- --write-footprint`; a test fails when they fall out of date.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Plan } from "../tools/preview/plan";
import { projectRoot } from "../tools/lib/project-root";

export interface PlatformFootprint {
  readonly stack: string;
  /** Prefix of the stack's physical names: the platform names its EKS cluster with it. */
  readonly namePrefix: string;
  /** The stack's region and every region a resource names. */
  readonly regions: readonly string[];
  /** Every resource type of the plan (its `.resources[].type`), sorted and unique. */
  readonly types: readonly string[];
  /** AWS managed policies the plan attaches to its roles (aws:iam/rolePolicyAttachment policyArn). */
  readonly managedPolicyArns: readonly string[];
  /**
   * Name prefixes of roles created inside remote components without the stack prefix: @pulumi/eks
   * names the cluster's service role "<component>-eksRole-role" plus the engine's random suffix
   * (pulumi-eks nodejs/eks/servicerole.ts: ServiceRole `${name}-role`, created as `${name}-eksRole`).
   */
  readonly extraRolePrefixes: readonly string[];
}

export const FOOTPRINT_FILE = join(projectRoot(), "bootstrap", "platform-footprint.json");

const sorted = (xs: Iterable<string>) => [...new Set(xs)].sort();

/** The footprint of one platform plan. */
export function footprintOfPlan(plan: Plan): PlatformFootprint {
  const clusterName = plan.outputs["clusterName"];
  if (typeof clusterName !== "string") throw new Error(`the plan of ${plan.stack} has no clusterName output to take the name prefix from`);
  const region = plan.outputs["region"];
  const regions = plan.resources.flatMap((r) => (typeof r.inputs["region"] === "string" ? [r.inputs["region"]] : []));
  return {
    stack: plan.stack,
    namePrefix: clusterName,
    regions: sorted([...(typeof region === "string" ? [region] : []), ...regions]),
    types: sorted(plan.resources.map((r) => r.type)),
    managedPolicyArns: sorted(
      plan.resources.filter((r) => r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment").map((r) => String(r.inputs["policyArn"])),
    ),
    // Only where the platform lets @pulumi/eks make the role (it passes its own, prefixed, today).
    extraRolePrefixes: sorted(
      plan.resources.filter((r) => r.type === "eks:index:Cluster" && r.inputs["serviceRole"] === undefined).map((r) => `${r.name}-eksRole-role-`),
    ),
  };
}

/** The committed footprints, by platform stack. */
export function loadFootprints(file: string = FOOTPRINT_FILE): Record<string, PlatformFootprint> {
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { stacks?: Record<string, PlatformFootprint> };
  if (!parsed.stacks) throw new Error(`${file}: no "stacks"; regenerate it with npm run bootstrap:preview -- --write-footprint`);
  return parsed.stacks;
}

export function footprintFileText(footprints: readonly PlatformFootprint[]): string {
  const stacks = Object.fromEntries([...footprints].sort((a, b) => (a.stack < b.stack ? -1 : 1)).map((f) => [f.stack, f]));
  return JSON.stringify({ generatedBy: "npm run bootstrap:preview -- --write-footprint (from the platform's offline plans)", stacks }, null, 2) + "\n";
}
