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
          StringLike: { "kms:EncryptionContext:aws:s3:arn": `${a.sourceBucketArn}/*` },
        },
      },
      ...a.replicas.map((r, i) => ({
        Sid: `EncryptReplica${i}ThroughS3`,
        Effect: "Allow" as const,
        Action: ["kms:Encrypt", "kms:GenerateDataKey"],
        Resource: r.keyArn,
        Condition: {
          StringEquals: { "kms:ViaService": `s3.${r.region}.amazonaws.com` },
          StringLike: { "kms:EncryptionContext:aws:s3:arn": `${r.bucketArn}/*` },
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
export function bucketPolicy(bucketArn: string, options: { readonly acceptAccessLogsFrom?: { readonly accountId: string; readonly sourceBucketArns: readonly string[] } } = {}): PolicyDocument {
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
        ? [{
            Sid: "AcceptAccessLogs",
            Effect: "Allow" as const,
            Principal: { Service: "logging.s3.amazonaws.com" },
            Action: "s3:PutObject",
            Resource: `${bucketArn}/*`,
            Condition: { StringEquals: { "aws:SourceAccount": logs.accountId }, ArnLike: { "aws:SourceArn": [...logs.sourceBucketArns] } },
          }]
        : []),
    ],
  };
}
