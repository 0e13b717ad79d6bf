/**
 * The repository's own index of component internals: what stacks/, tools/, bootstrap/ and policies/
 * use beyond the public entry points (./index.ts and ./helpers.ts). It is NOT in package.json
 * `exports`, so a consumer of the package cannot import it; nothing here is a promise to them.
 */
export { PHYSICAL_NAME, requireThat, withDefaults, type Resolved } from "./lib/args";
export { managedPolicyArn, podIdentityTrustPolicy, policyJson, serviceTrustPolicy, type PolicyDocument, type PolicyStatement } from "./lib/iam";
export { KEY_LIFECYCLE } from "./lib/kms";
export { bucketPolicy } from "./buckets/bucket-policies";
export { LOG_RETENTION_DAYS } from "./lib/cloudwatch";
export { GP3, gp3Problem, minimumVolumeGiB } from "./storage/gp3-limits";
export {
  MAX_SNAPSHOT_RETENTION_COUNT,
  SNAPSHOT_INTERVAL_HOURS,
  VOLUME_BACKUPS_DEFAULTS,
  VolumeBackups,
  PVC_NAMESPACE_TAG,
  PVC_NAME_TAG,
} from "./storage/volume-backups";
export { DEFAULT_MAXMEMORY_RATIO, MAX_MAXMEMORY_RATIO, renderRedisConf, START_SCRIPT } from "./redis/redis-config";
export { allocatableForPodsMiB, PRICE_REFERENCE_REGION, pricePerGiB } from "./karpenter/capacity";
export { INSTANCE_DATA_DATE, INSTANCE_DATA_SOURCE } from "./karpenter/instance-types";
export { alertRuleGroups, type AlertRule } from "./monitoring/alert-rules";
export { DASHBOARDS } from "./monitoring/dashboards";
export { platformRuleGroups } from "./monitoring/monitoring-stack";
export { backupAgeLimitSeconds, backupRuleGroup, scheduleMaxGapSeconds } from "./monitoring/backup-rules";
export {
  MEMORY_REQUESTS_ABOVE_P95,
  RIGHTSIZING_MIN_REQUEST_BYTES,
  RIGHTSIZING_RATIO,
  RIGHTSIZING_SERIES,
  rightSizingRuleGroups,
  type TimedRuleGroup,
} from "./monitoring/rightsizing-rules";

// Everything public is available here too, so repository code needs one import path.
export * from "./index";
export * from "./helpers";
export { MIN_RETENTION_DAYS, replicaRegionProblem } from "./buckets/replicated-bucket";
export { CONTROL_PLANE_LOG_RETENTION_DAYS, ROLE_ARN, accessCidrProblem, deployPathProblem } from "./cluster/cluster-rules";
export { SYSTEM_NODE_DISK_GIB } from "./cluster/system-node-group";
export { type Taint } from "./karpenter/karpenter-node-pool";
export {
  POOL_KINDS,
  POOL_KIND_REGISTRY,
  POOL_ROLE_LABEL,
  type PoolContext,
  type PoolDeclaration,
  type PoolKind,
  type PoolLimits,
  buildPool,
  firstPoolWithRole,
  poolDeclarationProblems,
} from "./karpenter/pool-kinds";
export { HIGH_MEMORY_POOL_DEFAULTS } from "./karpenter/pool-presets";
export { localWindowProblems, parseDays, parseHours, utcBudgetsFor, type BudgetSchedule, type LocalWindow } from "./karpenter/budget-schedule";
export { parseIpv4Cidr } from "./lib/cidr";
export { isTimeZone } from "./lib/time-zone";
export { DATA_HOLDING_TYPES, PROTECTED_IN_PROD_TYPES, holdsData } from "./lib/resource-kinds";
export { emailAddressProblems } from "./monitoring/alarm-topic";
export { MONITORING_LIMITS } from "./monitoring/monitoring-stack";
export { FLOW_LOG_DEFAULTS, VPC_PREFIX, vpcCidrProblem } from "./network/vpc-network";
export { FLOW_LOG_TRAFFIC_TYPES, flowLogsDeliveryPolicy, flowLogsTrustPolicy, type FlowLogTrafficType } from "./network/flow-logs";
export { encryptedLogGroup, logGroupArn, logGroupKeyPolicy, type LogGroupPlace } from "./lib/log-group";
export { planSubnets } from "./network/subnet-plan";
export { REDIS_MIN_MASTERS, redisStorageProblem } from "./redis/redis-config";
export { claimNames, DELETION_PROPAGATION_ANNOTATION, ORPHAN, resizeProblem } from "./redis/resize";
export { ENGINES as REDIS_ENGINES, engineBinaries } from "./redis/engine";
export { PLAN_AWK, planTopology, type TopologyNode, type TopologyPlan } from "./redis/topology";
export { topologyHash, topologyJob } from "./redis/topology-jobs";
export { BOOTSTRAP_SCRIPT, DRAIN_SCRIPT } from "./redis/bootstrap-script";
export {
  describeStart,
  heldHours,
  parseCron,
  parseDuration,
  poolInstanceTypes,
  startsPerMonth,
  WINDOW_DEFAULTS,
  windowFitProblems,
  windowSchedules,
  zonedToUtc,
  type CapacityWindow,
} from "./karpenter/capacity-window";
export { CapacityWindows, CAPACITY_WINDOWS_DEFAULTS, WINDOW_ANNOTATIONS, type CapacityWindowsArgs } from "./karpenter/capacity-windows";
export { capacityWindowRuleGroup, WINDOW_RECORDED_SERIES } from "./monitoring/window-rules";
export {
  CONTAINER_DEFAULTS,
  limitRangeLimits,
  networkPolicySpecs,
  POD_IDENTITY_AGENT,
  PRIVATE_RANGES,
  quotaHard,
  type EgressOptIns,
} from "./workloads/team-policies";
export { DNS_LABEL } from "./lib/names";
export { declaredPrefixProblem } from "./workloads/data-access";
export { AUTOSCALER_RESOURCE_LIMITS, SYSTEM_PLACEMENT, kedaValues, resourcesProblem, vpaValues } from "./autoscaling/workload-autoscaling";
export { arrayAt, at, coalesce, isObject, objectAt, str, stringMap, type Json, type JsonObject } from "./lib/values";
export { chartName, chartPods, KARPENTER_DEFAULTS, KEDA_DEFAULTS, KYVERNO_COMPONENTS, KYVERNO_DEFAULTS, type ChartPod, type ReleaseLike } from "./lib/charts";
export { PLATFORM_IMAGE_REGISTRIES } from "./versions";
export { MONITORING_PRIVILEGED_REASON } from "./monitoring/monitoring-stack";
export { PRIVILEGED_REASON_ANNOTATION } from "./lib/pod-security";
export {
  admissionPolicies,
  admissionPolicyDefinitions,
  checkMessage,
  IMAGE_VARIABLES,
  present,
  REGISTRY_PREFIX,
  VARIABLES as ADMISSION_VARIABLES,
  type AdmissionCheck,
  type AdmissionPolicyDefinition,
  type AdmissionPolicyOptions,
} from "./admission/policies";
export { kyvernoValues, type KyvernoValuesOptions } from "./admission/kyverno-values";
