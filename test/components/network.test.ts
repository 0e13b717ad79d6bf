import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { planSubnets } from "../../components/network/subnet-plan";
import { VpcNetwork } from "../../components/network/vpc-network";
import { ExistingNetwork } from "../../components/network/existing-network";
import { testMocks } from "../setup";
import { settled as settle } from "../support/pulumi";

const registered = (type: string) => testMocks.registrations.filter((r) => r.type === type);
const resolve = <T>(o: pulumi.Output<T>) =>
  new Promise<T>((r) =>
    o.apply((v) => {
      r(v);
      return v;
    }),
  );

describe("planSubnets", () => {
  it("gives each zone a quarter of a /16 for nodes and a sixteenth in the last quarter for load balancers", () => {
    expect(planSubnets("10.0.0.0/16", ["a", "b", "c"])).toEqual([
      { zone: "a", privateCidr: "10.0.0.0/18", publicCidr: "10.0.192.0/20" },
      { zone: "b", privateCidr: "10.0.64.0/18", publicCidr: "10.0.208.0/20" },
      { zone: "c", privateCidr: "10.0.128.0/18", publicCidr: "10.0.224.0/20" },
    ]);
  });

  it("scales with the VPC size", () => {
    expect(planSubnets("10.32.0.0/20", ["a", "b", "c"])[2]).toEqual({ zone: "c", privateCidr: "10.32.8.0/22", publicCidr: "10.32.14.0/24" });
  });
});

describe("VpcNetwork", () => {
  it("creates one NAT gateway per zone when asked, each zone routing through its own", async () => {
    const before = registered("aws:ec2/natGateway:NatGateway").length;
    const net = new VpcNetwork("ha", {
      namePrefix: "ha",
      clusterName: "ha-eks",
      availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"],
      natGateways: "perAz",
    });
    expect(await resolve(net.privateSubnetIds)).toHaveLength(3);
    await settle();
    expect(registered("aws:ec2/natGateway:NatGateway").length - before).toBe(3);
    const routes = registered("aws:ec2/routeTable:RouteTable").filter((r) => r.name.startsWith("ha-private-rt"));
    const natTargets = routes.map((r) => (r.inputs["routes"] as { natGatewayId: string }[])[0]!.natGatewayId);
    expect(new Set(natTargets).size).toBe(3);
  });

  it("tags private subnets for Karpenter discovery and internal load balancers, public ones for internet-facing ones", async () => {
    new VpcNetwork("tagged", { namePrefix: "tagged", clusterName: "tagged-eks", availabilityZones: ["us-west-2a", "us-west-2b"], natGateways: "single" });
    await settle();
    const subnets = registered("aws:ec2/subnet:Subnet").filter((r) => r.name.startsWith("tagged-"));
    const priv = subnets.find((s) => s.name === "tagged-private-0")!.inputs["tags"] as Record<string, string>;
    const pub = subnets.find((s) => s.name === "tagged-public-0")!.inputs["tags"] as Record<string, string>;
    expect(priv).toMatchObject({ "karpenter.sh/discovery": "tagged-eks", "kubernetes.io/role/internal-elb": "1" });
    expect(pub).toMatchObject({ "kubernetes.io/role/elb": "1" });
    expect(pub["karpenter.sh/discovery"]).toBeUndefined();
    expect(subnets.every((s) => s.inputs["mapPublicIpOnLaunch"] === false)).toBe(true);
    expect(registered("aws:ec2/natGateway:NatGateway").filter((r) => r.name.startsWith("tagged-"))).toHaveLength(1);
  });

  it.each([
    [{ availabilityZones: ["us-west-2a"] }, /argument "availabilityZones" is \["us-west-2a"\]; must list 2 or 3 zones/],
    [{ cidrBlock: "10.0.0.0/24" }, /argument "cidrBlock" is "10.0.0.0\/24"; must be an IPv4 CIDR block from \/16 to \/20/],
    [{ natGateways: "none" as "single" }, /argument "natGateways" is "none"/],
    [{ namePrefix: "Bad" }, /argument "namePrefix" is "Bad"/],
    [{ flowLogs: { retentionDays: 8 } }, /argument "flowLogs.retentionDays" is 8; must be a CloudWatch Logs retention period: 1, 3, 5, 7, 14/],
    [{ flowLogs: { trafficType: "SOME" as "ALL" } }, /argument "flowLogs.trafficType" is "SOME"; must be one of ALL, ACCEPT, REJECT/],
  ])("refuses %o before declaring anything", async (override, message) => {
    const before = testMocks.registrations.length;
    expect(() => new VpcNetwork("bad", { namePrefix: "bad", clusterName: "c", availabilityZones: ["us-west-2a", "us-west-2b"], ...override })).toThrow(message);
    await settle();
    expect(testMocks.registrations.length).toBe(before);
  });
});

