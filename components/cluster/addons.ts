/**
 * The EKS add-ons every cluster gets, in one constant. The cluster is created without the
 * self-managed defaults (bootstrapSelfManagedAddons: false) so that each of these is a managed
 * add-on with a pinned version, visible in the plan and upgraded deliberately.
 */
import type { EksAddonName } from "../versions";

export interface AddonSpec {
  readonly name: EksAddonName;
  /**
   * Networking add-ons must exist before nodes join, or nodes never become Ready; add-ons that run
   * a Deployment wait for nodes, or their creation hangs in DEGRADED.
   */
  readonly phase: "beforeNodes" | "afterNodes";
  /** AWS permissions through EKS Pod Identity: the add-on's service account and the managed policies its role gets. */
  readonly podIdentity?: { readonly serviceAccount: string; readonly managedPolicies: readonly string[] };
  /** The add-on's configuration values (its JSON schema comes from `aws eks describe-addon-configuration`). */
  readonly configurationValues?: Readonly<Record<string, unknown>>;
}

export const EKS_ADDONS: readonly AddonSpec[] = [
  {
    name: "vpc-cni",
    phase: "beforeNodes",
    podIdentity: { serviceAccount: "aws-node", managedPolicies: ["AmazonEKS_CNI_Policy"] },
    // Enforce Kubernetes NetworkPolicy objects (the Redis cluster relies on them).
    configurationValues: { enableNetworkPolicy: "true" },
  },
  { name: "kube-proxy", phase: "beforeNodes" },
  { name: "eks-pod-identity-agent", phase: "beforeNodes" },
  { name: "coredns", phase: "afterNodes" },
  {
    name: "aws-ebs-csi-driver",
    phase: "afterNodes",
    podIdentity: { serviceAccount: "ebs-csi-controller-sa", managedPolicies: ["service-role/AmazonEBSCSIDriverPolicy"] },
  },
  { name: "metrics-server", phase: "afterNodes" },
];
