/**
 * What a workload needs to land on the high-memory pools, so that nobody hand-writes it: the
 * toleration and node affinity, Guaranteed QoS (requests equal limits, so the kubelet never evicts
 * it for using what it asked for), a real `/dev/shm` counted inside the memory limit, optional
 * scratch, allocator and framework settings budgeted on memory minus shared memory, and restricted
 * security contexts.
 */
import type * as k8s from "@pulumi/kubernetes/types/input";
import { HIGH_MEMORY_LABELS, HIGH_MEMORY_TAINT } from "../karpenter/pool-presets";
import { defaultSharedMemoryGiB, frameworkSettings, FRAMEWORKS, type Framework } from "./frameworks";
import { DEFAULT_RUN_AS_USER, restrictedContainerSecurityContext, restrictedPodSecurityContext } from "./pod-security";
import { DEFAULT_SCRATCH_PATH, podVolumes, SHM_MOUNT_PATH, type ScratchVolume } from "./pod-volumes";

export interface HighMemoryWorkloadOptions {
  /** Memory request and limit of the container (GiB), `/dev/shm` included. */
  readonly memoryGiB: number;
  /** CPU request and limit (cores); whole cores give the container exclusive CPUs under the static CPU manager. */
  readonly cpu: number;
  /**
   * Which capacity the pod may use: "any" lets Karpenter prefer spot; "on-demand" for pods that
   * must not be interrupted (a Redis master, a week-long job without checkpoints).
   * @default "any"
   */
  readonly capacity?: "any" | "on-demand" | "spot";
  /**
   * Keep Karpenter from disrupting the pod's node (consolidation, drift, expiry wait for it).
   * @default false
   */
  readonly doNotDisrupt?: boolean;
  /**
   * glibc malloc arenas: each thread's arena keeps freed memory; a few arenas keep a large heap from
   * growing by a multiple of what the program uses.
   * @default 4
   */
  readonly mallocArenaMax?: number;
  /**
   * Size of `/dev/shm` (whole GiB), a memory-backed emptyDir counted inside `memoryGiB`.
   * @default 30% of memoryGiB for Ray (its object store's default share); otherwise 5% of memoryGiB, 1-8 GiB
   */
  readonly sharedMemoryGiB?: number;
  /**
   * Memory the processes must keep beside `/dev/shm` (GiB); `sharedMemoryGiB` + this must fit in `memoryGiB`.
   * @default a quarter of memoryGiB, at least 1
   */
  readonly minimumProcessMemoryGiB?: number;
  /**
   * Scratch space: `local-nvme` (an emptyDir on the node's NVMe RAID0, requested as ephemeral
   * storage) or `ebs` (a generic ephemeral volume, `gp3-high-iops` by default). None when unset.
   */
  readonly scratch?: ScratchVolume;
  /**
   * Where scratch is mounted.
   * @default "/scratch"
   */
  readonly scratchPath?: string;
  /** Framework whose settings (temporary directory, memory fractions, object store) to add. None when unset. */
  readonly framework?: Framework;
  /**
   * User and group the container runs as (not 0).
   * @default DEFAULT_RUN_AS_USER (1000)
   */
  readonly runAsUser?: number;
}

export interface HighMemoryPodSettings {
  readonly annotations: Record<string, string>;
  readonly tolerations: k8s.core.v1.Toleration[];
  readonly affinity: k8s.core.v1.Affinity;
  readonly resources: k8s.core.v1.ResourceRequirements;
  readonly env: k8s.core.v1.EnvVar[];
  readonly volumes: k8s.core.v1.Volume[];
  readonly volumeMounts: k8s.core.v1.VolumeMount[];
  readonly podSecurityContext: k8s.core.v1.PodSecurityContext;
  readonly containerSecurityContext: k8s.core.v1.SecurityContext;
  /** Arguments for the framework's start command (Ray: `--object-store-memory`); empty for others. */
  readonly frameworkArgs: string[];
  /** How the memory limit is split (GiB): `/dev/shm`, and what the processes may use. */
  readonly memoryBudget: { readonly limitGiB: number; readonly sharedMemoryGiB: number; readonly processGiB: number };
}

/** Why the options cannot make a pod, naming the option, its value and what is allowed. */
export class WorkloadOptionsError extends Error {
  override name = "WorkloadOptionsError";
  constructor(
    readonly option: string,
    readonly value: unknown,
    readonly allowed: string,
  ) {
    super(`highMemoryPodSettings: ${option} is ${JSON.stringify(value)}; ${allowed}`);
  }
}
const check = (ok: boolean, option: string, value: unknown, allowed: string) => {
  if (!ok) throw new WorkloadOptionsError(option, value, allowed);
};
const wholeAbove0 = (n: number) => Number.isInteger(n) && n > 0;

