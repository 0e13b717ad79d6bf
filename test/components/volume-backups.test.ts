import { Provider } from "@pulumi/kubernetes/provider";
import { describe, expect, it } from "vitest";
import { backupKeyPolicy, copyRetentionDays, VolumeBackups, type VolumeBackupsArgs } from "../../components/storage/volume-backups";
import { EKS_ADDONS } from "../../components/cluster/addons";
import { KUBERNETES_RELEASES } from "../../components/versions";
import { addonPods, MODELLED_ADDONS, addonCrdGroups } from "../../tools/preview/first-deploy/addon-pods";
import { volumeSnapshotClassProblems } from "../../tools/preview/snapshot-schemas";
import { TIER_DEFAULTS, TIERS } from "../../stacks/config/tiers";
import { testMocks } from "../setup";
import { settled as settle } from "../support/pulumi";
import { simulate } from "../iam/simulator";
import type { PlanResource } from "../../tools/preview/plan";

const provider = new Provider("k8s-backups-test", { kubeconfig: "{}" });
const base: VolumeBackupsArgs = {
  namePrefix: "hm-test",
  provider,
  region: "us-west-2",
  partition: "aws",
  accountId: "123456789012",
  volumeKeyArn: "arn:aws:kms:us-west-2:123456789012:key/11111111-1111-1111-1111-111111111111",
  targets: [
    { tagKey: "kubernetes.io/created-for/pvc/namespace", tagValue: "data" },
    { tagKey: "kubernetes.io/created-for/pvc/name", tagValue: "dataset" },
  ],
};
const ofComponent = (name: string) => testMocks.registrations.filter((r) => r.name.startsWith(`${name}-`));

