import * as pulumi from "@pulumi/pulumi";
import * as awsEks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as ec2 from "@pulumi/aws/ec2";
import { SecurityGroupIngressRule } from "@pulumi/aws/vpc/securityGroupIngressRule";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { getPartitionOutput } from "@pulumi/aws/getPartition";
import { getRegionOutput } from "@pulumi/aws/getRegion";
// Imported by file: the package index eagerly loads @pulumi/aws and @pulumi/kubernetes whole.
import { Cluster as EksControlPlane } from "@pulumi/eks/cluster";
import { AccessEntryType, AuthenticationMode } from "@pulumi/eks/types/enums";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS } from "../versions";
import { PHYSICAL_NAME, requireThat, withDefaults } from "../lib/args";
import { LOG_RETENTION_DAYS } from "../lib/cloudwatch";
import { managedPolicyArn, policyJson, serviceTrustPolicy } from "../lib/iam";
import { encryptedLogGroup } from "../lib/log-group";
import { declareAddon } from "./addon-resources";
import { EKS_ADDONS, type AddonSpec } from "./addons";
import { SystemNodeGroup, type SystemNodeGroupArgs } from "./system-node-group";
import { KEY_LIFECYCLE } from "../lib/kms";
import { accessCidrProblem, CONTROL_PLANE_LOG_RETENTION_DAYS, deployPathProblem, ROLE_ARN } from "./cluster-rules";

export { accessCidrProblem, CONTROL_PLANE_LOG_RETENTION_DAYS, deployPathProblem, ROLE_ARN } from "./cluster-rules";

/** The control-plane log types EKS can ship to CloudWatch; all are enabled. */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;

