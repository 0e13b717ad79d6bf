/**
 * What a workload may do with the data bucket: read or read-write on prefixes of it, and the KMS use
 * that S3 makes on its behalf. Pure functions of ARNs, so that WorkloadIdentity renders them and the
 * tests evaluate exactly these documents in the IAM policy simulator.
 */
import type { PolicyDocument, PolicyStatement } from "../lib/iam";

export const DATA_ACCESS_LEVELS = ["read", "read-write"] as const;
export type DataAccessLevel = (typeof DATA_ACCESS_LEVELS)[number];

/** One prefix of the data bucket and what the workload may do under it. */
export interface DataGrant {
  /** Key prefix, such as "teams/genomics/". A missing trailing "/" is added. */
  readonly prefix: string;
  /**
   * "read": list and get. "read-write": also put, delete and abort multipart uploads.
   * @default "read"
   */
  readonly access?: DataAccessLevel;
}

export interface DataAccessPolicyArgs {
  readonly bucketArn: string;
  /** The bucket's SSE-KMS key. */
  readonly keyArn: string;
  /** Region of the bucket (and its key): KMS is used only through S3 there. */
  readonly region: string;
  /** Normalised grants (see normaliseGrants). */
  readonly grants: readonly Required<DataGrant>[];
}

/**
 * Characters allowed in a prefix: S3's "safe characters" for object keys (S3 user guide, "Naming
 * Amazon S3 objects": alphanumerics and ! - _ . * ' ( ) /), without "*" (an IAM wildcard in Resource
 * and StringLike) and without "$" "{" "}" (IAM policy variables are written ${...}).
 */
const PREFIX_CHARS = /^[A-Za-z0-9!\-_.'()/]+$/;

/** Why a prefix cannot be granted, or undefined when it can. */
export function prefixProblem(prefix: string): string | undefined {
  if (prefix.length === 0) return "must not be empty: a grant names a prefix, never the whole bucket";
  if (prefix.startsWith("/")) return "must not start with '/': S3 keys have no leading slash";
  if (!PREFIX_CHARS.test(prefix)) return "may hold only letters, digits, '/' and ! - _ . ' ( ) (no '*', '?', '$' or spaces)";
  if (prefix.includes("//")) return "must not contain an empty segment ('//')";
  if (prefix.split("/").some((s) => s === "." || s === "..")) return "must not contain '.' or '..' segments";
  if (prefix.length > 512) return "must be at most 512 characters";
  return undefined;
}

/**
 * Why a prefix cannot stand in stack config or a team's args, where it is written as it is granted:
 * prefixProblem's rules, and it must already end with "/" (what is listed is what the policy says).
 */
export function declaredPrefixProblem(prefix: string): string | undefined {
  return prefixProblem(prefix) ?? (prefix.endsWith("/") ? undefined : 'must end with "/", such as "analytics/", so that it never matches a longer name');
}

/** The prefix as granted: with exactly one trailing "/", so that "team-a/" never matches "team-ab/". */
export function normalisePrefix(prefix: string): string {
  return prefix.endsWith("/") ? prefix : `${prefix}/`;
}

/** Grants with defaults applied and prefixes normalised. */
export function normaliseGrants(grants: readonly DataGrant[]): Required<DataGrant>[] {
  return grants.map((g) => ({ prefix: normalisePrefix(g.prefix), access: g.access ?? "read" }));
}

const READ_ACTIONS = ["s3:GetObject"];
/** Mountpoint's suggested write permissions (awslabs/mountpoint-s3 doc/CONFIGURATION.md, "IAM permissions"). */
const WRITE_ACTIONS = ["s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"];

/**
 * Identity policy of a workload role. Sources: S3 condition key s3:prefix for ListBucket (Service
 * Authorization Reference, Amazon S3 condition keys); Mountpoint's minimum permissions (ListBucket,
 * GetObject; PutObject, DeleteObject, AbortMultipartUpload to write: awslabs/mountpoint-s3
 * doc/CONFIGURATION.md "IAM permissions"); SSE-KMS permissions (S3 user guide, "Using server-side
 * encryption with AWS KMS keys": kms:Decrypt to read, kms:GenerateDataKey to write, and kms:Decrypt for
 * multipart uploads); kms:ViaService and the aws:s3:arn encryption context (see s3EncryptionContexts:
 * with Bucket Keys the context is the bucket ARN, objects written before Bucket Keys carry their own
 * object ARN, which is narrowed here to the granted prefixes).
 */
export function dataAccessPolicy(a: DataAccessPolicyArgs): PolicyDocument {
  const readPrefixes = a.grants.map((g) => g.prefix);
  const writePrefixes = a.grants.filter((g) => g.access === "read-write").map((g) => g.prefix);
  const objects = (prefixes: readonly string[]) => prefixes.map((p) => `${a.bucketArn}/${p}*`);
  // The Bucket Key context is the bucket ARN itself (as in bucket-policies.ts s3EncryptionContexts).
  const bucketContext = a.bucketArn;
  const viaS3 = (prefixes: readonly string[]) => ({
    StringEquals: { "kms:ViaService": `s3.${a.region}.amazonaws.com` },
    StringLike: { "kms:EncryptionContext:aws:s3:arn": [bucketContext, ...objects(prefixes)] },
  });
  const statements: PolicyStatement[] = [
    {
      Sid: "ListOwnPrefixes",
      Effect: "Allow",
      Action: "s3:ListBucket",
      Resource: a.bucketArn,
      Condition: { StringLike: { "s3:prefix": readPrefixes.map((p) => `${p}*`) } },
    },
    { Sid: "ReadOwnPrefixes", Effect: "Allow", Action: READ_ACTIONS, Resource: objects(readPrefixes) },
    { Sid: "DecryptThroughS3", Effect: "Allow", Action: "kms:Decrypt", Resource: a.keyArn, Condition: viaS3(readPrefixes) },
  ];
  if (writePrefixes.length > 0) {
    statements.push(
      { Sid: "WriteOwnPrefixes", Effect: "Allow", Action: WRITE_ACTIONS, Resource: objects(writePrefixes) },
      { Sid: "EncryptThroughS3", Effect: "Allow", Action: "kms:GenerateDataKey", Resource: a.keyArn, Condition: viaS3(writePrefixes) },
    );
  }
  return { Version: "2012-10-17", Statement: statements };
}
