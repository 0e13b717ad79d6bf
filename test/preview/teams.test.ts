/**
 * Team namespaces in every config under test (stack files present and generated shapes): each team
 * of the stack's resolved config gets its namespace and objects as the config sizes them, its Pod
 * Identity role on exactly its data prefixes, and each reference workload its pod as configured
 * (high-memory placement, /dev/shm inside the memory limit, scratch, the team's prefix through
 * Mountpoint); the plan is schema-valid and the first deploy clean, and every priority class a pod
 * names is declared.
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

  it("gives every team with data prefixes a Pod Identity role for its service account that grants exactly those prefixes", () => {
    const env = environmentOf(c);
    const plan = plans.get(label)!;
    const associations = plan.resources.filter((r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation");
    for (const team of env.teams) {
      const mine = associations.filter((r) => r.inputs["namespace"] === team.name);
      expect(mine.length, team.name).toBe(team.dataAccess.length > 0 ? 1 : 0);
      if (team.dataAccess.length === 0) continue;
      expect(mine[0]!.inputs["serviceAccount"]).toBe(team.serviceAccountName);
      expect(String(mine[0]!.inputs["roleArn"])).toMatch(new RegExp(`:role/${team.workloadRoleName}$`));
      const policy = plan.resources.find((r) => r.type === "aws:iam/rolePolicy:RolePolicy" && r.name === `team-${team.name}-identity-data`)!;
      const doc = JSON.parse(String(policy.inputs["policy"])) as { Statement: { Action: string | string[]; Resource: string | string[] }[] };
      const objectArns = (actions: string) =>
        doc.Statement.filter((st) => ([] as string[]).concat(st.Action).includes(actions)).flatMap((st) => ([] as string[]).concat(st.Resource));
      expect(
        objectArns("s3:GetObject")
          .map((arn) => arn.split(":::")[1]!.replace(/^[^/]+\//, ""))
          .sort(),
      ).toEqual(team.dataAccess.map((d) => `${d.prefix}*`).sort());
      expect(
        objectArns("s3:PutObject")
          .map((arn) => arn.split(":::")[1]!.replace(/^[^/]+\//, ""))
          .sort(),
      ).toEqual(
        team.dataAccess
          .filter((d) => d.access === "read-write")
          .map((d) => `${d.prefix}*`)
          .sort(),
      );
    }
  });

  it("runs each reference workload as configured: in its team's namespace and identity, on the high-memory pools, /dev/shm inside the limit, scratch, the prefix read-only at /data", () => {
    const env = environmentOf(c);
    const plan = plans.get(label)!;
    for (const w of env.referenceWorkloads) {
      const team = env.teams.find((t) => t.name === w.team)!;
      const workload = plan.resources.find(
        (r) =>
          r.type === (w.kind === "Job" ? "kubernetes:batch/v1:Job" : "kubernetes:apps/v1:StatefulSet") &&
          r.name === `${w.team}-${w.name}-${w.kind === "Job" ? "job" : "sts"}`,
      )!;
      expect(workload, w.name).toBeDefined();
      type Pod = {
        serviceAccountName: string;
        tolerations: { key: string; value: string; effect: string }[];
        containers: { resources: { limits: Record<string, string> }; volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[];
        volumes: { name: string; emptyDir?: { medium?: string; sizeLimit?: string }; persistentVolumeClaim?: { claimName: string } }[];
      };
      const spec = workload.inputs["spec"] as { replicas?: number; completions?: number; template: { spec: Pod } };
      expect((workload.inputs["metadata"] as { namespace: string }).namespace).toBe(w.team);
      expect(spec.replicas ?? spec.completions).toBe(w.replicas);
      const pod = spec.template.spec;
      expect(pod.serviceAccountName).toBe(team.serviceAccountName);
      expect((pod as { priorityClassName?: string }).priorityClassName).toBe("team-workload");
      expect(pod.tolerations).toContainEqual(expect.objectContaining({ key: "workload-type", value: "high-memory", effect: "NoSchedule" }));
      const limits = pod.containers[0]!.resources.limits;
      expect(limits["memory"]).toBe(`${w.memoryGiB}Gi`);
      const mountOf = (path: string) => pod.volumes.find((v) => v.name === pod.containers[0]!.volumeMounts.find((m) => m.mountPath === path)?.name);
      const shm = mountOf("/dev/shm")!;
      expect(shm.emptyDir?.medium).toBe("Memory");
      expect(Number(/^(\d+)Gi$/.exec(shm.emptyDir!.sizeLimit!)![1])).toBeLessThan(w.memoryGiB);
      if (w.scratchGiB > 0) expect(mountOf("/scratch")!.emptyDir?.sizeLimit).toBe(`${w.scratchGiB}Gi`);
      expect(Number(/^(\d+)Gi$/.exec(limits["ephemeral-storage"] ?? "0Gi")![1])).toBeGreaterThanOrEqual(w.scratchGiB);
      const claimName = mountOf("/data")!.persistentVolumeClaim!.claimName;
      expect(pod.containers[0]!.volumeMounts.find((m) => m.mountPath === "/data")!.readOnly).toBe(true);
      const volume = plan.resources.find(
        (r) =>
          r.type === "kubernetes:core/v1:PersistentVolume" &&
          (r.inputs["spec"] as { claimRef: { name: string; namespace: string } }).claimRef.name === claimName,
      )!;
      const pv = volume.inputs["spec"] as {
        claimRef: { namespace: string };
        csi: { driver: string; volumeAttributes: Record<string, string> };
        mountOptions: string[];
      };
      expect(pv.claimRef.namespace).toBe(w.team);
      expect(pv.csi.driver).toBe("s3.csi.aws.com");
      expect(pv.csi.volumeAttributes["bucketName"]).toBe(plan.outputs["dataBucket"]);
      expect(pv.csi.volumeAttributes["authenticationSource"]).toBe("pod");
      expect(pv.mountOptions).toEqual(expect.arrayContaining([`prefix ${w.prefix}`, "read-only"]));
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
