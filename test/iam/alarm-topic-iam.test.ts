import { describe, expect, it } from "vitest";
import { alarmTopicKeyPolicy, alarmTopicPolicy } from "../../components/monitoring/alarm-topic";
import { simulate } from "./simulator";

const ACCOUNT = "123456789012";
const SOURCE = { accountId: ACCOUNT, partition: "aws", region: "us-west-2" };
const KEY = `arn:aws:kms:us-west-2:${ACCOUNT}:key/55555555-5555-5555-5555-555555555555`;
const TOPIC = `arn:aws:sns:us-west-2:${ACCOUNT}:hm-prod-alarms`;
const ALARM = `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:alarm:hm-prod-s3-replication-failed-us-east-1`;
const from = (account: string, alarm: string) => ({ "aws:SourceAccount": account, "aws:SourceArn": alarm });

describe("alarm topic key policy, in the IAM simulator", () => {
  const keyPolicy = alarmTopicKeyPolicy(SOURCE);
  const useKey = (action: string, principal: string, context: Record<string, string>) =>
    simulate({ action, resource: KEY, principal, context }, { resource: keyPolicy });

  it.each([
    [
      "CloudWatch, for an alarm of this account and region, makes a data key",
      "kms:GenerateDataKey",
      "cloudwatch.amazonaws.com",
      from(ACCOUNT, ALARM),
      "Allowed",
    ],
    ["CloudWatch, for an alarm of this account and region, decrypts", "kms:Decrypt", "cloudwatch.amazonaws.com", from(ACCOUNT, ALARM), "Allowed"],
    [
      "CloudWatch, for another account's alarm",
      "kms:GenerateDataKey",
      "cloudwatch.amazonaws.com",
      from("999999999999", "arn:aws:cloudwatch:us-west-2:999999999999:alarm:x"),
      "ImplicitlyDenied",
    ],
    [
      "CloudWatch, for an alarm of another region",
      "kms:GenerateDataKey",
      "cloudwatch.amazonaws.com",
      from(ACCOUNT, `arn:aws:cloudwatch:eu-west-1:${ACCOUNT}:alarm:x`),
      "ImplicitlyDenied",
    ],
    [
      "CloudWatch, for something that is not an alarm",
      "kms:GenerateDataKey",
      "cloudwatch.amazonaws.com",
      from(ACCOUNT, `arn:aws:cloudwatch:us-west-2:${ACCOUNT}:dashboard/x`),
      "ImplicitlyDenied",
    ],
    [
      "another service (EventBridge) of this account",
      "kms:GenerateDataKey",
      "events.amazonaws.com",
      from(ACCOUNT, `arn:aws:events:us-west-2:${ACCOUNT}:rule/x`),
      "ImplicitlyDenied",
    ],
    ["CloudWatch scheduling the key's deletion", "kms:ScheduleKeyDeletion", "cloudwatch.amazonaws.com", from(ACCOUNT, ALARM), "ImplicitlyDenied"],
    ["a role of another account", "kms:Decrypt", "arn:aws:iam::999999999999:role/outsider", {}, "ImplicitlyDenied"],
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

describe("alarm topic access policy, in the IAM simulator", () => {
  const topicPolicy = alarmTopicPolicy(TOPIC, SOURCE);
  const publish = (principal: string, context: Record<string, string>) =>
    simulate({ action: "sns:Publish", resource: TOPIC, principal, context }, { resource: topicPolicy });

  it("takes alarms of this account and region only", async () => {
    expect(await publish("cloudwatch.amazonaws.com", from(ACCOUNT, ALARM))).toBe("Allowed");
    expect(await publish("cloudwatch.amazonaws.com", from("999999999999", "arn:aws:cloudwatch:us-west-2:999999999999:alarm:x"))).toBe("ImplicitlyDenied");
    expect(await publish("events.amazonaws.com", from(ACCOUNT, `arn:aws:events:us-west-2:${ACCOUNT}:rule/x`))).toBe("ImplicitlyDenied");
    expect(await publish("arn:aws:iam::999999999999:role/outsider", {})).toBe("ImplicitlyDenied");
  });
});
