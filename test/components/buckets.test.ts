import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { ReplicatedBucket } from "../../components/buckets/replicated-bucket";
import { testMocks } from "../setup";
import { settled as settle } from "../support/pulumi";

const base = { sourceRegion: "us-west-2", accountId: pulumi.output("123456789012"), partition: pulumi.output("aws") };
const of = (prefix: string, type: string) => testMocks.registrations.filter((r) => r.type === type && r.name.startsWith(prefix));

describe("ReplicatedBucket", () => {
  it("with no replica: one hardened data bucket and its log bucket, no replication", async () => {
    new ReplicatedBucket("solo", { ...base, namePrefix: "solo" });
    await settle();
    expect(
      of("solo", "aws:s3/bucket:Bucket")
        .map((b) => b.inputs["bucket"])
        .sort(),
    ).toEqual(["solo-data-us-west-2-123456789012", "solo-logs-us-west-2-123456789012"]);
    expect(of("solo", "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toHaveLength(0);
    expect(of("solo", "aws:iam/role:Role")).toHaveLength(0);
  });

  it("hardens every bucket: versioning, public access blocked, ACLs disabled, TLS only, no force destroy", async () => {
    new ReplicatedBucket("hard", { ...base, namePrefix: "hard", replicaRegions: ["us-east-1"] });
    await settle();
    // Two regions, each with a data and a logs bucket: every check below covers all four.
    expect(of("hard", "aws:s3/bucket:Bucket").map((b) => b.inputs["forceDestroy"])).toEqual(Array(4).fill(false));
    expect(of("hard", "aws:s3/bucketVersioning:BucketVersioning").map((v) => v.inputs["versioningConfiguration"])).toEqual(
      Array(4).fill({ status: "Enabled" }),
    );
    expect(of("hard", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")).toHaveLength(4);
    for (const pab of of("hard", "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")) {
      expect(pab.inputs).toMatchObject({ blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    }
    expect(
      of("hard", "aws:s3/bucketOwnershipControls:BucketOwnershipControls").map((o) => (o.inputs["rule"] as { objectOwnership: string }).objectOwnership),
    ).toEqual(Array(4).fill("BucketOwnerEnforced"));
    expect(of("hard", "aws:s3/bucketPolicy:BucketPolicy")).toHaveLength(4);
    for (const p of of("hard", "aws:s3/bucketPolicy:BucketPolicy")) expect(p.inputs["policy"]).toContain('"aws:SecureTransport":"false"');
    const dataEncryption = of("hard", "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").filter((e) =>
      e.name.endsWith("-data"),
    );
    expect(dataEncryption).toHaveLength(2);
    for (const e of dataEncryption)
      expect((e.inputs["rules"] as unknown[])[0]).toMatchObject({ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" }, bucketKeyEnabled: true });
    expect(
      of("hard", "aws:s3/bucketLogging:BucketLogging")
        .map((l) => l.inputs["region"])
        .sort(),
    ).toEqual(["us-east-1", "us-west-2"]);
  });

  it("with two replicas: a key per region, one rule per destination, delete markers off, replicas re-encrypted with their own key, an alarm each", async () => {
    new ReplicatedBucket("pair", { ...base, namePrefix: "pair", replicaRegions: ["us-east-1", "eu-west-1"], replicationTimeControl: true });
    await settle();
    const keys = of("pair", "aws:kms/key:Key");
    expect(keys.map((k) => k.inputs["region"]).sort()).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
    expect(keys.map((k) => k.inputs["enableKeyRotation"])).toEqual([true, true, true]);
    const replication = of("pair", "aws:s3/bucketReplicationConfig:BucketReplicationConfig")[0]!.inputs as {
      region: string;
      rules: {
        id: string;
        priority: number;
        deleteMarkerReplication: { status: string };
        destination: { bucket: string; encryptionConfiguration: { replicaKmsKeyId: string }; replicationTime?: unknown };
      }[];
    };
    expect(replication.region).toBe("us-west-2");
    expect(replication.rules.map((r) => [r.id, r.priority, r.deleteMarkerReplication.status])).toEqual([
      ["to-us-east-1", 1, "Disabled"],
      ["to-eu-west-1", 2, "Disabled"],
    ]);
    expect(replication.rules[1]!.destination.bucket).toBe("arn:aws:s3:::pair-data-eu-west-1-123456789012");
    expect(replication.rules[1]!.destination.encryptionConfiguration.replicaKmsKeyId).toMatch(/^arn:aws:kms:eu-west-1:/);
    expect(replication.rules[0]!.destination.replicationTime).toEqual({ status: "Enabled", time: { minutes: 15 } });
    const alarms = of("pair", "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => (a.inputs["dimensions"] as { RuleId: string }).RuleId).sort()).toEqual(["to-eu-west-1", "to-us-east-1"]);
    expect(alarms[0]!.inputs).toMatchObject({
      namespace: "AWS/S3",
      metricName: "OperationsFailedReplication",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
    });
  });

  it("keeps snapshots in Intelligent-Tiering for the retention, expires old versions and aborts stale uploads", async () => {
    new ReplicatedBucket("life", { ...base, namePrefix: "life", snapshotRetentionDays: 14, noncurrentVersionDays: 60 });
    await settle();
    const rules = of("life", "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((l) => l.name.endsWith("-data"))!.inputs["rules"] as {
      id: string;
    }[];
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          id: "snapshots",
          filter: { prefix: "snapshots/" },
          transitions: [{ days: 0, storageClass: "INTELLIGENT_TIERING" }],
          expiration: { days: 14 },
        }),
        expect.objectContaining({ id: "expire-noncurrent-versions", noncurrentVersionExpiration: { noncurrentDays: 60 } }),
        expect.objectContaining({ id: "abort-incomplete-multipart-uploads", abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }),
      ]),
    );
  });

  it("keeps every snapshot version at most its retention + 1 day, whatever the retention and the bucket-wide version days", async () => {
    type Rule = { filter: { prefix?: string }; expiration?: { days?: number }; noncurrentVersionExpiration?: { noncurrentDays: number } };
    const combos = [1, 7, 90].flatMap((retention) => [30, 97].map((versions) => ({ retention, versions, prefix: `snap${retention}v${versions}` })));
    for (const c of combos)
      new ReplicatedBucket(c.prefix, { ...base, namePrefix: c.prefix, snapshotRetentionDays: c.retention, noncurrentVersionDays: c.versions });
    await settle();
    for (const c of combos) {
      const rules = of(c.prefix, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").find((l) => l.name.endsWith("-data"))!.inputs[
        "rules"
      ] as Rule[];
      // Rules whose filter matches a snapshot key; overlapping expirations resolve to the shorter (S3 user guide, lifecycle-conflicts).
      const matching = rules.filter((r) => "snapshots/2024-01-01.rdb".startsWith(r.filter.prefix ?? ""));
      const current = Math.min(...matching.flatMap((r) => (r.expiration?.days !== undefined ? [r.expiration.days] : [])));
      const noncurrent = Math.min(...matching.flatMap((r) => (r.noncurrentVersionExpiration ? [r.noncurrentVersionExpiration.noncurrentDays] : [])));
      expect({ ...c, lifetime: current + noncurrent }).toEqual({ ...c, lifetime: c.retention + 1 });
    }
  });

  it("sends each failed-replication alarm to the given alarm actions", async () => {
    const topic = "arn:aws:sns:us-west-2:123456789012:hm-prod-alarms";
    new ReplicatedBucket("notify", { ...base, namePrefix: "notify", replicaRegions: ["us-east-1", "eu-west-1"], alarmActions: [pulumi.output(topic)] });
    await settle();
    const alarms = of("notify", "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms).toHaveLength(2);
    for (const alarm of alarms) expect(alarm.inputs["alarmActions"]).toEqual([topic]);
  });

  it.each([
    [{ replicaRegions: ["us-west-2"] }, /argument "replicaRegions" is "us-west-2"; is the source's own region/],
    [{ replicaRegions: ["mars-north-1"] }, /argument "replicaRegions" is "mars-north-1"; is not a region this component knows/],
    [{ replicaRegions: ["us-east-1", "us-east-1"] }, /lists a region more than once/],
    [{ snapshotRetentionDays: 0 }, /argument "snapshotRetentionDays" is 0; must be a whole number of days, at least 1/],
  ])("refuses %o before declaring anything", async (override, message) => {
    const before = testMocks.registrations.length;
    expect(() => new ReplicatedBucket("bad", { ...base, namePrefix: "bad", ...override })).toThrow(message);
    await settle();
    expect(testMocks.registrations.length).toBe(before);
  });
});
