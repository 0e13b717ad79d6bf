/**
 * The IAM documents of a replicated bucket set, as pure functions of ARNs, so that the component
 * renders them and tests evaluate exactly the same documents in an IAM policy simulator.
 */
import type { PolicyDocument } from "../lib/iam";

export interface ReplicaTarget {
  readonly region: string;
  readonly bucketArn: string;
  readonly keyArn: string;
}

export interface ReplicationPolicyArgs {
  readonly sourceRegion: string;
  readonly sourceBucketArn: string;
  readonly sourceKeyArn: string;
  readonly replicas: readonly ReplicaTarget[];
}

/**
 * The values S3 gives KMS as encryption context (key "aws:s3:arn") for a bucket's objects.
 * "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys"
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html, section "Changes to note
 * before enabling an S3 Bucket Key"): policies that use the object ARN as encryption context do not
 * work with a Bucket Key, which uses the bucket ARN; objects already in a bucket when its Bucket Key
 * was configured keep encryption without it, so their context stays the object ARN.
 * "Replicating encrypted objects" (replication-config-for-kms-objects.html, "Amazon S3 Bucket Keys
 * and replication"): with a Bucket Key on the source or the destination, the context is the bucket
 * ARN, and the replication role's policy must name the bucket ARN in kms:EncryptionContext:aws:s3:arn.
 * Both forms name only this bucket: the exact bucket ARN, and that bucket's objects.
 */
export function s3EncryptionContexts(bucketArn: string): string[] {
  return [bucketArn, `${bucketArn}/*`];
}

/** Exactly the replication actions, on exactly these buckets and keys, and the keys only through S3. */
export function replicationRolePolicy(a: ReplicationPolicyArgs): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "ReadReplicationConfiguration", Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: a.sourceBucketArn },
      {
        Sid: "ReadSourceVersions",
        Effect: "Allow",
        Action: ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
        Resource: `${a.sourceBucketArn}/*`,
      },
      {
        Sid: "WriteReplicas",
        Effect: "Allow",
        Action: ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
        Resource: a.replicas.map((r) => `${r.bucketArn}/*`),
      },
      {
        Sid: "DecryptSourceThroughS3",
        Effect: "Allow",
        Action: "kms:Decrypt",
        Resource: a.sourceKeyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${a.sourceRegion}.amazonaws.com` },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": s3EncryptionContexts(a.sourceBucketArn) },
        },
      },
      // Same page, same section: with a Bucket Key, the key that encrypts the replica must also allow
      // kms:Decrypt to the caller, which checks the Bucket Key's integrity before using it.
      ...a.replicas.map((r, i) => ({
        Sid: `EncryptReplica${i}ThroughS3`,
        Effect: "Allow" as const,
        Action: ["kms:Encrypt", "kms:GenerateDataKey", "kms:Decrypt"],
        Resource: r.keyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${r.region}.amazonaws.com` },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": s3EncryptionContexts(r.bucketArn) },
        },
      })),
    ],
  };
}

/**
 * A bucket key's policy: the account administers it through IAM (without that statement a key can
 * become unmanageable), and the bucket's data is used only through S3 in the key's region. No
 * principal outside the account appears.
 */
export function bucketKeyPolicy(accountId: string, partition: string, region: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
      {
        Sid: "NoDataUseOutsideS3",
        Effect: "Deny",
        Principal: { AWS: "*" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey", "kms:Encrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo"],
        Resource: "*",
        Condition: {
          StringNotEquals: { "kms:ViaService": `s3.${region}.amazonaws.com` },
          Bool: { "aws:PrincipalIsAWSService": "false" },
        },
      },
    ],
  };
}

/** Refuses every request to the bucket that does not use TLS; optionally lets S3 write access logs. */
export function bucketPolicy(
  bucketArn: string,
  options: { readonly acceptAccessLogsFrom?: { readonly accountId: string; readonly sourceBucketArns: readonly string[] } } = {},
): PolicyDocument {
  const logs = options.acceptAccessLogsFrom;
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyWithoutTls",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
      ...(logs
        ? [
            {
              Sid: "AcceptAccessLogs",
              Effect: "Allow" as const,
              Principal: { Service: "logging.s3.amazonaws.com" },
              Action: "s3:PutObject",
              Resource: `${bucketArn}/*`,
              Condition: { StringEquals: { "aws:SourceAccount": logs.accountId }, ArnLike: { "aws:SourceArn": [...logs.sourceBucketArns] } },
            },
          ]
        : []),
    ],
  };
}
