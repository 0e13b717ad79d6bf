/**
 * Turns the raw config of a stack (Pulumi's flat "namespace:key" -> string map) into a validated
 * EnvironmentConfig, or throws a ConfigError that lists every problem at once. Needs no Pulumi
 * engine, so the same code serves `pulumi up`, the offline preview and the tests; only which keys
 * are secret comes from the Pulumi runtime by default (runtime-secrets.ts), or from the caller.
 */
import type { z } from "zod";
import { DEFAULT_KUBERNETES_VERSION } from "../../components";
import { CONFIG_KEYS, PROJECT, PROVIDER_KEYS, type ConfigKey, type ConfigKeySpec, type Tier } from "./keys";
import type { EnvironmentConfig, NetworkSettings } from "./environment";
import { resolveBuckets, resolveData } from "./data-settings";
import { resolveKarpenter } from "./karpenter-settings";
import { TIER_DEFAULTS } from "./tiers";
import { isRuntimeConfigSecret } from "./runtime-secrets";
import { editDistance, nearest } from "./validators";
import { accessCidrProblem, deployPathProblem } from "../../components/internal";
import { vpcCidrProblem } from "../../components/internal";
import { emailAddressProblems } from "../../components/internal";

export interface ConfigProblem {
  /** Full key path, such as highmem-platform:clusterPublicAccessCidrs[0]. */
  readonly key: string;
  /** The offending value; absent when the key is missing. */
  readonly value?: unknown;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    const lines = problems.map((p) => `  - ${p.key}${"value" in p ? ` = ${JSON.stringify(p.value)}` : ""}: ${p.message}`);
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`Invalid configuration for stack "${stackName}" (${count}); no resources were declared:\n${lines.join("\n")}`);
    this.name = "ConfigError";
  }
}

type Values = { -readonly [K in ConfigKey]: z.output<(typeof CONFIG_KEYS)[K]["schema"]> };

const KEY_NAMES = Object.keys(CONFIG_KEYS) as ConfigKey[];
const qualified = (key: string) => `${PROJECT}:${key}`;

/** Converts Pulumi's string form of a value to the declared type, or says why it cannot. */
function convert(spec: ConfigKeySpec, text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  switch (spec.type) {
    case "string":
      return { ok: true, value: text };
    case "integer":
      return /^-?\d+$/.test(text.trim()) ? { ok: true, value: Number(text) } : { ok: false, message: "must be a whole number" };
    case "boolean":
      return text === "true" || text === "false" ? { ok: true, value: text === "true" } : { ok: false, message: "must be true or false" };
    case "array": {
      try {
        const parsed: unknown = JSON.parse(text);
        return Array.isArray(parsed) ? { ok: true, value: parsed } : { ok: false, message: "must be a list" };
      } catch {
        return { ok: false, message: "must be a list" };
      }
    }
  }
}

