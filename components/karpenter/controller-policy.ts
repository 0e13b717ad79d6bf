/**
 * The Karpenter controller's IAM policy, scoped to one cluster: it may launch, tag and terminate
 * only instances, launch templates and instance profiles tagged as this cluster's and a node pool's,
 * pass only the node role, read only its own interruption queue, and read-only calls are limited to
 * the cluster's region. Modelled on the statements of Karpenter's own reference policy.
 */
import type { PolicyDocument } from "../lib/iam";

export interface ControllerPolicyArgs {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly clusterName: string;
  readonly nodeRoleArn: string;
  readonly queueArn: string;
}

export function controllerPolicy(a: ControllerPolicyArgs): PolicyDocument {
  const ec2 = (resource: string) => `arn:${a.partition}:ec2:${a.region}:*:${resource}`;
  const ownedByCluster = { [`aws:RequestTag/kubernetes.io/cluster/${a.clusterName}`]: "owned", "aws:RequestTag/eks:eks-cluster-name": a.clusterName };
  const taggedForCluster = { [`aws:ResourceTag/kubernetes.io/cluster/${a.clusterName}`]: "owned" };
  const launched = ["fleet/*", "instance/*", "volume/*", "network-interface/*", "launch-template/*", "spot-instances-request/*"].map(ec2);
  const instanceProfiles = `arn:${a.partition}:iam::${a.accountId}:instance-profile/*`;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "LaunchFromSharedResources",
        Effect: "Allow",
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        Resource: [
          `arn:${a.partition}:ec2:${a.region}::image/*`,
          `arn:${a.partition}:ec2:${a.region}::snapshot/*`,
          ...["security-group/*", "subnet/*", "capacity-reservation/*"].map(ec2),
        ],
      },
      {
        Sid: "LaunchFromOwnLaunchTemplates",
        Effect: "Allow",
        Action: ["ec2:RunInstances", "ec2:CreateFleet"],
        Resource: ec2("launch-template/*"),
        Condition: { StringEquals: taggedForCluster, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
      },
      {
        Sid: "CreateOnlyClusterTaggedResources",
        Effect: "Allow",
        Action: ["ec2:RunInstances", "ec2:CreateFleet", "ec2:CreateLaunchTemplate"],
        Resource: launched,
        Condition: { StringEquals: ownedByCluster, StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" } },
      },
      {
        Sid: "TagOnCreation",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: launched,
        Condition: {
          StringEquals: { ...ownedByCluster, "ec2:CreateAction": ["RunInstances", "CreateFleet", "CreateLaunchTemplate"] },
          StringLike: { "aws:RequestTag/karpenter.sh/nodepool": "*" },
        },
      },
      {
        Sid: "TagOwnInstances",
        Effect: "Allow",
        Action: "ec2:CreateTags",
        Resource: ec2("instance/*"),
        Condition: {
          StringEquals: taggedForCluster,
          StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" },
          StringEqualsIfExists: { "aws:RequestTag/eks:eks-cluster-name": a.clusterName },
          "ForAllValues:StringEquals": { "aws:TagKeys": ["eks:eks-cluster-name", "karpenter.sh/nodeclaim", "Name"] },
        },
      },
      {
        Sid: "DeleteOwnResources",
        Effect: "Allow",
        Action: ["ec2:TerminateInstances", "ec2:DeleteLaunchTemplate"],
        Resource: [ec2("instance/*"), ec2("launch-template/*")],
        Condition: { StringEquals: taggedForCluster, StringLike: { "aws:ResourceTag/karpenter.sh/nodepool": "*" } },
      },
      {
        Sid: "ReadInClusterRegion",
        Effect: "Allow",
        Action: [
          "ec2:DescribeAvailabilityZones",
          "ec2:DescribeCapacityReservations",
          "ec2:DescribeImages",
          "ec2:DescribeInstances",
          "ec2:DescribeInstanceTypeOfferings",
          "ec2:DescribeInstanceTypes",
          "ec2:DescribeLaunchTemplates",
          "ec2:DescribePlacementGroups",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeSpotPriceHistory",
          "ec2:DescribeSubnets",
        ],
        Resource: "*",
        Condition: { StringEquals: { "aws:RequestedRegion": a.region } },
      },
      { Sid: "ReadAmiParameters", Effect: "Allow", Action: "ssm:GetParameter", Resource: `arn:${a.partition}:ssm:${a.region}::parameter/aws/service/*` },
      { Sid: "ReadPrices", Effect: "Allow", Action: "pricing:GetProducts", Resource: "*" },
      { Sid: "ConsumeInterruptionQueue", Effect: "Allow", Action: ["sqs:DeleteMessage", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], Resource: a.queueArn },
      {
        Sid: "PassOnlyNodeRoleToEc2",
        Effect: "Allow",
        Action: "iam:PassRole",
        Resource: a.nodeRoleArn,
        Condition: { StringEquals: { "iam:PassedToService": "ec2.amazonaws.com" } },
      },
      {
        Sid: "CreateClusterInstanceProfiles",
        Effect: "Allow",
        Action: ["iam:CreateInstanceProfile", "iam:TagInstanceProfile"],
        Resource: instanceProfiles,
        Condition: {
          StringEquals: { ...ownedByCluster, "aws:RequestTag/topology.kubernetes.io/region": a.region },
          StringLike: { "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "*" },
        },
      },
      {
        Sid: "ManageClusterInstanceProfiles",
        Effect: "Allow",
        Action: ["iam:AddRoleToInstanceProfile", "iam:RemoveRoleFromInstanceProfile", "iam:DeleteInstanceProfile", "iam:TagInstanceProfile"],
        Resource: instanceProfiles,
        Condition: {
          StringEquals: { ...taggedForCluster, "aws:ResourceTag/topology.kubernetes.io/region": a.region },
          StringLike: { "aws:ResourceTag/karpenter.k8s.aws/ec2nodeclass": "*" },
        },
      },
      { Sid: "ReadInstanceProfiles", Effect: "Allow", Action: ["iam:GetInstanceProfile", "iam:ListInstanceProfiles"], Resource: instanceProfiles },
      {
        Sid: "DiscoverApiEndpoint",
        Effect: "Allow",
        Action: "eks:DescribeCluster",
        Resource: `arn:${a.partition}:eks:${a.region}:${a.accountId}:cluster/${a.clusterName}`,
      },
    ],
  };
}
