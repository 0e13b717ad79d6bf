/**
 * EXAMPLES: the sample stacks' exact values. These tests document the three sample stacks the
 * project ships (dev, staging, prod): counts, names, sizes, instance types, cost figures, the
 * protected resources. They are expected to change whenever a sample stack does.
 *
 * They preview copies of the sample stack files as shipped (test/examples/samples/), not stacks/, so
 * that a team's own stacks (added, edited, removed) never break them; what must hold for any valid
 * config is tested as rules over every stack present and generated configs (test/preview/stacks.test.ts
 * and the other suites). When the project changes a sample stack, copy the file into samples/ too,
 * run `npm run docs:sync`, and update the figures here.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { estimateCost } from "../../tools/cost/model";
import { renderPoolTables } from "../../tools/lib/readme-sections";
import { diffPlans } from "../../tools/plan-diff/diff";
import { renderMarkdown } from "../../tools/plan-diff/render";
import type { Plan, PlanResource } from "../../tools/preview/plan";
import { renderSummary } from "../../tools/preview/render";
import { previewAll, projectWith, ROOT } from "../support/stack-configs";

const SAMPLES = join(__dirname, "samples");
const root = projectWith(Object.fromEntries(readdirSync(SAMPLES).map((f) => [f, readFileSync(join(SAMPLES, f), "utf8")])));
let dev: Plan;
let prod: Plan;
beforeAll(async () => {
  const plans = await previewAll([
    { label: "dev", root, stack: "dev" },
    { label: "prod", root, stack: "prod" },
  ]);
  dev = plans.get("dev")!;
  prod = plans.get("prod")!;
});

const byType = (plan: Plan, type: string) => plan.resources.filter((r) => r.type === type);
const one = (plan: Plan, type: string, name?: string): PlanResource => {
  const found = plan.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
  return found[0]!;
};

describe("sample stacks: names and topology", () => {
  it("name the clusters hm-dev and hm-prod; dev has one NAT gateway and a public endpoint for 203.0.113.0/24, prod three and a private endpoint", () => {
    expect(one(dev, "eks:index:Cluster").inputs).toMatchObject({ name: "hm-dev", endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
    expect(one(prod, "eks:index:Cluster").inputs).toMatchObject({ name: "hm-prod", endpointPublicAccess: false });
    expect(one(prod, "eks:index:Cluster").inputs["publicAccessCidrs"]).toBeUndefined();
    expect(byType(dev, "aws:ec2/natGateway:NatGateway")).toHaveLength(1);
    expect(byType(prod, "aws:ec2/natGateway:NatGateway")).toHaveLength(3);
  });

  it("grant prod's platform-admin role cluster-admin through an access entry", () => {
    expect(one(prod, "eks:index:Cluster").inputs["accessEntries"]).toEqual({
      "admin-0": {
        principalArn: "arn:aws:iam::123456789012:role/platform-admin",
        type: "STANDARD",
        accessPolicies: { clusterAdmin: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" } } },
      },
    });
  });

  it("protect in prod ten KMS keys (cluster secrets, storage volumes, alarm topic, the control-plane and flow-log groups' keys, the data bucket's key in each of 3 regions, the snapshot copies' key in each of 2 replica regions), six buckets, the cluster, Redis's data and the team's dataset claim; nothing in dev", () => {
    const protectedTypes = (p: Plan) =>
      p.resources
        .filter((r) => r.protect)
        .map((r) => r.type)
        .sort();
    expect(protectedTypes(prod)).toEqual([
      ...Array(10).fill("aws:kms/key:Key"),
      ...Array(6).fill("aws:s3/bucket:Bucket"),
      "eks:index:Cluster",
      "kubernetes:apps/v1:StatefulSet",
      "kubernetes:core/v1:PersistentVolumeClaim",
      "kubernetes:core/v1:Secret",
      "random:index/randomPassword:RandomPassword",
    ]);
    expect(protectedTypes(dev)).toEqual([]);
  });
});

describe("sample stacks: data", () => {
  it("replicate prod's bucket from us-west-2 to us-east-1 and eu-west-1; dev keeps one bucket", () => {
    const replication = one(prod, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs as {
      rules: { destination: { bucket: string } }[];
      role: string;
    };
    expect(replication.rules.map((r) => r.destination.bucket)).toEqual([
      "arn:aws:s3:::hm-prod-data-us-east-1-123456789012",
      "arn:aws:s3:::hm-prod-data-eu-west-1-123456789012",
    ]);
    expect(replication.role).toBe("arn:aws:iam::123456789012:role/hm-prod-s3-replication");
    expect(prod.outputs["replicaBuckets"]).toEqual(["hm-prod-data-us-east-1-123456789012", "hm-prod-data-eu-west-1-123456789012"]);
    expect(byType(dev, "aws:s3/bucketReplicationConfig:BucketReplicationConfig")).toHaveLength(0);
  });

  it("give prod the seed design's Redis (six 32 GiB pods, 100 GiB volumes) and dev a small one (4 GiB, 20 GiB)", () => {
    const sizes = (p: Plan) => {
      const sts = one(p, "kubernetes:apps/v1:StatefulSet").inputs as {
        spec: {
          replicas: number;
          volumeClaimTemplates: { spec: { resources: { requests: { storage: string } } } }[];
          template: { spec: { containers: { name: string; resources: { limits: { memory: string } } }[] } };
        };
      };
      return [
        sts.spec.replicas,
        sts.spec.template.spec.containers.find((c) => c.name === "redis")!.resources.limits.memory,
        sts.spec.volumeClaimTemplates[0]!.spec.resources.requests.storage,
      ];
    };
    expect(sizes(prod)).toEqual([6, "32Gi", "100Gi"]);
    expect(sizes(dev)).toEqual([6, "4Gi", "20Gi"]);
  });

  it("keep 30 days of metrics on two Prometheus replicas with 250 GiB in prod, 3 days on one in dev", () => {
    const spec = (p: Plan) =>
      (
        p.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs["name"] === "kube-prometheus-stack")!.inputs["values"] as {
          prometheus: { prometheusSpec: unknown };
        }
      ).prometheus.prometheusSpec;
    expect(spec(prod)).toMatchObject({
      retention: "30d",
      replicas: 2,
      storageSpec: { volumeClaimTemplate: { spec: { storageClassName: "gp3", resources: { requests: { storage: "250Gi" } } } } },
    });
    expect(spec(dev)).toMatchObject({ retention: "3d", replicas: 1 });
  });
});

describe("sample stacks: high-memory pools", () => {
  const instanceTypes = (p: Plan) => {
    const pool = p.resources.find((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool" && r.name === "high-memory-spot-pool")!;
    const requirements = (pool.inputs["spec"] as { template: { spec: { requirements: { key: string; values: string[] }[] } } }).template.spec.requirements;
    return requirements.find((r) => r.key === "node.kubernetes.io/instance-type")!.values;
  };

  it("launch 128 GiB nodes in dev (100 GiB pods) and none under 384 GiB in prod (250 GiB pods)", () => {
    expect(instanceTypes(dev)).toContain("r6i.4xlarge");
    expect(instanceTypes(prod)).not.toContain("r6i.8xlarge");
    expect(instanceTypes(prod)).toContain("r6i.12xlarge");
    expect(instanceTypes(prod).length).toBeGreaterThanOrEqual(15);
  });

  it("are the README's pool tables (run `npm run docs:sync` after changing a sample stack)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(
      readme.indexOf("<!-- pool-instance-types:start -->") + "<!-- pool-instance-types:start -->".length + 1,
      readme.indexOf("<!-- pool-instance-types:end -->") - 1,
    );
    expect(section).toBe(renderPoolTables(root, ["dev", "staging", "prod"]));
  });
});

describe("sample prod: cost figures, computed by hand", () => {
  const cost = (r: PlanResource) => prod.cost!.byResource[r.urn];

  it("prices the control plane and each NAT gateway by the hour, plus the NAT's share of data", () => {
    expect(cost(byType(prod, "eks:index:Cluster")[0]!)).toBe(73); // $0.10 × 730 h
    // $0.045 × 730 h + (1,500 GB over 3 gateways) × $0.045
    for (const nat of byType(prod, "aws:ec2/natGateway:NatGateway")) expect(cost(nat)).toBeCloseTo(32.85 + 500 * 0.045, 2);
  });

  it("prices a node pool at its limit from its cheapest type per GiB-hour (spot: after the assumed discount)", () => {
    // high-memory-spot: 12,288 GiB limit; cheapest per GiB is x2idn.16xlarge ($6.669/h, 1,024 GiB) at 50% spot discount.
    const spotAtLimit = 12288 * ((6.669 * 0.5) / 1024) * 730;
    // high-memory-on-demand: same limit and type at the on-demand price.
    const onDemandAtLimit = 12288 * (6.669 / 1024) * 730;
    // Each of the 12 + 12 nodes at the limits has its 200 GiB gp3 root volume at 500 MiB/s (the pools
    // may launch types without local NVMe): 200 × $0.08 + (500 − 125) × $0.04 = $31 a month.
    const rootVolumes = 24 * (200 * 0.08 + 375 * 0.04);
    expect(prod.cost!.monthlyUsd.nodePoolsAtLimit).toBeCloseTo(spotAtLimit + onDemandAtLimit + rootVolumes, 1);
    expect(prod.cost!.highMemoryPerGiBHour).toEqual({ spot: 0.00326, onDemand: 0.00651, baseline: 0.00788 });
  });

  it("prices a pool's expected node-hours with each node's root volume", () => {
    // high-memory-spot: 6,000 node-hours of x2idn.16xlarge at 50% spot discount, plus each node's
    // root volume ($31 a month: 200 GiB and 375 MiB/s above the gp3 baseline) for those hours.
    const pool = prod.resources.find((r) => r.name === "high-memory-spot-pool")!;
    expect(cost(pool)).toBeCloseTo(6000 * (6.669 * 0.5 + 31 / 730), 1);
  });

  it("prices the team's dataset claim as a volume of its class, and the Mountpoint claim at nothing", () => {
    // 1,024 GiB × $0.08 + (16,000 − 3,000) IOPS × $0.005 + (1,000 − 125) MiB/s × $0.04 (gp3-high-iops in prod).
    expect(cost(prod.resources.find((r) => r.name === "team-analytics-dataset")!)).toBeCloseTo(81.92 + 65 + 35, 2);
    expect(cost(prod.resources.find((r) => r.name === "analytics-reference-data" && r.type === "kubernetes:core/v1:PersistentVolumeClaim")!)).toBeUndefined();
  });

  it("prices the reference Job's pod on the high-memory pools, outside the total", () => {
    // 100 GiB × $6.669 / 1,024 GiB an hour (x2idn.16xlarge), after the 50% spot discount and without it.
    expect(prod.cost!.highMemoryWorkloads).toEqual(["Job analytics/reference: 1 x 100 GiB, $0.33 an hour on spot, $0.65 on demand, while it runs"]);
  });

  it("moves the diff by the computed amount when a pool's limit rises", () => {
    const head = structuredClone(prod);
    const pool = head.resources.find((r) => r.name === "high-memory-spot-pool")!;
    const spec = pool.inputs["spec"] as { limits: { memory: string } };
    spec.limits.memory = "13312Gi"; // +1,024 GiB
    (head as { cost?: Plan["cost"] }).cost = estimateCost(head, {
      natDataGbPerMonth: 1500,
      s3GbStored: 20000,
      s3GbReplicatedPerMonth: 2000,
      nodeHoursPerMonth: { "high-memory-spot": 6000, "high-memory-on-demand": 1500, general: 6000 },
    });
    const d = diffPlans(prod, head);
    // One more x2idn.16xlarge at the limit: its memory at the spot price plus its $31 root volume.
    expect(d.cost!.atLimitDelta).toBeCloseTo(1024 * ((6.669 * 0.5) / 1024) * 730 + 31, 1); // $2,465.19
    expect(d.cost!.totalDelta).toBe(0); // expected use did not change
    expect(renderMarkdown([d])).toMatch(/- \*\*prod\*\*: \+\$0\.00 at expected use, \+\$2465\.1\d for node pools at their limits/);
  });

  it("says what depends on usage instead of counting it as zero", () => {
    const none = estimateCost(prod, undefined);
    expect(none.dependsOnUsage).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^node pool high-memory-spot: depends on usage \(nodeHoursPerMonth\.high-memory-spot\)/),
        "NAT gateway data: depends on usage (natDataGbPerMonth)",
        "S3 storage: depends on usage (s3GbStored)",
        "S3 replication transfer: depends on usage (s3GbReplicatedPerMonth)",
      ]),
    );
    const pool = prod.resources.find((r) => r.name === "high-memory-spot-pool")!;
    expect(none.byResource[pool.urn]).toBeUndefined();
    expect(none.monthlyUsd.usage).toBe(0);
    expect(none.monthlyUsd.nodePoolsExpected).toBe(0);
  });

  it("ends the preview with the monthly estimate and the high-memory price per GiB-hour", () => {
    const text = renderSummary(prod, 0);
    expect(text).toMatch(/Cost estimate \(monthly, USD, us-west-2 list prices\): \$[\d,]+\.\d\d/);
    expect(text).toContain("high-memory $/GiB-hour: spot 0.00326 (assumed discount), on-demand 0.00651, r5 on-demand baseline 0.00788");
    expect(Object.keys(prod.cost!.monthlyUsd)).toEqual(["total", "fixed", "usage", "nodePoolsExpected", "nodePoolsAtLimit", "capacityWindows"]);
  });
});
