/**
 * S3 buckets and their companion resources (each a separate resource in AWS provider v7). Every
 * setting a companion's own inputs decide is a resource rule, so that CrossGuard blocks it before
 * the update; a stack rule remains only for "every bucket has such a companion", which needs the
 * whole stack and reports after the update (policies/rules/types.ts, StackRule).
 */
import { asArray, asRecord, at, policyStatements, type ResourceRule, type Rule, type RuleResource, type RuleSource, type RuleViolation } from "./types";
import { grantsEveryone } from "./public-statements";

const BUCKET = "aws:s3/bucket:Bucket";
const PUBLIC_ACCESS_BLOCK = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock";
const POLICY = "aws:s3/bucketPolicy:BucketPolicy";
const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
const OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls";
const LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration";
const ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration";
const LOGGING = "aws:s3/bucketLogging:BucketLogging";
const buckets = (rs: readonly RuleResource[]) => rs.filter((r) => r.type === BUCKET);
/** Companion resources name their bucket by id, which for a bucket is its name. */
const bucketOf = (r: RuleResource) => String(r.inputs["bucket"]);
const companions = (rs: readonly RuleResource[], type: string) => rs.filter((r) => r.type === type);

/** A stack rule's check: each bucket needs a companion of `type`. */
function everyBucketHas(type: string, missing: string) {
  return (rs: readonly RuleResource[]): RuleViolation[] => {
    const present = new Set(companions(rs, type).map(bucketOf));
    return buckets(rs)
      .filter((b) => !present.has(String(b.inputs["bucket"])))
      .map((b) => ({ urn: b.urn, message: missing }));
  };
}

/** The stack rule that goes with a companion's resource rule: the companion exists for every bucket. */
function presence(id: string, type: string, what: string, sources: readonly RuleSource[], missing: string): Rule {
  return {
    kind: "stack",
    id,
    enforcementLevel: "mandatory",
    family: "data",
    sources,
    description: `Every bucket has ${what} (reported after the update: a relation between resources; the settings are checked before it by the resource rule).`,
    check: everyBucketHas(type, missing),
  };
}

/** Log buckets: the targets of access logging. */
const logTargets = (rs: readonly RuleResource[]) => new Set(companions(rs, LOGGING).map((l) => String(l.inputs["targetBucket"])));

const rulesOf = (r: RuleResource) => asArray(r.inputs["rules"]).map(asRecord);
const algorithmOf = (rule: Record<string, unknown>) => at(rule, "applyServerSideEncryptionByDefault.sseAlgorithm");

const PUBLIC_ACCESS_SOURCES: readonly RuleSource[] = [
  { standard: "aws-fsbp", control: "S3.8" },
  { standard: "checkov", control: "CKV_AWS_53" },
  { standard: "checkov", control: "CKV_AWS_54" },
  { standard: "checkov", control: "CKV_AWS_55" },
  { standard: "checkov", control: "CKV_AWS_56" },
];
const VERSIONING_SOURCES: readonly RuleSource[] = [
  { standard: "aws-fsbp", control: "S3.14" },
  { standard: "checkov", control: "CKV_AWS_21" },
  { standard: "kics", control: "S3 Bucket Without Versioning (568a4d22-3517-44a6-a7ad-6a7eed88722c)" },
];
const LOGGING_SOURCES: readonly RuleSource[] = [
  { standard: "aws-fsbp", control: "S3.9" },
  { standard: "checkov", control: "CKV_AWS_18" },
  { standard: "kics", control: "S3 Bucket Logging Disabled (f861041c-8c9f-4156-acfc-5e6e524f5884)" },
];

const publicAccessBlocked: ResourceRule = {
  kind: "resource",
  id: "s3-public-access-blocked",
  enforcementLevel: "mandatory",
  family: "data",
  sources: PUBLIC_ACCESS_SOURCES,
  resourceTypes: [PUBLIC_ACCESS_BLOCK],
  description: "Every public access block sets all four flags (blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets).",
  check: (r) => {
    const off = ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].filter((f) => r.inputs[f] !== true);
    return off.length > 0 ? `not blocked: ${off.join(", ")}` : undefined;
  },
};

