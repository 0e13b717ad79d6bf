/**
 * Fixtures of the bucket rules: each setting planted in its companion resource (the resource rule
 * blocks it), each companion removed (the stack rule reports the bucket).
 */
import { deleteAt, find, setAt, type Fixture, type Resources } from "./fixture-support";

const DATA = "data-buckets-us-west-2-data";
const bucketUrn = (rs: Resources, name = DATA) => find(rs, "aws:s3/bucket:Bucket", name).urn;
/** Removes the companion of `type` of a bucket; returns the bucket's URN. */
const removeCompanion =
  (type: string, name = DATA) =>
  (rs: Resources) => {
    rs.splice(
      rs.findIndex((r) => r.type === type && r.name === name),
      1,
    );
    return bucketUrn(rs, name);
  };
/** Adds a statement to the bucket policy of a bucket; returns the policy's URN. */
const addStatement =
  (statement: Record<string, unknown>, name = DATA) =>
  (rs: Resources) => {
    const p = find(rs, "aws:s3/bucketPolicy:BucketPolicy", name);
    const doc = JSON.parse(String(p.inputs["policy"]));
    doc.Statement.push(statement);
    p.inputs["policy"] = JSON.stringify(doc);
    return p.urn;
  };
const PAB = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";

export const S3_FIXTURES: Fixture[] = [
  [
    "s3-public-access-blocked",
    "prod",
    (rs) => {
      const p = find(rs, PAB, "data-buckets-us-east-1-data");
      p.inputs["restrictPublicBuckets"] = false;
      return p.urn;
    },
  ],
  ["s3-public-access-block-present", "prod", removeCompanion(PAB, "data-buckets-us-east-1-data")],
  [
    "s3-tls-only",
    "prod",
    (rs) => {
      const p = find(rs, "aws:s3/bucketPolicy:BucketPolicy", DATA);
      p.inputs["policy"] = JSON.stringify({ Version: "2012-10-17", Statement: [] });
      return p.urn;
    },
  ],
  ["s3-bucket-policy-present", "prod", removeCompanion("aws:s3/bucketPolicy:BucketPolicy")],
  // The tampering of the issue: a public read grant in a bucket policy.
  ["s3-no-public-policy", "prod", addStatement({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::x/*" })],
  ["s3-no-public-policy", "prod", addStatement({ Effect: "Allow", Principal: { AWS: ["*"] }, Action: "s3:ListBucket", Resource: "arn:aws:s3:::x" })],
  // A condition that fixes nothing (every address, a wildcard organization) narrows nothing.
  [
    "s3-no-public-policy",
    "prod",
    addStatement({
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::x/*",
      Condition: { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } },
    }),
  ],
  [
    "s3-no-public-policy",
    "prod",
    addStatement({
      Effect: "Allow",
      Principal: "*",
      Action: "s3:GetObject",
      Resource: "arn:aws:s3:::x/*",
      Condition: { StringLike: { "aws:PrincipalOrgID": "o-*" } },
    }),
  ],
  [
    "s3-versioning",
    "prod",
    (rs) => {
      const v = find(rs, "aws:s3/bucketVersioning:BucketVersioning", "data-buckets-eu-west-1-data");
      setAt(v.inputs, "versioningConfiguration.status", "Suspended");
      return v.urn;
    },
  ],
  ["s3-versioning-present", "prod", removeCompanion("aws:s3/bucketVersioning:BucketVersioning", "data-buckets-eu-west-1-data")],
  [
    "s3-acls-disabled",
    "prod",
    (rs) => {
      const o = find(rs, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", DATA);
      setAt(o.inputs, "rule.objectOwnership", "ObjectWriter");
      return o.urn;
    },
  ],
  ["s3-ownership-controls-present", "prod", removeCompanion("aws:s3/bucketOwnershipControls:BucketOwnershipControls")],
  [
    "s3-lifecycle",
    "prod",
    (rs) => {
      const l = find(rs, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", DATA);
      l.inputs["rules"] = [];
      return l.urn;
    },
  ],
  ["s3-lifecycle-present", "prod", removeCompanion("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")],
  [
    "s3-encryption-kms-or-s3",
    "prod",
    (rs) => {
      const e = find(rs, ENCRYPTION, DATA);
      setAt(e.inputs, "rules.0.bucketKeyEnabled", false);
      return e.urn;
    },
  ],
  [
    "s3-sse-kms-bucket-key",
    "prod",
    (rs) => {
      // SSE-S3 passes the resource rule (log buckets need it) but not on a data bucket.
      setAt(find(rs, ENCRYPTION, DATA).inputs, "rules", [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }]);
      return bucketUrn(rs);
    },
  ],
  [
    "s3-access-logging-target",
    "prod",
    (rs) => {
      const l = find(rs, "aws:s3/bucketLogging:BucketLogging", DATA);
      l.inputs["targetBucket"] = l.inputs["bucket"];
      return l.urn;
    },
  ],
  ["s3-access-logging", "prod", removeCompanion("aws:s3/bucketLogging:BucketLogging")],
  [
    "s3-no-force-destroy",
    "prod",
    (rs) => {
      const b = find(rs, "aws:s3/bucket:Bucket", DATA);
      b.inputs["forceDestroy"] = true;
      return b.urn;
    },
  ],
  [
    "s3-replication-cross-region",
    "prod",
    (rs) => {
      const c = find(rs, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
      deleteAt(c.inputs, "rules.1.deleteMarkerReplication");
      return c.urn;
    },
  ],
];
