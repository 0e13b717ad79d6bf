/** EKS, node launch settings and storage classes. */
// The pins module itself (pure, no imports), not the components index: the pack loads no provider
// SDK, and components/admission imports the pack's rules (a cycle through the index otherwise).
import { SUPPORTED_KUBERNETES_VERSIONS } from "../../components/versions";
import { asArray, asRecord, at, isProd, type Rule } from "./types";

const CLUSTER = ["eks:index:Cluster"];
const LAUNCH_TEMPLATE = ["aws:ec2/launchTemplate:LaunchTemplate"];
const NODE_CLASS = ["kubernetes:karpenter.k8s.aws/v1:EC2NodeClass"];
const STORAGE_CLASS = ["kubernetes:storage.k8s.io/v1:StorageClass"];
const LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"];
/** Kubernetes minor versions this platform pins add-ons for (components/versions.ts). */
export const SUPPORTED_EKS_VERSIONS: readonly string[] = SUPPORTED_KUBERNETES_VERSIONS;

export const CLUSTER_AND_NODE_RULES: readonly Rule[] = [
  {
    kind: "resource",
    id: "eks-private-endpoint",
    enforcementLevel: "mandatory",
    family: "cluster",
    sources: [{ standard: "cis-eks", control: "5.4.2" }],
    resourceTypes: CLUSTER,
    description: "The EKS private endpoint is enabled, so that nodes reach the API inside the VPC.",
    check: (r) => (r.inputs["endpointPrivateAccess"] === true ? undefined : "endpointPrivateAccess is not true"),
  },
  {
    kind: "resource",
    id: "eks-secrets-encryption",
    enforcementLevel: "mandatory",
    family: "cluster",
    sources: [{ standard: "cis-eks", control: "5.3.1" }],
    resourceTypes: CLUSTER,
    description: "Kubernetes secrets are envelope-encrypted with a customer-managed KMS key.",
    check: (r) =>
      typeof r.inputs["encryptionConfigKeyArn"] === "string" && r.inputs["encryptionConfigKeyArn"] !== "" ? undefined : "encryptionConfigKeyArn is not set",
  },
  {
    kind: "resource",
    id: "eks-control-plane-logs",
    enforcementLevel: "mandatory",
    family: "cluster",
    sources: [{ standard: "cis-eks", control: "2.1.1" }],
    resourceTypes: CLUSTER,
    description: "All five control-plane log types are sent to CloudWatch.",
    check: (r) => {
      const enabled = asArray(r.inputs["enabledClusterLogTypes"]).map(String);
      const missing = LOG_TYPES.filter((t) => !enabled.includes(t));
      return missing.length > 0 ? `control-plane logs missing: ${missing.join(", ")}` : undefined;
    },
  },
  {
    kind: "resource",
    id: "eks-supported-pinned-version",
    enforcementLevel: "mandatory",
    family: "cluster",
    sources: [{ standard: "aws-fsbp", control: "EKS.2" }],
    resourceTypes: CLUSTER,
    description: `The Kubernetes version is pinned to a supported minor (${SUPPORTED_EKS_VERSIONS.join(", ")}).`,
    check: (r) =>
      SUPPORTED_EKS_VERSIONS.includes(String(r.inputs["version"]))
        ? undefined
        : `version ${JSON.stringify(r.inputs["version"])} is not pinned to one of ${SUPPORTED_EKS_VERSIONS.join(", ")}`,
  },
  {
    kind: "resource",
    id: "eks-api-authentication-mode",
    enforcementLevel: "mandatory",
    family: "cluster",
    sources: [{ standard: "eks-best-practices", control: "Identity and access management: access entries" }],
    resourceTypes: CLUSTER,
    description: "The cluster uses API authentication mode (access entries), not the aws-auth ConfigMap.",
    check: (r) => (r.inputs["authenticationMode"] === "API" ? undefined : `authenticationMode is ${JSON.stringify(r.inputs["authenticationMode"])}, not "API"`),
  },
  {
    kind: "resource",
    id: "eks-nodes-private",
    enforcementLevel: "mandatory",
    family: "network",
    sources: [{ standard: "cis-eks", control: "5.4.3" }],
    resourceTypes: CLUSTER,
    description: "Nodes get no public IP addresses (they live in private subnets).",
    check: (r) => (r.inputs["nodeAssociatePublicIpAddress"] === false ? undefined : "nodeAssociatePublicIpAddress is not false"),
  },
  {
    kind: "resource",
    id: "launch-template-imdsv2",
    enforcementLevel: "mandatory",
    family: "nodes",
    sources: [{ standard: "aws-fsbp", control: "EC2.170" }],
    resourceTypes: LAUNCH_TEMPLATE,
    description: "Launch templates require IMDSv2 with a hop limit of 1, so that pods cannot reach the node's credentials.",
    check: (r) => {
      const m = asRecord(r.inputs["metadataOptions"]);
      return m["httpTokens"] === "required" && m["httpPutResponseHopLimit"] === 1
        ? undefined
        : `metadataOptions ${JSON.stringify(m)}: need httpTokens "required" and httpPutResponseHopLimit 1`;
    },
  },
  {
    kind: "resource",
    id: "launch-template-ebs-encrypted",
    enforcementLevel: "mandatory",
    family: "nodes",
    sources: [{ standard: "aws-fsbp", control: "EC2.7" }],
    resourceTypes: LAUNCH_TEMPLATE,
    description: "Every block device of a launch template is encrypted.",
    check: (r) => {
      const devices = asArray(r.inputs["blockDeviceMappings"]).map(asRecord);
      const plain = devices.filter((d) => at(d, "ebs.encrypted") !== "true");
      return plain.length > 0 ? `unencrypted block devices: ${plain.map((d) => d["deviceName"]).join(", ")}` : undefined;
    },
  },
  {
    kind: "resource",
    id: "launch-template-no-public-ip",
    enforcementLevel: "mandatory",
    family: "nodes",
    sources: [{ standard: "aws-fsbp", control: "EC2.25" }],
    resourceTypes: LAUNCH_TEMPLATE,
    description: "Launch templates do not give instances public IP addresses.",
    check: (r) =>
      asArray(r.inputs["networkInterfaces"]).some((n) => asRecord(n)["associatePublicIpAddress"] === "true")
        ? "a network interface has associatePublicIpAddress true"
        : undefined,
  },
  {
    kind: "resource",
    id: "nodeclass-imdsv2",
    enforcementLevel: "mandatory",
    family: "nodes",
    sources: [{ standard: "aws-fsbp", control: "EC2.170" }],
    resourceTypes: NODE_CLASS,
    description: "Karpenter node classes require IMDSv2 with a hop limit of 1.",
    check: (r) => {
      const m = asRecord(at(r.inputs, "spec.metadataOptions"));
      return m["httpTokens"] === "required" && m["httpPutResponseHopLimit"] === 1
        ? undefined
        : `metadataOptions ${JSON.stringify(m)}: need httpTokens "required" and httpPutResponseHopLimit 1`;
    },
  },
  {
    kind: "resource",
    id: "nodeclass-ebs-encrypted",
    enforcementLevel: "mandatory",
    family: "nodes",
    sources: [{ standard: "aws-fsbp", control: "EC2.7" }],
    resourceTypes: NODE_CLASS,
    description: "Every block device of a Karpenter node class is encrypted.",
    check: (r) => {
      const devices = asArray(at(r.inputs, "spec.blockDeviceMappings")).map(asRecord);
      if (devices.length === 0) return "no blockDeviceMappings: the AMI's default root volume may be unencrypted";
      return devices.some((d) => at(d, "ebs.encrypted") !== true) ? "a block device is not encrypted" : undefined;
    },
  },
  {
    kind: "resource",
    id: "nodeclass-no-public-ip",
    enforcementLevel: "mandatory",
    family: "nodes",
    sources: [{ standard: "aws-fsbp", control: "EC2.25" }],
    resourceTypes: NODE_CLASS,
    description: "Karpenter node classes never associate public IP addresses.",
    check: (r) => (at(r.inputs, "spec.associatePublicIPAddress") === false ? undefined : "spec.associatePublicIPAddress is not false"),
  },
  {
    kind: "resource",
    id: "nodeclass-ami-pinned",
    enforcementLevel: "mandatory",
    family: "nodes",
    sources: [{ standard: "karpenter-docs", control: "NodeClasses: amiSelectorTerms (pin the AMI alias version in production)" }],
    resourceTypes: NODE_CLASS,
    description: "Node classes pin their AMI (alias with a version, never @latest).",
    check: (r) => {
      const terms = asArray(at(r.inputs, "spec.amiSelectorTerms")).map(asRecord);
      return terms.some((t) => typeof t["alias"] === "string" && (t["alias"] as string).endsWith("@latest")) || terms.length === 0
        ? "the AMI is not pinned (alias @latest or no selector)"
        : undefined;
    },
  },
  {
    kind: "resource",
    id: "subnet-no-auto-public-ip",
    enforcementLevel: "advisory",
    family: "network",
    sources: [
      { standard: "aws-fsbp", control: "EC2.15" },
      { standard: "checkov", control: "CKV_AWS_130" },
    ],
    resourceTypes: ["aws:ec2/subnet:Subnet"],
    description: "Subnets do not assign public IP addresses on launch.",
    check: (r) => (r.inputs["mapPublicIpOnLaunch"] === true ? "mapPublicIpOnLaunch is true" : undefined),
  },
  {
    kind: "resource",
    id: "storageclass-encrypted",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [
      { standard: "aws-fsbp", control: "EC2.3" },
      { standard: "checkov", control: "CKV_AWS_3" },
    ],
    resourceTypes: STORAGE_CLASS,
    description: "StorageClasses create encrypted volumes.",
    check: (r) => (at(r.inputs, "parameters.encrypted") === "true" ? undefined : 'parameters.encrypted is not "true"'),
  },
  {
    kind: "resource",
    id: "storageclass-wait-for-first-consumer",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "kubernetes-docs", control: "Storage Classes: Volume Binding Mode (WaitForFirstConsumer)" }],
    resourceTypes: STORAGE_CLASS,
    description: "StorageClasses bind when the pod is scheduled, so that the volume is made in the pod's zone.",
    check: (r) =>
      r.inputs["volumeBindingMode"] === "WaitForFirstConsumer" ? undefined : `volumeBindingMode is ${JSON.stringify(r.inputs["volumeBindingMode"])}`,
  },
  {
    kind: "resource",
    id: "storageclass-retain-in-prod",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "kubernetes-docs", control: "Persistent Volumes: Reclaiming (Retain)" }],
    resourceTypes: STORAGE_CLASS,
    description:
      "In prod, StorageClasses retain volumes when their claims are deleted. The tier comes from the rule context (a StorageClass carries no tier tag): without it the rule cannot tell prod and passes.",
    check: (r, context) =>
      isProd([r], context) && r.inputs["reclaimPolicy"] !== "Retain" ? `reclaimPolicy is ${JSON.stringify(r.inputs["reclaimPolicy"])} in prod` : undefined,
  },
];
