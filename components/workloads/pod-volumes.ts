/**
 * The volumes of a high-memory pod: `/dev/shm` as a memory-backed emptyDir, a writable `/tmp` (the
 * root filesystem is read-only), and an optional scratch volume on the node's NVMe RAID or on a
 * generic ephemeral EBS volume.
 *
 * Memory accounting: a `medium: Memory` emptyDir is a tmpfs whose pages are charged to the pod's
 * memory cgroup, so what a program writes to `/dev/shm` counts against the container's memory limit,
 * and its `sizeLimit` caps the tmpfs (the volume can never hold more than the sum of the containers'
 * memory limits). Kubernetes docs, Volumes, "emptyDir" and "emptyDir configuration example"
 * (https://kubernetes.io/docs/concepts/storage/volumes/#emptydir: files written to the tmpfs count
 * against the container's memory limit), and the API's EmptyDirVolumeSource.sizeLimit (k8s.io/api
 * core/v1 types.go: usage of a memory-medium emptyDir is the smaller of sizeLimit and the sum of the
 * pod's container memory limits).
 * The helper therefore keeps memory limit = shared memory + what the processes may use, and budgets
 * the processes (GOMEMLIMIT, Dask's fractions) on the difference.
 *
 * Disk accounting: a disk-backed emptyDir is local ephemeral storage, which the kubelet measures
 * against the pod's `ephemeral-storage` limit and the scheduler places by its request (Kubernetes
 * docs, "Local ephemeral storage", https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage).
 * On the platform's high-memory node classes (`instanceStorePolicy: RAID0`,
 * components/karpenter/karpenter-node-pool.ts) that storage is the instance-store NVMe RAID0.
 * A generic ephemeral volume is a PVC made from `volumeClaimTemplate` and deleted with the pod
 * (https://kubernetes.io/docs/concepts/storage/ephemeral-volumes/#generic-ephemeral-volumes).
 */
import type * as k8s from "@pulumi/kubernetes/types/input";
import { HIGH_IOPS_STORAGE_CLASS } from "../storage/storage-classes";

/** Scratch space of a pod: on the node's local disk (the NVMe RAID0 where the node has one) or an EBS volume of its own. */
export type ScratchVolume =
  | {
      readonly kind: "local-nvme";
      /** Size limit of the emptyDir, also requested as ephemeral storage (GiB). */
      readonly sizeGiB: number;
    }
  | {
      readonly kind: "ebs";
      /** Size of the generic ephemeral volume (GiB). */
      readonly sizeGiB: number;
      /**
       * StorageClass of the volume.
       * @default HIGH_IOPS_STORAGE_CLASS ("gp3-high-iops")
       */
      readonly storageClassName?: string;
    };

/** Writable `/tmp` on local disk (GiB): the root filesystem is read-only. */
export const TMP_GIB = 1;
/**
 * Ephemeral storage the container itself uses beside its volumes (GiB): its logs (the kubelet keeps
 * at most containerLogMaxFiles 5 x containerLogMaxSize 10Mi by default, KubeletConfiguration v1beta1)
 * and what a read-only root filesystem still writes. Requested with `/tmp` and local scratch.
 */
export const CONTAINER_EPHEMERAL_GIB = 1;
export const SHM_MOUNT_PATH = "/dev/shm";
/** Where scratch is mounted unless the caller says otherwise. */
export const DEFAULT_SCRATCH_PATH = "/scratch";
/** Volume names the helper uses; a caller's extra volumes must not take them. */
export const HELPER_VOLUME_NAMES = ["dshm", "tmp", "scratch"] as const;

export interface PodVolumes {
  readonly volumes: k8s.core.v1.Volume[];
  readonly volumeMounts: k8s.core.v1.VolumeMount[];
  /** The pod's local ephemeral storage request and limit (GiB): /tmp, container logs, local scratch. */
  readonly ephemeralStorageGiB: number;
}

export function podVolumes(o: {
  sharedMemoryGiB: number;
  scratch?: ScratchVolume;
  scratchPath: string;
  labels?: Readonly<Record<string, string>>;
}): PodVolumes {
  const volumes: k8s.core.v1.Volume[] = [
    { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: `${o.sharedMemoryGiB}Gi` } },
    { name: "tmp", emptyDir: { sizeLimit: `${TMP_GIB}Gi` } },
  ];
  const volumeMounts: k8s.core.v1.VolumeMount[] = [
    { name: "dshm", mountPath: SHM_MOUNT_PATH },
    { name: "tmp", mountPath: "/tmp" },
  ];
  let ephemeralStorageGiB = TMP_GIB + CONTAINER_EPHEMERAL_GIB;
  if (o.scratch?.kind === "local-nvme") {
    volumes.push({ name: "scratch", emptyDir: { sizeLimit: `${o.scratch.sizeGiB}Gi` } });
    ephemeralStorageGiB += o.scratch.sizeGiB;
  } else if (o.scratch?.kind === "ebs") {
    volumes.push({
      name: "scratch",
      ephemeral: {
        volumeClaimTemplate: {
          metadata: { labels: { ...(o.labels ?? {}) } },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: o.scratch.storageClassName ?? HIGH_IOPS_STORAGE_CLASS,
            resources: { requests: { storage: `${o.scratch.sizeGiB}Gi` } },
          },
        },
      },
    });
  }
  if (o.scratch) volumeMounts.push({ name: "scratch", mountPath: o.scratchPath });
  return { volumes, volumeMounts, ephemeralStorageGiB };
}
