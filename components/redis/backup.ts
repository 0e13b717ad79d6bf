/**
 * Scheduled backups of a Redis Cluster's data to the data bucket: a CronJob in the cluster's namespace
 * whose pod dumps one RDB per master from a replica (init container, the Redis image) and uploads them
 * with a manifest of the slot ranges (the AWS CLI image), under
 * `<snapshotPrefix>redis/<cluster>/<yyyymmddThhmmssZ>/`, keeping the newest `keep` complete backups.
 * The bucket's snapshots/ lifecycle and its replication apply to those objects. The pod's AWS
 * identity is a WorkloadIdentity (EKS Pod Identity) with read-write on that prefix only and the
 * bucket key through S3 only. The scripts, and the restore script, are in a ConfigMap
 * (backup-script.ts, restore-script.ts).
 *
 * "Backup older than its schedule" is kube-state-metrics' kube_cronjob_status_last_successful_time
 * for `cronJobName` in `namespace`.
 */
import * as pulumi from "@pulumi/pulumi";
import { CronJob } from "@pulumi/kubernetes/batch/v1/cronJob";
import { ConfigMap } from "@pulumi/kubernetes/core/v1/configMap";
import { ServiceAccount } from "@pulumi/kubernetes/core/v1/serviceAccount";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { AWS_CLI_IMAGE } from "../versions";
import { requireThat, withDefaults } from "../lib/args";
import type { PoolPlacement } from "../karpenter/pool-presets";
import { WorkloadIdentity } from "../workloads/workload-identity";
import { BACKUP_DUMP_SCRIPT, BACKUP_UPLOAD_SCRIPT, redisBackupPrefix } from "./backup-script";
import { RESTORE_SCRIPT } from "./restore-script";
import { engineBinaries, type Engine } from "./engine";
import { parseCronSchedule } from "../lib/cron";

export interface RedisBackupArgs {
  readonly provider: KubernetesProvider;
  /** Namespace of the Redis Cluster (the CronJob, its account and ConfigMap go there). */
  readonly namespace: string;
  /** The cluster's Kubernetes name (RedisCluster's `serviceName`): names the S3 prefix and the objects. */
  readonly clusterName: string;
  /** One address of the cluster, host:port (RedisCluster's `endpoint`). */
  readonly seed: string;
  /** The cluster's password Secret (key "password"). */
  readonly passwordSecretName: string;
  /** Pod label (value "true") the cluster's NetworkPolicy admits clients by. */
  readonly clientLabel: string;
  /** Cron schedule (five fields, read in timeZone). */
  readonly schedule: string;
  /** Complete backups the prefix keeps (older ones are removed by each run). */
  readonly keep: number;
  /** Scratch disk of the pod (GiB): holds every shard's RDB at once before upload. */
  readonly scratchGiB: number;
  /** Where the pod runs (placementOn a general pool). */
  readonly placement: PoolPlacement;
  /** The AWS side: the role's name, the EKS cluster, the data bucket and its key. */
  readonly identity: {
    readonly roleName: string;
    readonly clusterName: pulumi.Input<string>;
    readonly clusterArn: pulumi.Input<string>;
    readonly accountId: pulumi.Input<string>;
    readonly bucketName: pulumi.Input<string>;
    readonly bucketArn: pulumi.Input<string>;
    readonly bucketKeyArn: pulumi.Input<string>;
    readonly bucketRegion: string;
  };
  /**
   * The data bucket's snapshot prefix (its lifecycle rule's).
   * @default "snapshots/"
   */
  readonly snapshotPrefix?: string;
  /**
   * The cluster's engine: its image, and the names of its CLI and RDB checker, which the dump script
   * runs (engine.ts).
   * @default "valkey"
   */
  readonly engine?: Engine;
  /**
   * AWS CLI v2 image (2.15.0 or later reads Pod Identity credentials).
   * @default AWS_CLI_IMAGE
   */
  readonly awsCliImage?: string;
  /**
   * IANA time zone of the schedule.
   * @default "Etc/UTC"
   */
  readonly timeZone?: string;
  /**
   * Tags of the role and the Pod Identity association.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const REDIS_BACKUP_DEFAULTS = {
  snapshotPrefix: "snapshots/",
  engine: "valkey" as Engine,
  awsCliImage: AWS_CLI_IMAGE,
  timeZone: "Etc/UTC",
  tags: {},
} satisfies Partial<RedisBackupArgs>;

const COMPONENT = "RedisBackup";
/**
 * Why a schedule is not a five-field numeric cron expression (minute hour day-of-month month
 * day-of-week) that Kubernetes accepts, or undefined (the rules: ../lib/cron.ts).
 */
export function cronProblem(schedule: string): string | undefined {
  const parsed = parseCronSchedule(schedule, { numericOnly: true });
  return typeof parsed === "string" ? parsed : undefined;
}

/** The backup pod's user: the Redis image's redis user and group (uid 999, gid 1000), which the AWS CLI image runs as too. */
const RUN_AS = { runAsUser: 999, runAsGroup: 1000 };
const RESTRICTED = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } };
/** Requests equal limits (a backup must not be throttled into missing its window, nor OOM-killed by a neighbour's burst). */
const quantity = (cpu: string, memory: string) => ({ requests: { cpu, memory }, limits: { cpu, memory } });