export interface EksClusterArgs {
  /** Physical name of the EKS cluster (and prefix of its roles and keys). */
  readonly clusterName: string;
  /** VPC of the cluster. */
  readonly vpcId: pulumi.Input<string>;
  /** Private subnets for nodes and the control plane's network interfaces. */
  readonly privateSubnetIds: pulumi.Input<string[]>;
  /**
   * Public subnets for internet-facing load balancers.
   * @default []
   */
  readonly publicSubnetIds?: pulumi.Input<string[]>;
  /**
   * Kubernetes minor version; one the project pins add-ons for.
   * @default DEFAULT_KUBERNETES_VERSION
   */
  readonly kubernetesVersion?: string;
  /**
   * IAM roles granted cluster-admin through access entries.
   * @default []
   */
  readonly adminRoleArns?: readonly string[];
  /**
   * CIDR blocks allowed to reach the public API endpoint; empty keeps the endpoint private.
   * @default []
   */
  readonly publicAccessCidrs?: readonly string[];
  /**
   * CIDR blocks inside the VPC or a connected network (a self-hosted CI runner's subnet, a VPN)
   * allowed to reach the private API endpoint on 443. A private endpoint answers only from the VPC
   * or connected networks, and only sources the cluster security group admits on 443 (EKS user
   * guide, "Cluster API server endpoint": "ensure that your Amazon EKS control plane security group
   * contains rules to allow ingress traffic on port 443").
   * @default []
   */
  readonly privateAccessCidrs?: readonly string[];
  /**
   * The on-demand node group for system pods.
   * @default SYSTEM_NODE_GROUP_DEFAULTS
   */
  readonly systemNodes?: Pick<SystemNodeGroupArgs, "instanceTypes" | "minSize" | "maxSize" | "diskSizeGiB">;
  /**
   * Retention of the control-plane log group, in days; the group is encrypted with a key of its own.
   * @default 365
   */
  readonly logRetentionDays?: number;
  /**
   * Protect the cluster and its secrets key against deletion and replacement (prod).
   * @default false
   */
  readonly protect?: boolean;
  /**
   * Tags for every AWS resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const EKS_CLUSTER_DEFAULTS = {
  publicSubnetIds: [] as string[],
  kubernetesVersion: DEFAULT_KUBERNETES_VERSION,
  adminRoleArns: [] as readonly string[],
  publicAccessCidrs: [] as readonly string[],
  privateAccessCidrs: [] as readonly string[],
  systemNodes: {},
  logRetentionDays: CONTROL_PLANE_LOG_RETENTION_DAYS,
  protect: false,
  tags: {},
} satisfies Partial<EksClusterArgs>;

const COMPONENT = "EksCluster";

/**
 * An EKS cluster in API authentication mode: secrets encrypted with a rotating KMS key, all
 * control-plane logs, a private endpoint (public only from listed CIDRs), a system node group, and
 * pinned managed add-ons whose AWS permissions come from Pod Identity. Exposes a Kubernetes provider
 * built from the cluster's kubeconfig for every component that declares Kubernetes objects.
 */
export class EksCluster extends pulumi.ComponentResource {
  readonly clusterName: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly kubeconfig: pulumi.Output<string>;
  readonly clusterSecurityGroupId: pulumi.Output<string>;
  readonly secretsKeyArn: pulumi.Output<string>;
  readonly systemNodeGroup: SystemNodeGroup;
  /** Role of the EBS CSI controller: the storage component grants it use of its volume key. */
  readonly ebsCsiRoleName: pulumi.Output<string>;
  /** The EBS CSI driver add-on: anything that claims an EBS volume must be created after it. */
  readonly ebsCsiDriver: awsEks.Addon;
  readonly provider: KubernetesProvider;
  readonly kubernetesVersion: string;
  /** Creates the add-ons of phase afterWorkerNodes; see installWorkerNodeAddons. */
  private installLater: ((dependsOn: pulumi.Resource[]) => { spec: AddonSpec; addon: awsEks.Addon }[]) | undefined;
  private readonly workerAddons = new Map<string, awsEks.Addon>();
  /** Partition, account and region of the cluster, for ARNs and policies of components built on it. */
  readonly partition: pulumi.Output<string>;
  readonly accountId: pulumi.Output<string>;
  readonly region: pulumi.Output<string>;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(EKS_CLUSTER_DEFAULTS, args);
    requireThat(
      PHYSICAL_NAME.test(a.clusterName) && a.clusterName.length <= 40,
      COMPONENT,
      "clusterName",
      a.clusterName,
      "must be 2-40 lowercase letters, digits and hyphens, starting with a letter (role names are derived from it)",
    );
    requireThat(
      SUPPORTED_KUBERNETES_VERSIONS.includes(a.kubernetesVersion),
      COMPONENT,
      "kubernetesVersion",
      a.kubernetesVersion,
      `must be one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}: the versions this project pins add-ons for`,
    );
    for (const arn of a.adminRoleArns) requireThat(ROLE_ARN.test(arn), COMPONENT, "adminRoleArns", arn, "must be IAM role ARNs");
    for (const cidr of a.publicAccessCidrs)
      requireThat(accessCidrProblem(cidr, "public") === undefined, COMPONENT, "publicAccessCidrs", cidr, accessCidrProblem(cidr, "public") ?? "");
    for (const cidr of a.privateAccessCidrs)
      requireThat(accessCidrProblem(cidr, "private") === undefined, COMPONENT, "privateAccessCidrs", cidr, accessCidrProblem(cidr, "private") ?? "");
    const deployPath = deployPathProblem(a.publicAccessCidrs, a.privateAccessCidrs);
    requireThat(deployPath === undefined, COMPONENT, "privateAccessCidrs", a.privateAccessCidrs, deployPath ?? "");
    requireThat(
      (LOG_RETENTION_DAYS as readonly number[]).includes(a.logRetentionDays),
      COMPONENT,
      "logRetentionDays",
      a.logRetentionDays,
      "must be a CloudWatch Logs retention period such as 7, 30 or 90",
    );
    super("highmem:cluster:EksCluster", name, {}, opts);
    const parent = { parent: this };
    const stateful = { parent: this, protect: a.protect };
    this.kubernetesVersion = a.kubernetesVersion;

    const partition = getPartitionOutput({}, parent).partition;
    const accountId = getCallerIdentityOutput({}, parent).accountId;
    const region = getRegionOutput({}, parent).region;
    this.clusterArn = pulumi.interpolate`arn:${partition}:eks:${region}:${accountId}:cluster/${a.clusterName}`;
    this.partition = partition;
    this.accountId = accountId;
    this.region = region;

