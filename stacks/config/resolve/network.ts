/** Resolves the network keys: a VPC the stack creates (zones, NAT gateways) or an existing one. */
import { vpcCidrProblem } from "../../../components/internal";
import type { NetworkSettings } from "../environment";
import type { Problem, Values } from "../errors";
import type { Tier } from "../keys";
import type { TierDefaults } from "../tiers";
import { logRetentionConfigProblem } from "../validators";

export function resolveNetwork(v: Values, tierName: Tier, tier: TierDefaults, region: string, problem: Problem): NetworkSettings {
  if (v.existingVpcId) {
    // The stack does not manage an existing VPC, so it cannot give it flow logs: its owner does.
    if (v.flowLogRetentionDays !== 0)
      problem("flowLogRetentionDays", v.flowLogRetentionDays, "only applies to a VPC the stack creates; remove it, or unset existingVpcId");
    if (v.existingPrivateSubnetIds.length < 2) {
      problem(
        "existingPrivateSubnetIds",
        v.existingPrivateSubnetIds,
        "must list 2 or 3 private subnets (in different zones) when existingVpcId is set: EKS needs at least two zones",
      );
    }
    for (const key of ["existingPrivateSubnetIds", "existingPublicSubnetIds"] as const) {
      if (new Set(v[key]).size !== v[key].length) problem(key, v[key], "lists a subnet more than once");
    }
    return { kind: "existing", vpcId: v.existingVpcId, privateSubnetIds: v.existingPrivateSubnetIds, publicSubnetIds: v.existingPublicSubnetIds };
  }
  for (const key of ["existingPrivateSubnetIds", "existingPublicSubnetIds"] as const) {
    if (v[key].length > 0) problem(key, v[key], "only applies together with existingVpcId; set existingVpcId or remove this key");
  }
  // The key's schema has refused malformed blocks already; this is the component's own rule.
  const cidrProblem = vpcCidrProblem(v.vpcCidr);
  if (cidrProblem) problem("vpcCidr", v.vpcCidr, cidrProblem);
  const zones = v.availabilityZones.length > 0 ? v.availabilityZones : ["a", "b", "c"].map((s) => region + s);
  if (v.availabilityZones.length > 0) {
    if (zones.length !== 3) problem("availabilityZones", zones, "must list exactly 3 availability zones, or be [] for the region's a, b and c");
    if (new Set(zones).size !== zones.length) problem("availabilityZones", zones, "lists a zone more than once");
    const foreign = zones.filter((z) => !(z.startsWith(region) && z.length === region.length + 1));
    if (foreign.length > 0) problem("availabilityZones", zones, `must be zones of the stack's region ${region}; not: ${foreign.join(", ")}`);
  }
  const flowLogRetentionDays = v.flowLogRetentionDays || tier.flowLogRetentionDays;
  const retention = logRetentionConfigProblem(flowLogRetentionDays, tierName, tier.flowLogRetentionDays);
  if (retention) problem("flowLogRetentionDays", v.flowLogRetentionDays, retention);
  return {
    kind: "create",
    cidr: v.vpcCidr,
    availabilityZones: zones,
    natGateways: v.natGateways === "auto" ? tier.natGateways : v.natGateways,
    flowLogRetentionDays,
  };
}
