/**
 * The CI roles' permissions, computed from the prod platform plan produced here by the platform's
 * own offline preview (a rule, not a fixture), evaluated in the IAM simulator.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { join } from "node:path";
import { previewStack } from "../../tools/preview/run";
import { footprintOfPlan, type PlatformFootprint } from "../../bootstrap/footprint";
import { deployPolicies, permissionsOf, policySize, previewPolicies, statePolicy, UnknownResourceTypesError } from "../../bootstrap/permissions/policies";
import type { Scope } from "../../bootstrap/permissions/scope";
import { secretsKeyPolicy } from "../../bootstrap/state-backend";
import { simulate, type SimulationRequest } from "../iam/simulator";

const ACCOUNT = "123456789012";
const ROOT = join(__dirname, "..", "..");
let footprint: PlatformFootprint;
let deploy: object[];
let preview: object[];
const BUCKET = "arn:aws:s3:::highmem-pulumi-state-123456789012";
const KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/0f1e2d3c-4b5a-6978-8877-665544332211`;
const state = { bucketArn: BUCKET, secretsKeyArn: KEY, project: "highmem-platform" };
// KMS needs the key policy to allow: the account's, delegating to IAM policies (state-backend.ts).
const keyPolicy = secretsKeyPolicy("aws", ACCOUNT, [], []);

beforeAll(async () => {
  const { plan } = await previewStack("prod", { root: ROOT });
  footprint = footprintOfPlan(plan);
  const scope: Scope = {
    partition: "aws",
    accountId: ACCOUNT,
    stack: "prod",
    namePrefix: footprint.namePrefix,
    regions: footprint.regions,
    extraRolePrefixes: footprint.extraRolePrefixes,
  };
  deploy = [...deployPolicies(footprint, scope).map((p) => p.document), statePolicy(state, "prod", true)];
  preview = [...previewPolicies(footprint, scope).map((p) => p.document), statePolicy(state, "prod", false)];
});

const arn = (service: string, resource: string, region = "us-west-2") => `arn:aws:${service}:${region}:${ACCOUNT}:${resource}`;
const role = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
const prodTags = { "aws:RequestTag/stack": "prod" };

// [case, request, allowed?]
const DEPLOY_CASES: [string, SimulationRequest, boolean][] = [
  ["create role hm-prod-x", { action: "iam:CreateRole", resource: role("hm-prod-x") }, true],
  ["put an inline policy on hm-prod-karpenter-controller", { action: "iam:PutRolePolicy", resource: role("hm-prod-karpenter-controller") }, true],
  ["create the cluster's own service role hm-prod-eks-cluster", { action: "iam:CreateRole", resource: role("hm-prod-eks-cluster") }, true],
  // The platform passes its own prefixed service role to @pulumi/eks, so no deploy role needs the
  // component's unprefixed default, which would be shared by every stack.
  ["create a role named as @pulumi/eks would name it unprefixed", { action: "iam:CreateRole", resource: role("cluster-eks-eksRole-role-1a2b3c4") }, false],
  [
    "attach AmazonEKSWorkerNodePolicy to hm-prod-system-node",
    {
      action: "iam:AttachRolePolicy",
      resource: role("hm-prod-system-node"),
      context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy" },
    },
    true,
  ],
  [
    "attach AdministratorAccess to hm-prod-x",
    { action: "iam:AttachRolePolicy", resource: role("hm-prod-x"), context: { "iam:PolicyARN": "arn:aws:iam::aws:policy/AdministratorAccess" } },
    false,
  ],
  ["create bucket hm-prod-data-us-west-2-123456789012", { action: "s3:CreateBucket", resource: "arn:aws:s3:::hm-prod-data-us-west-2-123456789012" }, true],
  ["create the EKS cluster hm-prod, tagged stack=prod", { action: "eks:CreateCluster", resource: "*", context: prodTags }, true],
  ["create an EKS cluster tagged stack=staging", { action: "eks:CreateCluster", resource: "*", context: { "aws:RequestTag/stack": "staging" } }, false],
  ["update the config of the EKS cluster hm-prod", { action: "eks:UpdateClusterConfig", resource: arn("eks", "cluster/hm-prod") }, true],
  ["create a node group of hm-prod", { action: "eks:CreateNodegroup", resource: arn("eks", "cluster/hm-prod") }, true],
  ["create a VPC tagged stack=prod", { action: "ec2:CreateVpc", resource: arn("ec2", "vpc/*"), context: prodTags }, true],
  ["create a VPC in a region prod does not use", { action: "ec2:CreateVpc", resource: arn("ec2", "vpc/*", "ap-south-1"), context: prodTags }, false],
  ["create an untagged VPC", { action: "ec2:CreateVpc", resource: arn("ec2", "vpc/*") }, false],
  [
    "delete a subnet tagged stack=prod",
    { action: "ec2:DeleteSubnet", resource: arn("ec2", "subnet/subnet-0123456789abcdef0"), context: { "aws:ResourceTag/stack": "prod" } },
    true,
  ],
  ["create the interruption queue hm-prod-karpenter", { action: "sqs:CreateQueue", resource: arn("sqs", "hm-prod-karpenter") }, true],
  ["create the control-plane log group", { action: "logs:CreateLogGroup", resource: arn("logs", "log-group:/aws/eks/hm-prod/cluster") }, true],
  ["create a KMS key tagged stack=prod", { action: "kms:CreateKey", resource: "*", context: prodTags }, true],
  [
    "pass hm-prod-system-node to EKS",
    { action: "iam:PassRole", resource: role("hm-prod-system-node"), context: { "iam:PassedToService": "eks.amazonaws.com" } },
    true,
  ],
  [
    "pass hm-prod-s3-replication to S3",
    { action: "iam:PassRole", resource: role("hm-prod-s3-replication"), context: { "iam:PassedToService": "s3.amazonaws.com" } },
    true,
  ],
  ["write its own state", { action: "s3:PutObject", resource: `${BUCKET}/.pulumi/stacks/highmem-platform/prod.json` }, true],
  ["encrypt with the secrets key", { action: "kms:Encrypt", resource: KEY }, true],
  // Denied: outside what the platform declares, or outside the prod stack.
  ["create an IAM user", { action: "iam:CreateUser", resource: `arn:aws:iam::${ACCOUNT}:user/hm-prod-x` }, false],
  ["create an access key", { action: "iam:CreateAccessKey", resource: `arn:aws:iam::${ACCOUNT}:user/ci` }, false],
  ["update the trust of another repository's role", { action: "iam:UpdateAssumeRolePolicy", resource: role("other-repo-deploy") }, false],
  ["put a policy on another repository's role", { action: "iam:PutRolePolicy", resource: role("other-repo-deploy") }, false],
  ["change its own CI role", { action: "iam:PutRolePolicy", resource: role("ci/github-prod-deploy") }, false],
  ["create role hm-staging-x", { action: "iam:CreateRole", resource: role("hm-staging-x") }, false],
  [
    "delete bucket hm-staging-data-us-west-2-123456789012",
    { action: "s3:DeleteBucket", resource: "arn:aws:s3:::hm-staging-data-us-west-2-123456789012" },
    false,
  ],
  ["delete the EKS cluster hm-staging", { action: "eks:DeleteCluster", resource: arn("eks", "cluster/hm-staging") }, false],
  [
    "delete a subnet tagged stack=staging",
    { action: "ec2:DeleteSubnet", resource: arn("ec2", "subnet/subnet-0123456789abcdef0"), context: { "aws:ResourceTag/stack": "staging" } },
    false,
  ],
  [
    "schedule deletion of a key tagged stack=staging",
    { action: "kms:ScheduleKeyDeletion", resource: arn("kms", "key/1234abcd-12ab-34cd-56ef-1234567890ab"), context: { "aws:ResourceTag/stack": "staging" } },
    false,
  ],
  ["delete queue hm-staging-karpenter", { action: "sqs:DeleteQueue", resource: arn("sqs", "hm-staging-karpenter") }, false],
  [
    "pass hm-prod-system-node to Lambda",
    { action: "iam:PassRole", resource: role("hm-prod-system-node"), context: { "iam:PassedToService": "lambda.amazonaws.com" } },
    false,
  ],
  [
    "pass another repository's role to EKS",
    { action: "iam:PassRole", resource: role("other-repo-deploy"), context: { "iam:PassedToService": "eks.amazonaws.com" } },
    false,
  ],
  [
    "run an instance (EKS launches the nodes, not the deploy role)",
    { action: "ec2:RunInstances", resource: arn("ec2", "instance/*"), context: prodTags },
    false,
  ],
  ["write staging's state", { action: "s3:PutObject", resource: `${BUCKET}/.pulumi/stacks/highmem-platform/staging.json` }, false],
  ["delete the state bucket", { action: "s3:DeleteBucket", resource: BUCKET }, false],
  [
    "create GitHub's OIDC provider",
    { action: "iam:CreateOpenIDConnectProvider", resource: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com` },
    false,
  ],
];

describe("deploy role of prod, in the IAM simulator", () => {
  it.each(DEPLOY_CASES)("%s", async (_case, request, allowed) => {
    const decision = await simulate(request, { identity: deploy, ...(request.resource === KEY ? { resource: keyPolicy } : {}) });
    if (allowed) expect(decision).toBe("Allowed");
    else expect(decision).not.toBe("Allowed");
  });

  it("denies users and access keys explicitly, whatever else is attached", async () => {
    expect(
      await simulate(
        { action: "iam:CreateAccessKey", resource: `arn:aws:iam::${ACCOUNT}:user/ci` },
        { identity: [...deploy, { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "iam:CreateAccessKey", Resource: "*" }] }] },
      ),
    ).toBe("ExplicitlyDenied");
  });
});

const PREVIEW_CASES: [string, SimulationRequest, boolean][] = [
  ["describe the cluster", { action: "eks:DescribeCluster", resource: arn("eks", "cluster/hm-prod") }, true],
  ["describe VPCs", { action: "ec2:DescribeVpcs", resource: "*" }, true],
  ["read a role", { action: "iam:GetRole", resource: role("hm-prod-karpenter-node") }, true],
  ["read its state", { action: "s3:GetObject", resource: `${BUCKET}/.pulumi/stacks/highmem-platform/prod.json` }, true],
  ["decrypt secrets", { action: "kms:Decrypt", resource: KEY }, true],
  ["create a role", { action: "iam:CreateRole", resource: role("hm-prod-x") }, false],
  ["create a VPC", { action: "ec2:CreateVpc", resource: arn("ec2", "vpc/*"), context: prodTags }, false],
  ["delete the cluster", { action: "eks:DeleteCluster", resource: arn("eks", "cluster/hm-prod") }, false],
  ["delete a bucket", { action: "s3:DeleteBucket", resource: "arn:aws:s3:::hm-prod-data-us-west-2-123456789012" }, false],
  ["write its state", { action: "s3:PutObject", resource: `${BUCKET}/.pulumi/stacks/highmem-platform/prod.json` }, false],
  ["encrypt with the secrets key", { action: "kms:Encrypt", resource: KEY }, false],
];

describe("preview role of prod, in the IAM simulator", () => {
  it.each(PREVIEW_CASES)("%s", async (_case, request, allowed) => {
    const decision = await simulate(request, { identity: preview, ...(request.resource === KEY ? { resource: keyPolicy } : {}) });
    if (allowed) expect(decision).toBe("Allowed");
    else expect(decision).not.toBe("Allowed");
  });

  it("allows no write action at all: every action is a Describe, Get or List (or kms:Decrypt)", () => {
    const actions = preview.flatMap((d) => (d as { Statement: { Action: string | string[] }[] }).Statement.flatMap((s) => ([] as string[]).concat(s.Action)));
    expect(actions.filter((a) => !/^[a-z0-9-]+:(Describe|Get|List)/.test(a) && a !== "kms:Decrypt")).toEqual([]);
  });
});

describe("permissions derived from the prod plan", () => {
  it("knows every type the platform declares", () => {
    expect(() => permissionsOf(footprint.types)).not.toThrow();
  });

  it("fails naming a type the table does not know", () => {
    expect(() => permissionsOf([...footprint.types, "aws:rds/cluster:Cluster"])).toThrow(UnknownResourceTypesError);
    expect(() => permissionsOf(["aws:rds/cluster:Cluster"])).toThrow(/aws:rds\/cluster:Cluster/);
  });

  it("grants no wildcard action, no iam:CreateUser and no access keys", () => {
    const allows = deploy.flatMap((d) =>
      (d as { Statement: { Effect: string; Action: string | string[] }[] }).Statement.filter((s) => s.Effect === "Allow").flatMap((s) =>
        ([] as string[]).concat(s.Action),
      ),
    );
    expect(allows.filter((a) => a.includes("*"))).toEqual([]);
    expect(allows).not.toContain("iam:CreateUser");
    expect(allows).not.toContain("iam:CreateAccessKey");
  });

  it("fits IAM's limits: each managed policy under 6,144 characters, at most 10 per role", () => {
    for (const d of [...deploy, ...preview]) expect(policySize(d as Parameters<typeof policySize>[0])).toBeLessThan(6144);
    expect(deploy.length).toBeLessThanOrEqual(10);
    expect(preview.length).toBeLessThanOrEqual(10);
  });
});
