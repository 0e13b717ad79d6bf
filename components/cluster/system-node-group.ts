import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as eks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import { kubernetesRelease, SUPPORTED_KUBERNETES_VERSIONS, SYSTEM_NODE_AMI_TYPE } from "../versions";
import { requireThat, withDefaults } from "../lib/args";
import { managedPolicyArn, policyJson, serviceTrustPolicy } from "../lib/iam";

/** Label that marks system nodes; Karpenter's controller is pinned to it and never runs on nodes it launches. */
export const SYSTEM_NODE_LABEL = { key: "highmem.io/node-role", value: "system" } as const;
/** Taint that keeps application pods off the system nodes; system add-ons tolerate it. */
export const SYSTEM_NODE_TAINT = { key: "CriticalAddonsOnly", value: "true", effect: "NoSchedule" } as const;

export interface SystemNodeGroupArgs {
  /** Name of the EKS cluster the node group joins. */
  readonly clusterName: pulumi.Input<string>;
  /** Physical name of the node group and prefix of its role. */
  readonly nodeGroupName: string;
  /** Private subnets to launch into, one per zone. */
  readonly subnetIds: pulumi.Input<string[]>;
  /** AWS partition, for managed policy ARNs. */
  readonly partition: pulumi.Input<string>;
  /**
   * Kubernetes minor version of the nodes: the cluster's. Set explicitly, with the AMI release
   * pinned for it, so that a version bump upgrades the nodes too: EKS never upgrades a managed node
   * group with the control plane, and with `version` unset the provider sees no drift after a
   * control-plane upgrade (EKS user guide, "Update a managed node group"; terraform-provider-aws
   * aws_eks_node_group `version`, `release_version`).
   */
  readonly kubernetesVersion: string;
  /**
   * On-demand instance types; more than one lets EC2 fall back when a type is short.
   * @default ["m7i.xlarge", "m6i.xlarge"]
   */
  readonly instanceTypes?: readonly string[];
  /**
   * Minimum and initial number of nodes.
   * @default 2
   */
  readonly minSize?: number;
  /**
   * Maximum number of nodes.
   * @default 4
   */
  readonly maxSize?: number;
  /**
   * Root volume size in GiB (gp3, encrypted).
   * @default 50
   */
  readonly diskSizeGiB?: number;
  /**
   * Tags for every resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const SYSTEM_NODE_GROUP_DEFAULTS = {
  instanceTypes: ["m7i.xlarge", "m6i.xlarge"],
  minSize: 2,
  maxSize: 4,
  diskSizeGiB: 50,
  tags: {},
} satisfies Partial<SystemNodeGroupArgs>;

const COMPONENT = "SystemNodeGroup";

/** Root volume sizes (GiB) a system node may have. */
export const SYSTEM_NODE_DISK_GIB = { min: 20, max: 16384 } as const;

/**
 * A small on-demand managed node group for system pods: CoreDNS, the Karpenter controller, the EBS
 * CSI controller, monitoring. Tainted CriticalAddonsOnly so that application pods go to Karpenter's
 * pools; IMDSv2 with a hop limit of 1 so that pods cannot borrow the node's role.
 */
export class SystemNodeGroup extends pulumi.ComponentResource {
  readonly nodeGroupName: pulumi.Output<string>;
  readonly nodeRoleArn: pulumi.Output<string>;
  /** The node group resource, for ordering add-ons that need running nodes. */
  readonly nodeGroup: eks.NodeGroup;

