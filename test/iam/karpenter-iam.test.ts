import { describe, expect, it } from "vitest";
import { controllerPolicy } from "../../components/karpenter/controller-policy";
import { interruptionQueuePolicy } from "../../components/karpenter/interruption-queue";
import { KARPENTER_NAMESPACE, KARPENTER_SERVICE_ACCOUNT } from "../../components/karpenter/karpenter-controller";
import { podIdentityTrustPolicy, serviceTrustPolicy } from "../../components/lib/iam";
import { simulate, type SimulationRequest } from "./simulator";

const ACCOUNT = "123456789012";
const NODE_ROLE = `arn:aws:iam::${ACCOUNT}:role/demo-karpenter-node`;
const QUEUE = `arn:aws:sqs:us-west-2:${ACCOUNT}:demo-karpenter`;
const policy = controllerPolicy({ partition: "aws", region: "us-west-2", accountId: ACCOUNT, clusterName: "demo", nodeRoleArn: NODE_ROLE, queueArn: QUEUE });
const ec2 = (resource: string) => `arn:aws:ec2:us-west-2:${ACCOUNT}:${resource}`;
const launchTags = (cluster: string, nodepool?: string) => ({
  [`aws:RequestTag/kubernetes.io/cluster/${cluster}`]: "owned",
  "aws:RequestTag/eks:eks-cluster-name": cluster,
  ...(nodepool ? { "aws:RequestTag/karpenter.sh/nodepool": nodepool } : {}),
});
const ownedBy = (cluster: string) => ({
  [`aws:ResourceTag/kubernetes.io/cluster/${cluster}`]: "owned",
  "aws:ResourceTag/karpenter.sh/nodepool": "high-memory-spot",
});

// [case, request, allowed?]
const CONTROLLER_CASES: [string, SimulationRequest, boolean][] = [
  [
    "launch an instance tagged for this cluster and a pool",
    { action: "ec2:RunInstances", resource: ec2("instance/*"), context: launchTags("demo", "high-memory-spot") },
    true,
  ],
  ["launch an instance without a pool tag", { action: "ec2:RunInstances", resource: ec2("instance/*"), context: launchTags("demo") }, false],
  [
    "launch an instance tagged for another cluster",
    { action: "ec2:RunInstances", resource: ec2("instance/*"), context: launchTags("other", "high-memory-spot") },
    false,
  ],
  ["create a fleet for this cluster", { action: "ec2:CreateFleet", resource: ec2("fleet/*"), context: launchTags("demo", "general") }, true],
  [
    "tag resources while creating them",
    { action: "ec2:CreateTags", resource: ec2("volume/*"), context: { ...launchTags("demo", "general"), "ec2:CreateAction": "RunInstances" } },
    true,
  ],
  [
    "tag an existing volume outside a launch",
    {
      action: "ec2:CreateTags",
      resource: ec2("volume/vol-0123456789abcdef0"),
      context: { ...launchTags("demo", "general"), "ec2:CreateAction": "CreateVolume" },
    },
    false,
  ],
  ["terminate this cluster's node", { action: "ec2:TerminateInstances", resource: ec2("instance/i-0123456789abcdef0"), context: ownedBy("demo") }, true],
  ["terminate another cluster's node", { action: "ec2:TerminateInstances", resource: ec2("instance/i-0123456789abcdef0"), context: ownedBy("other") }, false],
  [
    "terminate an instance Karpenter did not launch",
    { action: "ec2:TerminateInstances", resource: ec2("instance/i-0123456789abcdef0"), context: { "aws:ResourceTag/kubernetes.io/cluster/demo": "owned" } },
    false,
  ],
  [
    "delete another cluster's launch template",
    { action: "ec2:DeleteLaunchTemplate", resource: ec2("launch-template/lt-0123456789abcdef0"), context: ownedBy("other") },
    false,
  ],
  ["describe instances in the cluster's region", { action: "ec2:DescribeInstances", resource: "*", context: { "aws:RequestedRegion": "us-west-2" } }, true],
  ["describe instances in another region", { action: "ec2:DescribeInstances", resource: "*", context: { "aws:RequestedRegion": "eu-west-1" } }, false],
  ["pass the node role to EC2", { action: "iam:PassRole", resource: NODE_ROLE, context: { "iam:PassedToService": "ec2.amazonaws.com" } }, true],
  ["pass the node role to Lambda", { action: "iam:PassRole", resource: NODE_ROLE, context: { "iam:PassedToService": "lambda.amazonaws.com" } }, false],
  [
    "pass an admin role to EC2",
    { action: "iam:PassRole", resource: `arn:aws:iam::${ACCOUNT}:role/admin`, context: { "iam:PassedToService": "ec2.amazonaws.com" } },
    false,
  ],
  ["read its interruption queue", { action: "sqs:ReceiveMessage", resource: QUEUE }, true],
  ["read another queue", { action: "sqs:ReceiveMessage", resource: `arn:aws:sqs:us-west-2:${ACCOUNT}:payments` }, false],
  ["send to its own queue (only EventBridge does)", { action: "sqs:SendMessage", resource: QUEUE }, false],
  [
    "create an instance profile for a node class of this cluster",
    {
      action: "iam:CreateInstanceProfile",
      resource: `arn:aws:iam::${ACCOUNT}:instance-profile/demo_123`,
      context: {
        ...launchTags("demo"),
        "aws:RequestTag/topology.kubernetes.io/region": "us-west-2",
        "aws:RequestTag/karpenter.k8s.aws/ec2nodeclass": "general",
      },
    },
    true,
  ],
  [
    "create an instance profile without the node class tag",
    {
      action: "iam:CreateInstanceProfile",
      resource: `arn:aws:iam::${ACCOUNT}:instance-profile/demo_123`,
      context: { ...launchTags("demo"), "aws:RequestTag/topology.kubernetes.io/region": "us-west-2" },
    },
    false,
  ],
  ["find the cluster's API endpoint", { action: "eks:DescribeCluster", resource: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/demo` }, true],
  ["describe another cluster", { action: "eks:DescribeCluster", resource: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/other` }, false],
  ["read S3 data", { action: "s3:GetObject", resource: "arn:aws:s3:::data-bucket/key" }, false],
];

