import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, declaredInProjectFile, type ConfigKeySpec } from "../../stacks/config/keys";
import { renderProjectFile } from "../../tools/lib/project-file";
import { readDeclarations } from "../../tools/preview/project-config";
import {
  renderConfigReference,
  renderMonitoring,
  renderPolicyRules,
  renderPoolKinds,
  renderPoolTables,
  renderStackRules,
  replaceSection,
} from "../../tools/lib/readme-sections";
import { configsUnderTest } from "../support/stack-configs";
import type { EnvironmentConfig } from "../../stacks/config/environment";
import { loadEnvironment } from "../../stacks/config/load";
import { TIER_DEFAULTS, TIERS, tierValues, type TierDefaults } from "../../stacks/config/tiers";

const projectFile = readFileSync(join(__dirname, "..", "..", "Pulumi.yaml"), "utf8");

describe("Pulumi.yaml", () => {
  it("is exactly what the config key registry renders (run `npm run config:sync` after editing keys.ts)", () => {
    expect(projectFile).toBe(renderProjectFile());
  });

  const specs = Object.entries(CONFIG_KEYS) as [string, ConfigKeySpec][];
  const parsed = parse(projectFile) as {
    name: string;
    stackConfigDir: string;
    main: string;
    config: Record<string, { type: string; description: string; secret?: boolean; default?: unknown }>;
  };

  it("declares every key but the optional secret ones, with a type Pulumi accepts and a description, and keeps stack files in stacks/", () => {
    expect(parsed.stackConfigDir).toBe("stacks");
    const optionalSecrets = specs.filter(([, spec]) => !declaredInProjectFile(spec)).map(([k]) => k);
    expect(optionalSecrets.sort()).toEqual(["alertDeadMansSwitchUrl", "alertPagerDutyRoutingKey", "alertSlackWebhookUrl"]);
    expect(Object.keys(parsed.config).sort()).toEqual(
      specs
        .map(([k]) => k)
        .filter((k) => !optionalSecrets.includes(k))
        .sort(),
    );
    for (const key of optionalSecrets) expect(projectFile).toContain(key); // named in the header comment
    for (const decl of Object.values(parsed.config)) {
      expect(["string", "integer", "boolean", "array"]).toContain(decl.type);
      expect(decl.description.length).toBeGreaterThan(20);
    }
  });

  it("declares no secret key with a default: the CLI applies a default as plaintext, then refuses it as not encrypted", () => {
    const offending = Object.entries(parsed.config).filter(([, decl]) => decl.secret === true && "default" in decl);
    expect(offending).toEqual([]);
  });

  it("passes the CLI's own checks of project config declarations", () => {
    expect(readDeclarations(parsed.name, parsed.config, "Pulumi.yaml").problems).toEqual([]);
  });

  it("gives every secret key an offline stand-in that its own rule accepts", () => {
    for (const [key, spec] of specs.filter(([, s]) => s.secret)) {
      expect(spec.offlineStandIn, key).toBeDefined();
      expect(spec.schema.safeParse(spec.offlineStandIn).success, key).toBe(true);
      expect(spec.type, key).toBe("string");
    }
  });

  it("gives every key a default except tier, which each stack must set", () => {
    const required = Object.entries(CONFIG_KEYS)
      .filter(([, spec]) => !("default" in spec))
      .map(([k]) => k);
    expect(required).toEqual(["tier"]);
  });
});

describe("README", () => {
  const root = join(__dirname, "..", "..");
  const readme = readFileSync(join(root, "README.md"), "utf8");

  it("documents every config key in its reference", () => {
    for (const key of Object.keys(CONFIG_KEYS)) expect(readme, key).toContain(`| \`${key}\` |`);
  });

  it("carries the generated sections as the code renders them today (run `npm run docs:sync`)", () => {
    // The pool tables document the sample stacks: test/examples checks them against the samples as shipped.
    let expected = replaceSection(readme, "config-reference", renderConfigReference());
    expected = replaceSection(expected, "pool-kinds", renderPoolKinds());
    expected = replaceSection(expected, "policy-rules", renderPolicyRules());
    expected = replaceSection(expected, "policy-stack-rules", renderStackRules());
    expected = replaceSection(expected, "monitoring", renderMonitoring());
    expect(readme).toBe(expected);
  });
});

describe("README pool tables (npm run docs:sync)", () => {
  // Rendered for any stack, whatever its region: prices the instance data lacks for a region are the
  // reference region's (as the pools' price ordering uses), never NaN.
  it.each(configsUnderTest())("render every figure for $label", (c) => {
    const text = renderPoolTables(c.root, [c.stack]);
    expect(text).toMatch(new RegExp(`^#### ${c.stack}: largest pod \\d+ GiB`, "m"));
    expect(text).not.toMatch(/NaN|undefined|Infinity/);
  });
});

