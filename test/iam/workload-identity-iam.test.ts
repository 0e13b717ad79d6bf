/**
 * A team's WorkloadIdentity in the IAM simulator, both ways: its data policy (dataAccessPolicy) with
 * the data bucket's real bucket policy and key policy as resource policies, and its trust policy as
 * the component renders it under the runtime mocks of test/setup.ts.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { bucketKeyPolicy, bucketPolicy } from "../../components/buckets/bucket-policies";
import { dataAccessPolicy, normaliseGrants } from "../../components/workloads/data-access";
import { WorkloadIdentity } from "../../components/workloads/workload-identity";
import { testMocks } from "../setup";
import { settled as settle } from "../support/pulumi";
import { simulate, type SimulationRequest } from "./simulator";

const ACCOUNT = "123456789012";
const BUCKET = "arn:aws:s3:::hm-prod-data-us-west-2";
const OTHER_BUCKET = "arn:aws:s3:::hm-prod-data-us-east-1";
const KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/11111111-1111-1111-1111-111111111111`;
const OTHER_KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/44444444-4444-4444-4444-444444444444`;
const policyFor = (grants: Parameters<typeof normaliseGrants>[0]) =>
  dataAccessPolicy({ bucketArn: BUCKET, keyArn: KEY, region: "us-west-2", grants: normaliseGrants(grants) });
/** Reads teams/genomics/, writes teams/genomics-results/ (given without its trailing slash). */
const MIXED = policyFor([{ prefix: "teams/genomics/" }, { prefix: "teams/genomics-results", access: "read-write" }]);
const READ_ONLY = policyFor([{ prefix: "teams/genomics/", access: "read" }]);

