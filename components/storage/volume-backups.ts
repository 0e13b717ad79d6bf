/**
 * Scheduled EBS snapshots of selected volume claims with Amazon Data Lifecycle Manager (DLM), and the
 * VolumeSnapshotClass for on-demand CSI snapshots.
 *
 * Why DLM and not VolumeSnapshot objects on a schedule: DLM has count-based retention and encrypted
 * cross-Region copies (with their own retention) built in, runs outside the cluster (a broken
 * cluster still gets its volumes backed up, nothing in it to schedule, upgrade or watch), and
 * publishes per-policy CloudWatch metrics for failures. CSI snapshots would give a Kubernetes-native
 * restore (a PVC with dataSource), but need a CronJob, a pruner and a cross-Region copier of our own.
 * Restore from a DLM snapshot is still Kubernetes-shaped: a static VolumeSnapshotContent pointing at
 * the snapshot id, a VolumeSnapshot bound to it, and a claim from that (README runbook).
 *
 * Targets: DLM ORs a policy's target tags ("All resources ... that have at least one of the
 * specified target resource tags will be targeted", EBS user guide dlm-elements.md, "Target resource
 * tags"), so each target is one tag the EBS CSI driver already writes: with the csi-provisioner's
 * --extra-create-metadata it tags every volume kubernetes.io/created-for/pvc/namespace and
 * kubernetes.io/created-for/pvc/name (kubernetes-sigs/aws-ebs-csi-driver pkg/driver/constants.go
 * PVCNamespaceTag, PVCNameTag at v1.48.0 and v1.51.1, the pinned add-on builds' drivers; the chart's
 * controller.extraCreateMetadata defaults to true and adds the flag, charts/aws-ebs-csi-driver
 * values.yaml and templates/controller.yaml at both tags). Two clusters in one account and region
 * target each other's volumes with the same tags (extra snapshots, never fewer).
 */
import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import * as dlm from "@pulumi/aws/dlm";
import * as cloudwatch from "@pulumi/aws/cloudwatch";
import { failureAlarmArgs } from "../lib/cloudwatch";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { PHYSICAL_NAME, requireThat, withDefaults } from "../lib/args";
import { managedPolicyArn, policyJson, serviceTrustPolicy, type PolicyDocument } from "../lib/iam";
import { KEY_LIFECYCLE } from "../lib/kms";

/** Tags the EBS CSI driver puts on a volume it creates for a claim (with --extra-create-metadata). */
export const PVC_NAMESPACE_TAG = "kubernetes.io/created-for/pvc/namespace";
export const PVC_NAME_TAG = "kubernetes.io/created-for/pvc/name";

/** DLM CreateRule intervals in hours (DLM API reference, CreateRule: Interval, valid values). */
export const SNAPSHOT_INTERVAL_HOURS = [1, 2, 3, 4, 6, 8, 12, 24] as const;
/** DLM RetainRule Count: 1-1000 (DLM API reference, RetainRule). */
export const MAX_SNAPSHOT_RETENTION_COUNT = 1000;
/** A DLM schedule takes at most three cross-Region copy rules (DLM API reference, Schedule: CrossRegionCopyRules). */
export const MAX_COPY_REGIONS = 3;

export const SNAPSHOT_CLASS_NAME = "ebs-snapshots";

/** One DLM target: volumes carrying this tag. */
export interface BackupTarget {
  readonly tagKey: string;
  readonly tagValue: string;
}

