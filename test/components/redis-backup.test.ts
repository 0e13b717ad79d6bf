/** The RedisBackup component: its arguments, its CronJob's pod, and the schedule check the config key shares. */
import { Provider } from "@pulumi/kubernetes/provider";
import { describe, expect, it } from "vitest";
import { cronProblem, RedisBackup, type RedisBackupArgs } from "../../components/redis/backup";
import { BACKUP_DUMP_SCRIPT, BACKUP_UPLOAD_SCRIPT, redisBackupPrefix } from "../../components/redis/backup-script";
import { RESTORE_SCRIPT } from "../../components/redis/restore-script";
import { loadEnvironment } from "../../stacks/config/load";
import { testMocks } from "../setup";
import { settled as settle } from "../support/pulumi";

const provider = new Provider("k8s-redis-backup-test", { kubeconfig: "{}" });
const args = (name: string, extra: Partial<RedisBackupArgs> = {}): RedisBackupArgs => ({
  provider,
  namespace: "data",
  clusterName: name,
  seed: "redis.data.svc.cluster.local:6379",
  passwordSecretName: "redis-auth",
  clientLabel: "redis-client",
  schedule: "0 */6 * * *",
  keep: 4,
  scratchGiB: 60,
  placement: {
    nodeSelector: { "karpenter.sh/nodepool": "general" },
    tolerations: [{ key: "dedicated", operator: "Equal", value: "general", effect: "NoSchedule" }],
  },
  identity: {
    roleName: `hm-test-${name}-backup`,
    clusterName: "hm-test",
    clusterArn: "arn:aws:eks:us-west-2:123456789012:cluster/hm-test",
    accountId: "123456789012",
    bucketName: "hm-test-data-us-west-2",
    bucketArn: "arn:aws:s3:::hm-test-data-us-west-2",
    bucketKeyArn: "arn:aws:kms:us-west-2:123456789012:key/1",
    bucketRegion: "us-west-2",
  },
  ...extra,
});

describe("cronProblem", () => {
  it.each(["0 3 * * *", "*/15 * * * *", "0 0,12 1-7 * 0", "30 2 * 1-12/3 1-5", "0 */6 * * *"])("accepts %s", (s) => expect(cronProblem(s)).toBeUndefined());
  it.each([
    ["@daily", /five fields/],
    ["0 3 * *", /five fields/],
    ["60 3 * * *", /within 0-59/],
    ["0 24 * * *", /within 0-23/],
    ["0 3 0 * *", /within 1-31/],
    ["0 3 * 13 *", /within 1-12/],
    ["0 3 * * mon", /numbers, ranges/],
    ["0 3 * * 7", /within 0-6/],
    ["*/0 * * * *", /step of 0/],
  ])("refuses %s", (s, expected) => expect(cronProblem(s)).toMatch(expected));
});

