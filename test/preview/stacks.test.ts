import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { EKS_ADDON_VERSIONS, DEFAULT_KUBERNETES_VERSION } from "../../components/versions";
import type { Plan, PlanResource } from "../../tools/preview/plan";
import { modelModule } from "../../tools/preview/kubernetes-schemas";
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
    expect(plan.deployFindings).toEqual([]);
    expect(planFails(plan)).toBe(false);
    expect(plan.configErrors).toEqual([]);
    expect(one(plan, "aws:ec2/vpc:Vpc").inputs).toMatchObject({ enableDnsHostnames: true, enableDnsSupport: true });
    expect(one(plan, "aws:kms/key:Key", "cluster-secrets").inputs).toMatchObject({ enableKeyRotation: true });
    expect(one(plan, "aws:kms/key:Key", "storage-volumes").inputs).toMatchObject({ enableKeyRotation: true });
    const addons = plan.resources.filter((r) => r.type === "aws:eks/addon:Addon").map((r) => [r.inputs["addonName"], r.inputs["addonVersion"]]);
    expect(Object.fromEntries(addons)).toEqual(EKS_ADDON_VERSIONS[DEFAULT_KUBERNETES_VERSION]);
  });

  it("configures the cluster: API authentication, KMS secrets encryption, all logs, pinned version, no self-managed add-ons", () => {
    const plan = plans[stack]!;
    const key = one(plan, "aws:kms/key:Key", "cluster-secrets");
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
  it("shows the controller, the queue with its five rules, the node classes and the four pools, all valid against Karpenter's v1 schemas", () => {
    const plan = plans[stack]!;
    expect(plan.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release").map((r) => r.inputs["name"]).sort()).toEqual(["karpenter", "karpenter-crd", "kube-prometheus-stack", "prometheus-operator-crds"]);
    expect(one(plan, "aws:sqs/queue:Queue").inputs["name"]).toBe(`hm-${stack}-karpenter`);
    expect(plan.resources.filter((r) => r.type === "aws:cloudwatch/eventRule:EventRule")).toHaveLength(5);
    const pools = plan.resources.filter((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool").map((r) => (r.inputs["metadata"] as { name: string }).name);
    expect(pools.sort()).toEqual(["general", "high-memory-on-demand", "high-memory-spot", "stateful"]);
    expect(plan.resources.filter((r) => r.type === "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass")).toHaveLength(4);
    expect(plan.schemaErrors).toEqual([]);
    // Every Kubernetes object goes through the cluster's own provider.
    const k8sProvider = one(plan, "pulumi:providers:kubernetes").urn;
    expect(plan.resources.filter((r) => r.type.startsWith("kubernetes:")).every((r) => r.provider === k8sProvider)).toBe(true);
  });
});

describe.each(["dev", "staging", "prod"])("stack %s: storage and Redis", (stack) => {
  it("has gp3 as the only default class, both classes encrypted with the volume key and bound on first consumer", () => {
    const classes = plans[stack]!.resources.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass").map((r) => r.inputs as { metadata: { name: string; annotations?: Record<string, string> }; parameters: Record<string, string>; volumeBindingMode: string; reclaimPolicy: string; allowVolumeExpansion: boolean });
    expect(classes.map((c) => c.metadata.name).sort()).toEqual(["gp3", "gp3-high-iops"]);
    expect(classes.filter((c) => c.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true").map((c) => c.metadata.name)).toEqual(["gp3"]);
    for (const c of classes) {
      expect(c).toMatchObject({ volumeBindingMode: "WaitForFirstConsumer", allowVolumeExpansion: true, reclaimPolicy: stack === "prod" ? "Retain" : "Delete" });
      expect(c.parameters).toMatchObject({ type: "gp3", encrypted: "true", kmsKeyId: expect.stringMatching(/^arn:aws:kms:/) });
    }
  });

  it("runs a six-pod Redis Cluster on on-demand nodes with a volume per pod, Guaranteed QoS and its network policy", () => {
    const plan = plans[stack]!;
    const sts = one(plan, "kubernetes:apps/v1:StatefulSet").inputs as { spec: { replicas: number; podManagementPolicy: string; volumeClaimTemplates: { spec: { storageClassName: string; resources: { requests: { storage: string } } } }[]; template: { spec: { affinity: unknown; containers: { name: string; resources: { requests: unknown; limits: unknown } }[] } } } };
    expect(sts.spec.replicas).toBe(6);
    expect(sts.spec.podManagementPolicy).toBe("Parallel");
    expect(sts.spec.volumeClaimTemplates[0]!.spec.storageClassName).toBe("gp3");
    const redis = sts.spec.template.spec.containers.find((c) => c.name === "redis")!;
    expect(redis.resources.requests).toEqual(redis.resources.limits);
    expect(JSON.stringify(sts.spec.template.spec.affinity)).toContain('"values":["on-demand"]');
    expect(plan.resources.filter((r) => r.type === "kubernetes:networking.k8s.io/v1:NetworkPolicy")).toHaveLength(1);
    expect(plan.resources.filter((r) => r.type === "kubernetes:batch/v1:Job")).toHaveLength(1);
    expect(plan.resources.filter((r) => r.type === "kubernetes:monitoring.coreos.com/v1:ServiceMonitor" && r.name === "redis-monitor")).toHaveLength(1);
    // The password reaches the plan only as a digest.
    expect(one(plan, "kubernetes:core/v1:Secret", "redis-auth").inputs["stringData"]).toEqual({ "@secret": expect.stringMatching(/^sha256:/) });
  });
});

describe("replicated data bucket", () => {
  it("prod shows the source in us-west-2, replicas in us-east-1 and eu-west-1, their keys, the replication and its role", () => {
    const plan = plans["prod"]!;
    const dataBuckets = plan.resources.filter((r) => r.type === "aws:s3/bucket:Bucket" && r.name.endsWith("-data"));
    expect(dataBuckets.map((b) => b.inputs["region"]).sort()).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
    expect(plan.resources.filter((r) => r.type === "aws:kms/key:Key" && r.name.startsWith("data-buckets-")).map((k) => k.inputs["region"]).sort()).toEqual(["eu-west-1", "us-east-1", "us-west-2"]);
    const replication = one(plan, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs as { rules: { destination: { bucket: string } }[]; role: string };
    expect(replication.rules.map((r) => r.destination.bucket)).toEqual(["arn:aws:s3:::hm-prod-data-us-east-1-123456789012", "arn:aws:s3:::hm-prod-data-eu-west-1-123456789012"]);
    expect(replication.role).toBe(one(plan, "aws:iam/role:Role", "data-buckets-replication").inputs["name"] ? "arn:aws:iam::123456789012:role/hm-prod-s3-replication" : "");
    expect(plan.outputs["replicaBuckets"]).toEqual(["hm-prod-data-us-east-1-123456789012", "hm-prod-data-eu-west-1-123456789012"]);
  });

  it("dev keeps a single bucket", () => {
    expect(plans["dev"]!.resources.filter((r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toHaveLength(0);
  });
});

describe.each(["dev", "staging", "prod"])("stack %s: AWS alarms", (stack) => {
  it("notify the stack's encrypted alarm topic, whose ARN is an output", () => {
    const plan = plans[stack]!;
    const topic = one(plan, "aws:sns/topic:Topic");
    expect(String(topic.inputs["kmsMasterKeyId"] ?? "")).not.toBe("");
    for (const alarm of plan.resources.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm")) {
      expect(alarm.inputs["alarmActions"], alarm.name).toEqual([plan.outputs["alarmTopicArn"]]);
    }
    expect(plan.outputs["alarmTopicArn"]).toMatch(/^arn:aws:sns:us-west-2:\d{12}:/);
  });
});

describe("tier differences", () => {
  it("gives prod the seed design's Redis (32 GiB pods, 100 GiB volumes) and dev a small one", () => {
    const sizes = (s: string) => {
      const sts = one(plans[s]!, "kubernetes:apps/v1:StatefulSet").inputs as { spec: { volumeClaimTemplates: { spec: { resources: { requests: { storage: string } } } }[]; template: { spec: { containers: { name: string; resources: { limits: { memory: string } } }[] } } } };
      return [sts.spec.template.spec.containers.find((c) => c.name === "redis")!.resources.limits.memory, sts.spec.volumeClaimTemplates[0]!.spec.resources.requests.storage];
    };
    expect(sizes("prod")).toEqual(["32Gi", "100Gi"]);
    expect(sizes("dev")).toEqual(["4Gi", "20Gi"]);
  });

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

  it("protects the cluster, the keys and what holds Redis data in prod only, and turns on the cluster's deletion protection there", () => {
    const protectedTypes = (s: string) => plans[s]!.resources.filter((r) => r.protect).map((r) => r.type).sort();
    expect(protectedTypes("prod")).toEqual([
      // cluster secrets, storage volumes, alarm topic, and the data bucket's key in each of 3 regions
      ...Array(6).fill("aws:kms/key:Key"),
      ...Array(6).fill("aws:s3/bucket:Bucket"),
      "eks:index:Cluster", "kubernetes:apps/v1:StatefulSet", "kubernetes:core/v1:Secret", "random:index/randomPassword:RandomPassword",
    ]);
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

describe("schema models bundle", () => {
  it("holds the model of every Kubernetes kind the stacks declare, so that no preview takes the slow path", () => {
    const entry = readFileSync(join(ROOT, "tools", "preview", "schema-models.entry.mjs"), "utf8");
    const bundledSpecifiers = new Set([...entry.matchAll(/^\s+"([^"]+)": \w+,$/gm)].map((m) => m[1]));
    const used = new Set(Object.values(plans).flatMap((p) => p.resources.map((r) => r.type)).filter((t) => /^kubernetes:(?!helm\.sh)/.test(t)).map((t) => modelModule(t)!.specifier));
    expect([...used].filter((s) => !bundledSpecifiers.has(s))).toEqual([]);
  });
});
