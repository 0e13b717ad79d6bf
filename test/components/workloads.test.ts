import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { describe, expect, it } from "vitest";
import { WorkloadIdentity, type WorkloadIdentityArgs } from "../../components/workloads/workload-identity";
import { S3PrefixVolume, s3PrefixVolumeSpecs, type S3PrefixVolumeOptions } from "../../components/workloads/s3-volume";
import { normalisePrefix, prefixProblem } from "../../components/workloads/data-access";
import { validateKubernetesObjects } from "../../tools/preview/kubernetes-schemas";
import type { PlanResource } from "../../tools/preview/plan";
import { testMocks } from "../setup";
import { settled as settle } from "../support/pulumi";
import { planResource } from "../support/plan-resources";

const BUCKET = "arn:aws:s3:::hm-dev-data-us-west-2";
const KEY = "arn:aws:kms:us-west-2:123456789012:key/11111111-1111-1111-1111-111111111111";
const identityArgs: WorkloadIdentityArgs = {
  roleName: "hm-dev-genomics",
  clusterName: "hm-dev",
  clusterArn: "arn:aws:eks:us-west-2:123456789012:cluster/hm-dev",
  accountId: "123456789012",
  namespace: "genomics",
  serviceAccount: "pipeline",
  bucketArn: pulumi.output(BUCKET),
  bucketKeyArn: pulumi.output(KEY),
  bucketRegion: "us-west-2",
  grants: [{ prefix: "teams/genomics" }, { prefix: "teams/genomics-results/", access: "read-write" }],
};
const of = (type: string) => testMocks.registrations.filter((r) => r.type === type);

describe("WorkloadIdentity", () => {
  it("declares a role, its data policy and the Pod Identity association of namespace/service account", async () => {
    new WorkloadIdentity("genomics", identityArgs);
    await settle();
    const [role] = of("aws:iam/role:Role");
    expect(role!.inputs["name"]).toBe("hm-dev-genomics");
    const [association] = of("aws:eks/podIdentityAssociation:PodIdentityAssociation");
    expect(association!.inputs).toMatchObject({ clusterName: "hm-dev", namespace: "genomics", serviceAccount: "pipeline" });
    expect(String(association!.inputs["roleArn"])).toContain("hm-dev-genomics");
    const policy = JSON.parse(of("aws:iam/rolePolicy:RolePolicy")[0]!.inputs["policy"] as string) as { Statement: { Sid: string; Resource: unknown }[] };
    const resources = Object.fromEntries(policy.Statement.map((s) => [s.Sid, s.Resource]));
    // The prefix given without "/" is granted with it, so "teams/genomics" never covers "teams/genomics-results".
    expect(resources["ReadOwnPrefixes"]).toEqual([`${BUCKET}/teams/genomics/*`, `${BUCKET}/teams/genomics-results/*`]);
    expect(resources["WriteOwnPrefixes"]).toEqual([`${BUCKET}/teams/genomics-results/*`]);
    expect(resources["DecryptThroughS3"]).toBe(KEY);
  });

  it("grants no write and no GenerateDataKey when every grant is read", async () => {
    new WorkloadIdentity("reader", { ...identityArgs, roleName: "reader", grants: [{ prefix: "shared/reference/" }] });
    await settle();
    const text = of("aws:iam/rolePolicy:RolePolicy")[0]!.inputs["policy"] as string;
    expect(text).not.toMatch(/PutObject|DeleteObject|GenerateDataKey/);
  });

  it.each([
    [{ roleName: "Bad_Role" }, /argument "roleName" is "Bad_Role"/],
    [{ roleName: `r${"x".repeat(64)}` }, /argument "roleName"/],
    [{ serviceAccount: "Pipeline" }, /argument "serviceAccount" is "Pipeline"/],
    [{ namespace: "team_a" }, /argument "namespace" is "team_a"/],
    [{ bucketRegion: "uswest2" }, /argument "bucketRegion" is "uswest2"/],
    [{ grants: [] }, /argument "grants" is \[\]; must name at least one prefix/],
    [{ grants: [{ prefix: "/teams/a/" }] }, /argument "grants.prefix" is "\/teams\/a\/"; must not start with '\/'/],
    [{ grants: [{ prefix: "teams/*" }] }, /argument "grants.prefix" is "teams\/\*"; may hold only/],
    [{ grants: [{ prefix: "" }] }, /argument "grants.prefix" is ""; must not be empty/],
    [{ grants: [{ prefix: "teams/${aws:username}/" }] }, /argument "grants.prefix"/],
    [{ grants: [{ prefix: "teams/../b/" }] }, /must not contain '.' or '..' segments/],
    [{ grants: [{ prefix: "a", access: "write" as "read" }] }, /argument "grants.access" is "write"; must be one of read, read-write/],
    [{ grants: [{ prefix: "a/" }, { prefix: "a", access: "read-write" as const }] }, /names prefix "a\/" more than once/],
  ])("refuses %o before declaring anything", async (override, message) => {
    const before = testMocks.registrations.length;
    expect(() => new WorkloadIdentity("bad", { ...identityArgs, ...override })).toThrow(message);
    await settle();
    expect(testMocks.registrations.length).toBe(before);
  });

  it("normalises prefixes to one trailing slash and accepts S3's safe key characters", () => {
    expect(normalisePrefix("a/b")).toBe("a/b/");
    expect(normalisePrefix("a/b/")).toBe("a/b/");
    expect(prefixProblem("Team_A/run-1.(v2)/x'y!")).toBeUndefined();
  });
});

