/**
 * The Redis backup role's data policy in the IAM simulator, both ways, as the RedisBackup component
 * renders it (under the runtime mocks of test/setup.ts), with the data bucket's real bucket policy
 * and key policy as resource policies: read-write under snapshots/redis/<cluster>/ only, the bucket
 * key only through S3 in the bucket's region.
 */
import { Provider } from "@pulumi/kubernetes/provider";
import { beforeAll, describe, expect, it } from "vitest";
import { bucketKeyPolicy, bucketPolicy } from "../../components/buckets/bucket-policies";
import { RedisBackup } from "../../components/redis/backup";
import { testMocks } from "../setup";
import { settled as settle } from "../support/pulumi";
import { simulate, type SimulationRequest } from "./simulator";

const ACCOUNT = "123456789012";
const BUCKET = "arn:aws:s3:::hm-prod-data-us-west-2";
const KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/11111111-1111-1111-1111-111111111111`;
const tls = { "aws:SecureTransport": "true" };
const object = (action: string, key: string): SimulationRequest => ({ action, resource: `${BUCKET}/${key}`, context: tls });
const list = (prefix: string): SimulationRequest => ({ action: "s3:ListBucket", resource: BUCKET, context: { ...tls, "s3:prefix": prefix } });
const kms = (action: string, context: Record<string, string>): SimulationRequest => ({ action, resource: KEY, context });
const viaS3 = (arn: string) => ({ "kms:ViaService": "s3.us-west-2.amazonaws.com", "kms:EncryptionContext:aws:s3:arn": arn });

let identity: object = {};
beforeAll(async () => {
  new RedisBackup("iam-backup", {
    provider: new Provider("k8s-backup-iam", { kubeconfig: "{}" }),
    namespace: "data",
    clusterName: "redis",
    seed: "redis.data.svc.cluster.local:6379",
    passwordSecretName: "redis-auth",
    clientLabel: "redis-client",
    schedule: "0 3 * * *",
    keep: 3,
    scratchGiB: 10,
    placement: { nodeSelector: { "karpenter.sh/nodepool": "general" }, tolerations: [] },
    identity: {
      roleName: "hm-prod-redis-backup",
      clusterName: "hm-prod",
      clusterArn: `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/hm-prod`,
      accountId: ACCOUNT,
      bucketName: "hm-prod-data-us-west-2",
      bucketArn: BUCKET,
      bucketKeyArn: KEY,
      bucketRegion: "us-west-2",
    },
  });
  await settle();
  const policy = testMocks.registrations.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === "iam-backup-identity-data")!;
  identity = JSON.parse(policy.inputs["policy"] as string) as object;
});

const CASES: [string, SimulationRequest, boolean][] = [
  ["put an RDB under snapshots/redis/redis/", object("s3:PutObject", "snapshots/redis/redis/20261123T030000Z/slots-0-5460.rdb"), true],
  ["put the manifest", object("s3:PutObject", "snapshots/redis/redis/20261123T030000Z/manifest.json"), true],
  ["read a backup back (restore, retention)", object("s3:GetObject", "snapshots/redis/redis/20261123T030000Z/manifest.json"), true],
  ["delete an old backup (retention)", object("s3:DeleteObject", "snapshots/redis/redis/20261120T030000Z/slots-0-5460.rdb"), true],
  ["abort its multipart upload", object("s3:AbortMultipartUpload", "snapshots/redis/redis/20261123T030000Z/slots-0-5460.rdb"), true],
  ["list its backups", list("snapshots/redis/redis/"), true],
  ["put under another cluster's prefix", object("s3:PutObject", "snapshots/redis/other/20261123T030000Z/x.rdb"), false],
  ["put under a prefix that only starts like its own", object("s3:PutObject", "snapshots/redis/redis-old/x.rdb"), false],
  ["put elsewhere under snapshots/", object("s3:PutObject", "snapshots/volumes/x"), false],
  ["put a team's data", object("s3:PutObject", "teams/genomics/x"), false],
  ["read a team's data", object("s3:GetObject", "teams/genomics/x"), false],
  ["delete a team's data", object("s3:DeleteObject", "teams/genomics/x"), false],
  ["list all snapshots", list("snapshots/"), false],
  ["change the bucket's lifecycle", { action: "s3:PutLifecycleConfiguration", resource: BUCKET, context: tls }, false],
  ["put without TLS (the bucket policy)", { ...object("s3:PutObject", "snapshots/redis/redis/t/x.rdb"), context: { "aws:SecureTransport": "false" } }, false],
  ["generate a data key through S3 for the bucket", kms("kms:GenerateDataKey", viaS3(BUCKET)), true],
  ["decrypt through S3 for the bucket", kms("kms:Decrypt", viaS3(BUCKET)), true],
  ["generate a data key outside S3", kms("kms:GenerateDataKey", { "kms:EncryptionContext:aws:s3:arn": BUCKET }), false],
  ["decrypt outside S3", kms("kms:Decrypt", { "kms:EncryptionContext:aws:s3:arn": BUCKET }), false],
  ["decrypt through S3 a team's object (object context)", kms("kms:Decrypt", viaS3(`${BUCKET}/teams/genomics/x`)), false],
  ["decrypt through another service", kms("kms:Decrypt", { ...viaS3(BUCKET), "kms:ViaService": "ec2.us-west-2.amazonaws.com" }), false],
  ["encrypt directly with the key", kms("kms:Encrypt", { ...viaS3(BUCKET) }), false],
];

describe("RedisBackup role, in the IAM simulator with the bucket's and key's own policies", () => {
  it.each(CASES)("%s", async (_case, request, allowed) => {
    const resource = request.action.startsWith("kms:") ? bucketKeyPolicy(ACCOUNT, "aws", "us-west-2") : bucketPolicy(BUCKET);
    const decision = await simulate(request, { identity: [identity], resource });
    if (allowed) expect(decision).toBe("Allowed");
    else expect(decision).not.toBe("Allowed");
  });
});
