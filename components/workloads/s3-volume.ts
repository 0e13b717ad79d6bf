/**
 * A prefix of an S3 bucket as a Kubernetes volume, through the Mountpoint for Amazon S3 CSI driver
 * (the aws-mountpoint-s3-csi-driver add-on, v2): a statically provisioned PersistentVolume and the
 * claim bound to it. Sources, awslabs/mountpoint-s3-csi-driver@v2.7.0:
 * - docs/CONFIGURATION.md "Static Provisioning": driver s3.csi.aws.com, storageClassName "" on both
 *   objects, claimRef and volumeName for a one-to-one binding, a unique volumeHandle, volumeAttributes
 *   bucketName, access modes ReadWriteMany or ReadOnlyMany, capacity required but ignored; "Pod-Level
 *   Credentials": `authenticationSource: pod` mounts with the credentials of the pod's own service
 *   account through EKS Pod Identity (the team's WorkloadIdentity role), not the driver's.
 * - docs/CACHING.md "emptyDir": `cache: emptyDir` with `cacheEmptyDirSizeLimit` (on the node's
 *   default medium, its disk: the kubelet's ephemeral storage, on the NVMe RAID where the node class
 *   has one); pkg/driver/node/node.go passes 95% of that limit to Mountpoint as --max-cache-size.
 * - pkg/driver/node/node.go: ReadOnlyMany adds --read-only; without allow-other the driver adds
 *   --allow-root (the Mountpoint pod does not run as root), so a non-root pod needs allow-other and
 *   its uid/gid as owner of the files.
 * Mount options are Mountpoint's own flags without "--" (awslabs/mountpoint-s3 doc/CONFIGURATION.md:
 * --prefix, --region, --read-only, --allow-delete, --allow-overwrite, --allow-other, --uid, --gid).
 */
import * as pulumi from "@pulumi/pulumi";
import { PersistentVolume } from "@pulumi/kubernetes/core/v1/persistentVolume";
import { PersistentVolumeClaim } from "@pulumi/kubernetes/core/v1/persistentVolumeClaim";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import type * as k8s from "@pulumi/kubernetes/types/input";
import { requireThat, withDefaults } from "../lib/args";
import { normalisePrefix, prefixProblem } from "./data-access";
import { isAwsRegionName, isDnsLabel } from "../lib/names";

export const S3_CSI_DRIVER = "s3.csi.aws.com";

export interface S3PrefixVolumeOptions {
  /** Name of the claim; the volume is "<namespace>-<name>" (volumes are cluster-wide). */
  readonly name: string;
  /** Namespace of the claim and of the pods that mount it. */
  readonly namespace: string;
  /** The bucket (the platform's data bucket). */
  readonly bucketName: pulumi.Input<string>;
  /** Region of the bucket. */
  readonly region: string;
  /** Key prefix mounted as the volume's root, such as "teams/genomics/"; a missing trailing "/" is added. */
  readonly prefix: string;
  /**
   * Mount read-only. A writable mount also lets pods delete and overwrite objects under the prefix;
   * the pods' role needs "read-write" on the prefix either way.
   * @default true
   */
  readonly readOnly?: boolean;
  /**
   * Owner uid and gid of the mounted files: the pod's runAsUser and runAsGroup (non-root).
   * @default 1000
   */
  readonly uid?: number;
  /** @default 1000 */
  readonly gid?: number;
  /**
   * Size of Mountpoint's local data cache on the node's disk (an emptyDir of the Mountpoint pod), in
   * GiB; 0 turns the cache off.
   * @default 20
   */
  readonly cacheGiB?: number;
}

export const S3_PREFIX_VOLUME_DEFAULTS = { readOnly: true, uid: 1000, gid: 1000, cacheGiB: 20 } satisfies Partial<S3PrefixVolumeOptions>;

/** The PersistentVolume and PersistentVolumeClaim of a prefix volume. */
export interface S3PrefixVolumeSpecs {
  readonly volumeName: string;
  readonly claimName: string;
  readonly persistentVolume: { readonly metadata: k8s.meta.v1.ObjectMeta; readonly spec: k8s.core.v1.PersistentVolumeSpec };
  readonly persistentVolumeClaim: { readonly metadata: k8s.meta.v1.ObjectMeta; readonly spec: k8s.core.v1.PersistentVolumeClaimSpec };
}

const WHO = "s3PrefixVolume";
/** Capacity is required by Kubernetes and ignored by the driver. */
const NOMINAL_CAPACITY = "1Ti";