describe("RedisBackup", () => {
  it.each([
    [{ schedule: "every night" }, /argument "schedule" is "every night"; must have five fields/],
    [{ keep: 0 }, /argument "keep" is 0; must be a whole number from 1 to 1000/],
    [{ scratchGiB: 0.5 }, /argument "scratchGiB" is 0.5/],
    [{ seed: "redis" }, /argument "seed" is "redis"; must be host:port/],
  ])("refuses %j before declaring anything", async (extra, expected) => {
    const before = testMocks.registrations.length;
    expect(() => new RedisBackup("bad", args("bad", extra))).toThrow(expected);
    await settle();
    expect(testMocks.registrations.length).toBe(before);
  });

  it("declares a CronJob on the given pool whose pod reaches Redis as a client, holds its scratch, and uploads under snapshots/redis/<cluster>/", async () => {
    new RedisBackup("rb", args("cache"));
    await settle();
    const cron = testMocks.registrations.find((r) => r.type === "kubernetes:batch/v1:CronJob" && r.name === "rb")!;
    expect(cron.inputs).toMatchObject({
      metadata: { name: "cache-backup", namespace: "data" },
      spec: { schedule: "0 */6 * * *", concurrencyPolicy: "Forbid" },
    });
    const spec = (cron.inputs as { spec: { jobTemplate: { spec: { template: { metadata: { labels: Record<string, string> }; spec: PodSpec } } } } }).spec
      .jobTemplate.spec.template;
    expect(spec.metadata.labels["redis-client"]).toBe("true");
    expect(spec.spec.serviceAccountName).toBe("cache-backup");
    expect(spec.spec.nodeSelector).toEqual({ "karpenter.sh/nodepool": "general" });
    expect(spec.spec.tolerations).toEqual([{ key: "dedicated", operator: "Equal", value: "general", effect: "NoSchedule" }]);
    const [dump] = spec.spec.initContainers;
    const [upload] = spec.spec.containers;
    for (const c of [dump!, upload!]) {
      expect(c.resources.requests.cpu).toBe(c.resources.limits.cpu);
      expect(c.resources.requests.memory).toBe(c.resources.limits.memory);
      expect(c.securityContext).toMatchObject({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    }
    expect(dump!.resources.requests["ephemeral-storage"]).toBe("60Gi");
    expect(spec.spec.volumes.find((v) => v.name === "backup")).toEqual({ name: "backup", emptyDir: { sizeLimit: "60Gi" } });
    expect(Object.fromEntries(upload!.env.map((e) => [e.name, e.value]))).toMatchObject({
      PREFIX: "snapshots/redis/cache/",
      KEEP: "4",
      BUCKET: "hm-test-data-us-west-2",
    });
    const scripts = testMocks.registrations.find((r) => r.type === "kubernetes:core/v1:ConfigMap" && r.name === "rb-scripts")!;
    expect(scripts.inputs["data"]).toEqual({ "dump.sh": BACKUP_DUMP_SCRIPT, "upload.sh": BACKUP_UPLOAD_SCRIPT, "restore.sh": RESTORE_SCRIPT });
    const association = testMocks.registrations.find((r) => r.type === "aws:eks/podIdentityAssociation:PodIdentityAssociation" && r.name === "rb-identity")!;
    expect(association.inputs).toMatchObject({ namespace: "data", serviceAccount: "cache-backup" });
  });

  it("puts backups under the bucket's snapshot prefix, with or without its trailing slash", () => {
    expect(redisBackupPrefix("snapshots/", "redis")).toBe("snapshots/redis/redis/");
    expect(redisBackupPrefix("snapshots", "redis")).toBe("snapshots/redis/redis/");
  });
});

interface Container {
  name: string;
  env: { name: string; value?: string }[];
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: object;
}
interface PodSpec {
  serviceAccountName: string;
  nodeSelector: Record<string, string>;
  tolerations: object[];
  initContainers: Container[];
  containers: Container[];
  volumes: { name: string }[];
}

describe("redisBackupSchedule and redisBackupsKept config keys", () => {
  const raw = (extra: Record<string, string>) => ({
    "aws:region": "us-west-2",
    "highmem-platform:tier": "staging",
    "highmem-platform:clusterPrivateAccessCidrs": '["10.0.240.0/24"]',
    ...extra,
  });
  it("take a valid schedule and count as given", () => {
    const env = loadEnvironment(raw({ "highmem-platform:redisBackupSchedule": "15 1 * * 1-5", "highmem-platform:redisBackupsKept": "9" }), "staging");
    expect(env.redis).toMatchObject({ backupSchedule: "15 1 * * 1-5", backupsKept: 9 });
  });
  it.each(["0 3 * * 7", "@daily", "0 3 * *"])("refuse the schedule %s, naming the key", (schedule) => {
    expect(() => loadEnvironment(raw({ "highmem-platform:redisBackupSchedule": schedule }), "staging")).toThrow(/redisBackupSchedule/);
  });
});
