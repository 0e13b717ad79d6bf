/**
 * Where the topology Jobs learn each node's availability zone: from its address. With the Amazon VPC
 * CNI a pod's IPv4 address is a secondary address of an ENI of its node (aws/amazon-vpc-cni-k8s
 * docs/cni-proposal.md), and "by default, pods share the same subnet ... as the worker node's primary
 * interface" (README.md, AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG; with custom networking, pass the
 * ENIConfig subnets of each zone instead), and a subnet lies entirely in one Availability Zone (Amazon VPC User Guide, "Subnets
 * for your VPC"). So the subnets' CIDR blocks, known when the program runs, give every pod's zone with
 * no access to the Kubernetes API. The downward API cannot give it on the pinned clusters: node
 * topology labels on pods (KEP-4742, PodTopologyLabelsAdmission) are alpha in 1.33 and beta only in
 * 1.35 (https://www.kubernetes.dev/resources/keps/4742/).
 */
import { ComponentArgumentError } from "../lib/args";
import { parseIpv4Cidr } from "../lib/cidr";

export interface ZoneSubnet {
  /** Availability zone, e.g. "eu-west-1a". */
  readonly zone: string;
  /** IPv4 CIDR block of a subnet pods take addresses from. */
  readonly cidr: string;
}

const ZONE = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/** ZONE_CIDRS for the Jobs ("cidr=zone" separated by spaces), after checking every entry. */
export function zoneCidrsOf(subnets: readonly ZoneSubnet[]): string {
  subnets.forEach((s, i) => {
    if (parseIpv4Cidr(s.cidr) === undefined)
      throw new ComponentArgumentError("RedisCluster", `zoneSubnets[${i}].cidr`, s.cidr, "must be an IPv4 CIDR block with no host bits set");
    if (!ZONE.test(s.zone))
      throw new ComponentArgumentError("RedisCluster", `zoneSubnets[${i}].zone`, s.zone, "must be a zone name: lower-case letters, digits and '-'");
  });
  return subnets.map((s) => `${s.cidr}=${s.zone}`).join(" ");
}
