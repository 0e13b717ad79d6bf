/**
 * Settings for the frameworks that use `/dev/shm` and scratch on the platform's pools, derived from
 * the pod's memory budget.
 *
 * Ray (ray-project/ray python/ray/_private/ray_constants.py, DEFAULT_OBJECT_STORE_MEMORY_PROPORTION
 * 0.3 and REQUIRE_SHM_SIZE_THRESHOLD 10**10; docs.ray.io "Memory Management": the object store takes
 * 30% of available memory unless `--object-store-memory` says otherwise, in shared memory): the
 * default `/dev/shm` of a Ray pod is 30% of its memory, and the object store is bound to the shm size
 * with `--object-store-memory` so it never outgrows the tmpfs and falls back to disk. RAY_TMPDIR moves
 * Ray's session directory (sockets, logs, spilled objects) to scratch (ray python/ray/_private/utils.py
 * get_user_temp_dir reads RAY_TMPDIR first).
 *
 * Dask (dask/distributed 2026.7.1 distributed/distributed.yaml, distributed.worker.memory: target
 * 0.60, spill 0.70, pause 0.80, terminate 0.95, "fractions of worker process memory ... relative to
 * each worker's memory_limit"; distributed/system.py memory_limit() takes the cgroup limit, which
 * includes `/dev/shm`): the fractions are scaled by (memory - shm) / memory so that they apply to what
 * the worker processes may really use. DASK_TEMPORARY_DIRECTORY sets `temporary-directory` (dask/dask
 * dask/dask.yaml; DASK_ variables with `__` for nesting are read by dask/config.py collect_env), where
 * workers put their local directory and spill files.
 *
 * PyTorch: DataLoader workers pass batches to the main process through shared memory, which is why
 * the 64 MiB container default breaks them; no variable is needed beyond a real `/dev/shm`.
 */
import type * as k8s from "@pulumi/kubernetes/types/input";

export type Framework = "ray" | "dask" | "pytorch";
export const FRAMEWORKS: readonly Framework[] = ["ray", "dask", "pytorch"];

/** Ray's default object store share of memory (ray_constants.py DEFAULT_OBJECT_STORE_MEMORY_PROPORTION). */
export const RAY_OBJECT_STORE_SHARE = 0.3;
/**
 * Share of `/dev/shm` given to Ray's object store: the rest stays for other shared-memory users in the
 * pod (Python multiprocessing, PyTorch DataLoader workers inside Ray tasks).
 */
export const RAY_OBJECT_STORE_SHM_SHARE = 0.9;
/** Dask's defaults (distributed 2026.7.1 distributed.yaml, distributed.worker.memory). */
export const DASK_MEMORY_FRACTIONS = { TARGET: 0.6, SPILL: 0.7, PAUSE: 0.8, TERMINATE: 0.95 } as const;

export interface FrameworkSettings {
  readonly env: k8s.core.v1.EnvVar[];
  /** Arguments to add to the framework's start command (`ray start ...`). */
  readonly args: string[];
}

export function frameworkSettings(o: {
  framework: Framework | undefined;
  memoryGiB: number;
  sharedMemoryGiB: number;
  /** Scratch mount path, or /tmp when the pod has no scratch. */
  tempDir: string;
}): FrameworkSettings {
  switch (o.framework) {
    case "ray": {
      const bytes = Math.floor(o.sharedMemoryGiB * 1024 ** 3 * RAY_OBJECT_STORE_SHM_SHARE);
      return { env: [{ name: "RAY_TMPDIR", value: o.tempDir }], args: [`--object-store-memory=${bytes}`] };
    }
    case "dask": {
      const share = (o.memoryGiB - o.sharedMemoryGiB) / o.memoryGiB;
      // Rounded down to 0.001 (never above the scaled default); the epsilon absorbs binary fractions such as 0.7 x 0.8.
      const fraction = (f: number) => (Math.floor(f * share * 1000 + 1e-9) / 1000).toFixed(3);
      return {
        env: [
          { name: "DASK_TEMPORARY_DIRECTORY", value: o.tempDir },
          ...Object.entries(DASK_MEMORY_FRACTIONS).map(([k, f]) => ({ name: `DASK_DISTRIBUTED__WORKER__MEMORY__${k}`, value: fraction(f) })),
        ],
        args: [],
      };
    }
    default:
      return { env: [], args: [] };
  }
}

/** The default `/dev/shm` of a pod (GiB). */
export function defaultSharedMemoryGiB(memoryGiB: number, framework: Framework | undefined): number {
  // Ray: its object store's default share, so the store lives in shared memory as Ray intends.
  if (framework === "ray") return Math.max(1, Math.floor(memoryGiB * RAY_OBJECT_STORE_SHARE));
  // Others: 5% of memory, 1-8 GiB. 8 GiB holds 8 DataLoader workers x prefetch_factor 2 (PyTorch's
  // default) x 512 MiB batches; the container default of 64 MiB holds one small batch.
  return Math.min(8, Math.max(1, Math.floor(memoryGiB * 0.05)));
}
