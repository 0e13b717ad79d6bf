import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import * as kms from "@pulumi/aws/kms";
import { StorageClass } from "@pulumi/kubernetes/storage/v1/storageClass";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { requireThat, withDefaults } from "../lib/args";
import { policyJson } from "../lib/iam";
import { gp3Problem, minimumVolumeGiB } from "./gp3-limits";
import { KEY_LIFECYCLE } from "../lib/kms";

export const DEFAULT_STORAGE_CLASS = "gp3";
export const HIGH_IOPS_STORAGE_CLASS = "gp3-high-iops";

export interface StorageClassesArgs {
  /** Name of the EKS cluster, for the key's description and alias. */
  readonly clusterName: string;
  /** Role of the EBS CSI controller: it gets use of the volume key, nothing else. */
  readonly ebsCsiRoleName: pulumi.Input<string>;
  readonly provider: KubernetesProvider;
  /**
   * IOPS of `gp3-high-iops` volumes (3,000-80,000).
   * @default 16000
   */
  readonly highIops?: number;
  /**
   * Throughput of `gp3-high-iops` volumes in MiB/s (125-2,000, at most 0.25 per IOPS).
   * @default 1000
   */
  readonly highIopsThroughputMiBps?: number;
  /**
   * Keep volumes when their claims are deleted (Retain) instead of deleting them. Prod keeps data.
   * @default false
   */
  readonly retainVolumes?: boolean;
  /**
   * Protect the volume key against deletion and replacement.
   * @default false
   */
  readonly protect?: boolean;
  /**
   * Tags for the key and every volume.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const STORAGE_CLASSES_DEFAULTS = {
  highIops: 16000,
  highIopsThroughputMiBps: 1000,
  retainVolumes: false,
  protect: false,
  tags: {},
} satisfies Partial<StorageClassesArgs>;

const COMPONENT = "StorageClasses";

/**
 * gp3 StorageClasses for the EBS CSI driver, every volume encrypted with a KMS key of the cluster:
 * `gp3` (the default) and `gp3-high-iops` for data that needs more than gp3's baseline. Both bind
 * when the pod is scheduled (WaitForFirstConsumer), so the volume lands in the pod's zone, and both
 * allow expansion. EKS clusters since Kubernetes 1.30 no longer mark the old gp2 class default, so
 * `gp3` is the only default class.
 */
export class StorageClasses extends pulumi.ComponentResource {
  readonly volumeKeyArn: pulumi.Output<string>;
  readonly defaultClassName = DEFAULT_STORAGE_CLASS;
  readonly highIopsClassName = HIGH_IOPS_STORAGE_CLASS;
  /** Smallest `gp3-high-iops` volume that can carry its IOPS. */
  readonly highIopsMinimumGiB: number;
  readonly classes: StorageClass[];

  constructor(name: string, args: StorageClassesArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(STORAGE_CLASSES_DEFAULTS, args);
    const problem = gp3Problem(a.highIops, a.highIopsThroughputMiBps);
    requireThat(problem === undefined, COMPONENT, "highIops/highIopsThroughputMiBps", [a.highIops, a.highIopsThroughputMiBps], problem ?? "");
    super("highmem:storage:StorageClasses", name, {}, opts);
    this.highIopsMinimumGiB = minimumVolumeGiB(a.highIops);

    const key = new kms.Key(
      `${name}-volumes`,
      {
        description: `EBS volumes of EKS cluster ${a.clusterName}`,
        ...KEY_LIFECYCLE,
        tags: a.tags,
      },
      { parent: this, protect: a.protect },
    );
    new kms.Alias(`${name}-volumes`, { name: `alias/${a.clusterName}-ebs`, targetKeyId: key.keyId }, { parent: this });
    // What the EBS CSI driver needs to create, attach and expand encrypted volumes with this key.
    new iam.RolePolicy(
      `${name}-ebs-csi-kms`,
      {
        role: a.ebsCsiRoleName,
        policy: policyJson({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "UseVolumeKey",
              Effect: "Allow",
              Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
              Resource: key.arn,
            },
            {
              Sid: "GrantToEbsOnly",
              Effect: "Allow",
              Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
              Resource: key.arn,
              Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
            },
          ],
        }),
      },
      { parent: this },
    );

    const k8s = { parent: this, provider: a.provider };
    const reclaimPolicy = a.retainVolumes ? "Retain" : "Delete";
    // No tags in the parameters: Kubernetes never updates a StorageClass's parameters, so
    // pulumi-kubernetes replaces the class on any change to them (provider/pkg/provider/diff.go
    // forceNew), and a protected class would stop every deploy after a tag edit. The stack's tags
    // reach the volumes through the EBS CSI driver's own configuration instead (cluster/addons.ts).
    const common = { provisioner: "ebs.csi.aws.com", volumeBindingMode: "WaitForFirstConsumer", allowVolumeExpansion: true, reclaimPolicy };
    const params = { type: "gp3", encrypted: "true", kmsKeyId: key.arn, "csi.storage.k8s.io/fstype": "ext4" };
    this.classes = [
      new StorageClass(
        `${name}-gp3`,
        {
          metadata: { name: DEFAULT_STORAGE_CLASS, annotations: { "storageclass.kubernetes.io/is-default-class": "true" } },
          ...common,
          parameters: params,
        },
        k8s,
      ),
      new StorageClass(
        `${name}-gp3-high-iops`,
        {
          metadata: {
            name: HIGH_IOPS_STORAGE_CLASS,
            annotations: { "highmem.io/minimum-volume-size": `${this.highIopsMinimumGiB}Gi` },
          },
          ...common,
          parameters: { ...params, iops: String(a.highIops), throughput: String(a.highIopsThroughputMiBps) },
        },
        k8s,
      ),
    ];
    this.volumeKeyArn = key.arn;
    this.registerOutputs({ volumeKeyArn: this.volumeKeyArn });
  }
}