function pathSuffix(path: readonly PropertyKey[]): string {
  return path.map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`)).join("");
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  return path.reduce<unknown>((v, p) => (v !== null && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined), root);
}

/** Validates one key's value against its rule, adding a problem per issue. */
function check(key: string, schema: z.ZodType, value: unknown, problems: ConfigProblem[]): unknown {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const seen = new Set<string>();
  for (const issue of result.error.issues) {
    // A union reports one issue per branch; the last branch carries the informative message.
    const path = qualified(key) + pathSuffix(issue.path);
    const message = issue.code === "invalid_union" ? lastUnionMessage(issue) : issue.message;
    if (seen.has(path)) continue;
    seen.add(path);
    problems.push({ key: path, value: valueAt(value, issue.path), message });
  }
  return undefined;
}

function lastUnionMessage(issue: z.core.$ZodIssue): string {
  if (issue.code !== "invalid_union") return issue.message;
  const branches = issue.errors;
  const last = branches[branches.length - 1];
  return last?.[0]?.message ?? issue.message;
}

/** Stack names may hold characters AWS names do not; derive a safe default prefix. */
function defaultNamePrefix(stack: string): string {
  return `hm-${stack.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}`.slice(0, 20).replace(/-+$/, "");
}

/** A namespace that is probably a misspelling of the project's, such as "highmem" or "highmem-platfrom". */
function looksLikeProject(namespace: string): boolean {
  if (namespace === PROJECT || namespace.length < 3) return false;
  const ns = namespace.toLowerCase();
  return PROJECT.startsWith(ns) || ns.startsWith(PROJECT) || editDistance(ns, PROJECT) <= 3;
}

export interface LoadOptions {
  /**
   * Whether a key's value is secret (encrypted in the stack file).
   * @default the Pulumi runtime's answer (PULUMI_CONFIG_SECRET_KEYS, or setAllConfig under mocks)
   */
  readonly isSecret?: (key: string) => boolean;
}

export function loadEnvironment(raw: Readonly<Record<string, string>>, stack: string, options: LoadOptions = {}): EnvironmentConfig {
  const isSecret = options.isSecret ?? isRuntimeConfigSecret;
  const problems: ConfigProblem[] = [];

  for (const fullKey of Object.keys(raw).sort()) {
    const [namespace = "", ...rest] = fullKey.split(":");
    const key = rest.join(":");
    if (namespace !== PROJECT) {
      // Pulumi passes keys of every namespace through; one that looks like this project's is a typo.
      if (!looksLikeProject(namespace)) continue;
      const guess = (CONFIG_KEYS as Record<string, unknown>)[key] !== undefined ? key : nearest(key, KEY_NAMES);
      problems.push({
        key: fullKey,
        message: `namespace "${namespace}" is not this project's ("${PROJECT}"), so the program would never read this key${guess ? `; did you mean "${qualified(guess)}"?` : ""}`,
      });
      continue;
    }
    if ((CONFIG_KEYS as Record<string, unknown>)[key] !== undefined) continue;
    const guess = nearest(key, KEY_NAMES);
    problems.push({
      key: fullKey,
      message: `unknown key${guess ? `; did you mean "${qualified(guess)}"?` : `; valid keys are: ${KEY_NAMES.join(", ")}`}`,
    });
  }

  const region = raw["aws:region"];
  if (region === undefined) {
    problems.push({ key: "aws:region", message: `is required: ${PROVIDER_KEYS["aws:region"].description}` });
  } else if (!PROVIDER_KEYS["aws:region"].schema.safeParse(region).success) {
    problems.push({ key: "aws:region", value: isSecret("aws:region") ? "[secret]" : region, message: "must be an AWS region such as us-west-2" });
  }

  const values: Partial<Record<ConfigKey, unknown>> = {};
  for (const key of KEY_NAMES) {
    const spec: ConfigKeySpec = CONFIG_KEYS[key];
    const text = raw[qualified(key)];
    if (text === undefined) {
      if (!("default" in spec)) {
        problems.push({ key: qualified(key), message: `is required: ${spec.description}` });
        continue;
      }
      values[key] = spec.default;
      continue;
    }
    const masked = spec.secret === true || isSecret(qualified(key));
    if (spec.secret && !isSecret(qualified(key))) {
      // Optional secret keys are not declared in Pulumi.yaml (keys.ts), so the CLI does not enforce
      // their encryption: the program does.
      problems.push({
        key: qualified(key),
        value: "[secret]",
        message: `must be a secret, and this value is stored in plaintext in the stack file: set it with \`pulumi config set --secret ${key} <value>\``,
      });
      continue;
    }
    const converted = convert(spec, text);
    if (!converted.ok) {
      problems.push({ key: qualified(key), value: masked ? "[secret]" : text, message: converted.message });
      continue;
    }
    const before = problems.length;
    const checked = check(key, spec.schema, converted.value, problems);
    // A secret's value never appears in an error message.
    if (masked) problems.splice(before, problems.length - before, ...problems.slice(before).map((p) => ({ ...p, value: "[secret]" })));
    if (checked !== undefined) values[key] = checked;
  }

  if (problems.length > 0 || region === undefined) throw new ConfigError(stack, problems);
  return resolve(values as Values, region, stack);
}