export interface VolumeBackupsArgs {
  /** Prefix of the role, policy and alarm names (the stack's namePrefix). */
  readonly namePrefix: string;
  readonly provider: KubernetesProvider;
  /** Region of the cluster and its volumes. */
  readonly region: string;
  readonly partition: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  /** KMS key of the volumes (StorageClasses.volumeKeyArn): snapshots stay encrypted with it. */
  readonly volumeKeyArn: pulumi.Input<string>;
  /** Volumes to snapshot; a volume carrying any of these tags is backed up (DLM ORs target tags). */
  readonly targets: readonly BackupTarget[];
  /**
   * Hours between snapshots: 1, 2, 3, 4, 6, 8, 12 or 24.
   * @default 24
   */
  readonly scheduleHours?: number;
  /**
   * Snapshots kept per volume (1-1000); copies in other Regions are kept as many days as this covers.
   * @default 7
   */
  readonly retentionCount?: number;
  /**
   * Regions that get an encrypted copy of every snapshot (at most 3), each under a key of this component.
   * @default []
   */
  readonly copyRegions?: readonly string[];
  /**
   * Keep the EBS snapshot when a VolumeSnapshot of the class is deleted (deletionPolicy Retain).
   * @default false
   */
  readonly retainSnapshots?: boolean;
  /**
   * Where the snapshot-failure alarms notify (SNS topic ARNs).
   * @default []
   */
  readonly alarmActions?: readonly pulumi.Input<string>[];
  /**
   * Protect the copy keys against deletion (they hold the copies' data keys). The policy itself is not
   * data and is not protected; the plan diff flags its replacement.
   * @default false
   */
  readonly protect?: boolean;
  /**
   * Tags of every AWS resource here, and of every snapshot and copy.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const VOLUME_BACKUPS_DEFAULTS = {
  scheduleHours: 24,
  retentionCount: 7,
  copyRegions: [] as readonly string[],
  retainSnapshots: false,
  alarmActions: [] as readonly pulumi.Input<string>[],
  protect: false,
  tags: {},
} satisfies Partial<VolumeBackupsArgs>;

const COMPONENT = "VolumeBackups";

/** Whole days that `count` snapshots `hours` apart cover (at least 1): how long a copy is kept. */
export function copyRetentionDays(count: number, hours: number): number {
  return Math.max(1, Math.ceil((count * hours) / 24));
}

/** The execution role's own permissions beyond the managed policy: the volume key and the copy keys. */
export function backupKeyPolicy(volumeKeyArn: string, copyKeyArns: readonly string[]): PolicyDocument {
  const keys = [volumeKeyArn, ...copyKeyArns];
  // The role must be able to use the volume's key, and for cross-Region copies of encrypted snapshots
  // both the source and the destination keys (EBS user guide, dlm-prerequisites "Permissions for
  // encryption", awsdocs/amazon-ebs-user-guide dlm-access-cmk). "Use" is KMS's key-user set (KMS
  // developer guide, default key policy "Allows key users to use the KMS key"), grants limited to
  // AWS services, as the EBS CSI driver gets on the volume key (storage-classes.ts).
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "UseSnapshotKeys",
        Effect: "Allow",
        Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
        Resource: keys,
      },
      {
        Sid: "GrantToEbsOnly",
        Effect: "Allow",
        Action: ["kms:CreateGrant"],
        Resource: keys,
        Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      },
    ],
  };
}

/**
 * The snapshot controller's VolumeSnapshotClass for the EBS CSI driver, and a DLM policy that
 * snapshots the target volumes every `scheduleHours`, keeps `retentionCount`, copies each snapshot
 * encrypted to `copyRegions`, and alarms on failed snapshots and copies. Snapshots of an encrypted
 * volume are encrypted with the volume's key (EBS user guide, "How EBS encryption works").
 */
export class VolumeBackups extends pulumi.ComponentResource {
  readonly policyId: pulumi.Output<string>;
  readonly roleArn: pulumi.Output<string>;
  readonly snapshotClassName = SNAPSHOT_CLASS_NAME;
  readonly snapshotClass: CustomResource;
  /** Key of the copies in each copy Region. */
  readonly copyKeyArns: Readonly<Record<string, pulumi.Output<string>>>;

