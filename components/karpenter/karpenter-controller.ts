import * as pulumi from "@pulumi/pulumi";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { KARPENTER_VERSION } from "../versions";
import { PHYSICAL_NAME, requireThat, withDefaults } from "../lib/args";
import { managedPolicyArn, podIdentityTrustPolicy, policyJson, serviceTrustPolicy } from "../lib/iam";
import { SYSTEM_NODE_LABEL, SYSTEM_NODE_TAINT } from "../cluster/system-node-group";
import { controllerPolicy } from "./controller-policy";
import { InterruptionQueue } from "./interruption-queue";

/** Where the controller runs: kube-system gets the system-cluster-critical priority class. */
export const KARPENTER_NAMESPACE = "kube-system";
export const KARPENTER_SERVICE_ACCOUNT = "karpenter";
const CHART_REPOSITORY = "oci://public.ecr.aws/karpenter";

export interface KarpenterControllerArgs {
  /** Name of the EKS cluster. */
  readonly clusterName: string;
  /** ARN of the cluster: the controller's role trusts Pod Identity for this cluster only. */
  readonly clusterArn: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  /** Provider of the cluster's Kubernetes API. */
  readonly provider: KubernetesProvider;
  /**
   * Controller replicas; two survive the loss of a node.
   * @default 2
   */
  readonly replicas?: number;
  /**
   * Karpenter release.
   * @default KARPENTER_VERSION
   */
  readonly version?: string;
  /**
   * Tags for every AWS resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const KARPENTER_CONTROLLER_DEFAULTS = {
  replicas: 2,
  version: KARPENTER_VERSION,
  tags: {},
} satisfies Partial<KarpenterControllerArgs>;

const COMPONENT = "KarpenterController";

/**
 * The Karpenter controller: its CRDs and chart at a pinned release, its least-privilege role through
 * Pod Identity, the node role with an EC2_LINUX access entry, and the interruption queue. The
 * controller runs on the system node group, never on nodes it launches.
 *
 * Give it `dependsOn: [the system node group]` as a resource option: every child then waits for the
 * cluster and its nodes (a child registers only after its parent, and the parent only after its
 * dependencies), including the access entry and Pod Identity association that act on the cluster.
 * Node pools should depend on this whole component, so that no node launches before its role may
 * join the cluster.
 */
export class KarpenterController extends pulumi.ComponentResource {
  readonly nodeRoleName: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;
  readonly controllerRoleArn: pulumi.Output<string>;
  /** The controller's policy as JSON, for review and for the IAM simulator tests. */
  readonly controllerPolicyJson: pulumi.Output<string>;
  readonly interruptionQueue: InterruptionQueue;
  /** The chart release; node classes and pools wait for it (they need its CRDs and webhooks). */
  readonly release: Release;

