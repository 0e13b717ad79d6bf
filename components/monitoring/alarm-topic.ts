import * as pulumi from "@pulumi/pulumi";
import * as kms from "@pulumi/aws/kms";
import * as sns from "@pulumi/aws/sns";
import { PHYSICAL_NAME, requireThat, withDefaults } from "../lib/args";
import type { PolicyDocument } from "../lib/iam";
import { KEY_LIFECYCLE } from "../lib/kms";
import { isAwsRegionName } from "../lib/names";

/** Where CloudWatch alarms of one account and region come from, as aws:SourceArn sees them. */
export interface AlarmSource {
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
}

const alarmArns = (s: AlarmSource) => `arn:${s.partition}:cloudwatch:${s.region}:${s.accountId}:alarm:*`;
/** The confused-deputy keys for a service acting on behalf of this account's alarms in this region. */
const fromOwnAlarms = (s: AlarmSource) => ({
  StringEquals: { "aws:SourceAccount": s.accountId },
  ArnLike: { "aws:SourceArn": alarmArns(s) },
});

/**
 * Policy of the key that encrypts one alarm topic (the key serves that topic only).
 * SNS developer guide, "Enable compatibility between event sources from AWS services and encrypted
 * topics" (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services):
 * use a customer managed key, and let the publishing service principal have kms:GenerateDataKey* and
 * kms:Decrypt in the key policy. AWS re:Post knowledge center "cloudwatch-configure-alarm-sns": with the
 * AWS managed key alias/aws/sns, alarms cannot run their actions ("CloudWatch Alarms does not have
 * authorization to access the SNS topic encryption key"), and that key's policy cannot be edited; the
 * same article's statement grants cloudwatch.amazonaws.com those two actions and suggests a Condition.
 * The account keeps administering the key through IAM (without that a key can become unmanageable).
 */
export function alarmTopicKeyPolicy(s: AlarmSource): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersThroughIam",
        Effect: "Allow",
        Principal: { AWS: `arn:${s.partition}:iam::${s.accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: fromOwnAlarms(s),
      },
    ],
  };
}

/**
 * The topic's access policy: this account's alarms in this region may publish (AWS re:Post knowledge
 * center "cloudwatch-receive-sns-for-alarm-trigger": cloudwatch.amazonaws.com needs sns:Publish on the
 * topic, narrowed with aws:SourceArn to alarm ARNs). Account principals keep their IAM permissions.
 */
export function alarmTopicPolicy(topicArn: string, s: AlarmSource): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "CloudWatchAlarmsPublish",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: fromOwnAlarms(s),
      },
    ],
  };
}

export interface AlarmTopicArgs {
  /** Prefix of the topic's name and the key's alias. */
  readonly namePrefix: string;
  /** Region of the topic: the region of the alarms that publish to it (alarm actions stay in-region). */
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  readonly partition: pulumi.Input<string>;
  /**
   * Email addresses subscribed to the topic; each must confirm the subscription email SNS sends.
   * @default []
   */
  readonly emailAddresses?: readonly string[];
  /**
   * Protect the key against deletion and replacement (prod): the topic is unusable without it.
   * @default false
   */
  readonly protect?: boolean;
  /**
   * Tags for every resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const ALARM_TOPIC_DEFAULTS = {
  emailAddresses: [] as readonly string[],
  protect: false,
  tags: {},
} satisfies Partial<AlarmTopicArgs>;

const COMPONENT = "AlarmTopic";
/**
 * What the component (and the stack config) accepts as an email address: a deliberately plain
 * check (one @, no spaces, a dot in the domain). SNS itself sends the confirmation.
 */
export const EMAIL_ADDRESS = /^[^@\s]+@[^@\s]+\.[^@\s.]+$/;

/** Problems of a list of subscriber addresses: each a valid address, none twice (case-insensitive). */
export function emailAddressProblems(addresses: readonly string[]): { readonly index: number; readonly message: string }[] {
  const problems = addresses.flatMap((address, index) =>
    EMAIL_ADDRESS.test(address) ? [] : [{ index, message: "is not an email address (name@domain.tld)" }],
  );
  const seen = new Set<string>();
  addresses.forEach((address, index) => {
    if (seen.has(address.toLowerCase())) problems.push({ index, message: "lists an address more than once" });
    seen.add(address.toLowerCase());
  });
  return problems;
}

/**
 * An SNS topic for CloudWatch alarm actions, encrypted with its own customer managed KMS key (rotating)
 * whose policy lets this account's alarms in the topic's region use it, and optional email
 * subscriptions. Pass `topicArn` to alarms as an alarm action.
 */
export class AlarmTopic extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;
  readonly keyArn: pulumi.Output<string>;

  constructor(name: string, args: AlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(ALARM_TOPIC_DEFAULTS, args);
    requireThat(
      PHYSICAL_NAME.test(a.namePrefix) && a.namePrefix.length <= 64,
      COMPONENT,
      "namePrefix",
      a.namePrefix,
      "must be 2-64 lowercase letters, digits and hyphens, starting with a letter",
    );
    requireThat(isAwsRegionName(a.region), COMPONENT, "region", a.region, 'must be an AWS region name such as "us-west-2"');
    for (const problem of emailAddressProblems(a.emailAddresses)) {
      const address = a.emailAddresses[problem.index];
      requireThat(false, COMPONENT, "emailAddresses", problem.message.startsWith("lists") ? a.emailAddresses : address, problem.message);
    }
    super("highmem:monitoring:AlarmTopic", name, {}, opts);

    const region = a.region;
    const source = pulumi.all([a.accountId, a.partition]).apply(([accountId, partition]): AlarmSource => ({ accountId, partition, region }));
    const key = new kms.Key(
      `${name}-key`,
      {
        region,
        description: `Encrypts the ${a.namePrefix} alarm topic in ${region}`,
        ...KEY_LIFECYCLE,
        policy: source.apply((s) => JSON.stringify(alarmTopicKeyPolicy(s))),
        tags: a.tags,
      },
      { parent: this, protect: a.protect },
    );
    new kms.Alias(`${name}-key`, { region, name: `alias/${a.namePrefix}-alarms`, targetKeyId: key.keyId }, { parent: this });

    const topic = new sns.Topic(`${name}`, { region, name: `${a.namePrefix}-alarms`, kmsMasterKeyId: key.arn, tags: a.tags }, { parent: this });
    new sns.TopicPolicy(
      `${name}`,
      {
        region,
        arn: topic.arn,
        policy: pulumi.all([topic.arn, source]).apply(([arn, s]) => JSON.stringify(alarmTopicPolicy(arn, s))),
      },
      { parent: this },
    );
    // Named after the address, so that reordering the list replaces nothing.
    a.emailAddresses.forEach((address) => {
      new sns.TopicSubscription(
        `${name}-email-${address.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
        { region, topic: topic.arn, protocol: "email", endpoint: address },
        { parent: this },
      );
    });

    this.topicArn = topic.arn;
    this.keyArn = key.arn;
    this.registerOutputs({ topicArn: this.topicArn, keyArn: this.keyArn });
  }
}
