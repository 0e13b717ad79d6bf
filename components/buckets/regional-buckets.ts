import * as pulumi from "@pulumi/pulumi";
import * as kms from "@pulumi/aws/kms";
import * as s3 from "@pulumi/aws/s3";
import { bucketKeyPolicy, bucketPolicy } from "./bucket-policies";
import { KEY_LIFECYCLE } from "../lib/kms";

/** Days a replaced or expired snapshot version is kept: the least S3 allows. */
export const SNAPSHOT_NONCURRENT_DAYS = 1;

export interface LifecycleSettings {
  /** Objects under this prefix are snapshots: Intelligent-Tiering at once, deleted after the retention. */
  readonly snapshotPrefix: string;
  readonly snapshotRetentionDays: number;
  /** Days an overwritten or deleted object's old version is kept. */
  readonly noncurrentVersionDays: number;
}

export interface RegionalBucketsArgs {
  readonly region: string;
  /** Prefix of the bucket names; the region and account are appended (bucket names are global). */
  readonly namePrefix: string;
  readonly accountId: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
  readonly lifecycle: LifecycleSettings;
  /** Protect the data bucket and its key against deletion and replacement. */
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * One region's share of a replicated bucket set: a KMS key that rotates, the data bucket (versioned,
 * SSE-KMS with a bucket key, all public access blocked, ACLs disabled, TLS only, access-logged,
 * lifecycle) and the access-log bucket it logs to (S3 server access logs support only SSE-S3).
 */
export class RegionalBuckets extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;
  /** Replication needs versioning on both sides before its configuration is accepted. */
  readonly versioning: s3.BucketVersioning;

  constructor(name: string, args: RegionalBucketsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("highmem:buckets:RegionalBuckets", name, {}, opts);
    const region = args.region;
    const inRegion = { parent: this };
    const stateful = { parent: this, protect: args.protect };

    const key = new kms.Key(
      `${name}-key`,
      {
        region,
        description: `Objects of ${args.namePrefix} data bucket in ${region}`,
        ...KEY_LIFECYCLE,
        policy: pulumi.all([args.accountId, args.partition]).apply(([account, partition]) => JSON.stringify(bucketKeyPolicy(account, partition, region))),
        tags: args.tags,
      },
      stateful,
    );
    new kms.Alias(`${name}-key`, { region, name: `alias/${args.namePrefix}-data`, targetKeyId: key.keyId }, inRegion);

    const hardened = (id: string, bucketName: pulumi.Output<string>, protect: boolean, encryption: "kms" | "s3") => {
      const bucket = new s3.Bucket(`${name}-${id}`, { region, bucket: bucketName, forceDestroy: false, tags: args.tags }, protect ? stateful : inRegion);
      new s3.BucketPublicAccessBlock(
        `${name}-${id}`,
        { region, bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
        inRegion,
      );
      new s3.BucketOwnershipControls(`${name}-${id}`, { region, bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, inRegion);
      new s3.BucketServerSideEncryptionConfiguration(
        `${name}-${id}`,
        {
          region,
          bucket: bucket.id,
          rules:
            encryption === "kms"
              ? [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }]
              : [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        },
        inRegion,
      );
      const versioning = new s3.BucketVersioning(`${name}-${id}`, { region, bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, inRegion);
      return { bucket, versioning };
    };

    const suffix = pulumi.interpolate`${region}-${args.accountId}`;
    // Access logs are audit records: protected in prod like the data.
    const logs = hardened("logs", pulumi.interpolate`${args.namePrefix}-logs-${suffix}`, args.protect, "s3");
    const data = hardened("data", pulumi.interpolate`${args.namePrefix}-data-${suffix}`, args.protect, "kms");

    new s3.BucketPolicy(
      `${name}-logs`,
      {
        region,
        bucket: logs.bucket.id,
        policy: pulumi
          .all([logs.bucket.arn, data.bucket.arn, args.accountId])
          .apply(([logsArn, dataArn, accountId]) =>
            JSON.stringify(bucketPolicy(logsArn, { acceptAccessLogsFrom: { accountId, sourceBucketArns: [dataArn] } })),
          ),
      },
      inRegion,
    );
    new s3.BucketLifecycleConfiguration(
      `${name}-logs`,
      {
        region,
        bucket: logs.bucket.id,
        rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: 365 }, noncurrentVersionExpiration: { noncurrentDays: 7 } }],
      },
      { parent: this, dependsOn: [logs.versioning] },
    );

    new s3.BucketPolicy(
      `${name}-data`,
      { region, bucket: data.bucket.id, policy: data.bucket.arn.apply((arn) => JSON.stringify(bucketPolicy(arn))) },
      inRegion,
    );
    new s3.BucketLogging(`${name}-data`, { region, bucket: data.bucket.id, targetBucket: logs.bucket.id, targetPrefix: "data/" }, inRegion);
    new s3.BucketLifecycleConfiguration(
      `${name}-data`,
      {
        region,
        bucket: data.bucket.id,
        rules: [
          { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: args.lifecycle.noncurrentVersionDays },
            expiration: { expiredObjectDeleteMarker: true },
          },
          {
            id: "snapshots",
            status: "Enabled",
            filter: { prefix: args.lifecycle.snapshotPrefix },
            transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }],
            expiration: { days: args.lifecycle.snapshotRetentionDays },
            // In a versioned bucket, expiration only makes the current version noncurrent ("Expiring
            // objects", S3 user guide: it "applies only to an object's current version"); the snapshot then
            // lives on until a noncurrent expiration removes it. One day after that keeps a snapshot at
            // most its retention + 1 day. The bucket-wide rule also matches snapshots/ with a longer
            // noncurrentDays; "How Amazon S3 handles conflicts in lifecycle configurations"
            // (https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-conflicts.html): when two
            // expiration policies overlap, the shorter one is honored, so data is not kept longer than
            // expected. 1 is the smallest NoncurrentDays S3 accepts.
            noncurrentVersionExpiration: { noncurrentDays: SNAPSHOT_NONCURRENT_DAYS },
          },
        ],
      },
      { parent: this, dependsOn: [data.versioning] },
    );

    this.bucketName = data.bucket.bucket;
    this.bucketArn = data.bucket.arn;
    this.keyArn = key.arn;
    this.versioning = data.versioning;
    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn, keyArn: this.keyArn });
  }
}
