/**
 * When a resource policy (a bucket policy, a key policy) grants access to everyone. Amazon S3's own
 * definition, which Block Public Access applies (Amazon S3 API Reference, PublicAccessBlockConfiguration;
 * S3 user guide, "Blocking public access to your Amazon S3 storage", "The meaning of public"): a
 * statement that allows a wildcard principal is public unless it is narrowed to fixed values of
 * aws:SourceIp (CIDR blocks), aws:SourceArn, aws:SourceVpc, aws:SourceVpce, aws:SourceOwner,
 * aws:SourceAccount, aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalOrgID, aws:userid or
 * s3:x-amz-server-side-encryption-aws-kms-key-id. Checkov CKV_AWS_70 (S3AllowsAnyPrincipal.py) and
 * CKV_AWS_33 (KMSKeyWildcardPrincipal.py) flag the same wildcard principals.
 */
import { asRecord, listOf } from "./types";

const NARROWING_KEYS = [
  "aws:sourceip",
  "aws:sourcearn",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:sourceowner",
  "aws:sourceaccount",
  "aws:principalarn",
  "aws:principalaccount",
  "aws:principalorgid",
  "aws:userid",
  "s3:x-amz-server-side-encryption-aws-kms-key-id",
];

/** Whether a principal element names everyone: "*", {AWS: "*"} or a list holding "*". */
export function namesEveryone(principal: unknown): boolean {
  if (principal === "*") return true;
  return listOf(asRecord(principal)["AWS"]).some((p) => p === "*");
}

/** The condition keys a statement tests with fixed values (no wildcard in any value), lower-cased. */
function fixedConditionKeys(condition: unknown): string[] {
  return Object.entries(asRecord(condition))
    .filter(([operator]) => !/IfExists$/.test(operator))
    .flatMap(([, tests]) =>
      Object.entries(asRecord(tests))
        .filter(([key, values]) => {
          const all = listOf(values).map(String);
          if (all.length === 0 || all.some((v) => v.includes("*") || v.includes("?"))) return false;
          // A CIDR test narrows only when it is not every address.
          return key.toLowerCase() !== "aws:sourceip" || all.every((v) => !v.endsWith("/0"));
        })
        .map(([key]) => key.toLowerCase()),
    );
}

/** An Allow statement that grants everyone access with no condition narrowing who they are. */
export function grantsEveryone(statement: Record<string, unknown>): boolean {
  if (statement["Effect"] !== "Allow" || !namesEveryone(statement["Principal"])) return false;
  return !fixedConditionKeys(statement["Condition"]).some((k) => NARROWING_KEYS.includes(k));
}