describe("VpcNetwork flow logs", () => {
  it("records all traffic of the VPC into its own log group, encrypted with its own key, through a role only the flow-logs service of this account assumes", async () => {
    new VpcNetwork("flows", { namePrefix: "flows", clusterName: "flows-eks", availabilityZones: ["us-west-2a", "us-west-2b"], natGateways: "single" });
    await settle();
    const mine = (type: string) => registered(type).filter((r) => r.name.startsWith("flows-"));
    const [flowLog] = mine("aws:ec2/flowLog:FlowLog");
    const [group] = mine("aws:cloudwatch/logGroup:LogGroup");
    const [key] = mine("aws:kms/key:Key");
    const role = mine("aws:iam/role:Role").find((r) => r.name === "flows-flow-logs")!;
    expect(flowLog!.inputs).toMatchObject({
      trafficType: "ALL",
      logDestinationType: "cloud-watch-logs",
      vpcId: expect.stringMatching(/^vpc-/),
      iamRoleArn: expect.stringContaining(":role/flows-vpc-flow-logs"),
      logDestination: expect.stringMatching(/:log-group:\/aws\/vpc\/flows\/flow-logs$/),
    });
    expect(group!.inputs).toMatchObject({ name: "/aws/vpc/flows/flow-logs", retentionInDays: 365, kmsKeyId: expect.stringMatching(/^arn:aws:kms:/) });
    expect(key!.inputs).toMatchObject({ enableKeyRotation: true });
    const keyPolicy = JSON.parse(String(key!.inputs["policy"]));
    expect(keyPolicy.Statement[1].Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toEqual([
      expect.stringMatching(/:log-group:\/aws\/vpc\/flows\/flow-logs$/),
    ]);
    const trust = JSON.parse(String(role.inputs["assumeRolePolicy"]));
    expect(trust.Statement[0].Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
    expect(Object.keys(trust.Statement[0].Condition).sort()).toEqual(["ArnLike", "StringEquals"]);
  });

  it("keeps the flow logs as long as asked, and records the traffic asked for", async () => {
    new VpcNetwork("short", {
      namePrefix: "short",
      clusterName: "short-eks",
      availabilityZones: ["us-west-2a", "us-west-2b"],
      flowLogs: { retentionDays: 7, trafficType: "REJECT" },
    });
    await settle();
    expect(registered("aws:cloudwatch/logGroup:LogGroup").find((r) => r.name === "short-flow-logs")!.inputs["retentionInDays"]).toBe(7);
    expect(registered("aws:ec2/flowLog:FlowLog").find((r) => r.name === "short-flow-logs")!.inputs["trafficType"]).toBe("REJECT");
  });
});

describe("ExistingNetwork", () => {
  it("adds discovery tags to the given subnets without managing them", async () => {
    const net = new ExistingNetwork("adopted", {
      clusterName: "adopted-eks",
      vpcId: "vpc-0a1b2c3d4e5f67890",
      privateSubnetIds: ["subnet-0a1b2c3d4e5f67891", "subnet-0a1b2c3d4e5f67892"],
    });
    expect(await resolve(net.vpcId)).toBe("vpc-0a1b2c3d4e5f67890");
    await settle();
    const tags = registered("aws:ec2/tag:Tag").filter((t) => t.name.startsWith("adopted-"));
    expect(tags.filter((t) => t.inputs["key"] === "karpenter.sh/discovery").map((t) => t.inputs["resourceId"])).toEqual([
      "subnet-0a1b2c3d4e5f67891",
      "subnet-0a1b2c3d4e5f67892",
    ]);
    expect(registered("aws:ec2/subnet:Subnet").some((s) => s.name.startsWith("adopted-"))).toBe(false);
  });

  it("refuses a single subnet", () => {
    expect(() => new ExistingNetwork("one", { clusterName: "c", vpcId: "vpc-0a1b2c3d4e5f67890", privateSubnetIds: ["subnet-0a1b2c3d4e5f67891"] })).toThrow(
      /privateSubnetIds.*2 or 3 subnets/,
    );
  });
});