describe("tier defaults in key descriptions (stacks/config/tiers.ts)", () => {
  // What each "tier default" key resolves to when unset, and where the tier table keeps it.
  const TIER_KEYS: Readonly<Record<string, [(t: TierDefaults) => string | number | readonly string[], (e: EnvironmentConfig) => unknown]>> = {
    natGateways: [(t) => t.natGateways, (e) => (e.network.kind === "create" ? e.network.natGateways : undefined)],
    systemNodeInstanceTypes: [(t) => t.systemNodeInstanceTypes, (e) => e.cluster.systemNodes.instanceTypes],
    systemNodeCount: [(t) => t.systemNodeCount, (e) => e.cluster.systemNodes.minSize],
    systemNodeMaxCount: [(t) => t.systemNodeMaxCount, (e) => e.cluster.systemNodes.maxSize],
    controlPlaneLogRetentionDays: [(t) => t.controlPlaneLogRetentionDays, (e) => e.cluster.logRetentionDays],
    flowLogRetentionDays: [(t) => t.flowLogRetentionDays, (e) => (e.network.kind === "create" ? e.network.flowLogRetentionDays : undefined)],
    largestPodMemoryGiB: [(t) => t.largestPodMemoryGiB, (e) => e.karpenter.largestPodMemoryGiB],
    highMemoryPoolCpuLimit: [(t) => t.poolLimits.highMemory.cpu, (e) => e.karpenter.highMemoryLimits.cpu],
    highMemoryPoolMemoryLimitGiB: [(t) => t.poolLimits.highMemory.memoryGiB, (e) => e.karpenter.highMemoryLimits.memoryGiB],
    generalPoolCpuLimit: [(t) => t.poolLimits.general.cpu, (e) => e.karpenter.generalLimits.cpu],
    generalPoolMemoryLimitGiB: [(t) => t.poolLimits.general.memoryGiB, (e) => e.karpenter.generalLimits.memoryGiB],
    redisMemoryGiB: [(t) => t.redis.memoryGiB, (e) => e.redis.memoryGiB],
    redisBackupSchedule: [(t) => `"${t.redis.backupSchedule}"`, (e) => `"${e.redis.backupSchedule}"`],
    redisBackupsKept: [(t) => t.redis.backupsKept, (e) => e.redis.backupsKept],
    redisCpu: [(t) => t.redis.cpu, (e) => e.redis.cpu],
    redisStorageGiB: [(t) => t.redis.storageGiB, (e) => e.redis.storageGiB],
    bucketReplicaRegions: [(t) => t.buckets.replicaCount, (e) => e.buckets.replicaRegions.length],
    noncurrentVersionDays: [(t) => t.buckets.noncurrentVersionDays, (e) => e.buckets.noncurrentVersionDays],
    monitoringRetentionDays: [(t) => t.monitoring.retentionDays, (e) => e.monitoring.retentionDays],
    monitoringStorageGiB: [(t) => t.monitoring.storageGiB, (e) => e.monitoring.storageGiB],
    volumeSnapshotHours: [(t) => t.volumeSnapshots.hours, (e) => e.storage.snapshotHours],
    volumeSnapshotRetention: [(t) => t.volumeSnapshots.retentionCount, (e) => e.storage.snapshotRetentionCount],
    admissionPolicies: [(t) => t.admission.mode, (e) => e.cluster.admission.mode],
    admissionReplicas: [(t) => t.admission.replicas, (e) => e.cluster.admission.replicas],
  };

  it("covers every key whose description mentions a tier default", () => {
    const mentioning = (Object.entries(CONFIG_KEYS) as [string, ConfigKeySpec][])
      .filter(([k, s]) => k !== "tier" && /tier default/.test(s.description))
      .map(([k]) => k);
    expect(mentioning.sort()).toEqual(Object.keys(TIER_KEYS).sort());
  });

  it.each(Object.entries(TIER_KEYS))("%s: the description prints the tier table's values, and an unset key resolves to them", (key, [pick, resolved]) => {
    expect((CONFIG_KEYS as Record<string, ConfigKeySpec>)[key]!.description).toContain(tierValues(pick));
    for (const tier of TIERS) {
      const env = loadEnvironment(
        { "aws:region": "us-west-2", "highmem-platform:tier": tier, "highmem-platform:clusterPrivateAccessCidrs": '["10.0.240.0/24"]' },
        tier,
      );
      const expected = pick(TIER_DEFAULTS[tier]);
      expect(resolved(env), `${key} in ${tier}`).toEqual(expected);
    }
  });
});
