/**
 * Turns the raw config of a stack (Pulumi's flat "namespace:key" -> string map) into a validated
 * EnvironmentConfig, or throws a ConfigError that lists every problem at once. Layered: keys/ holds
 * each group's key specs, parse.ts checks every key on its own, resolve/ applies each group's tier
 * defaults and the rules that span keys, errors.ts is what they report. Needs no Pulumi engine, so
 * the same code serves `pulumi up`, the offline preview and the tests; only which keys are secret
 * comes from the Pulumi runtime by default (runtime-secrets.ts), or from the caller.
 */
import type { EnvironmentConfig } from "./environment";
import { ConfigError, type ConfigProblem, type Problem } from "./errors";
import { PROJECT } from "./keys";
import { parseConfig, qualified, type LoadOptions } from "./parse";
import { resolveBuckets } from "./resolve/buckets";
import { resolveCluster } from "./resolve/cluster";
import { resolveData } from "./resolve/data";
import { resolveGeneral } from "./resolve/general";
import { resolveKarpenter } from "./resolve/karpenter";
import { resolveMonitoring } from "./resolve/monitoring";
import { resolveNetwork } from "./resolve/network";
import { resolveTeams } from "./resolve/teams";
import { resolveReferenceWorkloads } from "./resolve/reference-workloads";
import { resolvePolicy } from "./resolve/policy";
import { dayOf } from "../../policies/rules/waivers";
import { TIER_DEFAULTS } from "./tiers";

export { ConfigError, type ConfigProblem } from "./errors";
export type { LoadOptions } from "./parse";

export function loadEnvironment(raw: Readonly<Record<string, string>>, stack: string, options: LoadOptions = {}): EnvironmentConfig {
  const { values: v, region } = parseConfig(raw, stack, options);
  const problems: ConfigProblem[] = [];
  const problem: Problem = (key, value, message) => problems.push({ key: key.includes(":") ? key : qualified(key), value, message });
  const tier = TIER_DEFAULTS[v.tier];

  const { namePrefix, tags } = resolveGeneral(v, stack, problem);
  const network = resolveNetwork(v, v.tier, tier, region, problem);
  const cluster = resolveCluster(v, v.tier, tier, problem);
  const { storage, redis } = resolveData(v, tier, problem);
  const buckets = resolveBuckets(v, tier, region, problem);
  const monitoring = resolveMonitoring(v, tier, problem);
  const karpenter = resolveKarpenter(v, tier, region, { redis, monitoring }, problem);
  const teams = resolveTeams(v, namePrefix, storage, cluster.adminRoleArns, problem);
  const referenceWorkloads = resolveReferenceWorkloads(v, teams, karpenter, problem);
  const policyWaivers = resolvePolicy(v, stack, options.today ?? dayOf(new Date()), problem);

  if (problems.length > 0) throw new ConfigError(stack, problems);
  return {
    project: PROJECT,
    stack,
    tier: v.tier,
    region,
    namePrefix,
    protect: tier.protect,
    tags,
    network,
    cluster,
    karpenter,
    storage,
    redis,
    buckets,
    monitoring,
    teams,
    referenceWorkloads,
    policyWaivers,
  };
}
