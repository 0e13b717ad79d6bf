/** The cluster keys of the config registry (see ../keys.ts for the conventions). */
import { z } from "zod";
import { PLATFORM_IMAGE_REGISTRIES, SUPPORTED_KUBERNETES_VERSIONS } from "../../../components/versions";
import { registryEntryProblem } from "../../../policies/rules/images";
import { ROLE_ARN as ROLE_ARN_SHAPE, SYSTEM_NODE_DISK_GIB, SYSTEM_NODE_GROUP_DEFAULTS } from "../../../components/internal";
import { LOG_RETENTION_MINIMUMS, ipv4Cidr, list, logRetentionDays, oneOf, pattern, wholeNumber } from "../validators";
import { tierValues } from "../tiers";
import type { ConfigKeySpec } from "../keys";

const ROLE_ARN = pattern(ROLE_ARN_SHAPE, "an IAM role ARN such as arn:aws:iam::123456789012:role/platform-admin");
const INSTANCE_TYPE = pattern(/^[a-z][a-z0-9-]*\.[a-z0-9]+$/, "an EC2 instance type such as m7i.xlarge");

export const CLUSTER_KEYS = {
  kubernetesVersion: {
    group: "cluster",
    type: "string",
    description: `Kubernetes minor version of the cluster: one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")} (the versions this project pins add-ons for). Empty means the project's pinned default.`,
    default: "",
    schema: z.union([z.literal(""), oneOf(SUPPORTED_KUBERNETES_VERSIONS as [string, ...string[]])]),
  },
  clusterAdminRoleArns: {
    group: "cluster",
    type: "array",
    description: "IAM roles granted cluster-admin through EKS access entries (API authentication mode).",
    default: [],
    schema: list(ROLE_ARN, 20),
  },
  clusterPublicAccessCidrs: {
    group: "cluster",
    type: "array",
    description: "CIDR blocks allowed to reach the public API endpoint. [] keeps the endpoint private (reachable only from the VPC). 0.0.0.0/0 is refused.",
    default: [],
    schema: list(ipv4Cidr("such as 203.0.113.0/24"), 40),
  },
  clusterPrivateAccessCidrs: {
    group: "cluster",
    type: "array",
    description:
      "CIDR blocks inside the VPC or a connected network (a self-hosted CI runner's subnet, a VPN) allowed to reach the private API endpoint on 443. A cluster without public access CIDRs needs at least one: that is how deployments reach its API.",
    default: [],
    schema: list(ipv4Cidr("such as 10.32.240.0/24"), 40),
  },
  systemNodeInstanceTypes: {
    group: "cluster",
    type: "array",
    description: `Instance types of the on-demand managed node group for system pods (CoreDNS, Karpenter, monitoring). [] means the tier default (${tierValues((t) => t.systemNodeInstanceTypes)}).`,
    default: [],
    schema: list(INSTANCE_TYPE, 10),
  },
  systemNodeCount: {
    group: "cluster",
    type: "integer",
    description: `Minimum (and initial) number of system nodes: 0 means the tier default (${tierValues((t) => t.systemNodeCount)}).`,
    default: 0,
    schema: wholeNumber(0, 20),
  },
  systemNodeMaxCount: {
    group: "cluster",
    type: "integer",
    description: `Maximum number of system nodes: 0 means the tier default (${tierValues((t) => t.systemNodeMaxCount)}).`,
    default: 0,
    schema: wholeNumber(0, 50),
  },
  systemNodeDiskGiB: {
    group: "cluster",
    type: "integer",
    description: "Root volume size of system nodes, in GiB (encrypted gp3).",
    default: SYSTEM_NODE_GROUP_DEFAULTS.diskSizeGiB,
    schema: wholeNumber(SYSTEM_NODE_DISK_GIB.min, SYSTEM_NODE_DISK_GIB.max),
  },
  controlPlaneLogRetentionDays: {
    group: "cluster",
    type: "integer",
    description: `Retention of the control-plane log group (KMS-encrypted), in days (a CloudWatch retention value, at least the tier minimum: ${LOG_RETENTION_MINIMUMS}). 0 means the tier default (${tierValues((t) => t.controlPlaneLogRetentionDays)}).`,
    default: 0,
    schema: logRetentionDays(),
  },
  imageRegistries: {
    group: "cluster",
    type: "array",
    description:
      "Registries pods may pull images from, as hosts or host/path prefixes of the normalised image name (`redis:7` is docker.io/library/redis). The default is the platform's own; a list must keep those and may add a team's registry. Checked by the policy pack (k8s-allowed-images, chart-allowed-images).",
    default: PLATFORM_IMAGE_REGISTRIES,
    schema: list(
      z.string({ error: "must be a string" }).refine((e) => registryEntryProblem(e) === undefined, {
        error: (issue) => `${String(issue.input)}: ${registryEntryProblem(String(issue.input)) ?? ""}`,
      }),
      50,
    ),
  },
  requireImageDigests: {
    group: "cluster",
    type: "boolean",
    description:
      "Require every image, the platform's and the charts' included, to be pinned by a sha256 digest. Off on every tier by default: the offline preview cannot check a digest against its registry, and most pins here are tags, so turning it on needs digests added to components/versions.ts and the chart values first.",
    default: false,
    schema: z.boolean({ error: "must be true or false" }),
  },
} as const satisfies Record<string, ConfigKeySpec>;