  constructor(name: string, args: KarpenterControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(KARPENTER_CONTROLLER_DEFAULTS, args);
    requireThat(PHYSICAL_NAME.test(a.clusterName), COMPONENT, "clusterName", a.clusterName, "must be lowercase letters, digits and hyphens");
    requireThat(Number.isInteger(a.replicas) && a.replicas >= 1 && a.replicas <= 5, COMPONENT, "replicas", a.replicas, "must be a whole number from 1 to 5");
    requireThat(/^1\.\d+\.\d+$/.test(a.version), COMPONENT, "version", a.version, "must be a Karpenter v1 release such as 1.8.1");
    super("highmem:karpenter:KarpenterController", name, {}, opts);
    const parent = { parent: this };

    const nodeRole = new iam.Role(
      `${name}-node`,
      {
        name: `${a.clusterName}-karpenter-node`,
        description: `Nodes Karpenter launches for EKS cluster ${a.clusterName}`,
        assumeRolePolicy: policyJson(serviceTrustPolicy("ec2.amazonaws.com", ["sts:AssumeRole"])),
        tags: a.tags,
      },
      parent,
    );
    // SSM gives operators a shell without SSH keys or open ports; the VPC CNI's permissions come from Pod Identity.
    for (const policy of ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly", "AmazonSSMManagedInstanceCore"]) {
      new iam.RolePolicyAttachment(`${name}-node-${policy}`, { role: nodeRole.name, policyArn: managedPolicyArn(a.partition, policy) }, parent);
    }
    new eks.AccessEntry(`${name}-node`, { clusterName: a.clusterName, principalArn: nodeRole.arn, type: "EC2_LINUX", tags: a.tags }, parent);

    this.interruptionQueue = new InterruptionQueue(
      `${name}-interruption`,
      {
        queueName: `${a.clusterName}-karpenter`,
        partition: a.partition,
        region: a.region,
        accountId: a.accountId,
        tags: a.tags,
      },
      parent,
    );

    const controllerRole = new iam.Role(
      `${name}-controller`,
      {
        name: `${a.clusterName}-karpenter-controller`,
        description: `Karpenter controller of EKS cluster ${a.clusterName}, through Pod Identity`,
        assumeRolePolicy: policyJson(
          podIdentityTrustPolicy({
            accountId: a.accountId,
            clusterArn: a.clusterArn,
            namespace: KARPENTER_NAMESPACE,
            serviceAccount: KARPENTER_SERVICE_ACCOUNT,
          }),
        ),
        tags: a.tags,
      },
      parent,
    );
    this.controllerPolicyJson = pulumi
      .all([a.partition, a.region, a.accountId, nodeRole.arn, this.interruptionQueue.queueArn])
      .apply(([partition, region, accountId, nodeRoleArn, queueArn]) =>
        JSON.stringify(controllerPolicy({ partition, region, accountId, clusterName: a.clusterName, nodeRoleArn, queueArn })),
      );
    const rolePolicy = new iam.RolePolicy(`${name}-controller`, { role: controllerRole.name, policy: this.controllerPolicyJson }, parent);
    const association = new eks.PodIdentityAssociation(
      `${name}-controller`,
      {
        clusterName: a.clusterName,
        namespace: KARPENTER_NAMESPACE,
        serviceAccount: KARPENTER_SERVICE_ACCOUNT,
        roleArn: controllerRole.arn,
        tags: a.tags,
      },
      { parent: this, dependsOn: [rolePolicy] },
    );

    const k8s = { parent: this, provider: a.provider };
    // CRDs from their own chart: Helm installs a chart's crds/ once and never upgrades them.
    const crds = new Release(
      `${name}-crd`,
      {
        name: "karpenter-crd",
        chart: `${CHART_REPOSITORY}/karpenter-crd`,
        version: a.version,
        namespace: KARPENTER_NAMESPACE,
        atomic: true,
      },
      k8s,
    );

    this.release = new Release(
      `${name}-chart`,
      {
        name: "karpenter",
        chart: `${CHART_REPOSITORY}/karpenter`,
        version: a.version,
        namespace: KARPENTER_NAMESPACE,
        skipCrds: true,
        atomic: true,
        values: {
          replicas: a.replicas,
          serviceAccount: { create: true, name: KARPENTER_SERVICE_ACCOUNT },
          settings: {
            clusterName: a.clusterName,
            interruptionQueue: this.interruptionQueue.queueName,
            featureGates: { spotToSpotConsolidation: true },
          },
          nodeSelector: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
          tolerations: [{ key: SYSTEM_NODE_TAINT.key, operator: "Exists", effect: SYSTEM_NODE_TAINT.effect }],
          // Never on a node Karpenter manages (the chart's default), one replica per node.
          affinity: {
            nodeAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: {
                nodeSelectorTerms: [{ matchExpressions: [{ key: "karpenter.sh/nodepool", operator: "DoesNotExist" }] }],
              },
            },
            podAntiAffinity: {
              requiredDuringSchedulingIgnoredDuringExecution: [
                { topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { "app.kubernetes.io/name": "karpenter" } } },
              ],
            },
          },
          controller: { resources: { requests: { cpu: "1", memory: "1Gi" }, limits: { cpu: "1", memory: "1Gi" } } },
          podDisruptionBudget: { name: "karpenter", maxUnavailable: 1 },
        },
      },
      { ...k8s, dependsOn: [crds, association] },
    );

    this.nodeRoleName = nodeRole.name;
    this.nodeRoleArn = nodeRole.arn;
    this.controllerRoleArn = controllerRole.arn;
    this.registerOutputs({ nodeRoleName: this.nodeRoleName, controllerRoleArn: this.controllerRoleArn, queueName: this.interruptionQueue.queueName });
  }
}
