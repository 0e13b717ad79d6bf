/** TeamNamespace and PriorityClasses: the objects a team gets, and arguments refused before anything is declared. */
import { Provider } from "@pulumi/kubernetes/provider";
import { describe, expect, it } from "vitest";
import { TeamNamespace, type TeamNamespaceArgs } from "../../components/workloads/team-namespace";
import { PRIORITY_CLASSES, PriorityClasses } from "../../components/workloads/priority-classes";
import { limitRangeLimits, networkPolicySpecs, PRIVATE_RANGES, quotaHard, TEAM_QUOTA_DEFAULTS } from "../../components/workloads/team-policies";
import { testMocks } from "../setup";
import { settled as settle } from "../support/pulumi";

const provider = new Provider("k8s-team-test", { kubeconfig: "{}" });
const EDITOR = "arn:aws:iam::123456789012:role/analysts";
const VIEWER = "arn:aws:iam::123456789012:role/auditors";
const base: TeamNamespaceArgs = {
  provider,
  clusterName: "hm-test",
  partition: "aws",
  kubernetesVersion: "1.34",
  namespace: "analytics",
  quota: { memoryGiB: 1024, cpu: 128, storageGiB: 2048 },
};
const IDENTITY = {
  roleName: "hm-test-analytics-workloads",
  clusterArn: "arn:aws:eks:us-west-2:123456789012:cluster/hm-test",
  accountId: "123456789012",
  bucketArn: "arn:aws:s3:::hm-test-data",
  bucketKeyArn: "arn:aws:kms:us-west-2:123456789012:key/abc",
  bucketRegion: "us-west-2",
};
const registered = (component: string) => testMocks.registrations.filter((r) => r.name.startsWith(component));

describe("TeamNamespace objects", () => {
  it("declares a restricted namespace (enforce pinned to the cluster minor), quota, limits, policies, service account, access entries and the dataset claim", async () => {
    new TeamNamespace("t1", {
      ...base,
      editorRoleArns: [EDITOR],
      viewerRoleArns: [VIEWER],
      datasetGiB: 1024,
      redis: { namespace: "data", podLabels: { app: "redis" }, port: 6379 },
      protect: true,
    });
    await settle();
    const of = (type: string) => registered("t1").filter((r) => r.type === type);
    const ns = of("kubernetes:core/v1:Namespace")[0]!.inputs as { metadata: { labels: Record<string, string> } };
    expect(ns.metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
      "pod-security.kubernetes.io/enforce-version": "v1.34",
      "pod-security.kubernetes.io/audit": "restricted",
      "pod-security.kubernetes.io/warn": "restricted",
    });
    const hard = (of("kubernetes:core/v1:ResourceQuota")[0]!.inputs as { spec: { hard: Record<string, string> } }).spec.hard;
    expect(hard).toMatchObject({
      "requests.memory": "1024Gi",
      "limits.memory": "1024Gi",
      "requests.storage": "2048Gi",
      "services.loadbalancers": "0",
      "hugepages-2Mi": "0Gi",
    });
    const policies = of("kubernetes:networking.k8s.io/v1:NetworkPolicy").map((r) => (r.inputs as { metadata: { name: string } }).metadata.name);
    expect(policies.sort()).toEqual(
      ["allow-dns", "allow-pod-identity-agent", "allow-prometheus-scrape", "allow-redis", "allow-s3-https", "allow-same-namespace", "default-deny"].sort(),
    );
    expect(of("kubernetes:core/v1:ServiceAccount")[0]!.inputs).toMatchObject({
      metadata: { name: "workloads", namespace: "analytics" },
      automountServiceAccountToken: false,
    });
    const associations = of("aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map((r) => r.inputs);
    expect(associations).toEqual([
      expect.objectContaining({
        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSEditPolicy",
        accessScope: { type: "namespace", namespaces: ["analytics"] },
      }),
      expect.objectContaining({
        policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSViewPolicy",
        accessScope: { type: "namespace", namespaces: ["analytics"] },
      }),
    ]);
    expect(of("aws:eks/accessEntry:AccessEntry").map((r) => r.inputs["principalArn"])).toEqual([EDITOR, VIEWER]);
    const claim = of("kubernetes:core/v1:PersistentVolumeClaim");
    expect(claim).toHaveLength(1);
    expect(claim[0]!.inputs).toMatchObject({
      metadata: { name: "dataset" },
      spec: { storageClassName: "gp3-high-iops", resources: { requests: { storage: "1024Gi" } } },
    });
  });

  it("declares no Redis or S3 egress, no access entry and no claim when not asked", async () => {
    new TeamNamespace("t2", { ...base, s3Egress: false });
    await settle();
    const types = registered("t2").map((r) => r.type);
    expect(types).not.toContain("aws:eks/accessEntry:AccessEntry");
    expect(types).not.toContain("kubernetes:core/v1:PersistentVolumeClaim");
    const names = registered("t2").map((r) => r.name);
    expect(names).not.toContain("t2-allow-redis");
    expect(names).not.toContain("t2-allow-s3-https");
  });
});

