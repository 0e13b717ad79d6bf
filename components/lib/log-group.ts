/**
 * The platform's one shape of CloudWatch log group: encrypted with a customer-managed KMS key of its
 * own (rotating, protected like the other keys where the caller protects data), with a retention.
 * The key policy is a pure function, for the IAM simulator and for any other log group.
 */
import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as kms from "@pulumi/aws/kms";
import { policyJson, type PolicyDocument } from "./iam";
import { KEY_LIFECYCLE } from "./kms";

/** Where a log group lives: what its ARN and its key's policy are built from. */
export interface LogGroupPlace {
  readonly partition: string;
  readonly accountId: string;
  readonly region: string;
}

/** ARN of a log group (Service Authorization Reference, CloudWatch Logs, resource type log-group). */
export const logGroupArn = (p: LogGroupPlace, logGroupName: string): string => `arn:${p.partition}:logs:${p.region}:${p.accountId}:log-group:${logGroupName}`;

/**
 * Key policy of a log group's key. Source: CloudWatch Logs user guide, "Encrypt log data in
 * CloudWatch Logs using AWS Key Management Service" (encrypt-log-data-kms.html), step "Set
 * permissions on the KMS key": the regional service principal logs.<region>.amazonaws.com may use the
 * key (kms:Encrypt*, kms:Decrypt*, kms:ReEncrypt*, kms:GenerateDataKey*, kms:Describe*) only with the
 * encryption context kms:EncryptionContext:aws:logs:arn of the named log groups, so the key encrypts
 * nothing else and serves no other account. The account's own principals administer it through IAM
 * (the default key policy's root statement: KMS developer guide, "Default key policy").
 */
export function logGroupKeyPolicy(p: LogGroupPlace, logGroupNames: readonly string[]): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:${p.partition}:iam::${p.accountId}:root` }, Action: "kms:*", Resource: "*" },
      {
        Sid: "CloudWatchLogsEncryptsTheseLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${p.region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": logGroupNames.map((n) => logGroupArn(p, n)) } },
      },
    ],
  };
}

export interface EncryptedLogGroupArgs {
  /** Physical name of the log group. */
  readonly logGroupName: string;
  /** Days CloudWatch Logs keeps the events (a CloudWatch retention value). */
  readonly retentionInDays: number;
  /** Alias of the key, without "alias/". */
  readonly keyAlias: string;
  /** What the key encrypts, for its description. */
  readonly purpose: string;
  readonly partition: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  /** Protect the key against deletion (prod): losing it loses every event it encrypted. */
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Declares a log group named `name` (the caller's child, so that an existing group keeps its URN) and
 * its key `<name>-key` with an alias. The key exists before the group: CloudWatch Logs checks the
 * key when the group is created with it.
 */
export function encryptedLogGroup(name: string, a: EncryptedLogGroupArgs, parent: pulumi.Resource): { key: kms.Key; logGroup: cloudwatch.LogGroup } {
  const place = pulumi.all([a.partition, a.accountId, a.region]).apply(([partition, accountId, region]) => ({ partition, accountId, region }));
  const key = new kms.Key(
    `${name}-key`,
    {
      description: `Encrypts ${a.purpose} (log group ${a.logGroupName})`,
      ...KEY_LIFECYCLE,
      policy: place.apply((p) => policyJson(logGroupKeyPolicy(p, [a.logGroupName]))),
      tags: a.tags,
    },
    { parent, protect: a.protect },
  );
  new kms.Alias(`${name}-key`, { name: `alias/${a.keyAlias}`, targetKeyId: key.keyId }, { parent });
  const logGroup = new cloudwatch.LogGroup(
    name,
    { name: a.logGroupName, retentionInDays: a.retentionInDays, kmsKeyId: key.arn, tags: a.tags },
    { parent },
  );
  return { key, logGroup };
}