/** The options with their defaults, validated. */
export function resolveWorkloadOptions(o: HighMemoryWorkloadOptions) {
  check(
    Number.isInteger(o.memoryGiB) && o.memoryGiB >= 2,
    "memoryGiB",
    o.memoryGiB,
    "must be a whole number of GiB, at least 2 (1 for /dev/shm, 1 for the processes)",
  );
  check(o.cpu > 0, "cpu", o.cpu, "must be above 0");
  check(o.framework === undefined || FRAMEWORKS.includes(o.framework), "framework", o.framework, `must be one of ${FRAMEWORKS.join(", ")}, or unset`);
  const sharedMemoryGiB = o.sharedMemoryGiB ?? defaultSharedMemoryGiB(o.memoryGiB, o.framework);
  const minimumProcessMemoryGiB = o.minimumProcessMemoryGiB ?? Math.max(1, o.memoryGiB / 4);
  check(wholeAbove0(sharedMemoryGiB), "sharedMemoryGiB", sharedMemoryGiB, "must be a whole number of GiB above 0");
  check(minimumProcessMemoryGiB > 0, "minimumProcessMemoryGiB", minimumProcessMemoryGiB, "must be above 0");
  check(
    sharedMemoryGiB + minimumProcessMemoryGiB <= o.memoryGiB,
    "sharedMemoryGiB",
    sharedMemoryGiB,
    `with ${minimumProcessMemoryGiB} GiB for the processes it must fit in the ${o.memoryGiB} GiB memory limit (/dev/shm counts against it): at most ${o.memoryGiB - minimumProcessMemoryGiB} GiB`,
  );
  if (o.scratch !== undefined) {
    check(wholeAbove0(o.scratch.sizeGiB), "scratch.sizeGiB", o.scratch.sizeGiB, "must be a whole number of GiB above 0");
    check(["local-nvme", "ebs"].includes(o.scratch.kind), "scratch.kind", o.scratch.kind, 'must be "local-nvme" or "ebs"');
  }
  const scratchPath = o.scratchPath ?? DEFAULT_SCRATCH_PATH;
  check(
    /^\/[^:]*$/.test(scratchPath) && !["/", "/tmp", SHM_MOUNT_PATH].includes(scratchPath.replace(/\/+$/, "") || "/"),
    "scratchPath",
    scratchPath,
    "must be an absolute path without ':' other than /, /tmp and /dev/shm",
  );
  const runAsUser = o.runAsUser ?? DEFAULT_RUN_AS_USER;
  check(Number.isInteger(runAsUser) && runAsUser > 0, "runAsUser", runAsUser, "must be a whole number above 0 (restricted Pod Security forbids root)");
  const mallocArenaMax = o.mallocArenaMax ?? 4;
  check(wholeAbove0(mallocArenaMax), "mallocArenaMax", mallocArenaMax, "must be a whole number above 0");
  return { ...o, sharedMemoryGiB, minimumProcessMemoryGiB, scratchPath, runAsUser, mallocArenaMax, capacity: o.capacity ?? "any" };
}

export function highMemoryPodSettings(options: HighMemoryWorkloadOptions): HighMemoryPodSettings {
  const o = resolveWorkloadOptions(options);
  const processGiB = o.memoryGiB - o.sharedMemoryGiB;
  const storage = podVolumes({ sharedMemoryGiB: o.sharedMemoryGiB, scratchPath: o.scratchPath, ...(o.scratch ? { scratch: o.scratch } : {}) });
  const quantity = { cpu: String(o.cpu), memory: `${o.memoryGiB}Gi`, "ephemeral-storage": `${storage.ephemeralStorageGiB}Gi` };
  const matchExpressions: k8s.core.v1.NodeSelectorRequirement[] = [{ key: "workload-type", operator: "In", values: [HIGH_MEMORY_LABELS["workload-type"]] }];
  if (o.capacity !== "any") matchExpressions.push({ key: "karpenter.sh/capacity-type", operator: "In", values: [o.capacity] });
  const framework = frameworkSettings({
    framework: o.framework,
    memoryGiB: o.memoryGiB,
    sharedMemoryGiB: o.sharedMemoryGiB,
    tempDir: o.scratch ? o.scratchPath : "/tmp",
  });
  return {
    annotations: o.doNotDisrupt ? { "karpenter.sh/do-not-disrupt": "true" } : {},
    tolerations: [{ key: HIGH_MEMORY_TAINT.key, operator: "Equal", value: HIGH_MEMORY_TAINT.value, effect: HIGH_MEMORY_TAINT.effect }],
    affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions }] } } },
    resources: { requests: quantity, limits: quantity },
    env: [
      { name: "MALLOC_ARENA_MAX", value: String(o.mallocArenaMax) },
      // CPython's own allocator holds freed blocks in pools; the system malloc honours the arena cap.
      { name: "PYTHONMALLOC", value: "malloc" },
      { name: "OMP_NUM_THREADS", value: String(Math.max(1, Math.floor(o.cpu))) },
      // Go programs collect before they reach 90% of what the limit leaves beside /dev/shm.
      { name: "GOMEMLIMIT", value: `${Math.floor(processGiB * 1024 * 0.9)}MiB` },
      // The root filesystem is read-only: tools that write to $HOME write to /tmp.
      { name: "HOME", value: "/tmp" },
      ...framework.env,
    ],
    volumes: storage.volumes,
    volumeMounts: storage.volumeMounts,
    podSecurityContext: restrictedPodSecurityContext(o.runAsUser),
    containerSecurityContext: restrictedContainerSecurityContext(),
    frameworkArgs: framework.args,
    memoryBudget: { limitGiB: o.memoryGiB, sharedMemoryGiB: o.sharedMemoryGiB, processGiB },
  };
}