describe("team policies (any team size)", () => {
  it.each([
    [64, 8, 100],
    [12288, 1536, 16384],
  ])("limits memory = requests memory, and lets one container use the whole quota (%i GiB, %i vCPU)", (memoryGiB, cpu, storageGiB) => {
    const q = { ...TEAM_QUOTA_DEFAULTS, memoryGiB, cpu, storageGiB };
    const hard = quotaHard(q);
    expect(hard["limits.memory"]).toBe(hard["requests.memory"]);
    const container = limitRangeLimits(q).find((l) => l.type === "Container")!;
    expect(container.max).toEqual({ cpu: String(cpu), memory: `${memoryGiB}Gi` });
    // Containers that set nothing get memory requests = limits (never overcommitted).
    expect((container.default as Record<string, string>)["memory"]).toBe((container.defaultRequest as Record<string, string>)["memory"]);
  });

  it("denies everything by default, and no opt-in opens ingress from outside the namespace but Prometheus's", () => {
    const specs = networkPolicySpecs({
      dnsNamespace: "kube-system",
      monitoringNamespace: "monitoring",
      s3: true,
      redis: { namespace: "data", podLabels: { a: "b" }, port: 6379 },
    });
    expect(specs["default-deny"]).toEqual({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    const ingressFrom = Object.values(specs)
      .flatMap((s) => (s.ingress ?? []) as { from?: unknown[] }[])
      .flatMap((r) => r.from ?? []);
    expect(ingressFrom).toEqual([{ podSelector: {} }, { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } } }]);
    // The S3 rule opens HTTPS only, and nothing private or link-local.
    const s3 = (specs["allow-s3-https"]!.egress as { to: { ipBlock: { except: string[] } }[]; ports: unknown[] }[])[0]!;
    expect(s3.ports).toEqual([{ protocol: "TCP", port: 443 }]);
    expect(s3.to[0]!.ipBlock.except).toEqual([...PRIVATE_RANGES]);
  });
});

describe("TeamNamespace identity", () => {
  it("gives a team with data prefixes a WorkloadIdentity for its namespace and service account, after the ServiceAccount", async () => {
    new TeamNamespace("t-id", { ...base, serviceAccountName: "jobs", dataAccess: [{ prefix: "analytics/", access: "read-write" }], identity: IDENTITY });
    await settle();
    const association = registered("t-id").find((r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation")!;
    expect(association.inputs).toMatchObject({ clusterName: "hm-test", namespace: "analytics", serviceAccount: "jobs" });
    const role = registered("t-id").find((r) => r.type === "aws:iam/role:Role")!;
    expect(role.inputs["name"]).toBe(IDENTITY.roleName);
  });

  it("gives a team without data prefixes no AWS identity", async () => {
    new TeamNamespace("t-noid", { ...base, identity: IDENTITY });
    await settle();
    expect(registered("t-noid").filter((r) => r.type.startsWith("aws:iam/") || r.type.startsWith("aws:eks/podIdentity"))).toEqual([]);
  });
});

describe("TeamNamespace arguments", () => {
  it.each([
    [{ namespace: "Analytics" }, /argument "namespace" is "Analytics"; must be a DNS label/],
    [{ namespace: "kube-system" }, /argument "namespace" is "kube-system"; must not be one of the platform's/],
    [{ kubernetesVersion: "1.34.2" }, /argument "kubernetesVersion" is "1.34.2"; must be a Kubernetes minor/],
    [{ quota: { memoryGiB: 0, cpu: 1, storageGiB: 1 } }, /argument "quota.memoryGiB" is 0; must be a whole number above 0/],
    [{ quota: { memoryGiB: 8, cpu: 1, storageGiB: 1, hugePagesGiB: 9 } }, /argument "quota.hugePagesGiB" is 9; must be at most quota.memoryGiB \(8\)/],
    [{ editorRoleArns: ["arn:aws:iam::123456789012:user/bob"] }, /argument "editorRoleArns\/viewerRoleArns" is ".*user\/bob"; must be IAM role ARNs/],
    [{ editorRoleArns: [EDITOR], viewerRoleArns: [EDITOR] }, /is \[".*analysts"\]; must name each role once: a principal can be in one access entry only/],
    [{ editorRoleArns: [EDITOR], reservedRoleArns: [EDITOR] }, /must not be a role that already has an access entry/],
    [{ dataAccess: [{ prefix: "analytics", access: "read" as const }], identity: IDENTITY }, /argument "dataAccess.prefix" is "analytics"; must end with "\/"/],
    [{ dataAccess: [{ prefix: "analytics/", access: "read" as const }] }, /argument "identity" is undefined; must be given when dataAccess names prefixes/],
    [{ datasetGiB: 4096 }, /argument "datasetGiB" is 4096; must fit the team's storage quota \(quota.storageGiB = 2048\)/],
    [{ serviceAccountName: "Work_loads" }, /argument "serviceAccountName" is "Work_loads"; must be a DNS label/],
  ])("refuses %o before declaring anything", async (override, message) => {
    const before = testMocks.registrations.length;
    expect(() => new TeamNamespace("bad", { ...base, ...override })).toThrow(message);
    await settle();
    expect(testMocks.registrations.length).toBe(before);
  });
});

describe("PriorityClasses", () => {
  it("declares the platform's three classes, none global default, the placeholder negative and never preempting", async () => {
    new PriorityClasses("pc", { provider });
    await settle();
    const classes = registered("pc-")
      .filter((r) => r.type === "kubernetes:scheduling.k8s.io/v1:PriorityClass")
      .map((r) => r.inputs);
    expect(classes).toHaveLength(3);
    expect(classes.every((c) => c["globalDefault"] === false)).toBe(true);
    expect(classes.find((c) => (c["metadata"] as { name: string }).name === PRIORITY_CLASSES.placeholder.name)).toMatchObject({ preemptionPolicy: "Never" });
    expect(PRIORITY_CLASSES.placeholder.value).toBeLessThan(0);
    expect(PRIORITY_CLASSES.service.value).toBeGreaterThan(PRIORITY_CLASSES.workload.value);
  });
});