describe("Karpenter controller policy, in the IAM simulator", () => {
  it.each(CONTROLLER_CASES)("%s", async (_case, request, allowed) => {
    expect(await simulate(request, { identity: [policy] })).toBe(allowed ? "Allowed" : "ImplicitlyDenied");
  });

  it("has no statement that allows any action on any resource", () => {
    for (const s of policy.Statement) expect(s.Action === "*" && s.Resource === "*").toBe(false);
  });
});

describe("trust policies, in the IAM simulator", () => {
  const cluster = `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/demo`;
  const assume = (principal: string, context: Readonly<Record<string, string>>) => ({
    action: "sts:AssumeRole",
    resource: `arn:aws:iam::${ACCOUNT}:role/demo-karpenter-controller`,
    principal,
    context,
  });

  // The session tags EKS Pod Identity adds to its AssumeRole request (EKS user guide, "Grant Pods
  // access to AWS resources based on tags"), with aws:SourceAccount.
  const podIdentity = (o: { account?: string; cluster?: string; namespace?: string; serviceAccount?: string } = {}) => ({
    "aws:SourceAccount": o.account ?? ACCOUNT,
    "aws:RequestTag/eks-cluster-arn": o.cluster ?? cluster,
    "aws:RequestTag/eks-cluster-name": (o.cluster ?? cluster).split("/").pop()!,
    "aws:RequestTag/kubernetes-namespace": o.namespace ?? KARPENTER_NAMESPACE,
    "aws:RequestTag/kubernetes-service-account": o.serviceAccount ?? KARPENTER_SERVICE_ACCOUNT,
    "aws:RequestTag/kubernetes-pod-name": "karpenter-7d9f8c6b5-abcde",
    "aws:RequestTag/kubernetes-pod-uid": "0f1e2d3c-4b5a-6978-8877-665544332211",
  });
  const trust = podIdentityTrustPolicy({ accountId: ACCOUNT, clusterArn: cluster, namespace: KARPENTER_NAMESPACE, serviceAccount: KARPENTER_SERVICE_ACCOUNT });

  it.each([
    ["this cluster, namespace and service account, in this account", "sts:AssumeRole", "pods.eks.amazonaws.com", podIdentity(), "Allowed"],
    ["the session tags of that request", "sts:TagSession", "pods.eks.amazonaws.com", podIdentity(), "Allowed"],
    [
      "another cluster of this account",
      "sts:AssumeRole",
      "pods.eks.amazonaws.com",
      podIdentity({ cluster: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/other` }),
      "ImplicitlyDenied",
    ],
    ["another namespace", "sts:AssumeRole", "pods.eks.amazonaws.com", podIdentity({ namespace: "default" }), "ImplicitlyDenied"],
    ["another service account", "sts:AssumeRole", "pods.eks.amazonaws.com", podIdentity({ serviceAccount: "default" }), "ImplicitlyDenied"],
    [
      "another account's cluster of the same name",
      "sts:AssumeRole",
      "pods.eks.amazonaws.com",
      podIdentity({ account: "999999999999", cluster: "arn:aws:eks:us-west-2:999999999999:cluster/demo" }),
      "ImplicitlyDenied",
    ],
    ["a request without session tags (tags disabled)", "sts:AssumeRole", "pods.eks.amazonaws.com", { "aws:SourceAccount": ACCOUNT }, "ImplicitlyDenied"],
    ["another service with the same tags", "sts:AssumeRole", "ec2.amazonaws.com", podIdentity(), "ImplicitlyDenied"],
  ] as const)("Pod Identity trust of the controller role: %s", async (_case, action, principal, context, decision) => {
    expect(await simulate({ ...assume(principal, context), action }, { resource: trust })).toBe(decision);
  });

  it("conditions on the Pod Identity session tags and the source account only (no aws:SourceArn)", () => {
    expect(Object.keys(trust.Statement[0]!.Condition!).sort()).toEqual(["StringEquals"]);
    expect(Object.keys(trust.Statement[0]!.Condition!["StringEquals"]!).sort()).toEqual([
      "aws:RequestTag/eks-cluster-arn",
      "aws:RequestTag/kubernetes-namespace",
      "aws:RequestTag/kubernetes-service-account",
      "aws:SourceAccount",
    ]);
  });

  it("lets only EC2 assume the node role", async () => {
    const trust = serviceTrustPolicy("ec2.amazonaws.com", ["sts:AssumeRole"]);
    expect(await simulate(assume("ec2.amazonaws.com", {}), { resource: trust })).toBe("Allowed");
    expect(await simulate(assume(`arn:aws:iam::${ACCOUNT}:role/developer`, {}), { resource: trust })).toBe("ImplicitlyDenied");
  });
});

describe("interruption queue policy, in the IAM simulator", () => {
  const queuePolicy = interruptionQueuePolicy(QUEUE, `arn:aws:events:us-west-2:${ACCOUNT}:rule/demo-karpenter-*`);
  const send = (principal: string, context: Record<string, string>) => ({ action: "sqs:SendMessage", resource: QUEUE, principal, context });
  const ownRule = `arn:aws:events:us-west-2:${ACCOUNT}:rule/demo-karpenter-spot-interruption`;

  it.each([
    ["this stack's rule over TLS", send("events.amazonaws.com", { "aws:SourceArn": ownRule, "aws:SecureTransport": "true" }), "Allowed"],
    [
      "another stack's rule",
      send("events.amazonaws.com", { "aws:SourceArn": `arn:aws:events:us-west-2:${ACCOUNT}:rule/other-karpenter-health`, "aws:SecureTransport": "true" }),
      "ImplicitlyDenied",
    ],
    [
      "a rule in another account",
      send("events.amazonaws.com", { "aws:SourceArn": "arn:aws:events:us-west-2:999999999999:rule/demo-karpenter-health", "aws:SecureTransport": "true" }),
      "ImplicitlyDenied",
    ],
    ["this stack's rule without TLS", send("events.amazonaws.com", { "aws:SourceArn": ownRule, "aws:SecureTransport": "false" }), "ExplicitlyDenied"],
    ["a role of another account", send("arn:aws:iam::999999999999:role/intruder", { "aws:SecureTransport": "true" }), "ImplicitlyDenied"],
  ] as const)("%s", async (_case, request, decision) => {
    expect(await simulate(request, { resource: queuePolicy })).toBe(decision);
  });
});
