/**
 * Security contexts that satisfy the Pod Security Standards' restricted profile (Kubernetes docs,
 * https://kubernetes.io/docs/concepts/security/pod-security-standards/#restricted): runAsNonRoot,
 * seccompProfile RuntimeDefault, allowPrivilegeEscalation false, every capability dropped; and,
 * beyond the profile, the policy pack's read-only root filesystem (policies/rules/workloads.ts), with
 * `/tmp` as an emptyDir (pod-volumes.ts). The volumes used (emptyDir, ephemeral,
 * persistentVolumeClaim, configMap) are all in the restricted profile's allowed volume types.
 */
import type * as k8s from "@pulumi/kubernetes/types/input";

/**
 * User and group the container runs as unless the caller says otherwise: not 0, so the kubelet's
 * runAsNonRoot check passes even for images whose USER is root (the official python images).
 */
export const DEFAULT_RUN_AS_USER = 1000;

export function restrictedPodSecurityContext(runAsUser: number): k8s.core.v1.PodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser,
    runAsGroup: runAsUser,
    // Volumes (scratch, /tmp) are group-writable for the pod's group.
    fsGroup: runAsUser,
    fsGroupChangePolicy: "OnRootMismatch",
    seccompProfile: { type: "RuntimeDefault" },
  };
}

export function restrictedContainerSecurityContext(): k8s.core.v1.SecurityContext {
  return {
    runAsNonRoot: true,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  };
}
