/**
 * What each Pulumi resource type the platform declares needs from IAM to be created, read,
 * updated and deleted. One entry per type, with its source:
 * - action names and the resource types they take: the Service Authorization Reference
 *   ("Actions, resources, and condition keys for <service>",
 *   https://docs.aws.amazon.com/service-authorization/latest/reference/);
 * - which API calls a resource makes: the Terraform AWS provider's resource (the Pulumi AWS provider
 *   is built on it), internal/service/<service>/<resource>.go, its create, read, update and delete
 *   functions.
 * `read` is what a refresh or preview calls; `write` adds what create/update/delete call. A type
 * missing here fails the build (deploy-policy.ts): nothing is granted by guess.
 */
import type { Target } from "./scope";
import { SAR, TF } from "./sources";
import { S3_TYPE_PERMISSIONS } from "./table-s3";

export interface Grant {
  readonly actions: readonly string[];
  readonly target: Target;
  /** Narrows an EC2 target to one resource type, such as "security-group". */
  readonly ec2ResourceType?: string;
}

export interface TypePermissions {
  readonly source: string;
  readonly read: readonly Grant[];
  readonly write: readonly Grant[];
  /** Services the resource hands one of the stack's roles to (iam:PassRole, iam:PassedToService). */
  readonly passRoleTo?: readonly string[];
  /** AWS managed policies the resource attaches by itself (remote components). */
  readonly attachesManagedPolicies?: readonly string[];
  /** Service-linked roles the service creates on first use (iam:CreateServiceLinkedRole, iam:AWSServiceName). */
  readonly serviceLinkedRoles?: readonly string[];
}

const ec2 = (resource: string, o: { describe: string[]; create?: string[]; change?: string[] }): TypePermissions => ({
  source: `${SAR("Amazon EC2")}; ${TF(resource)}`,
  read: [{ actions: o.describe.map((a) => `ec2:${a}`), target: "any" }],
  write: [
    ...(o.create ? [{ actions: o.create.map((a) => `ec2:${a}`), target: "ec2-new" as const }] : []),
    ...(o.change ? [{ actions: o.change.map((a) => `ec2:${a}`), target: "ec2-owned" as const }] : []),
  ],
});

/** Resource types, and families of types, that need no AWS permission of their own. */
export const NO_AWS_PERMISSIONS: readonly { readonly prefix: string; readonly why: string }[] = [
  { prefix: "highmem:", why: "the project's own ComponentResources: they create nothing themselves" },
  {
    prefix: "kubernetes:",
    why: "Kubernetes objects: the cluster's API authorizes them (the deploy role creates the cluster and gets its creator access entry, @pulumi/eks 4.x bootstrapClusterCreatorAdminPermissions)",
  },
  { prefix: "pulumi:providers:kubernetes", why: "a provider instance: no cloud call" },
  { prefix: "random:", why: "computed by the random provider locally" },
];

