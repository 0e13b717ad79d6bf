/** Resolves the cluster keys: API access (and the deploy path of a private endpoint), system nodes, logs. */
import { accessCidrProblem, DEFAULT_KUBERNETES_VERSION, deployPathProblem, PLATFORM_IMAGE_REGISTRIES } from "../../../components/internal";
import { logRetentionConfigProblem } from "../validators";
import type { ClusterSettings } from "../environment";
import type { Problem, Values } from "../errors";
import type { Tier } from "../keys";
import type { TierDefaults } from "../tiers";

export function resolveCluster(v: Values, tierName: Tier, tier: TierDefaults, problem: Problem): ClusterSettings {
  for (const [key, endpoint] of [
    ["clusterPublicAccessCidrs", "public"],
    ["clusterPrivateAccessCidrs", "private"],
  ] as const) {
    v[key].forEach((c, i) => {
      const message = accessCidrProblem(c, endpoint);
      if (message) problem(`${key}[${i}]`, c, message);
    });
  }
  const deployPath = deployPathProblem(v.clusterPublicAccessCidrs, v.clusterPrivateAccessCidrs);
  if (deployPath) problem("clusterPrivateAccessCidrs", v.clusterPrivateAccessCidrs, deployPath);
  const minSize = v.systemNodeCount || tier.systemNodeCount;
  const maxSize = v.systemNodeMaxCount || Math.max(tier.systemNodeMaxCount, minSize);
  if (maxSize < minSize) problem("systemNodeMaxCount", v.systemNodeMaxCount, `must be at least systemNodeCount (${minSize})`);
  if (tierName !== "dev" && minSize < 2) {
    problem("systemNodeCount", v.systemNodeCount, `must be at least 2 in ${tierName}: one system node is a single point of failure for CoreDNS and Karpenter`);
  }
  const logRetentionDays = v.controlPlaneLogRetentionDays || tier.controlPlaneLogRetentionDays;
  const retention = logRetentionConfigProblem(logRetentionDays, tierName, tier.controlPlaneLogRetentionDays);
  if (retention) problem("controlPlaneLogRetentionDays", v.controlPlaneLogRetentionDays, retention);
  // The platform's own images must stay pullable: a list that drops one of their registries would fail
  // the platform's own pods (policy k8s-allowed-images).
  const dropped = PLATFORM_IMAGE_REGISTRIES.filter((r) => !v.imageRegistries.some((e) => r === e || r.startsWith(`${e}/`)));
  if (dropped.length > 0)
    problem("imageRegistries", v.imageRegistries, `must keep the platform's own registries (or a prefix of each); missing ${dropped.join(", ")}`);
  // Kyverno recommends at least 3 admission controller replicas for high availability
  // (kyverno.io/docs/high-availability); enforcing fails closed, so fewer outside dev would let one
  // pod's restart block every team's deploys.
  const admission = {
    mode: v.admissionPolicies === "auto" ? tier.admission.mode : v.admissionPolicies,
    replicas: v.admissionReplicas || tier.admission.replicas,
  };
  if (admission.mode === "enforce" && tierName !== "dev" && admission.replicas < 3) {
    problem("admissionReplicas", v.admissionReplicas, `must be at least 3 in ${tierName} when admissionPolicies enforce: enforcement fails closed`);
  }
  return {
    kubernetesVersion: v.kubernetesVersion || DEFAULT_KUBERNETES_VERSION,
    adminRoleArns: v.clusterAdminRoleArns,
    publicAccessCidrs: v.clusterPublicAccessCidrs,
    privateAccessCidrs: v.clusterPrivateAccessCidrs,
    systemNodes: {
      instanceTypes: v.systemNodeInstanceTypes.length > 0 ? v.systemNodeInstanceTypes : tier.systemNodeInstanceTypes,
      minSize,
      maxSize,
      diskSizeGiB: v.systemNodeDiskGiB,
    },
    logRetentionDays,
    imageRegistries: v.imageRegistries,
    requireImageDigests: v.requireImageDigests,
    admission,
  };
}
