/** The IAM permissions of the S3 types (sources as in table.ts). */
import { SAR, TF } from "./sources";
import type { TypePermissions } from "./table";

/** The S3 bucket and its separate configuration resources (AWS provider v7 split them out). */
function s3Types(): Record<string, TypePermissions> {
  const s3 = (resource: string, read: string[], write: string[]): TypePermissions => ({
    source: `${SAR("Amazon S3")}; ${TF(resource)}`,
    read: [{ actions: read.map((a) => `s3:${a}`), target: "s3-bucket" }],
    write: [{ actions: write.map((a) => `s3:${a}`), target: "s3-bucket" }],
  });
  return {
    // aws_s3_bucket reads every sub-configuration of the bucket on refresh.
    "aws:s3/bucket:Bucket": s3(
      "aws_s3_bucket",
      [
        "ListBucket",
        "GetBucketLocation",
        "GetBucketTagging",
        "GetBucketPolicy",
        "GetBucketAcl",
        "GetBucketCORS",
        "GetBucketWebsite",
        "GetBucketVersioning",
        "GetAccelerateConfiguration",
        "GetBucketRequestPayment",
        "GetBucketLogging",
        "GetLifecycleConfiguration",
        "GetReplicationConfiguration",
        "GetEncryptionConfiguration",
        "GetBucketObjectLockConfiguration",
        "GetBucketOwnershipControls",
        "GetBucketPublicAccessBlock",
      ],
      ["CreateBucket", "PutBucketTagging", "DeleteBucket"],
    ),
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": s3(
      "aws_s3_bucket_public_access_block",
      ["GetBucketPublicAccessBlock"],
      ["PutBucketPublicAccessBlock"],
    ),
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls": s3(
      "aws_s3_bucket_ownership_controls",
      ["GetBucketOwnershipControls"],
      ["PutBucketOwnershipControls"],
    ),
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": s3(
      "aws_s3_bucket_server_side_encryption_configuration",
      ["GetEncryptionConfiguration"],
      ["PutEncryptionConfiguration"],
    ),
    "aws:s3/bucketVersioning:BucketVersioning": s3("aws_s3_bucket_versioning", ["GetBucketVersioning"], ["PutBucketVersioning"]),
    "aws:s3/bucketPolicy:BucketPolicy": s3("aws_s3_bucket_policy", ["GetBucketPolicy"], ["PutBucketPolicy", "DeleteBucketPolicy"]),
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": s3(
      "aws_s3_bucket_lifecycle_configuration",
      ["GetLifecycleConfiguration"],
      ["PutLifecycleConfiguration"],
    ),
    "aws:s3/bucketLogging:BucketLogging": s3("aws_s3_bucket_logging", ["GetBucketLogging"], ["PutBucketLogging"]),
    "aws:s3/bucketReplicationConfig:BucketReplicationConfig": {
      ...s3("aws_s3_bucket_replication_configuration", ["GetReplicationConfiguration"], ["PutReplicationConfiguration"]),
      passRoleTo: ["s3.amazonaws.com"],
    },
  };
}

export const S3_TYPE_PERMISSIONS: Readonly<Record<string, TypePermissions>> = s3Types();