    // The cluster's service role, named with the cluster's prefix. Left to @pulumi/eks, it would be
    // "<component>-eksRole-role-<suffix>" with no stack prefix (pulumi-eks v4.3.0
    // nodejs/eks/cluster/cluster.ts creates ServiceRole `${name}-eksRole` with AmazonEKSClusterPolicy
    // and sts:AssumeRole + sts:TagSession when no serviceRole is given), and every stack's deploy role
    // would need rights over every stack's. The same trust and policy, under this cluster's name.
    const serviceRole = new iam.Role(
      `${name}-service`,
      {
        name: `${a.clusterName}-eks-cluster`,
        description: `EKS control plane of cluster ${a.clusterName}`,
        // Bound to this cluster against the cross-service confused deputy: "Amazon EKS accepts the
        // aws:SourceArn and aws:SourceAccount conditions in the trust policy of an EKS cluster role"
        // (EKS User Guide, "Cross-service confused deputy prevention in Amazon EKS", 2025-08-19;
        // awsdocs/amazon-eks-user-guide commit 9fedf66).
        assumeRolePolicy: policyJson(
          serviceTrustPolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"], {
            StringEquals: { "aws:SourceAccount": accountId },
            ArnLike: { "aws:SourceArn": this.clusterArn },
          }),
        ),
        tags: a.tags,
      },
      parent,
    );
    const servicePolicy = new iam.RolePolicyAttachment(
      `${name}-service-AmazonEKSClusterPolicy`,
      { role: serviceRole.name, policyArn: managedPolicyArn(partition, "AmazonEKSClusterPolicy") },
      parent,
    );

    const secretsKey = new kms.Key(
      `${name}-secrets`,
      {
        description: `Envelope encryption of Kubernetes secrets in EKS cluster ${a.clusterName}`,
        ...KEY_LIFECYCLE,
        tags: a.tags,
      },
      stateful,
    );
    new kms.Alias(`${name}-secrets`, { name: `alias/${a.clusterName}-eks-secrets`, targetKeyId: secretsKey.keyId }, parent);

    // Created before the cluster, so that EKS writes into a group with a retention and a key of ours
    // instead of creating one that keeps logs forever, unencrypted by us.
    const { logGroup } = encryptedLogGroup(
      `${name}-control-plane`,
      {
        logGroupName: `/aws/eks/${a.clusterName}/cluster`,
        retentionInDays: a.logRetentionDays,
        keyAlias: `${a.clusterName}-eks-logs`,
        purpose: `the control-plane logs of EKS cluster ${a.clusterName}`,
        partition,
        accountId,
        region,
        protect: a.protect,
        tags: a.tags,
      },
      this,
    );

    const cluster = new EksControlPlane(
      `${name}-eks`,
      {
        name: a.clusterName,
        serviceRole,
        version: a.kubernetesVersion,
        vpcId: a.vpcId,
        privateSubnetIds: a.privateSubnetIds,
        publicSubnetIds: a.publicSubnetIds,
        nodeAssociatePublicIpAddress: false,
        authenticationMode: AuthenticationMode.Api,
        accessEntries: Object.fromEntries(
          a.adminRoleArns.map((principalArn, i) => [
            `admin-${i}`,
            {
              principalArn,
              type: AccessEntryType.Standard,
              accessPolicies: {
                clusterAdmin: {
                  policyArn: pulumi.interpolate`arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
                  accessScope: { type: "cluster" },
                },
              },
            },
          ]),
        ),
        encryptionConfigKeyArn: secretsKey.arn,
        enabledClusterLogTypes: [...CONTROL_PLANE_LOG_TYPES],
        endpointPrivateAccess: true,
        endpointPublicAccess: a.publicAccessCidrs.length > 0,
        ...(a.publicAccessCidrs.length > 0 ? { publicAccessCidrs: [...a.publicAccessCidrs] } : {}),
        // Every add-on below is a pinned managed add-on; none is installed behind our back.
        bootstrapSelfManagedAddons: false,
        useDefaultVpcCni: true,
        corednsAddonOptions: { enabled: false },
        kubeProxyAddonOptions: { enabled: false },
        skipDefaultNodeGroup: true,
        skipDefaultSecurityGroups: true,
        createOidcProvider: false,
        deletionProtection: a.protect,
        // Standard support only: at the end of standard support AWS upgrades the control plane to the
        // next minor itself, instead of moving it to extended support at six times the price (EKS user
        // guide, "cluster upgrade policy"). Nodes do not follow: raise kubernetesVersion before then, so
        // that the node group and Karpenter's AMIs move with it.
        upgradePolicy: { supportType: "STANDARD" },
        tags: a.tags,
        clusterTags: a.tags,
      },
      { ...stateful, dependsOn: [logGroup, servicePolicy] },
    );

    this.clusterName = cluster.urn.apply(() => a.clusterName);
    this.kubeconfig = pulumi.secret(cluster.kubeconfigJson);
    this.clusterSecurityGroupId = cluster.clusterSecurityGroupId;
    this.secretsKeyArn = secretsKey.arn;
    // Karpenter's nodes join the security group EKS created for the cluster; they find it by this tag.
    new ec2.Tag(`${name}-sg-discovery`, { resourceId: this.clusterSecurityGroupId, key: "karpenter.sh/discovery", value: a.clusterName }, parent);
    a.privateAccessCidrs.forEach(
      (cidrIpv4, i) =>
        new SecurityGroupIngressRule(
          `${name}-api-private-${i}`,
          {
            securityGroupId: this.clusterSecurityGroupId,
            cidrIpv4,
            ipProtocol: "tcp",
            fromPort: 443,
            toPort: 443,
            description: "Kubernetes API from a deploy path inside the VPC (privateAccessCidrs)",
            tags: a.tags,
          },
          parent,
        ),
    );

    const addonsFor = (phase: AddonSpec["phase"], dependsOn: pulumi.Resource[]) =>
      EKS_ADDONS.filter((s) => s.phase === phase).map((spec) =>
        declareAddon(this, name, spec, { ...a, clusterNameOutput: this.clusterName, clusterArn: this.clusterArn, partition, accountId }, dependsOn),
      );

    const networking = addonsFor("beforeNodes", [cluster]);
    this.systemNodeGroup = new SystemNodeGroup(
      `${name}-system`,
      {
        clusterName: this.clusterName,
        nodeGroupName: `${a.clusterName}-system`,
        subnetIds: pulumi.output(a.privateSubnetIds),
        partition,
        kubernetesVersion: a.kubernetesVersion,
        ...a.systemNodes,
        tags: a.tags,
      },
      { parent: this, dependsOn: networking.map((x) => x.addon) },
    );
    const workloads = addonsFor("afterNodes", [this.systemNodeGroup]);
    this.installLater = (dependsOn) => addonsFor("afterWorkerNodes", dependsOn);
    const ebsCsi = workloads.find((x) => x.spec.name === "aws-ebs-csi-driver")!;
    this.ebsCsiRoleName = ebsCsi.role!.name;
    this.ebsCsiDriver = ebsCsi.addon;

    this.provider = new KubernetesProvider(`${name}-k8s`, { kubeconfig: this.kubeconfig, enableServerSideApply: true }, { parent: this });

    this.registerOutputs({
      clusterName: this.clusterName,
      clusterArn: this.clusterArn,
      kubeconfig: this.kubeconfig,
      clusterSecurityGroupId: this.clusterSecurityGroupId,
      secretsKeyArn: this.secretsKeyArn,
    });
  }

  /**
   * Installs the add-ons whose pods need worker nodes (metrics-server), after the given resources:
   * the node pool or node group their pods can run on. Call it once, when that capacity exists.
   */
  installWorkerNodeAddons(dependsOn: pulumi.Resource[]): awsEks.Addon[] {
    if (!this.installLater) throw new Error("EksCluster.installWorkerNodeAddons: already called; the add-ons exist once");
    const install = this.installLater;
    this.installLater = undefined;
    const installed = install(dependsOn);
    for (const x of installed) this.workerAddons.set(x.spec.name, x.addon);
    return installed.map((x) => x.addon);
  }

  /**
   * One add-on of phase afterWorkerNodes, once installWorkerNodeAddons has run: what needs it (a
   * VolumeSnapshotClass needs the snapshot-controller's CRDs) depends on it.
   */
  workerNodeAddon(name: AddonSpec["name"]): awsEks.Addon {
    const addon = this.workerAddons.get(name);
    if (!addon)
      throw new Error(
        `EksCluster.workerNodeAddon: ${name} is not installed (call installWorkerNodeAddons first; it installs ${EKS_ADDONS.filter(
          (s) => s.phase === "afterWorkerNodes",
        )
          .map((s) => s.name)
          .join(", ")})`,
      );
    return addon;
  }
}
