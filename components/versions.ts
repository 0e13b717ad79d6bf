/**
 * Every version that is pulled at deploy time lives here, and only here.
 *
 * EKS add-on versions are per Kubernetes minor version: an add-on build is only published for the
 * minors it supports. Values were taken from the version tables of the Amazon EKS user guide
 * (add-on pages for vpc-cni, coredns, kube-proxy, eks-pod-identity-agent, aws-ebs-csi-driver and the
 * metrics-server community add-on). Before raising a pin, confirm it with
 * `aws eks describe-addon-versions --kubernetes-version <minor> --addon-name <name>`.
 */

/** The Kubernetes minor version that new clusters run unless the stack config chooses another. */
export const DEFAULT_KUBERNETES_VERSION = "1.34";

/** The EKS add-ons this platform installs itself (the cluster is created without self-managed ones). */
export type EksAddonName =
  | "vpc-cni"
  | "coredns"
  | "kube-proxy"
  | "eks-pod-identity-agent"
  | "aws-ebs-csi-driver"
  | "metrics-server";

/** Pinned add-on builds for each supported Kubernetes minor version. */
export const EKS_ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<EksAddonName, string>>>> = {
  "1.33": {
    "vpc-cni": "v1.20.1-eksbuild.3",
    coredns: "v1.12.3-eksbuild.1",
    "kube-proxy": "v1.33.3-eksbuild.4",
    "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
    "aws-ebs-csi-driver": "v1.48.0-eksbuild.1",
    "metrics-server": "v0.8.0-eksbuild.1",
  },
  "1.34": {
    "vpc-cni": "v1.20.4-eksbuild.1",
    coredns: "v1.12.4-eksbuild.1",
    "kube-proxy": "v1.34.0-eksbuild.5",
    "eks-pod-identity-agent": "v1.3.9-eksbuild.3",
    "aws-ebs-csi-driver": "v1.51.1-eksbuild.1",
    "metrics-server": "v0.8.0-eksbuild.2",
  },
};

/** Kubernetes minor versions this project has pinned add-ons for, oldest first. */
export const SUPPORTED_KUBERNETES_VERSIONS: readonly string[] = Object.keys(EKS_ADDON_VERSIONS).sort();

/**
 * AMI type of the managed system node group. AL2023 is the only Amazon Linux that EKS supports for
 * Kubernetes 1.33 and later.
 */
export const SYSTEM_NODE_AMI_TYPE = "AL2023_x86_64_STANDARD";

/**
 * Karpenter release: the controller chart and the CRD chart (oci://public.ecr.aws/karpenter). Its
 * v1 CRDs are the ones @kubernetes-models/karpenter validates against in the offline preview.
 */
export const KARPENTER_VERSION = "1.8.1";

/**
 * EKS-optimised AL2023 AMI release for Karpenter's nodes. Pinned: `al2023@latest` would roll every
 * node to whatever AMI is newest at the next drift check. Newer releases: `aws ssm get-parameters-by-path
 * --path /aws/service/eks/optimized-ami/<k8s-minor>/amazon-linux-2023/ --recursive`.
 */
export const KARPENTER_AMI_ALIAS = "al2023@v20251103";

/** Redis server image of the Redis Cluster (official image; uid 999, gid 1000). */
export const REDIS_IMAGE = "redis:7.4.5-alpine";
/** Prometheus exporter sidecar of every Redis node. */
export const REDIS_EXPORTER_IMAGE = "oliver006/redis_exporter:v1.74.0";
/**
 * prometheus-operator CRDs (ServiceMonitor, PrometheusRule, ...) from the prometheus-community chart,
 * installed on their own so that components can declare ServiceMonitors before the monitoring stack.
 */
export const PROMETHEUS_OPERATOR_CRDS_CHART_VERSION = "24.0.1";

/** kube-prometheus-stack (prometheus-community); its CRDs come from PROMETHEUS_OPERATOR_CRDS_CHART_VERSION. */
export const KUBE_PROMETHEUS_STACK_CHART_VERSION = "79.5.0";
