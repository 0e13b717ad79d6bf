/**
 * Every version that is pulled at deploy time lives here, and only here, with where it was read.
 *
 * EKS add-on versions are live data: the user guide's tables have listed builds the API never
 * offered (kube-proxy v1.34.0-eksbuild.5: awsdocs/amazon-eks-user-guide PR #1168, 2025-11-14,
 * corrected it to v1.34.0-eksbuild.4 from `describe-addon-versions`). So the deploy workflow checks
 * every pin with `npm run addons:verify` (tools/verify-addon-pins.ts) before `pulumi up`, and fails
 * naming the builds the API does offer. Raise a pin only to a build that command lists.
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
  | "metrics-server"
  | "aws-mountpoint-s3-csi-driver"
  | "snapshot-controller";

/** What one Kubernetes minor version needs pinned: add-on builds and the node AMI release. */
export interface KubernetesRelease {
  readonly addons: Readonly<Record<EksAddonName, string>>;
  /**
   * EKS-optimised AL2023 AMI release for Karpenter's node classes. An alias resolves per cluster minor
   * through SSM (/aws/service/eks/optimized-ami/<minor>/amazon-linux-2023/...-<minor>-<release>;
   * aws/karpenter-provider-aws@v1.8.1 pkg/providers/amifamily/al2023.go), so the release must exist
   * for this minor; `@latest` would roll every node at the next drift check.
   */
  readonly karpenterAmiAlias: string;
  /** The same AMI release as a managed node group releaseVersion (<kubernetes patch>-<date>). */
  readonly nodeGroupReleaseVersion: string;
  /** Where each value was read, and when. */
  readonly sources: readonly string[];
}

/**
 * snapshot-controller: the EKS add-on name (EKS user guide, addons-csi-snapshot-controller: "The
 * Amazon EKS add-on name is snapshot-controller"; it needs no IAM permissions). Build
 * v8.3.0-eksbuild.1 is the one `aws eks list-insights`/describe-cluster dumps in public repositories
 * show installed next to vpc-cni v1.20.1-eksbuild.3 (a 1.32 cluster checked for its update to 1.33);
 * upstream kubernetes-csi/external-snapshotter v8.3.0. That EKS offers it for 1.33 and 1.34 is
 * confirmed only by addons:verify, which fails naming the builds the API offers.
 */
const SNAPSHOT_CONTROLLER_SOURCE =
  "snapshot-controller: v8.3.0-eksbuild.1 from public describe-cluster dumps (a 1.32 cluster before its 1.33 update; upstream external-snapshotter v8.3.0); that EKS offers this build for this minor is confirmed only by addons:verify";

/**
 * Read 2026-11-23 (issue 12's audit). AMI release v20251108: awslabs/amazon-eks-ami CHANGELOG.md,
 * "AMI Release v20251108", lists 1.34.1-20251108 and 1.33.5-20251108 for AL2023 (v20251103 has no
 * CHANGELOG section and no public 1.34 build). Add-ons: see each source line.
 */
