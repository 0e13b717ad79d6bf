/**
 * Rules and defaults of EksCluster's arguments that the stack's config validation applies too, so
 * that each is written once. Kept free of SDK imports: the config layer loads it without the EKS
 * packages.
 */
import { parseIpv4Cidr } from "../lib/cidr";

/** An IAM role ARN (commercial, China and GovCloud partitions). */
export const ROLE_ARN = /^arn:aws(-cn|-us-gov)?:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/;

/** Retention of the control-plane log group when none is given (days): one year, what CIS-derived checks ask of log groups (Checkov CKV_AWS_338). */
export const CONTROL_PLANE_LOG_RETENTION_DAYS = 365;

/** Why a CIDR block may not reach the API endpoint, or undefined when it may. */
export function accessCidrProblem(cidr: string, endpoint: "public" | "private"): string | undefined {
  const parsed = parseIpv4Cidr(cidr);
  if (!parsed) return "must be an IPv4 CIDR block with no host bits set";
  if (parsed.prefix > 0) return undefined;
  return endpoint === "public"
    ? "would open the Kubernetes API to the whole internet; list the CIDR blocks of your offices, VPN or CI runners, or [] for a private endpoint"
    : "must be the ranges of your deploy path inside the VPC (a runner subnet, a VPN), not every address";
}

/**
 * A cluster whose endpoint is private (no public CIDRs) needs a deploy path: a CIDR inside the VPC
 * or a connected network that the cluster security group admits on 443.
 */
export function deployPathProblem(publicAccessCidrs: readonly string[], privateAccessCidrs: readonly string[]): string | undefined {
  if (publicAccessCidrs.length + privateAccessCidrs.length > 0) return undefined;
  return "must list where deployments reach the API from when there are no public access CIDRs: a cluster with a private endpoint (clusterPublicAccessCidrs is []) needs a deploy path: list the CIDR of a self-hosted runner or VPN inside the VPC here, or the runners' public egress ranges in clusterPublicAccessCidrs. GitHub-hosted runners reach neither: their addresses are not in the VPC and are too many to list; without one, the Kubernetes part of every deploy fails";
}
