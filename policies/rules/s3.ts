/** S3 buckets and their companion resources (each a separate resource in AWS provider v7). */
import { asArray, asRecord, at, policyStatements, type Rule, type RuleResource, type RuleViolation } from "./types";

const BUCKET = "aws:s3/bucket:Bucket";
const buckets = (rs: readonly RuleResource[]) => rs.filter((r) => r.type === BUCKET);
/** Companion resources name their bucket by id, which for a bucket is its name. */
const bucketOf = (r: RuleResource) => String(r.inputs["bucket"]);
const companions = (rs: readonly RuleResource[], type: string) => rs.filter((r) => r.type === type);

/** A stack rule: each bucket needs a companion of `type` that satisfies `ok`. */
function everyBucketHas(type: string, ok: (companion: RuleResource) => boolean, missing: string) {
  return (rs: readonly RuleResource[]): RuleViolation[] => {
    const good = new Set(companions(rs, type).filter(ok).map(bucketOf));
    return buckets(rs)
      .filter((b) => !good.has(String(b.inputs["bucket"])))
      .map((b) => ({ urn: b.urn, message: missing }));
  };
}

/** Log buckets: the targets of access logging. */
const logTargets = (rs: readonly RuleResource[]) => new Set(companions(rs, "aws:s3/bucketLogging:BucketLogging").map((l) => String(l.inputs["targetBucket"])));

export const S3_RULES: readonly Rule[] = [
  {
    kind: "stack",
    id: "s3-public-access-blocked",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "aws-fsbp", control: "S3.8" }],
    description: "Every bucket blocks public access with all four flags.",
    check: everyBucketHas(
      "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
      (p) => ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].every((f) => p.inputs[f] === true),
      "no public access block with all four flags",
    ),
  },
  {
    kind: "stack",
    id: "s3-tls-only",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "aws-fsbp", control: "S3.5" }],
    description: "Every bucket's policy denies requests without TLS.",
    check: everyBucketHas(
      "aws:s3/bucketPolicy:BucketPolicy",
      (p) => policyStatements(p.inputs["policy"]).some((s) => s["Effect"] === "Deny" && at(s, "Condition.Bool.aws:SecureTransport") === "false"),
      "no bucket policy denies requests without TLS",
    ),
  },
  {
    kind: "stack",
    id: "s3-versioning",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "aws-fsbp", control: "S3.14" }],
    description: "Every bucket, source and replica alike, is versioned.",
    check: everyBucketHas(
      "aws:s3/bucketVersioning:BucketVersioning",
      (v) => at(v.inputs, "versioningConfiguration.status") === "Enabled",
      "versioning is not enabled",
    ),
  },
  {
    kind: "stack",
    id: "s3-acls-disabled",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "aws-fsbp", control: "S3.12" }],
    description: "Every bucket disables ACLs (object ownership BucketOwnerEnforced).",
    check: everyBucketHas(
      "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
      (o) => at(o.inputs, "rule.objectOwnership") === "BucketOwnerEnforced",
      "ACLs are not disabled (BucketOwnerEnforced)",
    ),
  },
  {
    kind: "stack",
    id: "s3-lifecycle",
    enforcementLevel: "advisory",
    family: "data",
    sources: [{ standard: "aws-fsbp", control: "S3.13" }],
    description: "Every bucket has lifecycle rules.",
    check: everyBucketHas(
      "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
      (l) => asArray(l.inputs["rules"]).length > 0,
      "no lifecycle configuration",
    ),
  },
  {
    kind: "stack",
    id: "s3-sse-kms-bucket-key",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "aws-fsbp", control: "S3.17" }],
    description: "Data buckets use SSE-KMS with a bucket key (access-log buckets may use SSE-S3, the only encryption S3 logging writes to).",
    check: (rs) => {
      const logs = logTargets(rs);
      const kms = new Set(
        companions(rs, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration")
          .filter((e) =>
            asArray(e.inputs["rules"])
              .map(asRecord)
              .some((rule) => at(rule, "applyServerSideEncryptionByDefault.sseAlgorithm") === "aws:kms" && rule["bucketKeyEnabled"] === true),
          )
          .map(bucketOf),
      );
      return buckets(rs)
        .filter((b) => !logs.has(String(b.inputs["bucket"])) && !kms.has(String(b.inputs["bucket"])))
        .map((b) => ({ urn: b.urn, message: "not encrypted with SSE-KMS and a bucket key" }));
    },
  },
  {
    kind: "stack",
    id: "s3-access-logging",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "aws-fsbp", control: "S3.9" }],
    description: "Every data bucket logs access to a log bucket.",
    check: (rs) => {
      const logs = logTargets(rs);
      const logged = new Set(companions(rs, "aws:s3/bucketLogging:BucketLogging").map(bucketOf));
      return buckets(rs)
        .filter((b) => !logs.has(String(b.inputs["bucket"])) && !logged.has(String(b.inputs["bucket"])))
        .map((b) => ({ urn: b.urn, message: "server access logging is not configured" }));
    },
  },
  {
    kind: "resource",
    id: "s3-no-force-destroy",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "aws-docs", control: "Amazon S3 user guide: protecting data from accidental deletion" }],
    resourceTypes: [BUCKET],
    description: "No bucket can be destroyed with its objects (forceDestroy).",
    check: (r) => (r.inputs["forceDestroy"] === true ? "forceDestroy is true" : undefined),
  },
  {
    kind: "resource",
    id: "s3-replication-cross-region",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "aws-fsbp", control: "S3.7" }],
    resourceTypes: ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"],
    description: "Replication goes to buckets of other regions and sets delete-marker replication explicitly.",
    check: (r) => {
      const rules = asArray(r.inputs["rules"]).map(asRecord);
      if (rules.length === 0) return "no replication rules";
      if (rules.some((rule) => at(rule, "deleteMarkerReplication.status") === undefined)) return "a rule leaves delete-marker replication unset";
      const region = String(r.inputs["region"]);
      return rules.some((rule) => String(at(rule, "destination.bucket")).includes(`-${region}-`)) ? `a rule replicates within ${region}` : undefined;
    },
  },
];