export const KUBERNETES_RELEASES: Readonly<Record<string, KubernetesRelease>> = {
  "1.33": {
    addons: {
      "vpc-cni": "v1.20.1-eksbuild.3",
      coredns: "v1.12.3-eksbuild.1",
      "kube-proxy": "v1.33.3-eksbuild.4",
      "eks-pod-identity-agent": "v1.3.8-eksbuild.2",
      "aws-ebs-csi-driver": "v1.48.0-eksbuild.1",
      "metrics-server": "v0.8.0-eksbuild.1",
      "aws-mountpoint-s3-csi-driver": "v2.7.0-eksbuild.1",
      "snapshot-controller": "v8.3.0-eksbuild.1",
    },
    karpenterAmiAlias: "al2023@v20251108",
    nodeGroupReleaseVersion: "1.33.5-20251108",
    sources: [
      "vpc-cni, coredns: EKS user guide add-on tables (managing-vpc-cni.adoc, managing-coredns.adoc, 1.33 rows)",
      "kube-proxy: describe-addon-versions output for 1.33 quoted in awsdocs/amazon-eks-user-guide PR #1155 (2025-11-03)",
      "eks-pod-identity-agent, aws-ebs-csi-driver, metrics-server: public IaC pinning these builds on 1.33 clusters; confirmed only by addons:verify",
      "aws-mountpoint-s3-csi-driver: v2.7.0-eksbuild.1 from public IaC recommending it as the EKS add-on build (a 1.36 cluster); driver v2.7.0 (awslabs/mountpoint-s3-csi-driver tag v2.7.0, 2026-06-11: charts/aws-mountpoint-s3-csi-driver/Chart.yaml kubeVersion >=1.30.0-0); that EKS offers this build for this minor is confirmed only by addons:verify",
      SNAPSHOT_CONTROLLER_SOURCE,
    ],
  },
  "1.34": {
    addons: {
      "vpc-cni": "v1.20.4-eksbuild.1",
      coredns: "v1.12.4-eksbuild.1",
      "kube-proxy": "v1.34.0-eksbuild.4",
      "eks-pod-identity-agent": "v1.3.9-eksbuild.3",
      "aws-ebs-csi-driver": "v1.51.1-eksbuild.1",
      "metrics-server": "v0.8.0-eksbuild.2",
      "aws-mountpoint-s3-csi-driver": "v2.7.0-eksbuild.1",
      "snapshot-controller": "v8.3.0-eksbuild.1",
    },
    karpenterAmiAlias: "al2023@v20251108",
    nodeGroupReleaseVersion: "1.34.1-20251108",
    sources: [
      "coredns: EKS user guide, Manage CoreDNS, 1.34 row",
      "kube-proxy: awsdocs/amazon-eks-user-guide PR #1168 (2025-11-14), from describe-addon-versions",
      "vpc-cni, eks-pod-identity-agent, aws-ebs-csi-driver, metrics-server: public IaC pinning these builds on 1.34 clusters; confirmed only by addons:verify",
      "aws-mountpoint-s3-csi-driver: v2.7.0-eksbuild.1 from public IaC recommending it as the EKS add-on build (a 1.36 cluster); driver v2.7.0 (awslabs/mountpoint-s3-csi-driver tag v2.7.0, 2026-06-11: charts/aws-mountpoint-s3-csi-driver/Chart.yaml kubeVersion >=1.30.0-0); that EKS offers this build for this minor is confirmed only by addons:verify",
      SNAPSHOT_CONTROLLER_SOURCE,
    ],
  },
};

/** Pinned add-on builds for each supported Kubernetes minor version. */
export const EKS_ADDON_VERSIONS: Readonly<Record<string, Readonly<Record<EksAddonName, string>>>> = Object.fromEntries(
  Object.entries(KUBERNETES_RELEASES).map(([minor, release]) => [minor, release.addons]),
);

/** Kubernetes minor versions this project has pinned add-ons for, oldest first. */
export const SUPPORTED_KUBERNETES_VERSIONS: readonly string[] = Object.keys(KUBERNETES_RELEASES).sort();

/** The pins of a supported minor version; throws naming the supported ones otherwise. */
export function kubernetesRelease(minor: string): KubernetesRelease {
  const release = KUBERNETES_RELEASES[minor];
  if (!release) throw new Error(`Kubernetes ${minor} has no pinned release; supported: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`);
  return release;
}

/**
 * AMI type of the managed system node group. AL2023 is the only Amazon Linux that EKS supports for
 * Kubernetes 1.33 and later.
 */
export const SYSTEM_NODE_AMI_TYPE = "AL2023_x86_64_STANDARD";

/**
 * Karpenter release: the controller chart and the CRD chart (oci://public.ecr.aws/karpenter). Its
 * v1 CRDs are the ones @kubernetes-models/karpenter validates against in the offline preview.
 * Read 2026-11-23: tag v1.8.1 of aws/karpenter-provider-aws (2025-10-09; the release commit after it
 * sets the chart version 1.8.1 and changes no template). It supports clusters up to Kubernetes 1.34
 * (pkg/providers/version/version.go MaxK8sVersion): a newer minor needs a Karpenter upgrade first.
 */
export const KARPENTER_VERSION = "1.8.1";

/**
 * Valkey server image of the cluster, the default engine (components/redis/engine.ts). Valkey is the
 * Linux Foundation's fork of Redis 7.2.4, BSD 3-Clause licensed (valkey-io/valkey COPYING), while
 * Redis from 7.4 on is dual-licensed RSALv2 / SSPLv1, source-available but not open source
 * (https://redis.io/blog/redis-adopts-dual-source-available-licensing/): a platform teams fork and
 * run should default to the open-source engine. Tag from valkey-io/valkey-container@00a2b211
 * versions.json ("8.1": 8.1.8, alpine 3.23) and 8.1/alpine/Dockerfile (user valkey, uid 999,
 * gid 1000; valkey-server and valkey-cli in /usr/local/bin). Not verified against the registry from
 * here; `pulumi up` fails at image pull if it is gone.
 */
