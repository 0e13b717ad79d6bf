import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { AlarmTopic } from "../../components/monitoring/alarm-topic";
import { testMocks } from "../setup";
import { settled as settle } from "../support/pulumi";

const base = { region: "us-west-2", accountId: pulumi.output("123456789012"), partition: pulumi.output("aws") };
const of = (prefix: string, type: string) => testMocks.registrations.filter((r) => r.type === type && r.name.startsWith(prefix));

describe("AlarmTopic", () => {
  it("encrypts the topic with its own rotating key whose policy lets this account's alarms use it", async () => {
    new AlarmTopic("alarms", { ...base, namePrefix: "hm-prod" });
    await settle();
    const [key] = of("alarms", "aws:kms/key:Key");
    expect(key!.inputs).toMatchObject({ region: "us-west-2", enableKeyRotation: true });
    const statements = JSON.parse(key!.inputs["policy"] as string).Statement as { Principal: unknown; Condition?: unknown }[];
    expect(statements.find((s) => JSON.stringify(s.Principal).includes("cloudwatch.amazonaws.com"))!.Condition).toEqual({
      StringEquals: { "aws:SourceAccount": "123456789012" },
      ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:us-west-2:123456789012:alarm:*" },
    });
    const [topic] = of("alarms", "aws:sns/topic:Topic");
    expect(topic!.inputs).toMatchObject({ region: "us-west-2", name: "hm-prod-alarms" });
    expect(String(topic!.inputs["kmsMasterKeyId"])).toMatch(/^arn:aws:kms:us-west-2:123456789012:key\//);
    expect(of("alarms", "aws:kms/alias:Alias")[0]!.inputs["name"]).toBe("alias/hm-prod-alarms");
    expect(of("alarms", "aws:sns/topicPolicy:TopicPolicy")).toHaveLength(1);
    expect(of("alarms", "aws:sns/topicSubscription:TopicSubscription")).toHaveLength(0);
  });

  it("subscribes each email address", async () => {
    new AlarmTopic("mail", { ...base, namePrefix: "mail", emailAddresses: ["oncall@example.com", "data-team@example.org"] });
    await settle();
    const subscriptions = of("mail", "aws:sns/topicSubscription:TopicSubscription");
    expect(subscriptions.map((s) => [s.inputs["protocol"], s.inputs["endpoint"], s.inputs["region"]]).sort()).toEqual([
      ["email", "data-team@example.org", "us-west-2"],
      ["email", "oncall@example.com", "us-west-2"],
    ]);
  });

  it.each([
    [{ emailAddresses: ["oncall"] }, /argument "emailAddresses" is "oncall"; is not an email address/],
    [{ emailAddresses: ["a@example.com", "A@example.com"] }, /argument "emailAddresses" .*lists an address more than once/],
    [{ region: "US-WEST-2" }, /argument "region" is "US-WEST-2"; must be an AWS region name/],
    [{ namePrefix: "Bad_Name" }, /argument "namePrefix" is "Bad_Name"/],
  ])("refuses %o before declaring anything", async (override, message) => {
    const before = testMocks.registrations.length;
    expect(() => new AlarmTopic("bad", { ...base, namePrefix: "bad", ...override })).toThrow(message);
    await settle();
    expect(testMocks.registrations.length).toBe(before);
  });
});