  constructor(name: string, args: SystemNodeGroupArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(SYSTEM_NODE_GROUP_DEFAULTS, args);
    requireThat(
      SUPPORTED_KUBERNETES_VERSIONS.includes(a.kubernetesVersion),
      COMPONENT,
      "kubernetesVersion",
      a.kubernetesVersion,
      `must be one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}: the versions with a pinned AMI release`,
    );
    requireThat(a.instanceTypes.length > 0, COMPONENT, "instanceTypes", a.instanceTypes, "must list at least one instance type");
    requireThat(
      Number.isInteger(a.minSize) && a.minSize >= 1,
      COMPONENT,
      "minSize",
      a.minSize,
      "must be a whole number of at least 1: the system pods need somewhere to run",
    );
    requireThat(
      Number.isInteger(a.maxSize) && a.maxSize >= a.minSize,
      COMPONENT,
      "maxSize",
      a.maxSize,
      `must be a whole number of at least minSize (${a.minSize})`,
    );
    requireThat(
      Number.isInteger(a.diskSizeGiB) && a.diskSizeGiB >= SYSTEM_NODE_DISK_GIB.min && a.diskSizeGiB <= SYSTEM_NODE_DISK_GIB.max,
      COMPONENT,
      "diskSizeGiB",
      a.diskSizeGiB,
      `must be a whole number of GiB from ${SYSTEM_NODE_DISK_GIB.min} to ${SYSTEM_NODE_DISK_GIB.max}`,
    );
    super("highmem:cluster:SystemNodeGroup", name, {}, opts);
    const parent = { parent: this };

    const role = new iam.Role(
      `${name}-role`,
      {
        name: `${a.nodeGroupName}-node`,
        description: `Nodes of the ${a.nodeGroupName} managed node group`,
        assumeRolePolicy: policyJson(serviceTrustPolicy("ec2.amazonaws.com", ["sts:AssumeRole"])),
        tags: a.tags,
      },
      parent,
    );
    // The VPC CNI gets its permissions through Pod Identity, so the node role needs only these two.
    const attachments = ["AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly"].map(
      (policy) => new iam.RolePolicyAttachment(`${name}-${policy}`, { role: role.name, policyArn: managedPolicyArn(a.partition, policy) }, parent),
    );

    const launchTemplate = new ec2.LaunchTemplate(
      `${name}-lt`,
      {
        namePrefix: `${a.nodeGroupName}-`,
        description: "System nodes: IMDSv2 only, encrypted gp3 root volume",
        updateDefaultVersion: true,
        metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" },
        blockDeviceMappings: [
          {
            deviceName: "/dev/xvda",
            ebs: { volumeSize: a.diskSizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" },
          },
        ],
        tagSpecifications: ["instance", "volume", "network-interface"].map((resourceType) => ({
          resourceType,
          tags: { ...a.tags, Name: a.nodeGroupName },
        })),
        tags: a.tags,
      },
      parent,
    );

    this.nodeGroup = new eks.NodeGroup(
      `${name}-ng`,
      {
        clusterName: a.clusterName,
        nodeGroupName: a.nodeGroupName,
        nodeRoleArn: role.arn,
        subnetIds: a.subnetIds,
        capacityType: "ON_DEMAND",
        amiType: SYSTEM_NODE_AMI_TYPE,
        version: a.kubernetesVersion,
        releaseVersion: kubernetesRelease(a.kubernetesVersion).nodeGroupReleaseVersion,
        instanceTypes: [...a.instanceTypes],
        scalingConfig: { minSize: a.minSize, desiredSize: a.minSize, maxSize: a.maxSize },
        updateConfig: { maxUnavailable: 1 },
        launchTemplate: { id: launchTemplate.id, version: pulumi.interpolate`${launchTemplate.latestVersion}` },
        labels: { [SYSTEM_NODE_LABEL.key]: SYSTEM_NODE_LABEL.value },
        taints: [{ key: SYSTEM_NODE_TAINT.key, value: SYSTEM_NODE_TAINT.value, effect: "NO_SCHEDULE" }],
        nodeRepairConfig: { enabled: true },
        tags: a.tags,
      },
      { parent: this, dependsOn: attachments, ignoreChanges: ["scalingConfig.desiredSize"] },
    );

    this.nodeGroupName = this.nodeGroup.nodeGroupName;
    this.nodeRoleArn = role.arn;
    this.registerOutputs({ nodeGroupName: this.nodeGroupName, nodeRoleArn: this.nodeRoleArn });
  }
}