export const VALKEY_IMAGE = "valkey/valkey:8.1.8-alpine";
/**
 * Redis server image, for engine "redis" (official image; uid 999, gid 1000). Redis 7.4 is
 * RSALv2/SSPLv1 licensed (see VALKEY_IMAGE). Not verified against the registry from here.
 */
export const REDIS_IMAGE = "redis:7.4.5-alpine";
/**
 * Prometheus exporter sidecar of every node; it serves Valkey and Redis alike (oliver006/redis_exporter@v1.74.0
 * README.md: "Supports Valkey and Redis 2.x, ... 7.x"). Not verified against the registry offline.
 */
export const REDIS_EXPORTER_IMAGE = "oliver006/redis_exporter:v1.74.0";
/**
 * prometheus-operator CRDs (ServiceMonitor, PrometheusRule, ...) from the prometheus-community chart,
 * installed on their own so that components can declare ServiceMonitors before the monitoring stack.
 */
// Read 2026-11-23: tag prometheus-operator-crds-24.0.1 of prometheus-community/helm-charts (appVersion v0.86.1).
export const PROMETHEUS_OPERATOR_CRDS_CHART_VERSION = "24.0.1";

/** kube-prometheus-stack (prometheus-community); its CRDs come from PROMETHEUS_OPERATOR_CRDS_CHART_VERSION. */
// Read 2026-11-23: tag kube-prometheus-stack-79.5.0 of prometheus-community/helm-charts (operator v0.86.2;
// subcharts grafana 10.1.4, kube-state-metrics 6.4.1, prometheus-node-exporter 4.49.1).
export const KUBE_PROMETHEUS_STACK_CHART_VERSION = "79.5.0";

/**
 * Image of the capacity windows' placeholder pods: the pause container, which does nothing and uses
 * no memory of its own, only the requests it holds. Tag 3.10.1 is kubeadm's PauseVersion
 * (kubernetes/kubernetes cmd/kubeadm/app/constants/constants.go, read 2026-11-23); its image runs
 * as 65535:65535. Not verified against the registry offline.
 */
export const PAUSE_IMAGE = "registry.k8s.io/pause:3.10.1";

/**
 * kubectl of the windows' scaling CronJobs: the Kubernetes project's own image (registry.k8s.io/kubectl,
 * published with every release since 1.28), at the default cluster minor (kubectl supports one minor
 * of skew either way). Read 2026-11-23 from public manifests pinning v1.34.1; not verified against
 * the registry offline.
 */
export const KUBECTL_IMAGE = "registry.k8s.io/kubectl:v1.34.1";

/**
 * KEDA (kedacore/charts, chart `keda`, repository https://kedacore.github.io/charts). Read 2026-11-23:
 * tag v2.19.0 of kedacore/charts (keda/Chart.yaml version and appVersion 2.19.0, kubeVersion
 * ">=v1.23.0-0"); KEDA v2.19 is tested on Kubernetes v1.32 - v1.34 (kedacore/keda-docs
 * content/docs/2.19/operate/cluster.md, "Kubernetes Compatibility"), so both supported minors.
 * @kubernetes-models/keda 2.0.0, which validates ScaledObjects offline, is generated from KEDA v2.19.0's
 * API (tommy351/kubernetes-models-ts third-party/keda/go.mod). Raise both together.
 */
export const KEDA_CHART_VERSION = "2.19.0";

/**
 * Vertical Pod Autoscaler: kubernetes/autoscaler's own chart `vertical-pod-autoscaler` (repository
 * https://kubernetes.github.io/autoscaler). Read 2026-11-23: tag vertical-pod-autoscaler-chart-0.9.0
 * (appVersion 1.6.0; listed in the gh-pages index.yaml with its release tarball). VPA 1.6.x supports
 * Kubernetes 1.28+ (vertical-pod-autoscaler/v1.6.0 docs/installation.md, "Compatibility").
 * @kubernetes-models/autoscaler 5.0.0 is generated from VPA v1.6.0's API (third-party/autoscaler/go.mod).
 * The chart's README at that tag still says it is "under development": only its recommender runs here.
 */
