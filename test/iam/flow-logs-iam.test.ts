import { describe, expect, it } from "vitest";
import { flowLogsDeliveryPolicy, flowLogsTrustPolicy } from "../../components/network/flow-logs";
import { logGroupKeyPolicy } from "../../components/lib/log-group";
import { simulate } from "./simulator";

const ACCOUNT = "123456789012";
const PLACE = { partition: "aws", accountId: ACCOUNT, region: "us-west-2" };
const GROUP = "/aws/vpc/hm-prod/flow-logs";
const GROUP_ARN = `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:${GROUP}`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/hm-prod-vpc-flow-logs`;
const KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/66666666-6666-6666-6666-666666666666`;
const FLOW_LOG = `arn:aws:ec2:us-west-2:${ACCOUNT}:vpc-flow-log/fl-0123456789abcdef0`;

describe("flow-log delivery role trust, in the IAM simulator", () => {
  const assume = (principal: string, context: Record<string, string>) =>
    simulate({ action: "sts:AssumeRole", resource: ROLE, principal, context }, { resource: flowLogsTrustPolicy(PLACE) });

  it.each([
    [
      "the flow-logs service, for a flow log of this account and region",
      "vpc-flow-logs.amazonaws.com",
      { "aws:SourceAccount": ACCOUNT, "aws:SourceArn": FLOW_LOG },
      "Allowed",
    ],
    [
      "the flow-logs service, for another account's flow log",
      "vpc-flow-logs.amazonaws.com",
      { "aws:SourceAccount": "999999999999", "aws:SourceArn": "arn:aws:ec2:us-west-2:999999999999:vpc-flow-log/fl-1" },
      "ImplicitlyDenied",
    ],
    [
      "the flow-logs service, for a flow log of another region",
      "vpc-flow-logs.amazonaws.com",
      { "aws:SourceAccount": ACCOUNT, "aws:SourceArn": `arn:aws:ec2:eu-west-1:${ACCOUNT}:vpc-flow-log/fl-1` },
      "ImplicitlyDenied",
    ],
    ["the flow-logs service, with no source named", "vpc-flow-logs.amazonaws.com", {}, "ImplicitlyDenied"],
    ["another service", "ec2.amazonaws.com", { "aws:SourceAccount": ACCOUNT, "aws:SourceArn": FLOW_LOG }, "ImplicitlyDenied"],
    ["a role of this account", `arn:aws:iam::${ACCOUNT}:role/someone`, {}, "ImplicitlyDenied"],
  ] as const)("%s", async (_case, principal, context, decision) => {
    expect(await assume(principal, context)).toBe(decision);
  });
});

describe("flow-log delivery role permissions, in the IAM simulator", () => {
  const policy = flowLogsDeliveryPolicy(PLACE, GROUP);
  const call = (action: string, resource: string) => simulate({ action, resource, principal: ROLE }, { identity: [policy] });

  it("writes streams and events into its own group, and may look groups up", async () => {
    expect(await call("logs:CreateLogStream", `${GROUP_ARN}:log-stream:eni-1-all`)).toBe("Allowed");
    expect(await call("logs:PutLogEvents", `${GROUP_ARN}:log-stream:eni-1-all`)).toBe("Allowed");
    expect(await call("logs:DescribeLogStreams", GROUP_ARN)).toBe("Allowed");
    expect(await call("logs:CreateLogGroup", GROUP_ARN)).toBe("Allowed");
    expect(await call("logs:DescribeLogGroups", "*")).toBe("Allowed");
  });

  it("writes into no other group, and cannot change or delete its own", async () => {
    const other = `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:/aws/eks/hm-prod/cluster`;
    expect(await call("logs:PutLogEvents", `${other}:log-stream:kube-apiserver-audit`)).toBe("ImplicitlyDenied");
    expect(await call("logs:CreateLogGroup", `arn:aws:logs:us-west-2:${ACCOUNT}:log-group:/aws/vpc/hm-prod/other`)).toBe("ImplicitlyDenied");
    expect(await call("logs:DeleteLogGroup", GROUP_ARN)).toBe("ImplicitlyDenied");
    expect(await call("logs:PutRetentionPolicy", GROUP_ARN)).toBe("ImplicitlyDenied");
    expect(await call("logs:DisassociateKmsKey", GROUP_ARN)).toBe("ImplicitlyDenied");
  });
});

describe("log group key policy, in the IAM simulator", () => {
  const keyPolicy = logGroupKeyPolicy(PLACE, [GROUP]);
  const useKey = (action: string, principal: string, context: Record<string, string>) =>
    simulate({ action, resource: KEY, principal, context }, { resource: keyPolicy });
  const forGroup = (arn: string) => ({ "kms:EncryptionContext:aws:logs:arn": arn });

  it.each([
    ["CloudWatch Logs of the region, for the group, makes a data key", "kms:GenerateDataKey", "logs.us-west-2.amazonaws.com", forGroup(GROUP_ARN), "Allowed"],
    ["CloudWatch Logs of the region, for the group, decrypts", "kms:Decrypt", "logs.us-west-2.amazonaws.com", forGroup(GROUP_ARN), "Allowed"],
    [
      "CloudWatch Logs, for another group of the account",
      "kms:Decrypt",
      "logs.us-west-2.amazonaws.com",
      forGroup(`arn:aws:logs:us-west-2:${ACCOUNT}:log-group:/aws/eks/hm-prod/cluster`),
      "ImplicitlyDenied",
    ],
    [
      "CloudWatch Logs, for a group of another account",
      "kms:Decrypt",
      "logs.us-west-2.amazonaws.com",
      forGroup(`arn:aws:logs:us-west-2:999999999999:log-group:${GROUP}`),
      "ImplicitlyDenied",
    ],
    ["CloudWatch Logs of another region", "kms:Decrypt", "logs.eu-west-1.amazonaws.com", forGroup(GROUP_ARN), "ImplicitlyDenied"],
    ["CloudWatch Logs without an encryption context", "kms:Decrypt", "logs.us-west-2.amazonaws.com", {}, "ImplicitlyDenied"],
    ["CloudWatch Logs scheduling the key's deletion", "kms:ScheduleKeyDeletion", "logs.us-west-2.amazonaws.com", {}, "ImplicitlyDenied"],
    ["a role of another account", "kms:Decrypt", "arn:aws:iam::999999999999:role/outsider", forGroup(GROUP_ARN), "ImplicitlyDenied"],
  ] as const)("%s", async (_case, action, principal, context, decision) => {
    expect(await useKey(action, principal, context)).toBe(decision);
  });

  it("lets an administrator of this account manage the key through IAM", async () => {
    const admin = { Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "kms:*", Resource: "*" }] };
    expect(
      await simulate(
        { action: "kms:PutKeyPolicy", resource: KEY, principal: `arn:aws:iam::${ACCOUNT}:role/admin` },
        { identity: [admin], resource: keyPolicy },
      ),
    ).toBe("Allowed");
  });
});