const tls = { "aws:SecureTransport": "true" };
const viaS3 = (context: string, region = "us-west-2") => ({ "kms:ViaService": `s3.${region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": context });
const list = (prefix?: string): SimulationRequest => ({
  action: "s3:ListBucket",
  resource: BUCKET,
  context: { ...tls, ...(prefix === undefined ? {} : { "s3:prefix": prefix }) },
});
const object = (action: string, key: string, bucket = BUCKET): SimulationRequest => ({ action, resource: `${bucket}/${key}`, context: tls });

const CASES: [string, object, SimulationRequest, boolean][] = [
  ["read an object of its own prefix", READ_ONLY, object("s3:GetObject", "teams/genomics/run-1/sample.parquet"), true],
  ["write an object under a read grant", READ_ONLY, object("s3:PutObject", "teams/genomics/run-1/new.parquet"), false],
  ["delete an object under a read grant", READ_ONLY, object("s3:DeleteObject", "teams/genomics/run-1/sample.parquet"), false],
  ["write an object under a read-write grant", MIXED, object("s3:PutObject", "teams/genomics-results/run-1/out.parquet"), true],
  ["delete an object under a read-write grant", MIXED, object("s3:DeleteObject", "teams/genomics-results/run-1/out.parquet"), true],
  ["abort a multipart upload under a read-write grant", MIXED, object("s3:AbortMultipartUpload", "teams/genomics-results/big.bin"), true],
  ["read under a read-write grant", MIXED, object("s3:GetObject", "teams/genomics-results/run-1/out.parquet"), true],
  ["write under the read grant of a role that also writes elsewhere", MIXED, object("s3:PutObject", "teams/genomics/run-1/x"), false],
  ["read another team's prefix", MIXED, object("s3:GetObject", "teams/finance/ledger.csv"), false],
  ["read a prefix that only starts like its own", READ_ONLY, object("s3:GetObject", "teams/genomics-archive/a"), false],
  ["read an object at the bucket root", READ_ONLY, object("s3:GetObject", "README"), false],
  ["read its prefix in another bucket", READ_ONLY, object("s3:GetObject", "teams/genomics/a", OTHER_BUCKET), false],
  [
    "read its prefix without TLS (the bucket policy)",
    READ_ONLY,
    { action: "s3:GetObject", resource: `${BUCKET}/teams/genomics/a`, context: { "aws:SecureTransport": "false" } },
    false,
  ],
  ["list its own prefix", READ_ONLY, list("teams/genomics/"), true],
  ["list below its own prefix", READ_ONLY, list("teams/genomics/run-1/"), true],
  ["list the parent of its prefix", READ_ONLY, list("teams/"), false],
  ["list another team's prefix", READ_ONLY, list("teams/finance/"), false],
  ["list the whole bucket", READ_ONLY, list(), false],
  ["list its prefix in another bucket", READ_ONLY, { ...list("teams/genomics/"), resource: OTHER_BUCKET }, false],
  ["change the bucket policy", MIXED, { action: "s3:PutBucketPolicy", resource: BUCKET, context: tls }, false],
  // KMS, with the bucket key's own policy: S3 asks KMS on the caller's behalf.
  ["decrypt through S3, Bucket Key context (the bucket)", READ_ONLY, { action: "kms:Decrypt", resource: KEY, context: viaS3(BUCKET) }, true],
  [
    "decrypt through S3, object context of its prefix (written before Bucket Keys)",
    READ_ONLY,
    { action: "kms:Decrypt", resource: KEY, context: viaS3(`${BUCKET}/teams/genomics/a`) },
    true,
  ],
  [
    "decrypt through S3, object context of another prefix",
    READ_ONLY,
    { action: "kms:Decrypt", resource: KEY, context: viaS3(`${BUCKET}/teams/finance/a`) },
    false,
  ],
  ["decrypt through S3 for another bucket", READ_ONLY, { action: "kms:Decrypt", resource: KEY, context: viaS3(OTHER_BUCKET) }, false],
  [
    "decrypt outside S3 (no kms:ViaService)",
    READ_ONLY,
    { action: "kms:Decrypt", resource: KEY, context: { "kms:EncryptionContext:aws:s3:arn": BUCKET } },
    false,
  ],
  [
    "decrypt through another service",
    READ_ONLY,
    { action: "kms:Decrypt", resource: KEY, context: { ...viaS3(BUCKET), "kms:ViaService": "ec2.us-west-2.amazonaws.com" } },
    false,
  ],
  ["decrypt through S3 in another region", READ_ONLY, { action: "kms:Decrypt", resource: KEY, context: viaS3(BUCKET, "us-east-1") }, false],
  ["decrypt with another key", READ_ONLY, { action: "kms:Decrypt", resource: OTHER_KEY, context: viaS3(BUCKET) }, false],
  ["generate a data key under a read grant only", READ_ONLY, { action: "kms:GenerateDataKey", resource: KEY, context: viaS3(BUCKET) }, false],
  ["generate a data key through S3 with a read-write grant", MIXED, { action: "kms:GenerateDataKey", resource: KEY, context: viaS3(BUCKET) }, true],
  ["generate a data key for another bucket", MIXED, { action: "kms:GenerateDataKey", resource: KEY, context: viaS3(OTHER_BUCKET) }, false],
  ["generate a data key outside S3", MIXED, { action: "kms:GenerateDataKey", resource: KEY, context: { "kms:EncryptionContext:aws:s3:arn": BUCKET } }, false],
  ["schedule the key's deletion", MIXED, { action: "kms:ScheduleKeyDeletion", resource: KEY }, false],
];

describe("WorkloadIdentity data policy, in the IAM simulator with the bucket's and key's own policies", () => {
  it.each(CASES)("%s", async (_case, identity, request, allowed) => {
    const isKms = request.action.startsWith("kms:");
    const bucketArn = request.resource.split("/")[0]!;
    const resource = isKms ? bucketKeyPolicy(ACCOUNT, "aws", "us-west-2") : bucketPolicy(bucketArn);
    const decision = await simulate(request, { identity: [identity], resource });
    if (allowed) expect(decision).toBe("Allowed");
    else expect(decision).not.toBe("Allowed");
  });
});

const CLUSTER = `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/hm-prod`;
/** The session tags EKS Pod Identity sends (EKS user guide, "Grant Pods access to AWS resources based on tags"). */
const podIdentity = (namespace: string, serviceAccount: string, cluster = CLUSTER) => ({
  "aws:SourceAccount": cluster.split(":")[4]!,
  "aws:RequestTag/eks-cluster-arn": cluster,
  "aws:RequestTag/eks-cluster-name": cluster.split("/").pop()!,
  "aws:RequestTag/kubernetes-namespace": namespace,
  "aws:RequestTag/kubernetes-service-account": serviceAccount,
});

describe("WorkloadIdentity trust: one service account of one namespace of one cluster", () => {
  let trust: object = {};
  beforeAll(async () => {
    new WorkloadIdentity("genomics", {
      roleName: "hm-prod-genomics-workload",
      clusterName: "hm-prod",
      clusterArn: CLUSTER,
      accountId: ACCOUNT,
      // A namespace declared in the same program: an Output.
      namespace: pulumi.output("genomics"),
      serviceAccount: "pipeline",
      bucketArn: BUCKET,
      bucketKeyArn: KEY,
      bucketRegion: "us-west-2",
      grants: [{ prefix: "teams/genomics/" }],
    });
    await settle();
    const role = testMocks.registrations.find((r) => r.type === "aws:iam/role:Role" && r.name === "genomics")!;
    trust = JSON.parse(role.inputs["assumeRolePolicy"] as string) as object;
  });
  const assume = (context: Readonly<Record<string, string>>) =>
    simulate(
      { action: "sts:AssumeRole", resource: `arn:aws:iam::${ACCOUNT}:role/hm-prod-genomics-workload`, principal: "pods.eks.amazonaws.com", context },
      { resource: trust },
    );

  it("lets genomics/pipeline of this cluster assume it", async () => expect(await assume(podIdentity("genomics", "pipeline"))).toBe("Allowed"));
  it.each([
    ["another service account", podIdentity("genomics", "default")],
    ["the same service account name in another namespace", podIdentity("finance", "pipeline")],
    ["another cluster of the account", podIdentity("genomics", "pipeline", `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/hm-dev`)],
    ["a cluster of the same name in another account", podIdentity("genomics", "pipeline", "arn:aws:eks:us-west-2:999999999999:cluster/hm-prod")],
    ["a session without Pod Identity's tags", { "aws:SourceAccount": ACCOUNT }],
  ])("refuses %s", async (_case, context) => expect(await assume(context)).toBe("ImplicitlyDenied"));
});
