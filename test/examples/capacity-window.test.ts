/**
 * The staging sample's capacity window (test/examples/samples/Pulumi.staging.yaml): its objects, the
 * schedules and time zone its CronJobs carry, the least privilege of its scaler, its place in the
 * first deploy, and its cost line.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan, PlanResource } from "../../tools/preview/plan";
import { onDemandPerHour, spotDiscount } from "../../tools/cost/prices";
import { previewAll, projectWith } from "../support/stack-configs";

const SAMPLES = join(__dirname, "samples");
const root = projectWith(Object.fromEntries(readdirSync(SAMPLES).map((f) => [f, readFileSync(join(SAMPLES, f), "utf8")])));
let staging: Plan;
beforeAll(async () => {
  staging = (await previewAll([{ label: "staging", root, stack: "staging" }])).get("staging")!;
});
const named = (type: string, name: string): PlanResource => {
  const found = staging.resources.filter((r) => r.type === type && r.name === name);
  expect(found, `${type} ${name}`).toHaveLength(1);
  return found[0]!;
};

describe("staging's capacity window (nightly: 22:00 Berlin, Mon-Fri, 2h, 2 x 200 GiB on high-memory-spot)", () => {
  it("holds pause pods at negative priority on the pool, replicas 0 at rest, requests = limits", () => {
    const d = named("kubernetes:apps/v1:Deployment", "capacity-windows-nightly").inputs;
    expect(d).toMatchObject({ metadata: { name: "nightly-placeholders", namespace: "capacity" }, spec: { replicas: 0 } });
    const pod = (d["spec"] as { template: { spec: Record<string, unknown> } }).template.spec;
    expect(pod).toMatchObject({
      priorityClassName: "capacity-placeholder",
      nodeSelector: { "karpenter.sh/nodepool": "high-memory-spot" },
      tolerations: [{ key: "workload-type", operator: "Equal", value: "high-memory", effect: "NoSchedule" }],
      containers: [{ image: "registry.k8s.io/pause:3.10.1", resources: { requests: { cpu: "8", memory: "200Gi" }, limits: { cpu: "8", memory: "200Gi" } } }],
    });
    expect(named("kubernetes:scheduling.k8s.io/v1:PriorityClass", "priority-classes-placeholder").inputs).toMatchObject({
      value: -10,
      preemptionPolicy: "Never",
      globalDefault: false,
    });
    expect(named("kubernetes:core/v1:Namespace", "capacity-windows-namespace").inputs).toMatchObject({
      metadata: { labels: { "pod-security.kubernetes.io/enforce": "restricted" } },
    });
  });

  it("scales up at 21:30 and down at 00:30 the next day, in Europe/Berlin, with kubectl allowed only that Deployment's scale", () => {
    expect(named("kubernetes:batch/v1:CronJob", "capacity-windows-nightly-scale-up").inputs).toMatchObject({
      spec: { schedule: "30 21 * * mon-fri", timeZone: "Europe/Berlin" },
    });
    const down = named("kubernetes:batch/v1:CronJob", "capacity-windows-nightly-scale-down").inputs;
    expect(down).toMatchObject({ spec: { schedule: "30 0 * * 2,3,4,5,6", timeZone: "Europe/Berlin" } });
    expect(JSON.stringify(down)).toContain('"--replicas=0"');
    expect(named("kubernetes:rbac.authorization.k8s.io/v1:Role", "capacity-windows-nightly-scaler").inputs["rules"]).toEqual([
      { apiGroups: ["apps"], resources: ["deployments"], resourceNames: ["nightly-placeholders"], verbs: ["get"] },
      { apiGroups: ["apps"], resources: ["deployments/scale"], resourceNames: ["nightly-placeholders"], verbs: ["get", "patch"] },
    ]);
  });

  it("is schema-valid, passes the policy pack, and the first deploy creates the pool before the placeholders", () => {
    expect(staging.schemaErrors).toEqual([]);
    expect(staging.violations).toEqual([]);
    expect(staging.deployFindings).toEqual([]);
    const d = named("kubernetes:apps/v1:Deployment", "capacity-windows-nightly");
    const pool = staging.resources.find(
      (r) => r.type === "kubernetes:karpenter.sh/v1:NodePool" && (r.inputs["metadata"] as { name: string }).name === "high-memory-spot",
    )!;
    expect(d.dependencies).toContain(pool.urn);
  });

  it("adds its node-hours to the estimate: 261 weekdays / 12 x 3 h (lead, 2 h, drain) on one spot node", () => {
    const cost = staging.cost!;
    const line = cost.capacityWindows.find((l) => l.startsWith("capacity window nightly:"));
    expect(line).toMatch(/2 x 200 GiB on 1 (\S+) \(spot\), 65\.25 node-hours a month/);
    const type = /on 1 (\S+)/.exec(line!)![1]!;
    const usd = 65.25 * onDemandPerHour(type)! * (1 - spotDiscount(type));
    expect(cost.monthlyUsd.capacityWindows).toBeCloseTo(usd, 2);
    expect(cost.monthlyUsd.total).toBeCloseTo(cost.monthlyUsd.fixed + cost.monthlyUsd.usage + cost.monthlyUsd.nodePoolsExpected + usd, 1);
  });
});
