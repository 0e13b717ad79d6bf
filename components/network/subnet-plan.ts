/**
 * Splits a VPC CIDR block into per-zone subnets. Nodes and pods (the VPC CNI gives every pod a VPC
 * address) live in the private subnets, so each zone gets a quarter of the VPC; load balancers and
 * NAT gateways need few addresses, so each public subnet is a sixteenth, all in the last quarter.
 */
export interface SubnetPlan {
  readonly zone: string;
  readonly privateCidr: string;
  readonly publicCidr: string;
}

function toAddress(n: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join(".");
}

export function planSubnets(vpcCidr: string, zones: readonly string[]): SubnetPlan[] {
  const match = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/(\d+)$/.exec(vpcCidr);
  if (!match) throw new Error(`planSubnets: "${vpcCidr}" is not an IPv4 CIDR block`);
  if (zones.length < 2 || zones.length > 3) throw new Error(`planSubnets: ${zones.length} zones given; 2 or 3 are supported`);
  const base = match
    .slice(1, 5)
    .map(Number)
    .reduce((acc, o) => acc * 256 + o, 0);
  const prefix = Number(match[5]);
  const quarter = 2 ** (32 - prefix - 2);
  const sixteenth = 2 ** (32 - prefix - 4);
  return zones.map((zone, i) => ({
    zone,
    privateCidr: `${toAddress(base + i * quarter)}/${prefix + 2}`,
    publicCidr: `${toAddress(base + 3 * quarter + i * sixteenth)}/${prefix + 4}`,
  }));
}
