import { describe, expect, it } from "vitest";
import { bucketKeyPolicy, bucketPolicy, replicationRolePolicy } from "../../components/buckets/bucket-policies";
import { simulate, type SimulationRequest } from "./simulator";

const ACCOUNT = "123456789012";
const SOURCE = "arn:aws:s3:::hm-prod-data-us-west-2";
const EAST = "arn:aws:s3:::hm-prod-data-us-east-1";
const EU = "arn:aws:s3:::hm-prod-data-eu-west-1";
const key = (region: string, id: string) => `arn:aws:kms:${region}:${ACCOUNT}:key/${id}`;
const SOURCE_KEY = key("us-west-2", "11111111-1111-1111-1111-111111111111");
const EAST_KEY = key("us-east-1", "22222222-2222-2222-2222-222222222222");
const EU_KEY = key("eu-west-1", "33333333-3333-3333-3333-333333333333");
const policy = replicationRolePolicy({
  sourceRegion: "us-west-2",
  sourceBucketArn: SOURCE,
  sourceKeyArn: SOURCE_KEY,
  replicas: [
    { region: "us-east-1", bucketArn: EAST, keyArn: EAST_KEY },
    { region: "eu-west-1", bucketArn: EU, keyArn: EU_KEY },
  ],
});
/** A KMS request S3 makes in `region` with the encryption context `context` (a bucket or object ARN). */
const viaS3 = (region: string, context: string) => ({ "kms:ViaService": `s3.${region}.amazonaws.com`, "kms:EncryptionContext:aws:s3:arn": context });

const CASES: [string, SimulationRequest, boolean][] = [
  ["read the source's replication configuration", { action: "s3:GetReplicationConfiguration", resource: SOURCE }, true],
  ["read a source object version for replication", { action: "s3:GetObjectVersionForReplication", resource: `${SOURCE}/snapshots/a` }, true],
  ["replicate into the us-east-1 replica", { action: "s3:ReplicateObject", resource: `${EAST}/snapshots/a` }, true],
  ["replicate into the eu-west-1 replica", { action: "s3:ReplicateObject", resource: `${EU}/snapshots/a` }, true],
  ["replicate a delete into a replica", { action: "s3:ReplicateDelete", resource: `${EU}/snapshots/a` }, true],
  ["replicate into another bucket", { action: "s3:ReplicateObject", resource: "arn:aws:s3:::someone-elses-bucket/a" }, false],
  ["replicate into the source itself", { action: "s3:ReplicateObject", resource: `${SOURCE}/a` }, false],
  ["read an object the ordinary way", { action: "s3:GetObject", resource: `${SOURCE}/a` }, false],
  ["delete a replica bucket", { action: "s3:DeleteBucket", resource: EAST }, false],
  ["change the source's bucket policy", { action: "s3:PutBucketPolicy", resource: SOURCE }, false],
  // With Bucket Keys the encryption context is the bucket ARN (S3 user guide, "Reducing the cost of
  // SSE-KMS with Amazon S3 Bucket Keys"); objects stored before a Bucket Key keep the object ARN.
  [
    "decrypt with the source key, Bucket Key context (the source bucket)",
    { action: "kms:Decrypt", resource: SOURCE_KEY, context: viaS3("us-west-2", SOURCE) },
    true,
  ],
  [
    "decrypt with the source key, object context (an object stored before Bucket Keys)",
    { action: "kms:Decrypt", resource: SOURCE_KEY, context: viaS3("us-west-2", `${SOURCE}/snapshots/a`) },
    true,
  ],
  ["decrypt with the source key for another bucket", { action: "kms:Decrypt", resource: SOURCE_KEY, context: viaS3("us-west-2", EAST) }, false],
  [
    "decrypt with the source key for a bucket whose name extends the source's",
    { action: "kms:Decrypt", resource: SOURCE_KEY, context: viaS3("us-west-2", `${SOURCE}-copy`) },
    false,
  ],
  ["decrypt with the source key for another bucket's object", { action: "kms:Decrypt", resource: SOURCE_KEY, context: viaS3("us-west-2", `${EU}/a`) }, false],
  [
    "decrypt with the source key without an encryption context",
    { action: "kms:Decrypt", resource: SOURCE_KEY, context: { "kms:ViaService": "s3.us-west-2.amazonaws.com" } },
    false,
  ],
  [
    "decrypt with the source key outside S3",
    { action: "kms:Decrypt", resource: SOURCE_KEY, context: { "kms:ViaService": "ec2.us-west-2.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": SOURCE } },
    false,
  ],
  [
    "encrypt with the us-east-1 replica key, Bucket Key context (that replica)",
    { action: "kms:GenerateDataKey", resource: EAST_KEY, context: viaS3("us-east-1", EAST) },
    true,
  ],
  [
    "encrypt with the us-east-1 replica key, object context of that replica",
    { action: "kms:Encrypt", resource: EAST_KEY, context: viaS3("us-east-1", `${EAST}/snapshots/a`) },
    true,
  ],
  [
    "check the replica's Bucket Key with kms:Decrypt on the us-east-1 key",
    { action: "kms:Decrypt", resource: EAST_KEY, context: viaS3("us-east-1", EAST) },
    true,
  ],
  [
    "encrypt with the eu-west-1 replica key, Bucket Key context (that replica)",
    { action: "kms:GenerateDataKey", resource: EU_KEY, context: viaS3("eu-west-1", EU) },
    true,
  ],
  ["encrypt with the us-east-1 key for the eu-west-1 replica", { action: "kms:GenerateDataKey", resource: EAST_KEY, context: viaS3("us-east-1", EU) }, false],
  [
    "encrypt with the us-east-1 key through S3 in another region",
    { action: "kms:GenerateDataKey", resource: EAST_KEY, context: viaS3("eu-west-1", EAST) },
    false,
  ],
  [
    "use another key",
    { action: "kms:Decrypt", resource: key("us-west-2", "44444444-4444-4444-4444-444444444444"), context: viaS3("us-west-2", SOURCE) },
    false,
  ],
  ["schedule a key for deletion", { action: "kms:ScheduleKeyDeletion", resource: SOURCE_KEY }, false],
];

