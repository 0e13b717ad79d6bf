/**
 * `highmem-platform/components/helpers`: helpers for the workloads that run on the platform's pools
 * (pod settings, `/dev/shm`, scratch and autoscaling for high-memory pods) and for the pools themselves (presets sized
 * from the largest pod, and the placement that lands a pod on exactly one pool).
 */
export { highMemoryPodSettings, WorkloadOptionsError, type HighMemoryPodSettings, type HighMemoryWorkloadOptions } from "./workloads/pod-settings";
export {
  memoryAutoscalerSpec,
  verticalPodAutoscaler,
  type MemoryAutoscalerOptions,
  type ScaleTarget,
  type VerticalPodAutoscaler,
  type VerticalPodAutoscalerOptions,
} from "./workloads/autoscaling";
export { DEFAULT_SCRATCH_PATH, type ScratchVolume } from "./workloads/pod-volumes";
export { defaultSharedMemoryGiB, type Framework } from "./workloads/frameworks";
export {
  DAEMONSET_MEMORY_MIB,
  HIGH_MEMORY_LABELS,
  HIGH_MEMORY_TAINT,
  PoolSizingError,
  SPOT_TO_SPOT_MIN_TYPES,
  STATEFUL_LABELS,
  STATEFUL_TAINT,
  generalPool,
  highMemoryPool,
  highMemoryTypes,
  placementOn,
  statefulPool,
  type GeneralPoolOptions,
  type HighMemoryPoolOptions,
  type PoolPlacement,
  type StatefulPoolOptions,
} from "./karpenter/pool-presets";
export { INSTANCE_TYPES, type Architecture, type InstanceType } from "./karpenter/instance-types";
export { S3_CSI_DRIVER, S3_PREFIX_VOLUME_DEFAULTS, s3PrefixVolumeSpecs, type S3PrefixVolumeOptions, type S3PrefixVolumeSpecs } from "./workloads/s3-volume";
export { dataAccessPolicy, normalisePrefix, prefixProblem } from "./workloads/data-access";