describe("VolumeBackups arguments", () => {
  it.each([
    [{ scheduleHours: 5 }, /argument "scheduleHours" is 5; must be one of 1, 2, 3, 4, 6, 8, 12, 24/],
    [{ retentionCount: 0 }, /argument "retentionCount" is 0; must be a whole number from 1 to 1000/],
    [{ retentionCount: 1001 }, /argument "retentionCount" is 1001/],
    [{ targets: [] }, /argument "targets" is \[\]; must name at least one tag/],
    [{ targets: [{ tagKey: "a=b", tagValue: "x" }] }, /argument "targets" is .*; each needs a tag key without/],
    [{ copyRegions: ["us-east-1", "eu-west-1", "eu-central-1", "ap-south-1"] }, /argument "copyRegions" .*at most 3 Regions/],
    [{ copyRegions: ["us-west-2"] }, /argument "copyRegions" is "us-west-2"; is the volumes' own Region/],
    [{ copyRegions: ["us-east-1", "us-east-1"] }, /lists a Region more than once/],
  ])("refuses %o before declaring anything", async (override, message) => {
    const before = testMocks.registrations.length;
    expect(() => new VolumeBackups("bad", { ...base, ...override })).toThrow(message);
    await settle();
    expect(testMocks.registrations.length).toBe(before);
  });
});

describe("VolumeBackups shape", () => {
  it("without copy regions: a policy on the target tags, no copy keys, no copy alarm, snapshots deleted with their objects", async () => {
    new VolumeBackups("vb-local", { ...base, scheduleHours: 24, retentionCount: 3, tags: { stack: "dev" } });
    await settle();
    const rs = ofComponent("vb-local");
    const policy = rs.find((r) => r.type === "aws:dlm/lifecyclePolicy:LifecyclePolicy")!;
    expect(policy.inputs).toMatchObject({
      state: "ENABLED",
      policyDetails: {
        resourceTypes: ["VOLUME"],
        targetTags: { "kubernetes.io/created-for/pvc/namespace": "data", "kubernetes.io/created-for/pvc/name": "dataset" },
        schedules: [{ createRule: { interval: 24, intervalUnit: "HOURS" }, retainRule: { count: 3 }, copyTags: true }],
      },
    });
    const schedule = (policy.inputs["policyDetails"] as { schedules: Record<string, unknown>[] }).schedules[0]!;
    expect(schedule["crossRegionCopyRules"]).toBeUndefined();
    expect(rs.filter((r) => r.type === "aws:kms/key:Key")).toHaveLength(0);
    const alarms = rs.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm").map((r) => r.inputs["metricName"]);
    expect(alarms.sort()).toEqual(["SnapshotsCreateFailed", "SnapshotsDeleteFailed"]);
    const cls = rs.find((r) => r.type === "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass")!;
    expect(cls.inputs).toMatchObject({ driver: "ebs.csi.aws.com", deletionPolicy: "Delete", parameters: { tagSpecification_1: "stack=dev" } });
    expect(volumeSnapshotClassProblems(cls.inputs)).toEqual([]);
  });

  it("with copy regions: one encrypted copy rule per region under a key in that region, kept as long as the local snapshots cover; alarms on failed copies", async () => {
    new VolumeBackups("vb-prod", {
      ...base,
      scheduleHours: 6,
      retentionCount: 28,
      copyRegions: ["us-east-1", "eu-west-1"],
      retainSnapshots: true,
      protect: true,
      alarmActions: ["arn:aws:sns:us-west-2:123456789012:hm-test-alarms"],
    });
    await settle();
    const rs = ofComponent("vb-prod");
    const keys = rs.filter((r) => r.type === "aws:kms/key:Key");
    expect(keys.map((k) => k.inputs["region"]).sort()).toEqual(["eu-west-1", "us-east-1"]);
    expect(keys.every((k) => k.inputs["enableKeyRotation"] === true)).toBe(true);
    const policy = rs.find((r) => r.type === "aws:dlm/lifecyclePolicy:LifecyclePolicy")!;
    const rules = (policy.inputs["policyDetails"] as { schedules: { crossRegionCopyRules: Record<string, unknown>[] }[] }).schedules[0]!.crossRegionCopyRules;
    expect(rules.map((r) => r["target"])).toEqual(["us-east-1", "eu-west-1"]);
    for (const rule of rules) {
      expect(rule).toMatchObject({ encrypted: true, copyTags: true, retainRule: { interval: 7, intervalUnit: "DAYS" } });
      expect(String(rule["cmkArn"])).toMatch(/^arn:aws:kms:/);
    }
    const alarms = rs.filter((r) => r.type === "aws:cloudwatch/metricAlarm:MetricAlarm");
    expect(alarms.map((a) => a.inputs["metricName"])).toContain("SnapshotsCopiedRegionFailed");
    for (const a of alarms) {
      expect(a.inputs).toMatchObject({
        namespace: "AWS/EBS",
        threshold: 0,
        comparisonOperator: "GreaterThanThreshold",
        alarmActions: ["arn:aws:sns:us-west-2:123456789012:hm-test-alarms"],
      });
      expect(Object.keys(a.inputs["dimensions"] as object)).toEqual(["DLMPolicyId"]);
    }
    expect(rs.find((r) => r.type === "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass")!.inputs["deletionPolicy"]).toBe("Retain");
    const trust = JSON.parse(rs.find((r) => r.type === "aws:iam/role:Role")!.inputs["assumeRolePolicy"] as string);
    expect(trust.Statement[0].Principal).toEqual({ Service: "dlm.amazonaws.com" });
  });

  it("keeps copies for the days the local snapshots cover, at least one", () => {
    expect(copyRetentionDays(28, 6)).toBe(7);
    expect(copyRetentionDays(3, 24)).toBe(3);
    expect(copyRetentionDays(1, 1)).toBe(1);
    expect(copyRetentionDays(5, 8)).toBe(2);
  });
});

describe("per-tier snapshot settings", () => {
  it.each(TIERS)("tier %s: a DLM interval and a retention within DLM's limits", (tier) => {
    const { hours, retentionCount } = TIER_DEFAULTS[tier].volumeSnapshots;
    expect([1, 2, 3, 4, 6, 8, 12, 24]).toContain(hours);
    expect(retentionCount).toBeGreaterThanOrEqual(1);
    expect(retentionCount).toBeLessThanOrEqual(1000);
  });

  it("prod keeps at least as much history as staging, staging as dev (hours covered)", () => {
    const covered = (t: (typeof TIERS)[number]) => TIER_DEFAULTS[t].volumeSnapshots.hours * TIER_DEFAULTS[t].volumeSnapshots.retentionCount;
    expect(covered("prod")).toBeGreaterThanOrEqual(covered("staging"));
    expect(covered("staging")).toBeGreaterThanOrEqual(covered("dev"));
  });
});

describe("DLM role's key permissions, in the IAM simulator", () => {
  const VOLUME_KEY = "arn:aws:kms:us-west-2:123456789012:key/11111111-1111-1111-1111-111111111111";
  const COPY_KEY = "arn:aws:kms:us-east-1:123456789012:key/22222222-2222-2222-2222-222222222222";
  const OTHER_KEY = "arn:aws:kms:us-east-1:123456789012:key/33333333-3333-3333-3333-333333333333";
  const policy = backupKeyPolicy(VOLUME_KEY, [COPY_KEY]);
  // The keys keep KMS's default key policy (no policy argument): the account may grant their use through IAM.
  const defaultKeyPolicy = {
    Version: "2012-10-17",
    Statement: [{ Sid: "Enable IAM User Permissions", Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "kms:*", Resource: "*" }],
  };
  const run = (action: string, resource: string, context: Record<string, string> = {}) =>
    simulate(
      { action, resource, context, principal: "arn:aws:iam::123456789012:role/hm-test-volume-backups" },
      { identity: [policy], resource: defaultKeyPolicy },
    );

  it.each([
    ["decrypts with the volume key (reading the source snapshot)", "kms:Decrypt", VOLUME_KEY, {}, "Allowed"],
    ["makes data keys with a copy key (writing the copy)", "kms:GenerateDataKeyWithoutPlaintext", COPY_KEY, {}, "Allowed"],
    ["re-encrypts to a copy key", "kms:ReEncryptTo", COPY_KEY, {}, "Allowed"],
    ["grants a copy key to EBS", "kms:CreateGrant", COPY_KEY, { "kms:GrantIsForAWSResource": "true" }, "Allowed"],
    [
      "grants the volume key to a principal that is not an AWS service",
      "kms:CreateGrant",
      VOLUME_KEY,
      { "kms:GrantIsForAWSResource": "false" },
      "ImplicitlyDenied",
    ],
    ["uses another key", "kms:Decrypt", OTHER_KEY, {}, "ImplicitlyDenied"],
    ["schedules a key's deletion", "kms:ScheduleKeyDeletion", COPY_KEY, {}, "ImplicitlyDenied"],
    ["changes a key's policy", "kms:PutKeyPolicy", VOLUME_KEY, {}, "ImplicitlyDenied"],
  ] as const)("%s", async (_case, action, resource, context, decision) => {
    expect(await run(action, resource, context)).toBe(decision);
  });
});

describe("snapshot-controller add-on", () => {
  it("is pinned for every supported Kubernetes minor", () => {
    for (const [minor, release] of Object.entries(KUBERNETES_RELEASES))
      expect(release.addons["snapshot-controller"], minor).toMatch(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
  });

  it("waits for worker nodes (its controller tolerates no taint) and has a pod model that installs the snapshot CRDs", () => {
    expect(EKS_ADDONS.find((s) => s.name === "snapshot-controller")?.phase).toBe("afterWorkerNodes");
    expect(MODELLED_ADDONS).toContain("snapshot-controller");
    const addon = {
      urn: "urn:x",
      type: "aws:eks/addon:Addon",
      name: "c-snapshot-controller",
      inputs: { addonName: "snapshot-controller" },
    } as unknown as PlanResource;
    expect(addonCrdGroups(addon)).toEqual(["snapshot.storage.k8s.io"]);
    const pods = addonPods(addon);
    expect(pods).toHaveLength(1);
  });
});

describe("VolumeSnapshotClass schema (external-snapshotter v1 CRD)", () => {
  const valid = {
    apiVersion: "snapshot.storage.k8s.io/v1",
    kind: "VolumeSnapshotClass",
    metadata: { name: "x" },
    driver: "ebs.csi.aws.com",
    deletionPolicy: "Delete",
  };
  it("accepts a class with a driver and a deletion policy", () => expect(volumeSnapshotClassProblems(valid)).toEqual([]));
  it.each([
    [{ deletionPolicy: "Keep" }, "/deletionPolicy"],
    [{ driver: undefined }, "/driver"],
    [{ parameters: { a: 1 } }, "/parameters/a"],
    [{ reclaimPolicy: "Retain" }, "/reclaimPolicy"],
    [{ apiVersion: "snapshot.storage.k8s.io/v1beta1" }, "/apiVersion"],
  ])("refuses %o", (override, path) => {
    const data = Object.fromEntries(Object.entries({ ...valid, ...override }).filter(([, v]) => v !== undefined));
    expect(volumeSnapshotClassProblems(data).map((e) => e.instancePath)).toContain(path);
  });
});
