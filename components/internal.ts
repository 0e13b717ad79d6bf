/**
 * The repository's own index of component internals: what stacks/, tools/, bootstrap/ and policies/
 * use beyond the public entry points (./index.ts and ./helpers.ts). It is NOT in package.json
 * `exports`, so a consumer of the package cannot import it; nothing here is a promise to them.
 */
export { PHYSICAL_NAME, requireThat, withDefaults, type Resolved } from "./lib/args";
export { managedPolicyArn, podIdentityTrustPolicy, policyJson, serviceTrustPolicy, type PolicyDocument, type PolicyStatement } from "./lib/iam";
export { KEY_LIFECYCLE } from "./lib/kms";
export { LOG_RETENTION_DAYS } from "./lib/cloudwatch";
export { GP3, gp3Problem, minimumVolumeGiB } from "./storage/gp3-limits";
export { DEFAULT_MAXMEMORY_RATIO, MAX_MAXMEMORY_RATIO, renderRedisConf, START_SCRIPT } from "./redis/redis-config";
export { allocatableForPodsMiB, PRICE_REFERENCE_REGION, pricePerGiB } from "./karpenter/capacity";
export { INSTANCE_DATA_DATE, INSTANCE_DATA_SOURCE } from "./karpenter/instance-types";
export { alertRuleGroups, type AlertRule } from "./monitoring/alert-rules";
export { DASHBOARDS } from "./monitoring/dashboards";
