import * as pulumi from "@pulumi/pulumi";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import * as sqs from "@pulumi/aws/sqs";
import { policyJson, type PolicyDocument } from "../lib/iam";

/** The event kinds Karpenter's interruption controller acts on, and why each matters. */
export const INTERRUPTION_EVENTS = [
  { id: "health", source: "aws.health", detailType: "AWS Health Event", why: "scheduled maintenance and retirement of the host" },
  { id: "spot-interruption", source: "aws.ec2", detailType: "EC2 Spot Instance Interruption Warning", why: "two minutes before a spot instance is reclaimed" },
  { id: "rebalance", source: "aws.ec2", detailType: "EC2 Instance Rebalance Recommendation", why: "a spot instance is at elevated risk of interruption" },
  { id: "state-change", source: "aws.ec2", detailType: "EC2 Instance State-change Notification", why: "an instance stopped or terminated outside Karpenter" },
  {
    id: "capacity-reservation",
    source: "aws.ec2",
    detailType: "EC2 Capacity Reservation Instance Interruption Warning",
    why: "capacity reservation instances about to be reclaimed",
  },
] as const;

/**
 * Messages only from EventBridge rules matching `ruleArnPattern` (this stack's, in this account), and
 * nothing at all without TLS.
 */
export function interruptionQueuePolicy(queueArn: pulumi.Input<string>, ruleArnPattern: pulumi.Input<string>): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "EventBridgeRulesOfThisStackOnly",
        Effect: "Allow",
        Principal: { Service: "events.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: queueArn,
        Condition: { ArnLike: { "aws:SourceArn": ruleArnPattern } },
      },
      {
        Sid: "DenyWithoutTls",
        Effect: "Deny",
        Principal: "*",
        Action: "sqs:*",
        Resource: queueArn,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

export interface InterruptionQueueArgs {
  /** Physical name of the queue, and prefix of the rule names. */
  readonly queueName: string;
  /** AWS partition, region and account of the stack: the queue admits only this account's rules. */
  readonly partition: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  /**
   * Tags for every resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

/**
 * The SQS queue Karpenter reads interruption events from: encrypted, short retention (an event
 * older than five minutes is moot), admitting messages only from this stack's EventBridge rules and
 * only over TLS, fed by one rule per event kind.
 */
export class InterruptionQueue extends pulumi.ComponentResource {
  readonly queueName: pulumi.Output<string>;
  readonly queueArn: pulumi.Output<string>;

  constructor(name: string, args: InterruptionQueueArgs, opts?: pulumi.ComponentResourceOptions) {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(args.queueName)) {
      throw new Error(`InterruptionQueue: argument "queueName" is ${JSON.stringify(args.queueName)}; must be 1-64 letters, digits, hyphens and underscores`);
    }
    super("highmem:karpenter:InterruptionQueue", name, {}, opts);
    const tags = args.tags ?? {};
    const queue = new sqs.Queue(
      `${name}-queue`,
      {
        name: args.queueName,
        messageRetentionSeconds: 300,
        sqsManagedSseEnabled: true,
        tags,
      },
      { parent: this },
    );

    const ruleArnPattern = pulumi.interpolate`arn:${args.partition}:events:${args.region}:${args.accountId}:rule/${args.queueName}-*`;
    const policy = interruptionQueuePolicy(queue.arn, ruleArnPattern);
    const queuePolicy = new sqs.QueuePolicy(`${name}-policy`, { queueUrl: queue.url, policy: policyJson(policy) }, { parent: this });

    for (const event of INTERRUPTION_EVENTS) {
      const rule = new cloudwatch.EventRule(
        `${name}-${event.id}`,
        {
          name: `${args.queueName}-${event.id}`,
          description: `Karpenter interruption handling: ${event.why}`,
          eventPattern: JSON.stringify({ source: [event.source], "detail-type": [event.detailType] }),
          tags,
        },
        { parent: this },
      );
      new cloudwatch.EventTarget(`${name}-${event.id}`, { rule: rule.name, arn: queue.arn }, { parent: this, dependsOn: [queuePolicy] });
    }

    this.queueName = queue.name;
    this.queueArn = queue.arn;
    this.registerOutputs({ queueName: this.queueName, queueArn: this.queueArn });
  }
}
