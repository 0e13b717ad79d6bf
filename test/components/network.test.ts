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
  ])("refuses %o before declaring anything", async (override, message) => {
    const before = testMocks.registrations.length;
    expect(() => new VpcNetwork("bad", { namePrefix: "bad", clusterName: "c", availabilityZones: ["us-west-2a", "us-west-2b"], ...override })).toThrow(message);
    await settle();
    expect(testMocks.registrations.length).toBe(before);
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