describe("replication role policy, in the IAM simulator", () => {
  it(`covers at least ten cases (${CASES.length})`, () => expect(CASES.length).toBeGreaterThanOrEqual(10));
  it.each(CASES)("%s", async (_case, request, allowed) => {
    // A KMS request needs the key's own policy too: evaluate the real one of the key's region.
    const keyRegion = request.action.startsWith("kms:") ? request.resource.split(":")[3]! : undefined;
    const resource = keyRegion ? { resource: bucketKeyPolicy(ACCOUNT, "aws", keyRegion) } : {};
    const decision = await simulate(request, { identity: [policy], ...resource });
    if (allowed) expect(decision).toBe("Allowed");
    else expect(decision).not.toBe("Allowed");
  });

  it("limits each key to its own bucket (bucket ARN) and that bucket's objects through the S3 encryption context", () => {
    const contexts = policy.Statement.filter((s) => String(s.Action).startsWith("kms:") || (Array.isArray(s.Action) && s.Action[0]!.startsWith("kms:"))).map(
      (s) => [s.Resource, s.Condition?.["StringLike"]?.["kms:EncryptionContext:aws:s3:arn"]],
    );
    expect(contexts).toEqual([
      [SOURCE_KEY, [SOURCE, `${SOURCE}/*`]],
      [EAST_KEY, [EAST, `${EAST}/*`]],
      [EU_KEY, [EU, `${EU}/*`]],
    ]);
  });
});

describe("bucket key policy, in the IAM simulator", () => {
  const keyPolicy = bucketKeyPolicy(ACCOUNT, "aws", "us-west-2");
  const role = `arn:aws:iam::${ACCOUNT}:role/hm-prod-replication`;
  const adminPolicy = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] };

  it("lets an account principal with IAM permission decrypt through S3, but not directly", async () => {
    expect(
      await simulate(
        { action: "kms:Decrypt", resource: SOURCE_KEY, principal: role, context: { ...viaS3("us-west-2", SOURCE), "aws:PrincipalIsAWSService": "false" } },
        { identity: [adminPolicy], resource: keyPolicy },
      ),
    ).toBe("Allowed");
    expect(
      await simulate(
        {
          action: "kms:Decrypt",
          resource: SOURCE_KEY,
          principal: role,
          context: { "kms:ViaService": "lambda.us-west-2.amazonaws.com", "aws:PrincipalIsAWSService": "false" },
        },
        { identity: [adminPolicy], resource: keyPolicy },
      ),
    ).toBe("ExplicitlyDenied");
  });

  it("gives nothing to another account, and names no public principal with an Allow", async () => {
    expect(
      await simulate(
        {
          action: "kms:Decrypt",
          resource: SOURCE_KEY,
          principal: "arn:aws:iam::999999999999:role/outsider",
          context: { ...viaS3("us-west-2", SOURCE), "aws:PrincipalIsAWSService": "false" },
        },
        { identity: [adminPolicy], resource: keyPolicy },
      ),
    ).not.toBe("Allowed");
    const allows = keyPolicy.Statement.filter((s) => s.Effect === "Allow");
    expect(allows.length).toBeGreaterThan(0);
    for (const s of allows) expect(JSON.stringify(s.Principal)).not.toContain('"*"');
  });
});

describe("bucket policy, in the IAM simulator", () => {
  const reader = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: `${SOURCE}/*` }] };
  it("refuses requests without TLS even to a principal allowed to read", async () => {
    const request = (tls: string) => ({ action: "s3:GetObject", resource: `${SOURCE}/a`, context: { "aws:SecureTransport": tls } });
    expect(await simulate(request("true"), { identity: [reader], resource: bucketPolicy(SOURCE) })).toBe("Allowed");
    expect(await simulate(request("false"), { identity: [reader], resource: bucketPolicy(SOURCE) })).toBe("ExplicitlyDenied");
  });

  it("accepts access logs from S3 logging for this account's buckets only", async () => {
    const logs = "arn:aws:s3:::hm-prod-logs-us-west-2";
    const p = bucketPolicy(logs, { acceptAccessLogsFrom: { accountId: ACCOUNT, sourceBucketArns: [SOURCE] } });
    const put = (account: string, source: string) => ({
      action: "s3:PutObject",
      resource: `${logs}/x`,
      principal: "logging.s3.amazonaws.com",
      context: { "aws:SourceAccount": account, "aws:SourceArn": source, "aws:SecureTransport": "true" },
    });
    expect(await simulate(put(ACCOUNT, SOURCE), { resource: p })).toBe("Allowed");
    expect(await simulate(put("999999999999", "arn:aws:s3:::other-bucket"), { resource: p })).toBe("ImplicitlyDenied");
  });
});