/** Applies tier defaults and checks the rules that span several keys. */
function resolve(v: Values, region: string, stack: string): EnvironmentConfig {
  const problems: ConfigProblem[] = [];
  const tier: Tier = v.tier;
  const tierDefaults = TIER_DEFAULTS[tier];
  const problem = (key: ConfigKey | `${ConfigKey}[${number}]` | "aws:region", value: unknown, message: string) =>
    problems.push({ key: key.includes(":") ? key : qualified(key), value, message });

  const namePrefix = v.namePrefix || defaultNamePrefix(stack);
  if (!/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/.test(namePrefix)) {
    problem(
      "namePrefix",
      v.namePrefix,
      `the default derived from stack "${stack}" ("${namePrefix}") is not a valid name: set namePrefix to 3-20 lowercase letters, digits and hyphens`,
    );
  }

  const tags: Record<string, string> = {};
  v.tags.forEach((tag, i) => {
    const [key = "", ...value] = tag.split("=");
    if (key in tags) problems.push({ key: `${qualified("tags")}[${i}]`, value: tag, message: `repeats tag key "${key}"` });
    if (/^(kubernetes\.io|karpenter\.sh|eks:|Name$)/.test(key)) {
      problems.push({ key: `${qualified("tags")}[${i}]`, value: tag, message: `tag key "${key}" is managed by the platform (subnet roles, discovery, names)` });
    }
    tags[key] = value.join("=");
  });

  let network: NetworkSettings;
  if (v.existingVpcId) {
    if (v.existingPrivateSubnetIds.length < 2) {
      problem(
        "existingPrivateSubnetIds",
        v.existingPrivateSubnetIds,
        "must list 2 or 3 private subnets (in different zones) when existingVpcId is set: EKS needs at least two zones",
      );
    }
    for (const key of ["existingPrivateSubnetIds", "existingPublicSubnetIds"] as const) {
      if (new Set(v[key]).size !== v[key].length) problem(key, v[key], "lists a subnet more than once");
    }
    network = { kind: "existing", vpcId: v.existingVpcId, privateSubnetIds: v.existingPrivateSubnetIds, publicSubnetIds: v.existingPublicSubnetIds };
  } else {
    for (const key of ["existingPrivateSubnetIds", "existingPublicSubnetIds"] as const) {
      if (v[key].length > 0) problem(key, v[key], "only applies together with existingVpcId; set existingVpcId or remove this key");
    }
    // The key's schema has refused malformed blocks already; this is the component's own rule.
    const cidrProblem = vpcCidrProblem(v.vpcCidr);
    if (cidrProblem) problem("vpcCidr", v.vpcCidr, cidrProblem);
    const zones = v.availabilityZones.length > 0 ? v.availabilityZones : ["a", "b", "c"].map((s) => region + s);
    if (v.availabilityZones.length > 0) {
      if (zones.length !== 3) problem("availabilityZones", zones, "must list exactly 3 availability zones, or be [] for the region's a, b and c");
      if (new Set(zones).size !== zones.length) problem("availabilityZones", zones, "lists a zone more than once");
      const foreign = zones.filter((z) => !(z.startsWith(region) && z.length === region.length + 1));
      if (foreign.length > 0) problem("availabilityZones", zones, `must be zones of the stack's region ${region}; not: ${foreign.join(", ")}`);
    }
    network = {
      kind: "create",
      cidr: v.vpcCidr,
      availabilityZones: zones,
      natGateways: v.natGateways === "auto" ? tierDefaults.natGateways : v.natGateways,
    };
  }

  for (const [key, endpoint] of [
    ["clusterPublicAccessCidrs", "public"],
    ["clusterPrivateAccessCidrs", "private"],
  ] as const) {
    v[key].forEach((c, i) => {
      const message = accessCidrProblem(c, endpoint);
      if (message) problems.push({ key: `${qualified(key)}[${i}]`, value: c, message });
    });
  }
  const deployPath = deployPathProblem(v.clusterPublicAccessCidrs, v.clusterPrivateAccessCidrs);
  if (deployPath) problem("clusterPrivateAccessCidrs", v.clusterPrivateAccessCidrs, deployPath);
  const minSize = v.systemNodeCount || tierDefaults.systemNodeCount;
  const maxSize = v.systemNodeMaxCount || Math.max(tierDefaults.systemNodeMaxCount, minSize);
  if (maxSize < minSize) problem("systemNodeMaxCount", v.systemNodeMaxCount, `must be at least systemNodeCount (${minSize})`);
  if (tier !== "dev" && minSize < 2)
    problem("systemNodeCount", v.systemNodeCount, `must be at least 2 in ${tier}: one system node is a single point of failure for CoreDNS and Karpenter`);

  const { storage, redis } = resolveData(v, tierDefaults, problem);
  const buckets = resolveBuckets(v, tierDefaults, region, problem);
  for (const p of emailAddressProblems(v.alarmEmailAddresses)) {
    problems.push({ key: `${qualified("alarmEmailAddresses")}[${p.index}]`, value: v.alarmEmailAddresses[p.index], message: p.message });
  }
  const monitoring = {
    retentionDays: v.monitoringRetentionDays || tierDefaults.monitoring.retentionDays,
    storageGiB: v.monitoringStorageGiB || tierDefaults.monitoring.storageGiB,
    prometheusReplicas: tierDefaults.monitoring.prometheusReplicas,
    alarmEmailAddresses: v.alarmEmailAddresses,
    receivers: {
      ...(v.alertSlackWebhookUrl ? { slackWebhookUrl: v.alertSlackWebhookUrl } : {}),
      ...(v.alertPagerDutyRoutingKey ? { pagerDutyRoutingKey: v.alertPagerDutyRoutingKey } : {}),
      ...(v.alertDeadMansSwitchUrl ? { deadMansSwitchUrl: v.alertDeadMansSwitchUrl } : {}),
    },
  };

  const karpenter = resolveKarpenter(v, tierDefaults, region, { redis, monitoring }, problem);

  if (problems.length > 0) throw new ConfigError(stack, problems);
  return {
    project: PROJECT,
    karpenter,
    storage,
    redis,
    buckets,
    monitoring,
    stack,
    tier,
    region,
    namePrefix,
    protect: tierDefaults.protect,
    tags,
    network,
    cluster: {
      kubernetesVersion: v.kubernetesVersion || DEFAULT_KUBERNETES_VERSION,
      adminRoleArns: v.clusterAdminRoleArns,
      publicAccessCidrs: v.clusterPublicAccessCidrs,
      privateAccessCidrs: v.clusterPrivateAccessCidrs,
      systemNodes: {
        instanceTypes: v.systemNodeInstanceTypes.length > 0 ? v.systemNodeInstanceTypes : tierDefaults.systemNodeInstanceTypes,
        minSize,
        maxSize,
        diskSizeGiB: v.systemNodeDiskGiB,
      },
      logRetentionDays: v.controlPlaneLogRetentionDays || tierDefaults.controlPlaneLogRetentionDays,
    },
  };
}
