/**
 * Where the platform's Pulumi state and secrets live: an S3 bucket for the self-managed backend
 * (`pulumi login s3://<bucket>`) and a KMS key for the `awskms://` secrets provider, which also
 * encrypts the bucket. Both are protected: deleting them loses every stack's state.
 */
import * as pulumi from "@pulumi/pulumi";
import { Alias } from "@pulumi/aws/kms/alias";
import { Key } from "@pulumi/aws/kms/key";
import * as s3 from "@pulumi/aws/s3";
import { bucketPolicy, KEY_LIFECYCLE, policyJson, requireThat, withDefaults, type PolicyDocument } from "../components/internal";

export interface StateBackendArgs {
  readonly bucketName: string;
  readonly accountId: string;
  readonly region: string;
  /** Roles that deploy: encrypt and decrypt with the key. */
  readonly deployRoleArns: readonly pulumi.Input<string>[];
  /** Roles that preview: decrypt only. */
  readonly previewRoleArns: readonly pulumi.Input<string>[];
  /**
   * AWS partition.
   * @default "aws"
   */
  readonly partition?: string;
  /**
   * Alias of the secrets key (the `awskms://alias/<name>` secrets provider).
   * @default "highmem-pulumi-secrets"
   */
  readonly keyAlias?: string;
  /**
   * Bucket of the state bucket's server access logs (who read or wrote which stack's state).
   * @default "<bucketName>-logs"
   */
  readonly logBucketName?: string;
  /**
   * Days an overwritten or deleted state object's previous version is kept.
   * @default 90
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Tags of every resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

const DEFAULTS = { partition: "aws", keyAlias: "highmem-pulumi-secrets", noncurrentVersionDays: 90, tags: {} } as const;

/**
 * Key policy: the account administers the key through IAM (AWS KMS developer guide, "Default key
 * policy": without it the key can become unmanageable), deploy roles encrypt and decrypt, preview
 * roles decrypt.
 */
export function secretsKeyPolicy(partition: string, accountId: string, deployRoleArns: readonly string[], previewRoleArns: readonly string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministersTheKey", Effect: "Allow", Principal: { AWS: `arn:${partition}:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
      ...(deployRoleArns.length > 0
        ? [
            {
              Sid: "DeployRolesUseTheKey",
              Effect: "Allow" as const,
              Principal: { AWS: [...deployRoleArns] },
              Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
              Resource: "*",
            },
          ]
        : []),
      ...(previewRoleArns.length > 0
        ? [{ Sid: "PreviewRolesDecrypt", Effect: "Allow" as const, Principal: { AWS: [...previewRoleArns] }, Action: ["kms:Decrypt"], Resource: "*" }]
        : []),
    ],
  };
}

/**
 * Bucket policy: the platform's own (components/buckets/bucket-policies.ts bucketPolicy): TLS only,
 * and for the log bucket, server access log delivery from the state bucket only.
 */
export function stateBucketPolicy(bucketArn: string, logsFrom?: { readonly bucketArn: string; readonly accountId: string }): PolicyDocument {
  return bucketPolicy(bucketArn, logsFrom ? { acceptAccessLogsFrom: { accountId: logsFrom.accountId, sourceBucketArns: [logsFrom.bucketArn] } } : {});
}

export class StateBackend extends pulumi.ComponentResource {
  readonly bucketName: pulumi.Output<string>;
  readonly bucketArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;
  /** The value of `--secrets-provider` for `pulumi stack init`. */
  readonly secretsProvider: string;
  /** The value of `pulumi login`. */
  readonly backendUrl: string;

