import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { failureAlarmArgs } from "../lib/cloudwatch";
import * as iam from "@pulumi/aws/iam";
import * as s3 from "@pulumi/aws/s3";
import { PHYSICAL_NAME, requireThat, withDefaults } from "../lib/args";
import { policyJson, serviceTrustPolicy } from "../lib/iam";
import { replicationRolePolicy } from "./bucket-policies";
import { RegionalBuckets } from "./regional-buckets";

/** Regions a bucket set may use: the commercial regions where S3 replication and RTC are offered. */
export const KNOWN_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "sa-east-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-south-1",
  "ap-south-2",
  "ap-east-1",
  "me-south-1",
  "me-central-1",
  "af-south-1",
  "il-central-1",
] as const;

export interface ReplicatedBucketArgs {
  /** Prefix of bucket names, roles and alarms. */
  readonly namePrefix: string;
  /** Region of the source bucket: the stack's region. */
  readonly sourceRegion: string;
  readonly accountId: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
  /**
   * Regions that get a replica; none leaves the source alone.
   * @default []
   */
  readonly replicaRegions?: readonly string[];
  /**
   * Prefix of snapshot objects.
   * @default "snapshots/"
   */
  readonly snapshotPrefix?: string;
  /**
   * Days a snapshot is kept.
   * @default 7
   */
  readonly snapshotRetentionDays?: number;
  /**
   * Days an old object version is kept.
   * @default 30
   */
  readonly noncurrentVersionDays?: number;
  /**
   * Replicate delete markers: off, so that a delete on the source does not hide the replica's copy.
   * @default false
   */
  readonly replicateDeleteMarkers?: boolean;
  /**
   * S3 Replication Time Control: 99.99% of objects replicated within 15 minutes, at extra cost.
   * @default false
   */
  readonly replicationTimeControl?: boolean;
  /**
   * Where the failed-replication alarms notify (SNS topic ARNs).
   * @default []
   */
  readonly alarmActions?: readonly pulumi.Input<string>[];
  /**
   * Protect buckets and keys against deletion and replacement (prod).
   * @default false
   */
  readonly protect?: boolean;
  /**
   * Tags for every resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const REPLICATED_BUCKET_DEFAULTS = {
  replicaRegions: [] as readonly string[],
  snapshotPrefix: "snapshots/",
  snapshotRetentionDays: 7,
  noncurrentVersionDays: 30,
  replicateDeleteMarkers: false,
  replicationTimeControl: false,
  alarmActions: [] as readonly pulumi.Input<string>[],
  protect: false,
  tags: {},
} satisfies Partial<ReplicatedBucketArgs>;

const COMPONENT = "ReplicatedBucket";

/** Why a replica region is refused for a bucket in `sourceRegion`, or undefined when it is fine. */
export function replicaRegionProblem(sourceRegion: string, region: string): string | undefined {
  const known = KNOWN_REGIONS as readonly string[];
  if (!known.includes(region)) return `is not a region this component knows; use one of ${known.join(", ")}`;
  if (region === sourceRegion) return "is the source's own region: a replica must be in another region";
  return undefined;
}

/** The fewest days lifecycle rules keep snapshots and noncurrent versions. */
export const MIN_RETENTION_DAYS = 1;

/**
 * A data bucket in the stack's region and a replica in each configured region, every object
 * re-encrypted with the destination's key, one replication rule per destination with metrics, a
 * least-privilege replication role, and an alarm on failed replication per destination.
 */
export class ReplicatedBucket extends pulumi.ComponentResource {
  readonly source: RegionalBuckets;
  readonly replicas: readonly RegionalBuckets[];