export const S3_RULES: readonly Rule[] = [
  publicAccessBlocked,
  presence(
    "s3-public-access-block-present",
    PUBLIC_ACCESS_BLOCK,
    "a public access block",
    [{ standard: "checkov", control: "CKV2_AWS_6" }, ...PUBLIC_ACCESS_SOURCES.slice(0, 1)],
    "no public access block",
  ),
  {
    kind: "resource",
    id: "s3-tls-only",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "aws-fsbp", control: "S3.5" }],
    resourceTypes: [POLICY],
    description: "Every bucket policy denies requests without TLS (a Deny on aws:SecureTransport false).",
    check: (r) =>
      policyStatements(r.inputs["policy"]).some((s) => s["Effect"] === "Deny" && at(s, "Condition.Bool.aws:SecureTransport") === "false")
        ? undefined
        : "no statement denies requests without TLS (Deny with Bool aws:SecureTransport false)",
  },
  presence(
    "s3-bucket-policy-present",
    POLICY,
    "a bucket policy (which s3-tls-only checks)",
    [{ standard: "aws-fsbp", control: "S3.5" }],
    "no bucket policy: requests without TLS are not denied",
  ),
  {
    kind: "resource",
    id: "s3-no-public-policy",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [
      { standard: "aws-fsbp", control: "S3.2" },
      { standard: "aws-fsbp", control: "S3.3" },
      { standard: "checkov", control: "CKV_AWS_70" },
      { standard: "kics", control: "S3 Bucket Access to Any Principal (7af43613-6bb9-4a0e-8c4d-1314b799425e)" },
    ],
    resourceTypes: [POLICY],
    description:
      "No bucket policy allows everyone (Principal * or AWS *) without a condition that fixes who may use it (aws:SourceArn, aws:SourceAccount, aws:PrincipalOrgID and the other keys S3 itself treats as non-public).",
    check: (r) =>
      policyStatements(r.inputs["policy"]).some(grantsEveryone) ? "an Allow statement grants everyone (Principal *) without a narrowing condition" : undefined,
  },
  {
    kind: "resource",
    id: "s3-versioning",
    enforcementLevel: "mandatory",
    family: "data",
    sources: VERSIONING_SOURCES,
    resourceTypes: [VERSIONING],
    description:
      "Every versioning configuration is Enabled. MFA delete is not required: S3 supports no lifecycle configuration on a bucket with MFA delete (S3 user guide, lifecycle and other bucket configurations), and every bucket here has one.",
    check: (r) => {
      const status = at(r.inputs, "versioningConfiguration.status");
      return status === "Enabled" ? undefined : `versioning status is ${JSON.stringify(status)}, not "Enabled"`;
    },
  },
  presence(
    "s3-versioning-present",
    VERSIONING,
    "a versioning configuration, source and replica alike",
    VERSIONING_SOURCES,
    "no versioning configuration: the bucket is unversioned",
  ),
  {
    kind: "resource",
    id: "s3-acls-disabled",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [
      { standard: "aws-fsbp", control: "S3.12" },
      { standard: "checkov", control: "CKV2_AWS_65" },
    ],
    resourceTypes: [OWNERSHIP],
    description: "Every ownership control disables ACLs (object ownership BucketOwnerEnforced).",
    check: (r) => {
      const ownership = at(r.inputs, "rule.objectOwnership");
      return ownership === "BucketOwnerEnforced" ? undefined : `objectOwnership is ${JSON.stringify(ownership)}, not "BucketOwnerEnforced"`;
    },
  },
  presence(
    "s3-ownership-controls-present",
    OWNERSHIP,
    "ownership controls (which s3-acls-disabled checks)",
    [{ standard: "aws-fsbp", control: "S3.12" }],
    "no ownership controls: ACLs stay enabled",
  ),
  {
    kind: "resource",
    id: "s3-lifecycle",
    enforcementLevel: "advisory",
    family: "data",
    sources: [
      { standard: "aws-fsbp", control: "S3.13" },
      { standard: "checkov", control: "CKV2_AWS_61" },
    ],
    resourceTypes: [LIFECYCLE],
    description: "Every lifecycle configuration has at least one enabled rule.",
    check: (r) => (rulesOf(r).some((rule) => rule["status"] === "Enabled") ? undefined : "no enabled lifecycle rule"),
  },
  {
    ...presence("s3-lifecycle-present", LIFECYCLE, "a lifecycle configuration", [{ standard: "aws-fsbp", control: "S3.13" }], "no lifecycle configuration"),
    enforcementLevel: "advisory",
  },
  {
    kind: "resource",
    id: "s3-encryption-kms-or-s3",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [
      { standard: "checkov", control: "CKV_AWS_145" },
      { standard: "aws-docs", control: "Amazon S3 user guide: Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys" },
    ],
    resourceTypes: [ENCRYPTION],
    description:
      "Every default-encryption rule is SSE-KMS with a bucket key, or SSE-S3 (AES256), what S3 server access logs are written with; which buckets must use SSE-KMS is s3-sse-kms-bucket-key's to say, after the update.",
    check: (r) => {
      const rules = rulesOf(r);
      if (rules.length === 0) return "no default encryption rule";
      const bad = rules.filter((rule) => !((algorithmOf(rule) === "aws:kms" && rule["bucketKeyEnabled"] === true) || algorithmOf(rule) === "AES256"));
      return bad.length > 0
        ? `default encryption ${bad.map((rule) => `${String(algorithmOf(rule))}${rule["bucketKeyEnabled"] === true ? "" : " without a bucket key"}`).join(", ")}`
        : undefined;
    },
  },
  {
    kind: "stack",
    id: "s3-sse-kms-bucket-key",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [
      { standard: "aws-fsbp", control: "S3.17" },
      { standard: "checkov", control: "CKV_AWS_145" },
    ],
    description:
      "Data buckets use SSE-KMS with a bucket key (access-log buckets may use SSE-S3, the only encryption S3 logging writes to). Which bucket is a log bucket is a relation, so this reports after the update; s3-encryption-kms-or-s3 blocks any other algorithm before it.",
    check: (rs) => {
      const logs = logTargets(rs);
      const kms = new Set(
        companions(rs, ENCRYPTION)
          .filter((e) => rulesOf(e).some((rule) => algorithmOf(rule) === "aws:kms" && rule["bucketKeyEnabled"] === true))
          .map(bucketOf),
      );
      return buckets(rs)
        .filter((b) => !logs.has(String(b.inputs["bucket"])) && !kms.has(String(b.inputs["bucket"])))
        .map((b) => ({ urn: b.urn, message: "not encrypted with SSE-KMS and a bucket key" }));
    },
  },
  {
    kind: "resource",
    id: "s3-access-logging-target",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [
      ...LOGGING_SOURCES,
      { standard: "aws-docs", control: "Amazon S3 user guide: Enabling Amazon S3 server access logging (a separate destination bucket)" },
    ],
    resourceTypes: [LOGGING],
    description:
      "Every access-logging configuration names a destination bucket other than the logged bucket (S3 recommends a separate bucket, so that logs do not log themselves).",
    check: (r) => {
      const target = r.inputs["targetBucket"];
      if (typeof target !== "string" || target === "") return "no targetBucket";
      return target === r.inputs["bucket"] ? "the bucket logs into itself" : undefined;
    },
  },
  {
    kind: "stack",
    id: "s3-access-logging",
    enforcementLevel: "mandatory",
    family: "data",
    sources: LOGGING_SOURCES,
    description: "Every data bucket logs access to a log bucket (a relation between buckets: reported after the update).",
    check: (rs) => {
      const logs = logTargets(rs);
      const logged = new Set(companions(rs, LOGGING).map(bucketOf));
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
    sources: [
      { standard: "aws-fsbp", control: "S3.7" },
      { standard: "checkov", control: "CKV_AWS_144" },
    ],
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
