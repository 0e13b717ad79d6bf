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
   * a Deployment wait for nodes their pods tolerate, or their creation hangs until the provider's
   * 20-minute wait for ACTIVE gives up (terraform-provider-aws internal/service/eks/addon.go,
   * waitAddonCreated; DEGRADED counts as still pending). `afterNodes`: the system node group is
   * enough (the Deployment tolerates CriticalAddonsOnly). `afterWorkerNodes`: its pods do not
   * tolerate the system taint, so it waits for worker capacity (EksCluster.installWorkerNodeAddons).
   */
  readonly phase: "beforeNodes" | "afterNodes" | "afterWorkerNodes";
  /** AWS permissions through EKS Pod Identity: the add-on's service account and the managed policies its role gets. */
  readonly podIdentity?: { readonly serviceAccount: string; readonly managedPolicies: readonly string[] };
  /** The add-on's configuration values (its JSON schema comes from `aws eks describe-addon-configuration`). */
  readonly configurationValues?: Readonly<Record<string, unknown>>;
  /** Configuration that carries the stack's tags to what the add-on creates (merged into configurationValues). */
  readonly tagging?: (tags: Readonly<Record<string, string>>) => Readonly<Record<string, unknown>>;
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
    // Tags every volume the driver creates (the chart's controller.extraVolumeTags, passed as
    // --extra-tags: kubernetes-sigs/aws-ebs-csi-driver charts/aws-ebs-csi-driver templates/_helpers.tpl;
    // the EKS add-on takes it in configurationValues). Unlike StorageClass parameters, add-on
    // configuration updates in place (terraform-provider-aws eks/addon.go: configuration_values).
    tagging: (tags) => (Object.keys(tags).length > 0 ? { controller: { extraVolumeTags: { ...tags } } } : {}),
  },
  // The upstream chart's tolerations are [] (kubernetes-sigs/metrics-server charts/metrics-server
  // values.yaml); whether EKS's build of the add-on adds any, or takes tolerations in its
  // configuration schema, is not published: so it waits for untainted worker nodes.
  { name: "metrics-server", phase: "afterWorkerNodes" },
  // Mountpoint for Amazon S3 (awslabs/mountpoint-s3-csi-driver@v2.7.0). Its controller Deployment
  // (s3-csi-controller, service account s3-csi-driver-controller-sa) has no tolerations by default
  // (charts/aws-mountpoint-s3-csi-driver/templates/controller.yaml: controller.tolerations, unset in
  // values.yaml), so it waits for untainted worker nodes; the node DaemonSet (s3-csi-node,
  // s3-csi-driver-sa) tolerates every taint (node.tolerateAllTaints: true), and the Mountpoint pods it
  // starts in namespace mount-s3 tolerate every taint too (pkg/podmounter/mppod/creator.go), so mounts
  // work on the high-memory, stateful and system nodes alike.
  // Credentials: volumes made by S3PrefixVolume use `authenticationSource: pod` (docs/CONFIGURATION.md,
  // "Pod-Level Credentials", supported with EKS Pod Identity): each mount gets the credentials of the
  // pod's own service account, that is the team's WorkloadIdentity role and its prefixes, never one
  // cluster-wide grant on the bucket. The driver's own role is kept on purpose and granted nothing:
  // driver-level credentials load IRSA, then Pod Identity, then the node's instance profile
  // (CONFIGURATION.md "Driver-Level Credentials"); the association pins a volume declared with
  // `authenticationSource: driver` to a role without S3 access instead of the node role.
  {
    name: "aws-mountpoint-s3-csi-driver",
    phase: "afterWorkerNodes",
    podIdentity: { serviceAccount: "s3-csi-driver-sa", managedPolicies: [] },
  },
  // CSI snapshot controller (kubernetes-csi/external-snapshotter): watches VolumeSnapshot objects and
  // asks the EBS CSI driver's csi-snapshotter sidecar to cut them. The EKS add-on installs the
  // snapshot.storage.k8s.io CRDs itself (EKS user guide, csi-snapshot-controller: "This add-on
  // includes the custom resource definitions (CRDs) that are needed to create and manage snapshots")
  // and needs no IAM permissions (addons-csi-snapshot-controller). Upstream's controller Deployment
  // sets no tolerations and no nodeSelector (kubernetes-csi/external-snapshotter@v8.3.0
  // deploy/kubernetes/snapshot-controller/setup-snapshot-controller.yaml); EKS does not publish its
  // build's scheduling fields, so it waits for untainted worker nodes.
  { name: "snapshot-controller", phase: "afterWorkerNodes" },
];