export const TYPE_PERMISSIONS: Readonly<Record<string, TypePermissions>> = {
  "aws:ec2/vpc:Vpc": ec2("aws_vpc", {
    describe: ["DescribeVpcs", "DescribeVpcAttribute", "DescribeRouteTables", "DescribeNetworkAcls", "DescribeSecurityGroups", "DescribeSecurityGroupRules"],
    create: ["CreateVpc"],
    change: ["ModifyVpcAttribute", "DeleteVpc"],
  }),
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": {
    // aws_default_security_group adopts the group AWS made with the VPC, untagged: it tags it and
    // revokes its rules. So it may touch a security group with no stack tag, never another stack's.
    source: `${SAR("Amazon EC2")}; ${TF("aws_default_security_group")}`,
    read: [{ actions: ["ec2:DescribeSecurityGroups", "ec2:DescribeSecurityGroupRules"], target: "any" }],
    write: [
      {
        actions: ["ec2:CreateTags", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"],
        target: "ec2-owned",
        ec2ResourceType: "security-group",
      },
      {
        actions: ["ec2:CreateTags", "ec2:RevokeSecurityGroupIngress", "ec2:RevokeSecurityGroupEgress"],
        target: "ec2-untagged",
        ec2ResourceType: "security-group",
      },
    ],
  },
  "aws:ec2/internetGateway:InternetGateway": ec2("aws_internet_gateway", {
    describe: ["DescribeInternetGateways"],
    create: ["CreateInternetGateway"],
    change: ["AttachInternetGateway", "DetachInternetGateway", "DeleteInternetGateway"],
  }),
  "aws:ec2/routeTable:RouteTable": ec2("aws_route_table", {
    describe: ["DescribeRouteTables", "DescribePrefixLists"],
    create: ["CreateRouteTable"],
    change: ["CreateRoute", "ReplaceRoute", "DeleteRoute", "DeleteRouteTable"],
  }),
  "aws:ec2/subnet:Subnet": ec2("aws_subnet", {
    describe: ["DescribeSubnets"],
    create: ["CreateSubnet"],
    change: ["ModifySubnetAttribute", "DeleteSubnet"],
  }),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": ec2("aws_route_table_association", {
    describe: ["DescribeRouteTables"],
    change: ["AssociateRouteTable", "DisassociateRouteTable", "ReplaceRouteTableAssociation"],
  }),
  "aws:ec2/eip:Eip": ec2("aws_eip", {
    describe: ["DescribeAddresses", "DescribeAddressesAttribute"],
    create: ["AllocateAddress"],
    change: ["ReleaseAddress", "DisassociateAddress"],
  }),
  "aws:ec2/natGateway:NatGateway": ec2("aws_nat_gateway", {
    describe: ["DescribeNatGateways"],
    create: ["CreateNatGateway"],
    change: ["DeleteNatGateway"],
  }),
  "aws:ec2/vpcEndpoint:VpcEndpoint": ec2("aws_vpc_endpoint", {
    describe: ["DescribeVpcEndpoints", "DescribePrefixLists"],
    create: ["CreateVpcEndpoint"],
    change: ["ModifyVpcEndpoint", "DeleteVpcEndpoints"],
  }),
  "aws:ec2/flowLog:FlowLog": {
    // CreateFlowLogs with a DeliverLogsPermissionArn passes the delivery role to the flow-logs
    // service (Amazon VPC user guide, "IAM role for publishing flow logs to CloudWatch Logs").
    ...ec2("aws_flow_log", { describe: ["DescribeFlowLogs"], create: ["CreateFlowLogs"], change: ["DeleteFlowLogs"] }),
    passRoleTo: ["vpc-flow-logs.amazonaws.com"],
  },
  "aws:ec2/launchTemplate:LaunchTemplate": ec2("aws_launch_template", {
    describe: ["DescribeLaunchTemplates", "DescribeLaunchTemplateVersions"],
    create: ["CreateLaunchTemplate"],
    change: ["CreateLaunchTemplateVersion", "ModifyLaunchTemplate", "DeleteLaunchTemplate", "DeleteLaunchTemplateVersions"],
  }),
  "aws:ec2/tag:Tag": {
    // The platform tags the security group EKS created for the cluster (Karpenter discovery).
    source: `${SAR("Amazon EC2")}; ${TF("aws_ec2_tag")}`,
    read: [{ actions: ["ec2:DescribeTags"], target: "any" }],
    write: [{ actions: ["ec2:CreateTags", "ec2:DeleteTags"], target: "ec2-eks-owned", ec2ResourceType: "security-group" }],
  },
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": {
    source: `${SAR("Amazon EC2")}; ${TF("aws_vpc_security_group_ingress_rule")}`,
    read: [{ actions: ["ec2:DescribeSecurityGroupRules"], target: "any" }],
    write: [
      {
        actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:ModifySecurityGroupRules"],
        target: "ec2-eks-owned",
        ec2ResourceType: "security-group",
      },
      { actions: ["ec2:AuthorizeSecurityGroupIngress", "ec2:ModifySecurityGroupRules"], target: "ec2-new", ec2ResourceType: "security-group-rule" },
      { actions: ["ec2:RevokeSecurityGroupIngress", "ec2:ModifySecurityGroupRules"], target: "ec2-owned", ec2ResourceType: "security-group-rule" },
    ],
  },
  "aws:kms/key:Key": {
    source: `${SAR("AWS KMS")}; ${TF("aws_kms_key")}`,
    read: [{ actions: ["kms:DescribeKey", "kms:GetKeyPolicy", "kms:GetKeyRotationStatus", "kms:ListResourceTags"], target: "kms-owned" }],
    write: [
      { actions: ["kms:CreateKey", "kms:TagResource"], target: "kms-new" },
      {
        actions: [
          "kms:PutKeyPolicy",
          "kms:EnableKeyRotation",
          "kms:DisableKeyRotation",
          "kms:UpdateKeyDescription",
          "kms:TagResource",
          "kms:UntagResource",
          "kms:ScheduleKeyDeletion",
          "kms:EnableKey",
          "kms:DisableKey",
        ],
        target: "kms-owned",
      },
    ],
  },
  "aws:kms/alias:Alias": {
    // CreateAlias, UpdateAlias and DeleteAlias are authorized on both the alias and the key.
    source: `${SAR("AWS KMS")}; ${TF("aws_kms_alias")}`,
    read: [{ actions: ["kms:ListAliases"], target: "any" }],
    write: [
      { actions: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"], target: "kms-alias" },
      { actions: ["kms:CreateAlias", "kms:UpdateAlias", "kms:DeleteAlias"], target: "kms-owned" },
    ],
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    source: `${SAR("Amazon CloudWatch Logs")}; ${TF("aws_cloudwatch_log_group")}`,
    read: [
      { actions: ["logs:DescribeLogGroups"], target: "any" },
      { actions: ["logs:ListTagsForResource"], target: "logs" },
    ],
    write: [
      {
        actions: [
          "logs:CreateLogGroup",
          // kms_key_id: CreateLogGroup takes it; a change associates or disassociates the key.
          "logs:AssociateKmsKey",
          "logs:DisassociateKmsKey",
          "logs:PutRetentionPolicy",
          "logs:DeleteRetentionPolicy",
          "logs:TagResource",
          "logs:UntagResource",
          "logs:DeleteLogGroup",
        ],
        target: "logs",
      },
    ],
  },
  "eks:index:Cluster": {
    // A remote component (@pulumi/eks 4.x, nodejs/eks/cluster/cluster.ts): with the platform's
    // options it creates the EKS service role (ServiceRole "<name>-eksRole", AmazonEKSClusterPolicy)
    // and the aws:eks/cluster:Cluster, and reads the cluster back for the kubeconfig.
    source: `${SAR("Amazon EKS")}, ${SAR("IAM")}; pulumi-eks nodejs/eks/cluster/cluster.ts; ${TF("aws_eks_cluster")}`,
    read: [
      {
        actions: ["eks:DescribeCluster", "eks:ListAccessEntries", "eks:DescribeAccessEntry", "eks:ListAssociatedAccessPolicies", "eks:ListTagsForResource"],
        target: "eks",
      },
      { actions: ["eks:ListClusters"], target: "any" },
    ],
    write: [
      { actions: ["eks:CreateCluster", "eks:TagResource"], target: "eks-new" },
      {
        actions: [
          "eks:UpdateClusterConfig",
          "eks:UpdateClusterVersion",
          "eks:DeleteCluster",
          "eks:TagResource",
          "eks:UntagResource",
          "eks:CreateAccessEntry",
          "eks:UpdateAccessEntry",
          "eks:DeleteAccessEntry",
          "eks:AssociateAccessPolicy",
          "eks:DisassociateAccessPolicy",
        ],
        target: "eks",
      },
      // EKS validates the secrets key and creates a grant on it (EKS user guide, "Encrypt Kubernetes secrets with KMS").
      { actions: ["kms:DescribeKey", "kms:CreateGrant"], target: "kms-owned" },
      { actions: ["ec2:DescribeSubnets", "ec2:DescribeSecurityGroups", "ec2:DescribeVpcs"], target: "any" },
    ],
    passRoleTo: ["eks.amazonaws.com"],
    attachesManagedPolicies: ["AmazonEKSClusterPolicy"],
    serviceLinkedRoles: ["eks.amazonaws.com"],
  },
  "aws:eks/addon:Addon": {
    source: `${SAR("Amazon EKS")}; ${TF("aws_eks_addon")}`,
    read: [
      { actions: ["eks:DescribeAddon", "eks:ListAddons"], target: "eks" },
      { actions: ["eks:DescribeAddonVersions", "eks:DescribeAddonConfiguration"], target: "any" },
    ],
    write: [{ actions: ["eks:CreateAddon", "eks:UpdateAddon", "eks:DeleteAddon", "eks:TagResource", "eks:UntagResource"], target: "eks" }],
    // Add-ons with Pod Identity associations pass their role to EKS Pod Identity.
    passRoleTo: ["pods.eks.amazonaws.com"],
  },
  "aws:eks/nodeGroup:NodeGroup": {
    // EKS launches the nodes itself, through its service-linked role AWSServiceRoleForAmazonEKSNodegroup
    // (AWS managed policy reference): the caller needs no ec2:RunInstances.
    source: `${SAR("Amazon EKS")}; ${TF("aws_eks_node_group")}`,
    read: [{ actions: ["eks:DescribeNodegroup", "eks:ListNodegroups"], target: "eks" }],
    write: [
      {
        actions: [
          "eks:CreateNodegroup",
          "eks:UpdateNodegroupConfig",
          "eks:UpdateNodegroupVersion",
          "eks:DeleteNodegroup",
          "eks:TagResource",
          "eks:UntagResource",
        ],
        target: "eks",
      },
      { actions: ["ec2:DescribeLaunchTemplateVersions", "ec2:DescribeSubnets"], target: "any" },
    ],
    passRoleTo: ["eks.amazonaws.com"],
    serviceLinkedRoles: ["eks-nodegroup.amazonaws.com"],
  },
  "aws:eks/accessEntry:AccessEntry": {
    source: `${SAR("Amazon EKS")}; ${TF("aws_eks_access_entry")}`,
    read: [{ actions: ["eks:DescribeAccessEntry", "eks:ListAccessEntries"], target: "eks" }],
    write: [{ actions: ["eks:CreateAccessEntry", "eks:UpdateAccessEntry", "eks:DeleteAccessEntry", "eks:TagResource", "eks:UntagResource"], target: "eks" }],
  },
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": {
    // Create AssociateAccessPolicy, read ListAssociatedAccessPolicies, delete DisassociateAccessPolicy.
    source: `${SAR("Amazon EKS")}; ${TF("aws_eks_access_policy_association")}`,
    read: [{ actions: ["eks:ListAssociatedAccessPolicies"], target: "eks" }],
    write: [{ actions: ["eks:AssociateAccessPolicy", "eks:DisassociateAccessPolicy"], target: "eks" }],
  },
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": {
    source: `${SAR("Amazon EKS")}; ${TF("aws_eks_pod_identity_association")}`,
    read: [{ actions: ["eks:DescribePodIdentityAssociation", "eks:ListPodIdentityAssociations"], target: "eks" }],
    write: [
      {
        actions: [
          "eks:CreatePodIdentityAssociation",
          "eks:UpdatePodIdentityAssociation",
          "eks:DeletePodIdentityAssociation",
          "eks:TagResource",
          "eks:UntagResource",
        ],
        target: "eks",
      },
    ],
    passRoleTo: ["pods.eks.amazonaws.com"],
  },
  "aws:iam/role:Role": {
    source: `${SAR("IAM")}; ${TF("aws_iam_role")}`,
    read: [
      {
        actions: ["iam:GetRole", "iam:ListRolePolicies", "iam:ListAttachedRolePolicies", "iam:ListRoleTags", "iam:ListInstanceProfilesForRole"],
        target: "iam-role",
      },
    ],
    write: [
      {
        actions: [
          "iam:CreateRole",
          "iam:UpdateRole",
          "iam:UpdateRoleDescription",
          "iam:UpdateAssumeRolePolicy",
          "iam:TagRole",
          "iam:UntagRole",
          "iam:DeleteRole",
        ],
        target: "iam-role",
      },
    ],
  },
  "aws:iam/rolePolicy:RolePolicy": {
    source: `${SAR("IAM")}; ${TF("aws_iam_role_policy")}`,
    read: [{ actions: ["iam:GetRolePolicy"], target: "iam-role" }],
    write: [{ actions: ["iam:PutRolePolicy", "iam:DeleteRolePolicy"], target: "iam-role" }],
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    // AttachRolePolicy/DetachRolePolicy are further limited to the managed policies the platform
    // attaches (iam:PolicyARN), in deploy-policy.ts.
    source: `${SAR("IAM")}; ${TF("aws_iam_role_policy_attachment")}`,
    read: [{ actions: ["iam:ListAttachedRolePolicies"], target: "iam-role" }],
    write: [],
  },
  "aws:sqs/queue:Queue": {
    source: `${SAR("Amazon SQS")}; ${TF("aws_sqs_queue")}`,
    read: [{ actions: ["sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ListQueueTags"], target: "sqs" }],
    write: [{ actions: ["sqs:CreateQueue", "sqs:SetQueueAttributes", "sqs:TagQueue", "sqs:UntagQueue", "sqs:DeleteQueue"], target: "sqs" }],
  },
  "aws:sqs/queuePolicy:QueuePolicy": {
    source: `${SAR("Amazon SQS")}; ${TF("aws_sqs_queue_policy")}`,
    read: [{ actions: ["sqs:GetQueueAttributes"], target: "sqs" }],
    write: [{ actions: ["sqs:SetQueueAttributes"], target: "sqs" }],
  },
  "aws:cloudwatch/eventRule:EventRule": {
    source: `${SAR("Amazon EventBridge")}; ${TF("aws_cloudwatch_event_rule")}`,
    read: [{ actions: ["events:DescribeRule", "events:ListTagsForResource"], target: "events" }],
    write: [
      {
        actions: ["events:PutRule", "events:EnableRule", "events:DisableRule", "events:TagResource", "events:UntagResource", "events:DeleteRule"],
        target: "events",
      },
    ],
  },
  "aws:cloudwatch/eventTarget:EventTarget": {
    source: `${SAR("Amazon EventBridge")}; ${TF("aws_cloudwatch_event_target")}`,
    read: [{ actions: ["events:ListTargetsByRule"], target: "events" }],
    write: [{ actions: ["events:PutTargets", "events:RemoveTargets"], target: "events" }],
  },
  "aws:sns/topic:Topic": {
    source: `${SAR("Amazon SNS")}; ${TF("aws_sns_topic")}`,
    read: [{ actions: ["sns:GetTopicAttributes", "sns:ListTagsForResource"], target: "sns" }],
    write: [{ actions: ["sns:CreateTopic", "sns:SetTopicAttributes", "sns:TagResource", "sns:UntagResource", "sns:DeleteTopic"], target: "sns" }],
  },
  "aws:sns/topicPolicy:TopicPolicy": {
    source: `${SAR("Amazon SNS")}; ${TF("aws_sns_topic_policy")}`,
    read: [{ actions: ["sns:GetTopicAttributes"], target: "sns" }],
    write: [{ actions: ["sns:SetTopicAttributes"], target: "sns" }],
  },
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": {
    source: `${SAR("Amazon Data Lifecycle Manager")}; ${TF("aws_dlm_lifecycle_policy")}`,
    read: [
      { actions: ["dlm:GetLifecyclePolicy", "dlm:ListTagsForResource"], target: "dlm-policy" },
      { actions: ["dlm:GetLifecyclePolicies"], target: "any" },
    ],
    write: [
      { actions: ["dlm:CreateLifecyclePolicy"], target: "any" },
      { actions: ["dlm:UpdateLifecyclePolicy", "dlm:DeleteLifecyclePolicy", "dlm:TagResource", "dlm:UntagResource"], target: "dlm-policy" },
    ],
    passRoleTo: ["dlm.amazonaws.com"],
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    source: `${SAR("Amazon CloudWatch")}; ${TF("aws_cloudwatch_metric_alarm")}`,
    read: [{ actions: ["cloudwatch:DescribeAlarms", "cloudwatch:ListTagsForResource"], target: "cloudwatch-alarm" }],
    write: [
      { actions: ["cloudwatch:PutMetricAlarm", "cloudwatch:TagResource", "cloudwatch:UntagResource", "cloudwatch:DeleteAlarms"], target: "cloudwatch-alarm" },
    ],
  },
  ...S3_TYPE_PERMISSIONS,
};