/** The CSI source of a rendered volume, as the plain JSON the provider sends. */
const csiOf = (o: S3PrefixVolumeOptions) =>
  (JSON.parse(JSON.stringify(s3PrefixVolumeSpecs(o).persistentVolume.spec)) as { csi: { volumeHandle: string; volumeAttributes: Record<string, string> } }).csi;

const volume: S3PrefixVolumeOptions = {
  name: "reference",
  namespace: "genomics",
  bucketName: "hm-dev-data-us-west-2",
  region: "us-west-2",
  prefix: "teams/genomics",
};

describe("s3PrefixVolumeSpecs", () => {
  it("defaults to a read-only mount of the prefix with the pod's own credentials, a non-root owner and a disk cache", () => {
    const s = s3PrefixVolumeSpecs(volume);
    const pv = s.persistentVolume.spec;
    expect(s.volumeName).toBe("genomics-reference");
    expect(pv.accessModes).toEqual(["ReadOnlyMany"]);
    expect(pv.storageClassName).toBe("");
    expect(pv.claimRef).toEqual({ namespace: "genomics", name: "reference" });
    expect(pv.mountOptions).toEqual(["prefix teams/genomics/", "region us-west-2", "allow-other", "uid 1000", "gid 1000", "read-only"]);
    expect(pv.csi).toMatchObject({
      driver: "s3.csi.aws.com",
      volumeHandle: "s3-genomics-reference",
      volumeAttributes: { bucketName: "hm-dev-data-us-west-2", authenticationSource: "pod", cache: "emptyDir", cacheEmptyDirSizeLimit: "20Gi" },
    });
    expect(s.persistentVolumeClaim.metadata).toMatchObject({ name: "reference", namespace: "genomics" });
    expect(s.persistentVolumeClaim.spec).toMatchObject({ accessModes: ["ReadOnlyMany"], storageClassName: "", volumeName: "genomics-reference" });
  });

  it("mounts read-write with delete and overwrite, for another owner, without cache when asked", () => {
    const s = s3PrefixVolumeSpecs({ ...volume, readOnly: false, uid: 2000, gid: 3000, cacheGiB: 0 });
    expect(s.persistentVolume.spec.accessModes).toEqual(["ReadWriteMany"]);
    expect(s.persistentVolume.spec.mountOptions).toEqual([
      "prefix teams/genomics/",
      "region us-west-2",
      "allow-other",
      "uid 2000",
      "gid 3000",
      "allow-delete",
      "allow-overwrite",
    ]);
    expect(csiOf({ ...volume, readOnly: false, uid: 2000, gid: 3000, cacheGiB: 0 }).volumeAttributes).toEqual({
      bucketName: "hm-dev-data-us-west-2",
      authenticationSource: "pod",
    });
  });

  it("gives volumes of different claims or namespaces different names and handles", () => {
    const handles = [volume, { ...volume, name: "results" }, { ...volume, namespace: "finance" }].map((o) => csiOf(o).volumeHandle);
    expect(new Set(handles).size).toBe(3);
  });

  it.each([{}, { readOnly: false, cacheGiB: 0 }])("renders objects valid against the Kubernetes schemas (%o)", async (override) => {
    const s = s3PrefixVolumeSpecs({ ...volume, ...override });
    const plan = (type: string, kind: string, body: object): PlanResource => planResource(type, { apiVersion: "v1", kind, ...body }, kind);
    const result = await validateKubernetesObjects([
      plan("kubernetes:core/v1:PersistentVolume", "PersistentVolume", s.persistentVolume),
      plan("kubernetes:core/v1:PersistentVolumeClaim", "PersistentVolumeClaim", s.persistentVolumeClaim),
    ]);
    expect(result).toEqual({ errors: [], validated: 2 });
  });

  it.each([
    [{ prefix: "/teams/a" }, /argument "prefix" is "\/teams\/a"/],
    [{ prefix: "teams/*/x" }, /argument "prefix"/],
    [{ uid: 0 }, /argument "uid" is 0; must be a non-root id/],
    [{ gid: 1.5 }, /argument "gid" is 1.5/],
    [{ cacheGiB: -1 }, /argument "cacheGiB" is -1/],
    [{ name: "Reference" }, /argument "name" is "Reference"/],
    [{ namespace: "a.b" }, /argument "namespace" is "a.b"/],
    [{ region: "west" }, /argument "region" is "west"/],
  ])("refuses %o", (override, message) => expect(() => s3PrefixVolumeSpecs({ ...volume, ...override })).toThrow(message));
});

describe("S3PrefixVolume", () => {
  const provider = new Provider("k8s-s3-volume-test", { kubeconfig: "{}" });
  it("declares the volume and the claim bound to it, with the cluster's provider", async () => {
    new S3PrefixVolume("reference", { ...volume, provider });
    await settle();
    const [pv] = of("kubernetes:core/v1:PersistentVolume");
    const [pvc] = of("kubernetes:core/v1:PersistentVolumeClaim");
    expect(pv!.inputs).toMatchObject({ metadata: { name: "genomics-reference" }, spec: { csi: { driver: "s3.csi.aws.com" } } });
    expect(pvc!.inputs).toMatchObject({ metadata: { name: "reference", namespace: "genomics" }, spec: { volumeName: "genomics-reference" } });
    expect(pv!.provider).toContain("k8s-s3-volume-test");
    expect(pvc!.provider).toContain("k8s-s3-volume-test");
  });

  it("refuses bad options before declaring anything, naming the component", async () => {
    const before = testMocks.registrations.length;
    expect(() => new S3PrefixVolume("bad", { ...volume, prefix: "", provider })).toThrow(/^S3PrefixVolume: argument "prefix" is ""/);
    await settle();
    expect(testMocks.registrations.length).toBe(before);
  });
});