  constructor(name: string, args: ReplicatedBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(REPLICATED_BUCKET_DEFAULTS, args);
    const known = KNOWN_REGIONS as readonly string[];
    requireThat(
      PHYSICAL_NAME.test(a.namePrefix) && a.namePrefix.length <= 20,
      COMPONENT,
      "namePrefix",
      a.namePrefix,
      "must be 2-20 lowercase letters, digits and hyphens (bucket names add region and account)",
    );
    requireThat(known.includes(a.sourceRegion), COMPONENT, "sourceRegion", a.sourceRegion, `must be one of ${known.join(", ")}`);
    for (const region of a.replicaRegions) {
      const problem = replicaRegionProblem(a.sourceRegion, region);
      requireThat(problem === undefined, COMPONENT, "replicaRegions", region, problem ?? "");
    }
    requireThat(new Set(a.replicaRegions).size === a.replicaRegions.length, COMPONENT, "replicaRegions", a.replicaRegions, "lists a region more than once");
    requireThat(
      Number.isInteger(a.snapshotRetentionDays) && a.snapshotRetentionDays >= MIN_RETENTION_DAYS,
      COMPONENT,
      "snapshotRetentionDays",
      a.snapshotRetentionDays,
      "must be a whole number of days, at least 1",
    );
    requireThat(
      Number.isInteger(a.noncurrentVersionDays) && a.noncurrentVersionDays >= MIN_RETENTION_DAYS,
      COMPONENT,
      "noncurrentVersionDays",
      a.noncurrentVersionDays,
      "must be a whole number of days, at least 1",
    );
    requireThat(
      a.snapshotPrefix.length > 0 && !a.snapshotPrefix.startsWith("/"),
      COMPONENT,
      "snapshotPrefix",
      a.snapshotPrefix,
      'must be a non-empty key prefix such as "snapshots/"',
    );
    super("highmem:buckets:ReplicatedBucket", name, {}, opts);

    const regional = (region: string) =>
      new RegionalBuckets(
        `${name}-${region}`,
        {
          region,
          namePrefix: a.namePrefix,
          accountId: a.accountId,
          partition: a.partition,
          lifecycle: { snapshotPrefix: a.snapshotPrefix, snapshotRetentionDays: a.snapshotRetentionDays, noncurrentVersionDays: a.noncurrentVersionDays },
          protect: a.protect,
          tags: a.tags,
        },
        { parent: this },
      );
    this.source = regional(a.sourceRegion);
    this.replicas = a.replicaRegions.map(regional);

    if (this.replicas.length > 0) this.replicate(name, a);
    this.registerOutputs({ sourceBucket: this.source.bucketName, replicaBuckets: this.replicas.map((r) => r.bucketName) });
  }

  private replicate(name: string, a: ReturnType<typeof withDefaults<ReplicatedBucketArgs, typeof REPLICATED_BUCKET_DEFAULTS>>): void {
    const role = new iam.Role(
      `${name}-replication`,
      {
        name: `${a.namePrefix}-s3-replication`,
        description: `S3 replication of ${a.namePrefix} data from ${a.sourceRegion}`,
        assumeRolePolicy: policyJson(serviceTrustPolicy("s3.amazonaws.com", ["sts:AssumeRole"], { StringEquals: { "aws:SourceAccount": a.accountId } })),
        tags: a.tags,
      },
      { parent: this },
    );
    const targets = pulumi.all(
      this.replicas.map((r, i) => pulumi.all([r.bucketArn, r.keyArn]).apply(([bucketArn, keyArn]) => ({ region: a.replicaRegions[i]!, bucketArn, keyArn }))),
    );
    const rolePolicy = new iam.RolePolicy(
      `${name}-replication`,
      {
        role: role.name,
        policy: pulumi
          .all([this.source.bucketArn, this.source.keyArn, targets])
          .apply(([sourceBucketArn, sourceKeyArn, replicas]) =>
            JSON.stringify(replicationRolePolicy({ sourceRegion: a.sourceRegion, sourceBucketArn, sourceKeyArn, replicas })),
          ),
      },
      { parent: this },
    );

    const ruleId = (region: string) => `to-${region}`;
    new s3.BucketReplicationConfig(
      `${name}-replication`,
      {
        region: a.sourceRegion,
        bucket: this.source.bucketName,
        role: role.arn,
        rules: this.replicas.map((replica, i) => ({
          id: ruleId(a.replicaRegions[i]!),
          priority: i + 1,
          status: "Enabled",
          filter: {},
          // Explicit either way: the default differs between configuration schemas.
          deleteMarkerReplication: { status: a.replicateDeleteMarkers ? "Enabled" : "Disabled" },
          sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
          destination: {
            bucket: replica.bucketArn,
            encryptionConfiguration: { replicaKmsKeyId: replica.keyArn },
            metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
            ...(a.replicationTimeControl ? { replicationTime: { status: "Enabled", time: { minutes: 15 } } } : {}),
          },
        })),
      },
      { parent: this, dependsOn: [rolePolicy, this.source.versioning, ...this.replicas.map((r) => r.versioning)] },
    );

    this.replicas.forEach((replica, i) => {
      const region = a.replicaRegions[i]!;
      new cloudwatch.MetricAlarm(
        `${name}-replication-failed-${region}`,
        failureAlarmArgs({
          region: a.sourceRegion,
          name: `${a.namePrefix}-s3-replication-failed-${region}`,
          description: `Objects of ${a.namePrefix} data failed to replicate to ${region}; see the bucket's replication metrics and the role's permissions`,
          namespace: "AWS/S3",
          metricName: "OperationsFailedReplication",
          dimensions: { SourceBucket: this.source.bucketName, DestinationBucket: replica.bucketName, RuleId: ruleId(region) },
          periodSeconds: 300,
          alarmActions: a.alarmActions,
          tags: a.tags,
        }),
        { parent: this },
      );
    });
  }
}