  constructor(name: string, rawArgs: StateBackendArgs, opts?: pulumi.ComponentResourceOptions) {
    super("highmem:bootstrap:StateBackend", name, {}, opts);
    const args = withDefaults(DEFAULTS, rawArgs);
    const c = "StateBackend";
    requireThat(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(args.bucketName), c, "bucketName", args.bucketName, "an S3 bucket name");
    const logBucketName = args.logBucketName ?? `${args.bucketName}-logs`;
    requireThat(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(logBucketName),
      c,
      "logBucketName",
      logBucketName,
      "an S3 bucket name of at most 63 characters (give one when <bucketName>-logs is too long)",
    );
    requireThat(
      /^[a-zA-Z0-9/_-]+$/.test(args.keyAlias) && !args.keyAlias.startsWith("aws/"),
      c,
      "keyAlias",
      args.keyAlias,
      "letters, digits, '/', '_' and '-', not starting with aws/ (reserved)",
    );
    requireThat(
      Number.isInteger(args.noncurrentVersionDays) && args.noncurrentVersionDays >= 1,
      c,
      "noncurrentVersionDays",
      args.noncurrentVersionDays,
      "a whole number of days, at least 1",
    );
    const protect = { parent: this, protect: true };

    const keyPolicy = pulumi
      .all([pulumi.all([...args.deployRoleArns]), pulumi.all([...args.previewRoleArns])])
      .apply(([deploy, preview]) => JSON.stringify(secretsKeyPolicy(args.partition, args.accountId, deploy, preview)));
    const key = new Key(
      `${name}-secrets`,
      {
        description: "Pulumi secrets (awskms:// secrets provider) and state bucket encryption of the highmem platform",
        ...KEY_LIFECYCLE,
        policy: keyPolicy,
        tags: { ...args.tags },
      },
      protect,
    );
    new Alias(`${name}-secrets`, { name: `alias/${args.keyAlias}`, targetKeyId: key.keyId }, { parent: this });

    const bucket = new s3.Bucket(`${name}-state`, { bucket: args.bucketName, forceDestroy: false, tags: { ...args.tags } }, protect);
    new s3.BucketPublicAccessBlock(
      `${name}-state`,
      { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent: this },
    );
    new s3.BucketOwnershipControls(`${name}-state`, { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
    new s3.BucketServerSideEncryptionConfiguration(
      `${name}-state`,
      {
        bucket: bucket.id,
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true }],
      },
      { parent: this },
    );
    const versioning = new s3.BucketVersioning(`${name}-state`, { bucket: bucket.id, versioningConfiguration: { status: "Enabled" } }, { parent: this });
    new s3.BucketPolicy(
      `${name}-state`,
      { bucket: bucket.id, policy: policyJson(stateBucketPolicy(`arn:${args.partition}:s3:::${args.bucketName}`)) },
      { parent: this },
    );

    // Server access logs: SSE-S3, the only default encryption log delivery supports (S3 user guide,
    // "Enabling Amazon S3 server access logging"), kept a year.
    const logs = new s3.Bucket(`${name}-state-logs`, { bucket: logBucketName, forceDestroy: false, tags: { ...args.tags } }, { parent: this });
    new s3.BucketPublicAccessBlock(
      `${name}-state-logs`,
      { bucket: logs.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
      { parent: this },
    );
    new s3.BucketOwnershipControls(`${name}-state-logs`, { bucket: logs.id, rule: { objectOwnership: "BucketOwnerEnforced" } }, { parent: this });
    new s3.BucketServerSideEncryptionConfiguration(
      `${name}-state-logs`,
      { bucket: logs.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      { parent: this },
    );
    const logsVersioning = new s3.BucketVersioning(`${name}-state-logs`, { bucket: logs.id, versioningConfiguration: { status: "Enabled" } }, { parent: this });
    const logsPolicy = new s3.BucketPolicy(
      `${name}-state-logs`,
      {
        bucket: logs.id,
        policy: policyJson(
          stateBucketPolicy(`arn:${args.partition}:s3:::${logBucketName}`, {
            bucketArn: `arn:${args.partition}:s3:::${args.bucketName}`,
            accountId: args.accountId,
          }),
        ),
      },
      { parent: this },
    );
    new s3.BucketLifecycleConfiguration(
      `${name}-state-logs`,
      {
        bucket: logs.id,
        rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: 365 }, noncurrentVersionExpiration: { noncurrentDays: 7 } }],
      },
      { parent: this, dependsOn: [logsVersioning] },
    );
    new s3.BucketLogging(`${name}-state`, { bucket: bucket.id, targetBucket: logs.id, targetPrefix: "state/" }, { parent: this, dependsOn: [logsPolicy] });
    new s3.BucketLifecycleConfiguration(
      `${name}-state`,
      {
        bucket: bucket.id,
        rules: [
          { id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } },
          {
            id: "expire-old-state-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays },
            expiration: { expiredObjectDeleteMarker: true },
          },
        ],
      },
      { parent: this, dependsOn: [versioning] },
    );

    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;
    this.keyArn = key.arn;
    this.secretsProvider = `awskms://alias/${args.keyAlias}?region=${args.region}`;
    this.backendUrl = `s3://${args.bucketName}?region=${args.region}`;
    this.registerOutputs({
      bucketName: this.bucketName,
      bucketArn: this.bucketArn,
      keyArn: this.keyArn,
      secretsProvider: this.secretsProvider,
      backendUrl: this.backendUrl,
    });
  }
}