export const VPA_CHART_VERSION = "0.9.0";

/**
 * Default image of the reference HighMemoryWorkload (components/workloads/high-memory-workload.ts):
 * the official Python image, slim Debian 12 variant, multi-arch (amd64 and arm64v8, so it runs on
 * either kind of high-memory node). Tag listed in docker-library/official-images library/python
 * (commit 01732a42e52ea2aca4809bd272fc38002f19006a: "3.12.12-slim-bookworm", Architectures include
 * amd64, arm64v8). Its USER is root: the workload runs it as DEFAULT_RUN_AS_USER. Not verified
 * against the registry offline.
 */
export const HIGH_MEMORY_WORKLOAD_IMAGE = "python:3.12.12-slim-bookworm";

/**
 * AWS CLI v2 of the Redis backup CronJob's upload container (AWS's own image on ECR Public). 2.32.9 is
 * pinned in public IaC (a Terraform module's pod_image default, public.ecr.aws/aws-cli/aws-cli:2.32.9).
 * EKS Pod Identity credentials need AWS CLI 2.15.0 or later (EKS user guide, "Use pod identity with
 * the AWS SDK", pod-id-minimum-sdk.html): the container credential provider reads
 * AWS_CONTAINER_CREDENTIALS_FULL_URI and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE, which the Pod Identity
 * webhook injects. The image's entrypoint is aws; its shell runs the upload script. Not verified
 * against the registry offline.
 */
export const AWS_CLI_IMAGE = "public.ecr.aws/aws-cli/aws-cli:2.32.9";

/**
 * Where the platform's own images come from, as registry hosts or host/path prefixes of normalised
 * image names (docker.io/library/redis for `redis`: policies/rules/images.ts): the pins above, and the
 * images the pinned charts run at their defaults (components/lib/charts, each chart's values.yaml at
 * its tag). The default of the `imageRegistries` config key, which must keep every one of them; a test
 * keeps every image of the platform, pinned here or run by a chart, inside this list.
 */
export const PLATFORM_IMAGE_REGISTRIES: readonly string[] = [
  // VALKEY_IMAGE, REDIS_IMAGE, HIGH_MEMORY_WORKLOAD_IMAGE (Docker Hub official images), REDIS_EXPORTER_IMAGE
  "docker.io/valkey",
  "docker.io/library",
  "docker.io/oliver006",
  // grafana chart 10.1.4 image.registry/repository docker.io grafana/grafana
  "docker.io/grafana",
  // AWS_CLI_IMAGE; karpenter 1.8.1 controller.image.repository public.ecr.aws/karpenter/controller
  "public.ecr.aws/aws-cli",
  "public.ecr.aws/karpenter",
  // PAUSE_IMAGE, KUBECTL_IMAGE; kube-state-metrics, VPA and kube-webhook-certgen images of the charts
  "registry.k8s.io",
  // kube-prometheus-stack 79.5.0: prometheus, alertmanager, node-exporter (quay.io/prometheus/*),
  // operator, config reloader (quay.io/prometheus-operator/*); grafana's k8s-sidecar (quay.io/kiwigrid)
  "quay.io/prometheus",
  "quay.io/prometheus-operator",
  "quay.io/kiwigrid",
  // keda 2.19.0 image.*.registry ghcr.io, repositories kedacore/*
  "ghcr.io/kedacore",
  // kyverno chart 3.9.0 (components/admission): its controllers' and hooks' images, image.registry reg.kyverno.io
  "reg.kyverno.io",
];

/**
 * Kyverno, the admission controller for what teams deploy outside Pulumi (components/admission):
 * chart `kyverno` of https://kyverno.github.io/kyverno/. Read 2026-11-23: tag v1.19.0 of
 * kyverno/kyverno (2026-08-20, the newest stable tag), charts/kyverno/Chart.yaml version 3.9.0,
 * appVersion v1.19.0, kubeVersion ">=1.25.0-0". Its ValidatingPolicy kind (policies.kyverno.io/v1)
 * is stable since Kyverno 1.17 (kyverno.io/docs/policy-types/overview), and the schema the offline
 * preview checks policies against is that tag's CRD (tools/preview/schemas/README.md).
 */
export const KYVERNO_CHART_VERSION = "3.9.0";
