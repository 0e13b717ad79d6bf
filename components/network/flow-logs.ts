/**
 * VPC flow logs to CloudWatch Logs: an encrypted log group with a retention, the role the flow-logs
 * service delivers with, and the flow log. Sources: Amazon VPC user guide, "Publish flow logs to
 * CloudWatch Logs" and "IAM role for publishing flow logs to CloudWatch Logs" (flow-logs-iam-role.html):
 * - the role is assumed by vpc-flow-logs.amazonaws.com (sts:AssumeRole); against the confused deputy
 *   problem the guide recommends aws:SourceAccount (the flow log's owner) and aws:SourceArn (the flow
 *   log's ARN, arn:<partition>:ec2:<region>:<account>:vpc-flow-log/<id>, with * for an id not yet known);
 * - the role needs logs:CreateLogGroup, logs:CreateLogStream, logs:PutLogEvents, logs:DescribeLogGroups
 *   and logs:DescribeLogStreams; the guide grants them on "*", here they are scoped to the one log group
 *   (DescribeLogGroups takes no resource: Service Authorization Reference, CloudWatch Logs).
 */
import * as pulumi from "@pulumi/pulumi";
import * as ec2 from "@pulumi/aws/ec2";
import * as iam from "@pulumi/aws/iam";
import { policyJson, serviceTrustPolicy, type PolicyDocument } from "../lib/iam";
import { encryptedLogGroup, logGroupArn, type LogGroupPlace } from "../lib/log-group";

export const FLOW_LOG_TRAFFIC_TYPES = ["ALL", "ACCEPT", "REJECT"] as const;
export type FlowLogTrafficType = (typeof FLOW_LOG_TRAFFIC_TYPES)[number];

/** Trust policy of the delivery role: the flow-logs service, for flow logs of this account and region only. */
export function flowLogsTrustPolicy(p: LogGroupPlace): PolicyDocument {
  return serviceTrustPolicy("vpc-flow-logs.amazonaws.com", ["sts:AssumeRole"], {
    StringEquals: { "aws:SourceAccount": p.accountId },
    ArnLike: { "aws:SourceArn": `arn:${p.partition}:ec2:${p.region}:${p.accountId}:vpc-flow-log/*` },
  });
}

/** What the delivery role may do: write into one log group. */
export function flowLogsDeliveryPolicy(p: LogGroupPlace, logGroupName: string): PolicyDocument {
  const group = logGroupArn(p, logGroupName);
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteFlowLogsIntoTheirGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        // The group, and its streams (log-stream ARNs are <group ARN>:log-stream:<name>).
        Resource: [group, `${group}:log-stream:*`],
      },
      { Sid: "FindTheGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: "*" },
    ],
  };
}

export interface FlowLogsArgs {
  readonly namePrefix: string;
  readonly vpcId: pulumi.Input<string>;
  readonly retentionDays: number;
  readonly trafficType: FlowLogTrafficType;
  readonly partition: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  readonly region: pulumi.Input<string>;
  readonly protect: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/** Declares the flow log of a VPC and what it needs, as children of `owner` named `<name>-flow-logs*`. */
export function declareFlowLogs(owner: pulumi.ComponentResource, name: string, a: FlowLogsArgs): ec2.FlowLog {
  const parent = { parent: owner };
  const logGroupName = `/aws/vpc/${a.namePrefix}/flow-logs`;
  const place = pulumi.all([a.partition, a.accountId, a.region]).apply(([partition, accountId, region]): LogGroupPlace => ({ partition, accountId, region }));
  const { logGroup } = encryptedLogGroup(
    `${name}-flow-logs`,
    {
      logGroupName,
      retentionInDays: a.retentionDays,
      keyAlias: `${a.namePrefix}-vpc-flow-logs`,
      purpose: `the flow logs of VPC ${a.namePrefix}`,
      partition: a.partition,
      accountId: a.accountId,
      region: a.region,
      protect: a.protect,
      tags: a.tags,
    },
    owner,
  );
  const role = new iam.Role(
    `${name}-flow-logs`,
    {
      name: `${a.namePrefix}-vpc-flow-logs`,
      description: `Delivers the flow logs of VPC ${a.namePrefix} to ${logGroupName}`,
      assumeRolePolicy: place.apply((p) => policyJson(flowLogsTrustPolicy(p))),
      tags: a.tags,
    },
    parent,
  );
  const delivery = new iam.RolePolicy(
    `${name}-flow-logs`,
    { role: role.name, policy: place.apply((p) => policyJson(flowLogsDeliveryPolicy(p, logGroupName))) },
    parent,
  );
  return new ec2.FlowLog(
    `${name}-flow-logs`,
    {
      vpcId: a.vpcId,
      trafficType: a.trafficType,
      logDestinationType: "cloud-watch-logs",
      logDestination: logGroup.arn,
      iamRoleArn: role.arn,
      tags: { ...a.tags, Name: `${a.namePrefix}-flow-logs` },
    },
    { parent: owner, dependsOn: [delivery] },
  );
}
