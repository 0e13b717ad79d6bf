/**
 * Team namespaces in every config under test (stack files present and generated shapes): each team
 * of the stack's resolved config gets its namespace and objects as the config sizes them, the plan is
 * schema-valid and the first deploy clean, and every priority class a pod names is declared.
 */
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan, PlanResource } from "../../tools/preview/plan";
import { configsUnderTest, environmentOf, previewAll } from "../support/stack-configs";
import { quotaHard, TEAM_QUOTA_DEFAULTS } from "../../components/internal";

const configs = configsUnderTest();
let plans: Map<string, Plan>;
beforeAll(async () => {
  plans = await previewAll(configs);
}, 300_000);

const childrenOf = (plan: Plan, parent: PlanResource) => plan.resources.filter((r) => r.parent === parent.urn);
const metadataName = (r: PlanResource) => (r.inputs["metadata"] as { name: string }).name;

describe.each(configs.map((c) => [c.label, c] as const))("%s", (label, c) => {
  it("gives every team its namespace, quota as sized in config, default deny, service account, access entries and dataset claim", () => {
    const env = environmentOf(c);
    const plan = plans.get(label)!;
    const components = plan.resources.filter((r) => r.type === "highmem:workloads:TeamNamespace");
    expect(components.map((r) => r.name)).toEqual(env.teams.map((t) => `team-${t.name}`));
    for (const team of env.teams) {
      const children = childrenOf(
        plan,
        components.find((r) => r.name === `team-${team.name}`)!,
      );
      const of = (type: string) => children.filter((r) => r.type === type);
      const ns = of("kubernetes:core/v1:Namespace");
      expect(ns.map(metadataName)).toEqual([team.name]);
      expect((ns[0]!.inputs["metadata"] as { labels: Record<string, string> }).labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
      const quota = of("kubernetes:core/v1:ResourceQuota")[0]!.inputs as { spec: { hard: Record<string, string> } };
      expect(quota.spec.hard).toEqual(quotaHard({ ...TEAM_QUOTA_DEFAULTS, ...team }));
      expect(of("kubernetes:networking.k8s.io/v1:NetworkPolicy").map(metadataName)).toContain("default-deny");
      expect(of("kubernetes:networking.k8s.io/v1:NetworkPolicy").some((r) => metadataName(r) === "allow-redis")).toBe(team.allowRedis);
      expect(of("kubernetes:core/v1:ServiceAccount").map(metadataName)).toEqual([team.serviceAccountName]);
      expect(of("aws:eks/accessEntry:AccessEntry").map((r) => r.inputs["principalArn"])).toEqual([...team.accessRoleArns, ...team.viewRoleArns]);
      const claims = of("kubernetes:core/v1:PersistentVolumeClaim");
      expect(claims.length).toBe(team.datasetGiB > 0 ? 1 : 0);
      for (const claim of claims) expect(claim.protect).toBe(env.protect);
    }
  });

  it("is schema-valid and clean at first deploy, and every priority class a pod names is declared", () => {
    const plan = plans.get(label)!;
    expect(plan.schemaErrors).toEqual([]);
    expect(plan.deployFindings).toEqual([]);
    const declared = new Set(plan.resources.filter((r) => r.type === "kubernetes:scheduling.k8s.io/v1:PriorityClass").map(metadataName));
    const named = [...JSON.stringify(plan.resources.map((r) => r.inputs)).matchAll(/"priorityClassName":"([^"]+)"/g)].map((m) => m[1]!);
    // system-* classes are built into Kubernetes (kubernetes.io, "Pod Priority and Preemption").
    for (const name of named.filter((n) => !n.startsWith("system-"))) expect(declared, name).toContain(name);
  });
});