  constructor(name: string, args: VolumeBackupsArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(VOLUME_BACKUPS_DEFAULTS, args);
    requireThat(
      PHYSICAL_NAME.test(a.namePrefix),
      COMPONENT,
      "namePrefix",
      a.namePrefix,
      "must be lowercase letters, digits and hyphens, starting with a letter",
    );
    requireThat(
      (SNAPSHOT_INTERVAL_HOURS as readonly number[]).includes(a.scheduleHours),
      COMPONENT,
      "scheduleHours",
      a.scheduleHours,
      `must be one of ${SNAPSHOT_INTERVAL_HOURS.join(", ")} (DLM intervals)`,
    );
    requireThat(
      Number.isInteger(a.retentionCount) && a.retentionCount >= 1 && a.retentionCount <= MAX_SNAPSHOT_RETENTION_COUNT,
      COMPONENT,
      "retentionCount",
      a.retentionCount,
      `must be a whole number from 1 to ${MAX_SNAPSHOT_RETENTION_COUNT}`,
    );
    requireThat(a.targets.length > 0, COMPONENT, "targets", a.targets, "must name at least one tag (a policy without targets backs up nothing)");
    for (const t of a.targets)
      requireThat(
        t.tagKey !== "" && !/[\\=]/.test(t.tagKey) && t.tagValue !== "",
        COMPONENT,
        "targets",
        t,
        "each needs a tag key without '\\' or '=' and a non-empty value",
      );
    requireThat(
      new Set(a.targets.map((t) => t.tagKey)).size === a.targets.length,
      COMPONENT,
      "targets",
      a.targets,
      "names a tag key twice (one value per key)",
    );
    requireThat(a.copyRegions.length <= MAX_COPY_REGIONS, COMPONENT, "copyRegions", a.copyRegions, `at most ${MAX_COPY_REGIONS} Regions per DLM schedule`);
    for (const r of a.copyRegions) requireThat(r !== a.region, COMPONENT, "copyRegions", r, "is the volumes' own Region: a copy must go elsewhere");
    requireThat(new Set(a.copyRegions).size === a.copyRegions.length, COMPONENT, "copyRegions", a.copyRegions, "lists a Region more than once");
    super("highmem:storage:VolumeBackups", name, {}, opts);

    // The stack's tags on every CSI snapshot: the driver reads tagSpecification_<n> as key=value
    // (kubernetes-sigs/aws-ebs-csi-driver@v1.51.1 docs/tagging.md, "Snapshot Tagging"). Custom
    // resources are patched in place, so a tag change does not replace the class.
    const tagParameters = Object.fromEntries(Object.entries(a.tags).map(([k, v], i) => [`tagSpecification_${i + 1}`, `${k}=${v}`]));
    this.snapshotClass = new CustomResource(
      `${name}-class`,
      {
        apiVersion: "snapshot.storage.k8s.io/v1",
        kind: "VolumeSnapshotClass",
        metadata: { name: SNAPSHOT_CLASS_NAME, annotations: { "snapshot.storage.kubernetes.io/is-default-class": "true" } },
        driver: "ebs.csi.aws.com",
        deletionPolicy: a.retainSnapshots ? "Retain" : "Delete",
        parameters: tagParameters,
      },
      { parent: this, provider: a.provider },
    );

    const copyKeys = a.copyRegions.map((region) => {
      const key = new kms.Key(
        `${name}-copies-${region}`,
        { region, description: `Copies of ${a.namePrefix} volume snapshots from ${a.region}`, ...KEY_LIFECYCLE, tags: a.tags },
        { parent: this, protect: a.protect },
      );
      new kms.Alias(`${name}-copies-${region}`, { region, name: `alias/${a.namePrefix}-snapshot-copies`, targetKeyId: key.keyId }, { parent: this });
      return key;
    });
    this.copyKeyArns = Object.fromEntries(a.copyRegions.map((r, i) => [r, copyKeys[i]!.arn]));

    const role = new iam.Role(
      `${name}-dlm`,
      {
        name: `${a.namePrefix}-volume-backups`,
        description: `Data Lifecycle Manager: snapshots of ${a.namePrefix} volumes`,
        assumeRolePolicy: policyJson(serviceTrustPolicy("dlm.amazonaws.com", ["sts:AssumeRole"])),
        tags: a.tags,
      },
      { parent: this },
    );
    // Create, tag, copy and delete snapshots (AWS managed policy for DLM's snapshot policies).
    const managed = new iam.RolePolicyAttachment(
      `${name}-dlm-service-role`,
      { role: role.name, policyArn: managedPolicyArn(a.partition, "service-role/AWSDataLifecycleManagerServiceRole") },
      { parent: this },
    );
    const keyPolicy = new iam.RolePolicy(
      `${name}-dlm-kms`,
      {
        role: role.name,
        policy: pulumi
          .all([pulumi.output(a.volumeKeyArn), pulumi.all(copyKeys.map((k) => k.arn))])
          .apply(([volumeKey, copies]) => JSON.stringify(backupKeyPolicy(volumeKey, copies))),
      },
      { parent: this },
    );

    const copyDays = copyRetentionDays(a.retentionCount, a.scheduleHours);
    const policy = new dlm.LifecyclePolicy(
      `${name}-policy`,
      {
        description: `${a.namePrefix} volumes every ${a.scheduleHours}h, keep ${a.retentionCount}`,
        executionRoleArn: role.arn,
        state: "ENABLED",
        policyDetails: {
          policyType: "EBS_SNAPSHOT_MANAGEMENT",
          resourceTypes: ["VOLUME"],
          targetTags: Object.fromEntries(a.targets.map((t) => [t.tagKey, t.tagValue])),
          schedules: [
            {
              name: `every-${a.scheduleHours}h`,
              createRule: { interval: a.scheduleHours, intervalUnit: "HOURS", times: "03:00" },
              retainRule: { count: a.retentionCount },
              // The volume's tags (the claim's namespace and name) go with every snapshot and copy: the
              // restore finds its snapshots by them.
              copyTags: true,
              tagsToAdd: { ...a.tags, "highmem.io/backup": a.namePrefix },
              ...(copyKeys.length > 0
                ? {
                    crossRegionCopyRules: a.copyRegions.map((region, i) => ({
                      target: region,
                      encrypted: true,
                      cmkArn: copyKeys[i]!.arn,
                      copyTags: true,
                      retainRule: { interval: copyDays, intervalUnit: "DAYS" },
                    })),
                  }
                : {}),
            },
          ],
        },
        tags: a.tags,
      },
      { parent: this, dependsOn: [managed, keyPolicy] },
    );

    // DLM's CloudWatch metrics (namespace AWS/EBS, dimension DLMPolicyId; EBS user guide,
    // dlm-monitor-lifecycle "Supported metrics"): failures after the retries of the hour (create) and
    // of 24 hours (copies).
    const alarm = (metric: string, what: string) =>
      new cloudwatch.MetricAlarm(
        `${name}-${metric}`,
        failureAlarmArgs({
          region: a.region,
          name: `${a.namePrefix}-${metric}`,
          description: `${what} (DLM policy of ${a.namePrefix} volumes); see the policy's state and the role's permissions`,
          namespace: "AWS/EBS",
          metricName: metric,
          dimensions: { DLMPolicyId: policy.id },
          periodSeconds: 3600,
          alarmActions: a.alarmActions,
          tags: a.tags,
        }),
        { parent: this },
      );
    alarm("SnapshotsCreateFailed", "Volume snapshots failed");
    alarm("SnapshotsDeleteFailed", "Expired volume snapshots could not be deleted");
    if (copyKeys.length > 0) alarm("SnapshotsCopiedRegionFailed", `Snapshot copies to ${a.copyRegions.join(", ")} failed`);

    this.policyId = policy.id;
    this.roleArn = role.arn;
    this.registerOutputs({ policyId: this.policyId, roleArn: this.roleArn });
  }
}