export class RedisBackup extends pulumi.ComponentResource {
  /** The CronJob's name and namespace (kube_cronjob_status_last_successful_time{namespace, cronjob}). */
  readonly cronJobName: string;
  readonly namespace: string;
  /** Key prefix of the backups in the data bucket, ending with "/". */
  readonly prefix: string;
  readonly roleArn: pulumi.Output<string>;
  readonly cronJob: CronJob;

  constructor(name: string, args: RedisBackupArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(REDIS_BACKUP_DEFAULTS, args);
    const schedule = cronProblem(a.schedule);
    requireThat(schedule === undefined, COMPONENT, "schedule", a.schedule, schedule ?? "");
    requireThat(Number.isInteger(a.keep) && a.keep >= 1 && a.keep <= 1000, COMPONENT, "keep", a.keep, "must be a whole number from 1 to 1000");
    requireThat(Number.isInteger(a.scratchGiB) && a.scratchGiB >= 1, COMPONENT, "scratchGiB", a.scratchGiB, "must be a whole number of GiB, at least 1");
    requireThat(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(a.clusterName) && a.clusterName.length <= 40,
      COMPONENT,
      "clusterName",
      a.clusterName,
      "must be a Kubernetes name of at most 40 characters",
    );
    requireThat(/^[^:\s]+:\d+$/.test(a.seed), COMPONENT, "seed", a.seed, "must be host:port");
    super("highmem:redis:RedisBackup", name, {}, opts);

    const k8s = { parent: this, provider: a.provider };
    this.namespace = a.namespace;
    this.cronJobName = `${a.clusterName}-backup`;
    this.prefix = redisBackupPrefix(a.snapshotPrefix, a.clusterName);
    const accountName = `${a.clusterName}-backup`;
    const labels = { "app.kubernetes.io/name": "redis-backup", "app.kubernetes.io/instance": a.clusterName };

    const account = new ServiceAccount(`${name}-account`, { metadata: { name: accountName, namespace: a.namespace, labels } }, k8s);
    const identity = new WorkloadIdentity(
      `${name}-identity`,
      {
        roleName: a.identity.roleName,
        clusterName: a.identity.clusterName,
        clusterArn: a.identity.clusterArn,
        accountId: a.identity.accountId,
        namespace: a.namespace,
        serviceAccount: accountName,
        bucketArn: a.identity.bucketArn,
        bucketKeyArn: a.identity.bucketKeyArn,
        bucketRegion: a.identity.bucketRegion,
        grants: [{ prefix: this.prefix, access: "read-write" }],
        tags: a.tags,
      },
      { parent: this },
    );
    this.roleArn = identity.roleArn;
    const scripts = new ConfigMap(
      `${name}-scripts`,
      {
        metadata: { name: `${a.clusterName}-backup-scripts`, namespace: a.namespace, labels },
        data: { "dump.sh": BACKUP_DUMP_SCRIPT, "upload.sh": BACKUP_UPLOAD_SCRIPT, "restore.sh": RESTORE_SCRIPT },
      },
      k8s,
    );
    const password = { name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: a.passwordSecretName, key: "password" } } };
    const mounts = [
      { name: "scripts", mountPath: "/scripts", readOnly: true },
      { name: "backup", mountPath: "/backup" },
      { name: "tmp", mountPath: "/tmp" },
    ];
    this.cronJob = new CronJob(
      name,
      {
        metadata: { name: this.cronJobName, namespace: a.namespace, labels },
        spec: {
          schedule: a.schedule,
          timeZone: a.timeZone,
          concurrencyPolicy: "Forbid",
          // A run missed by more than an hour is skipped; the staleness alert reports it.
          startingDeadlineSeconds: 3600,
          successfulJobsHistoryLimit: 1,
          failedJobsHistoryLimit: 3,
          jobTemplate: {
            spec: {
              backoffLimit: 2,
              ttlSecondsAfterFinished: 86400,
              template: {
                // The client label: the cluster's NetworkPolicy admits the dump (replication is on the client port).
                metadata: { labels: { ...labels, [a.clientLabel]: "true" } },
                spec: {
                  serviceAccountName: accountName,
                  // The upload's AWS credentials come from EKS Pod Identity, which the EKS webhook
                  // delivers through its own projected volume (eks-pod-identity-token, audience
                  // pods.eks.amazonaws.com; EKS user guide, pod-id-how-it-works) whatever this says;
                  // nothing here calls the Kubernetes API, so no service account token (CIS EKS 4.1.6).
                  automountServiceAccountToken: false,
                  restartPolicy: "Never",
                  enableServiceLinks: false,
                  nodeSelector: { ...a.placement.nodeSelector },
                  tolerations: a.placement.tolerations.map((t) => ({ ...t })),
                  securityContext: { runAsNonRoot: true, ...RUN_AS, fsGroup: RUN_AS.runAsGroup, seccompProfile: { type: "RuntimeDefault" } },
                  initContainers: [
                    {
                      name: "dump",
                      image: engineBinaries(a.engine).image,
                      command: ["sh", "/scripts/dump.sh"],
                      env: [
                        password,
                        { name: "CLI_BIN", value: engineBinaries(a.engine).cli },
                        { name: "CHECK_RDB_BIN", value: engineBinaries(a.engine).checkRdb },
                        { name: "SEED", value: a.seed },
                        { name: "CLUSTER_NAME", value: a.clusterName },
                        { name: "BACKUP_DIR", value: "/backup" },
                      ],
                      // The scheduler counts the largest init container's request: the scratch volume's size.
                      resources: {
                        requests: { cpu: "250m", memory: "256Mi", "ephemeral-storage": `${a.scratchGiB}Gi` },
                        limits: { cpu: "250m", memory: "256Mi" },
                      },
                      securityContext: RESTRICTED,
                      volumeMounts: mounts,
                    },
                  ],
                  containers: [
                    {
                      name: "upload",
                      image: a.awsCliImage,
                      command: ["sh", "/scripts/upload.sh"],
                      env: [
                        { name: "BUCKET", value: a.identity.bucketName },
                        { name: "PREFIX", value: this.prefix },
                        { name: "BACKUP_DIR", value: "/backup" },
                        { name: "KEEP", value: String(a.keep) },
                        { name: "AWS_REGION", value: a.identity.bucketRegion },
                        // The CLI's cache and config under a writable home (the root filesystem is read-only).
                        { name: "HOME", value: "/tmp" },
                      ],
                      resources: quantity("500m", "512Mi"),
                      securityContext: RESTRICTED,
                      volumeMounts: mounts,
                    },
                  ],
                  volumes: [
                    { name: "scripts", configMap: { name: `${a.clusterName}-backup-scripts`, defaultMode: 0o555 } },
                    { name: "backup", emptyDir: { sizeLimit: `${a.scratchGiB}Gi` } },
                    { name: "tmp", emptyDir: { sizeLimit: "256Mi" } },
                  ],
                },
              },
            },
          },
        },
      },
      // The pods need their Pod Identity association (and its policy) before the first run.
      { ...k8s, dependsOn: [account, scripts, identity.association] },
    );
    this.registerOutputs({ cronJobName: this.cronJobName, namespace: this.namespace, prefix: this.prefix, roleArn: this.roleArn });
  }
}
