import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EKS_ADDON_VERSIONS, DEFAULT_KUBERNETES_VERSION } from "../../components/versions";
import type { Plan, PlanResource } from "../../tools/preview/plan";
import { planFails, previewStack } from "../../tools/preview/run";

const ROOT = join(__dirname, "..", "..");
const plans: Record<string, Plan> = {};
const one = (plan: Plan, type: string, name?: string): PlanResource => {
  const found = plan.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  for (const stack of ["dev", "staging", "prod"]) plans[stack] = (await previewStack(stack, { root: ROOT })).plan;
});

describe.each(["dev", "staging", "prod"])("stack %s, end to end through the offline preview", (stack) => {
  it("passes its checks and declares the VPC, the secrets key, the cluster and its add-ons", () => {
    const plan = plans[stack]!;
    expect(planFails(plan)).toBe(false);
    expect(plan.configErrors).toEqual([]);
    expect(one(plan, "aws:ec2/vpc:Vpc").inputs).toMatchObject({ enableDnsHostnames: true, enableDnsSupport: true });
    expect(one(plan, "aws:kms/key:Key").inputs).toMatchObject({ enableKeyRotation: true });
    const addons = plan.resources.filter((r) => r.type === "aws:eks/addon:Addon").map((r) => [r.inputs["addonName"], r.inputs["addonVersion"]]);
    expect(Object.fromEntries(addons)).toEqual(EKS_ADDON_VERSIONS[DEFAULT_KUBERNETES_VERSION]);
  });

  it("configures the cluster: API authentication, KMS secrets encryption, all logs, pinned version, no self-managed add-ons", () => {
    const plan = plans[stack]!;
    const key = one(plan, "aws:kms/key:Key");
    const cluster = one(plan, "eks:index:Cluster");
    expect(cluster.inputs).toMatchObject({
      name: `hm-${stack}`,
      version: DEFAULT_KUBERNETES_VERSION,
      authenticationMode: "API",
      enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      endpointPrivateAccess: true,
      bootstrapSelfManagedAddons: false,
      skipDefaultNodeGroup: true,
      nodeAssociatePublicIpAddress: false,
      upgradePolicy: { supportType: "STANDARD" },
    });
    expect(String(cluster.inputs["encryptionConfigKeyArn"])).toMatch(/^arn:aws:kms:us-west-2:\d{12}:key\//);
    expect(key.urn).toBe(`urn:pulumi:${stack}::highmem-platform::highmem:cluster:EksCluster$aws:kms/key:Key::cluster-secrets`);
    expect(cluster.dependsOn).toContain(one(plan, "aws:cloudwatch/logGroup:LogGroup").urn);
  });

  it("exports the cluster name, the kubeconfig as a secret, and the VPC and subnet ids", () => {
    const outputs = plans[stack]!.outputs;
    expect(outputs["clusterName"]).toBe(`hm-${stack}`);
    expect(outputs["kubeconfig"]).toEqual({ "@secret": expect.stringMatching(/^sha256:[0-9a-f]{16}$/) });
    expect(outputs["vpcId"]).toMatch(/^vpc-[0-9a-f]{17}$/);
    expect(outputs["privateSubnetIds"]).toHaveLength(3);
    expect(outputs["publicSubnetIds"]).toHaveLength(3);
  });

  it("passes the kubeconfig to the Kubernetes provider as a secret, never in clear", () => {
    const provider = one(plans[stack]!, "pulumi:providers:kubernetes");
    expect(provider.inputs["kubeconfig"]).toEqual({ "@secret": expect.any(String) });
    expect(JSON.stringify(plans[stack])).not.toContain("certificate-authority-data");
  });
});

describe.each(["dev", "staging", "prod"])("stack %s: Karpenter", (stack) => {
  it("shows the controller, the queue with its five rules, the node classes and the three pools, all valid against Karpenter's v1 schemas", () => {
    const plan = plans[stack]!;
    expect(plan.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").map((r) => r.inputs["name"]).sort()).toEqual(["karpenter", "karpenter-crd"]);
    expect(one(plan, "aws:sqs/queue:Queue").inputs["name"]).toBe(`hm-${stack}-karpenter`);
    expect(plan.resources.filter((r) => r.type === "aws:cloudwatch/eventRule:EventRule")).toHaveLength(5);
    const pools = plan.resources.filter((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool").map((r) => (r.inputs["metadata"] as { name: string }).name);
    expect(pools.sort()).toEqual(["general", "high-memory-on-demand", "high-memory-spot"]);
    expect(plan.resources.filter((r) => r.type === "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass")).toHaveLength(3);
    expect(plan.schemaErrors).toEqual([]);
    // Every Kubernetes object goes through the cluster's own provider.
    const k8sProvider = one(plan, "pulumi:providers:kubernetes").urn;
    expect(plan.resources.filter((r) => r.type.startsWith("kubernetes:")).every((r) => r.provider === k8sProvider)).toBe(true);
  });
});

describe("tier differences", () => {
  const instanceTypes = (stack: string) => {
    const pool = plans[stack]!.resources.find((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool" && r.name === "high-memory-spot-pool")!;
    const requirements = (pool.inputs["spec"] as { template: { spec: { requirements: { key: string; values: string[] }[] } } }).template.spec.requirements;
    return requirements.find((r) => r.key === "node.kubernetes.io/instance-type")!.values;
  };

  it("sizes the high-memory pools for each tier's largest pod: 128 GiB nodes in dev, none under 384 GiB in prod", () => {
    expect(instanceTypes("dev")).toContain("r6i.4xlarge");
    expect(instanceTypes("prod")).not.toContain("r6i.8xlarge");
    expect(instanceTypes("prod")).toContain("r6i.12xlarge");
    expect(instanceTypes("prod").length).toBeGreaterThanOrEqual(15);
  });

  it("dev runs one NAT gateway and a public endpoint limited to its listed CIDRs; prod one NAT gateway per zone and a private endpoint", () => {
    const nats = (s: string) => plans[s]!.resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway").length;
    expect(nats("dev")).toBe(1);
    expect(nats("prod")).toBe(3);
    expect(one(plans["dev"]!, "eks:index:Cluster").inputs).toMatchObject({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
    expect(one(plans["prod"]!, "eks:index:Cluster").inputs).toMatchObject({ endpointPublicAccess: false });
    expect(one(plans["prod"]!, "eks:index:Cluster").inputs["publicAccessCidrs"]).toBeUndefined();
  });

  it("protects the cluster and its key in prod only, and turns on the cluster's deletion protection there", () => {
    const protectedTypes = (s: string) => plans[s]!.resources.filter((r) => r.protect).map((r) => r.type).sort();
    expect(protectedTypes("prod")).toEqual(["aws:kms/key:Key", "eks:index:Cluster"]);
    expect(protectedTypes("dev")).toEqual([]);
    expect(one(plans["prod"]!, "eks:index:Cluster").inputs["deletionProtection"]).toBe(true);
  });

  it("grants the configured admin roles cluster-admin through access entries", () => {
    expect(one(plans["prod"]!, "eks:index:Cluster").inputs["accessEntries"]).toEqual({
      "admin-0": {
        principalArn: "arn:aws:iam::123456789012:role/platform-admin",
        type: "STANDARD",
        accessPolicies: { clusterAdmin: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" } } },
      },
    });
  });

  it("is deterministic: two previews of a stack give the same plan", async () => {
    const again = (await previewStack("dev", { root: ROOT })).plan;
    expect(again).toEqual(plans["dev"]);
  });
});