/** Checks the options (throwing ComponentArgumentError naming the option) and returns them with defaults. */
function resolve(options: S3PrefixVolumeOptions, who: string) {
  const o = withDefaults(S3_PREFIX_VOLUME_DEFAULTS, options);
  requireThat(isDnsLabel(o.name), who, "name", o.name, "must be a claim name (RFC 1123 label, at most 63 characters)");
  requireThat(isDnsLabel(o.namespace), who, "namespace", o.namespace, "must be a namespace name (RFC 1123 label, at most 63 characters)");
  requireThat(isAwsRegionName(o.region), who, "region", o.region, "must be an AWS region name such as us-west-2");
  const problem = prefixProblem(o.prefix);
  requireThat(problem === undefined, who, "prefix", o.prefix, problem ?? "");
  for (const [arg, id] of [
    ["uid", o.uid],
    ["gid", o.gid],
  ] as const)
    requireThat(Number.isInteger(id) && id > 0 && id <= 2147483647, who, arg, id, "must be a non-root id (an integer from 1 to 2147483647)");
  requireThat(
    Number.isInteger(o.cacheGiB) && o.cacheGiB >= 0 && o.cacheGiB <= 4096,
    who,
    "cacheGiB",
    o.cacheGiB,
    "must be an integer from 0 (no cache) to 4096",
  );
  return o;
}

/**
 * The PV/PVC pair that mounts `prefix` of a bucket with the pod's own credentials: read-only by
 * default, owned by a non-root uid/gid, with a size-limited cache on the node's local disk.
 */
export function s3PrefixVolumeSpecs(options: S3PrefixVolumeOptions, who = WHO): S3PrefixVolumeSpecs {
  const o = resolve(options, who);
  const prefix = normalisePrefix(o.prefix);
  const volumeName = `${o.namespace}-${o.name}`;
  const accessModes = [o.readOnly ? "ReadOnlyMany" : "ReadWriteMany"];
  const mountOptions = [
    `prefix ${prefix}`,
    `region ${o.region}`,
    "allow-other",
    `uid ${o.uid}`,
    `gid ${o.gid}`,
    ...(o.readOnly ? ["read-only"] : ["allow-delete", "allow-overwrite"]),
  ];
  const cache: Record<string, string> = o.cacheGiB > 0 ? { cache: "emptyDir", cacheEmptyDirSizeLimit: `${o.cacheGiB}Gi` } : {};
  const labels = { "app.kubernetes.io/managed-by": "pulumi", "highmem.platform/s3-prefix-volume": o.name };
  return {
    volumeName,
    claimName: o.name,
    persistentVolume: {
      metadata: { name: volumeName, labels },
      spec: {
        capacity: { storage: NOMINAL_CAPACITY },
        accessModes,
        storageClassName: "",
        persistentVolumeReclaimPolicy: "Retain",
        claimRef: { namespace: o.namespace, name: o.name },
        mountOptions,
        csi: {
          driver: S3_CSI_DRIVER,
          // Unique per volume: the kubelet processes a volumeHandle once (CONFIGURATION.md, IMPORTANT note).
          volumeHandle: `s3-${volumeName}`,
          volumeAttributes: { bucketName: o.bucketName, authenticationSource: "pod", ...cache },
        },
      },
    },
    persistentVolumeClaim: {
      metadata: { name: o.name, namespace: o.namespace, labels },
      spec: { accessModes, storageClassName: "", resources: { requests: { storage: NOMINAL_CAPACITY } }, volumeName },
    },
  };
}

export interface S3PrefixVolumeArgs extends S3PrefixVolumeOptions {
  /** Kubernetes provider of the cluster (EksCluster.provider). */
  readonly provider: KubernetesProvider;
}

/**
 * Declares the PersistentVolume and the PersistentVolumeClaim of s3PrefixVolumeSpecs. Pods mount the
 * claim by `claimName`; their service account needs a WorkloadIdentity granting the prefix.
 */
export class S3PrefixVolume extends pulumi.ComponentResource {
  readonly claimName: string;
  readonly volumeName: string;
  readonly claim: PersistentVolumeClaim;

  constructor(name: string, args: S3PrefixVolumeArgs, opts?: pulumi.ComponentResourceOptions) {
    const specs = s3PrefixVolumeSpecs(args, "S3PrefixVolume");
    super("highmem:workloads:S3PrefixVolume", name, {}, opts);
    const k8sOpts = { parent: this, provider: args.provider };
    const volume = new PersistentVolume(name, { metadata: specs.persistentVolume.metadata, spec: specs.persistentVolume.spec }, k8sOpts);
    this.claim = new PersistentVolumeClaim(
      name,
      { metadata: specs.persistentVolumeClaim.metadata, spec: specs.persistentVolumeClaim.spec },
      { ...k8sOpts, dependsOn: [volume] },
    );
    this.claimName = specs.claimName;
    this.volumeName = specs.volumeName;
    this.registerOutputs({ claimName: this.claimName, volumeName: this.volumeName });
  }
}
