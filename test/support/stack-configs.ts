/**
 * The configs the rule suites run over: every stack file present in stacks/ (the samples, and any a
 * team adds or edits), plus generated configs of other valid shapes, written to a temporary project
 * (a copy of Pulumi.yaml and a stacks/ folder), so that every run covers those shapes too.
 *
 * A rule derives what it expects from the stack's own resolved config (`environmentOf`), never from
 * the values of a sample stack; tests of the samples' exact values live in test/examples.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEFAULT_KUBERNETES_VERSION, SUPPORTED_KUBERNETES_VERSIONS } from "../../components/versions";
import type { EnvironmentConfig } from "../../stacks/config/environment";
import { loadEnvironment } from "../../stacks/config/load";
import type { Plan } from "../../tools/preview/plan";
import { type PreviewOptions, previewStack } from "../../tools/preview/run";
import { availableStacks, loadStackConfig } from "../../tools/preview/stack-file";

export const ROOT = join(__dirname, "..", "..");
const P = "highmem-platform";

/** A project folder with a copy of the real Pulumi.yaml and the given files under stacks/. */
export function projectWith(stackFiles: Readonly<Record<string, string>>): string {
  const root = mkdtempSync(join(tmpdir(), "hm-project-"));
  copyFileSync(join(ROOT, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
  mkdirSync(join(root, "stacks"));
  for (const [name, text] of Object.entries(stackFiles)) writeFileSync(join(root, "stacks", name), text);
  return root;
}

/** A stack file's text from its config lines ("key: value", keys of the project unqualified). */
export function stackFile(lines: readonly string[]): string {
  return ["config:", ...lines.map((l) => (/^[\w-]+:[\w-]+:/.test(l) ? `  ${l}` : `  ${P}:${l}`))].join("\n") + "\n";
}

const OTHER_KUBERNETES_VERSION = SUPPORTED_KUBERNETES_VERSIONS.find((v) => v !== DEFAULT_KUBERNETES_VERSION) ?? DEFAULT_KUBERNETES_VERSION;

/** Valid configs of shapes the samples do not have. Each must pass every rule. */
export const GENERATED_STACKS: Readonly<Record<string, readonly string[]>> = {
  // A stack a team adds: staging tier, its own VPC range, a private deploy path.
  "gen-qa": ["aws:region: us-west-2", "tier: staging", "vpcCidr: 10.48.0.0/16", "clusterPrivateAccessCidrs: [10.48.240.0/24]"],
  // prod edited: another region, 500 GiB pods on nodes of up to 2 TiB, no replicas, two admins.
  "gen-eu-prod": [
    "aws:region: eu-central-1",
    "tier: prod",
    "vpcCidr: 10.64.0.0/16",
    "clusterPrivateAccessCidrs: [10.64.240.0/24]",
    "largestPodMemoryGiB: 500",
    "highMemoryMaxNodeMemoryGiB: 2048",
    "bucketReplicaRegions: []",
    "clusterAdminRoleArns: [arn:aws:iam::123456789012:role/ops-a, arn:aws:iam::123456789012:role/ops-b]",
    // Two teams: one with a 4 TiB dataset claim, huge pages and both kinds of role; one with nothing optional.
    "teams: [{name: genomics, memoryGiB: 6144, cpu: 768, storageGiB: 8192, datasetGiB: 4096, hugePagesGiB: 256, allowRedis: true, accessRoleArns: [arn:aws:iam::123456789012:role/genomics-dev], viewRoleArns: [arn:aws:iam::123456789012:role/genomics-audit], dataAccess: [{prefix: genomics/raw/, access: read}, {prefix: genomics/results/, access: read-write}]}, {name: ml, memoryGiB: 256, cpu: 32, pods: 50}]",
    // Two 500 GiB reference pods of a StatefulSet, with 2 TiB of local NVMe scratch each, on the team's read-write prefix.
    "referenceWorkloads: [{name: aligner, team: genomics, prefix: genomics/results/, kind: StatefulSet, memoryGiB: 500, cpu: 64, scratchGiB: 2000, replicas: 2}]",
  ],
  // An existing VPC, an explicit name prefix, the other supported Kubernetes version, a public endpoint.
  "gen-byo-vpc": [
    "aws:region: us-east-2",
    "tier: dev",
    "namePrefix: byo-data",
    "existingVpcId: vpc-0a1b2c3d4e5f67890",
    "existingPrivateSubnetIds: [subnet-0a1b2c3d4e5f67891, subnet-0a1b2c3d4e5f67892]",
    "existingPublicSubnetIds: [subnet-0a1b2c3d4e5f67893, subnet-0a1b2c3d4e5f67894]",
    `kubernetesVersion: "${OTHER_KUBERNETES_VERSION}"`,
    "clusterPublicAccessCidrs: [198.51.100.0/24]",
  ],
  // arm64 pools in us-east-1 (so ["auto"] replicas are other regions), prod with one NAT gateway,
  // Redis with four masters on gp3-high-iops, alarm emails, extra tags.
  "gen-arm": [
    "aws:region: us-east-1",
    "tier: prod",
    "highMemoryArm64: true",
    "natGateways: single",
    "redisMasters: 4",
    "redisStorageClass: gp3-high-iops",
    "alarmEmailAddresses: [oncall@example.com]",
    "clusterPrivateAccessCidrs: [10.0.240.0/24]",
    "tags: [team=batch, cost-center=b-42]",
  ],
  // Pools declared in config: an NVMe-style stateful pool with its own taint and label, a second
  // spot high-memory pool with its own limit, a tainted general pool for batch jobs.
  "gen-pools": [
    "aws:region: us-west-2",
    "tier: staging",
    "clusterPrivateAccessCidrs: [10.0.240.0/24]",
    'nodePools: ["nvme=stateful,cpu=64,memoryGiB=512,taint=disk=nvme:NoSchedule,label=example.com/disk=nvme", "batch-spot=high-memory-spot,memoryGiB=6144", "batch=general,cpu=16,taint=batch=true:NoSchedule"]',
    // Capacity windows on declared pools: a cron list across midnight in New York, a one-off on a tainted general pool.
    'capacityWindows: ["mwf=batch-spot,start=15 0 * * mon,wed,fri,tz=America/New_York,duration=1h,lead=45m,pods=3,memoryGiB=150,cpu=4", "launch=batch,start=2026-12-01T09:00,tz=Asia/Tokyo,duration=3h,totalMemoryGiB=64,memoryGiB=32"]',
  ],
};

/** One config under test: a stack of a project folder. */
export interface ConfigUnderTest {
  /** How tests name it: the stack file present, or the generated config. */
  readonly label: string;
  readonly root: string;
  readonly stack: string;
}

let generatedRoot: string | undefined;
/** The generated configs, written once per test file (process). */
export function generatedConfigs(): ConfigUnderTest[] {
  generatedRoot ??= projectWith(Object.fromEntries(Object.entries(GENERATED_STACKS).map(([stack, lines]) => [`Pulumi.${stack}.yaml`, stackFile(lines)])));
  const root = generatedRoot;
  return Object.keys(GENERATED_STACKS).map((stack) => ({ label: `generated ${stack}`, root, stack }));
}

/** Every stack file present in stacks/. */
export function presentStacks(): ConfigUnderTest[] {
  return availableStacks(ROOT).map((stack) => ({ label: `stacks/Pulumi.${stack}.yaml`, root: ROOT, stack }));
}

/** What the rule suites run over: every stack file present, then the generated configs. */
export function configsUnderTest(): ConfigUnderTest[] {
  return [...presentStacks(), ...generatedConfigs()];
}

/** The stack's config as the program resolves it (tier defaults applied). */
export function environmentOf(c: ConfigUnderTest): EnvironmentConfig {
  const sc = loadStackConfig(c.root, c.stack);
  const secret = new Set(sc.secretKeys);
  return loadEnvironment(sc.config, c.stack, { isSecret: (key) => secret.has(key) });
}

/** Previews each config once, in order; a test file shares the result between its tests. */
export async function previewAll(configs: readonly ConfigUnderTest[], options: Omit<PreviewOptions, "root"> = {}): Promise<Map<string, Plan>> {
  const plans = new Map<string, Plan>();
  for (const c of configs) plans.set(c.label, (await previewStack(c.stack, { ...options, root: c.root })).plan);
  return plans;
}

/**
 * Configs of a fixed shape for the tests that break or edit a real plan (policy fixtures, plan:diff,
 * policy:check): the resources they reach for by name exist whatever stacks/ holds. The stacks are
 * named prod and dev, as the URNs those tests build read.
 */
export const REFERENCE_STACKS: Readonly<Record<"prod" | "dev", readonly string[]>> = {
  // prod in us-west-2 with the tier's default replicas (us-east-1, eu-west-1) and one admin role; a
  // team with a data prefix and a reference high-memory workload, so that rules meet a real one.
  prod: [
    "aws:region: us-west-2",
    "tier: prod",
    "vpcCidr: 10.32.0.0/16",
    "clusterAdminRoleArns: [arn:aws:iam::123456789012:role/platform-admin]",
    "clusterPrivateAccessCidrs: [10.32.240.0/24]",
    "teams: [{name: analytics, memoryGiB: 1024, cpu: 128, dataAccess: [{prefix: reference/, access: read}]}]",
    "referenceWorkloads: [{name: reference, team: analytics}]",
  ],
  // dev with a public endpoint limited to a documentation range.
  dev: ["aws:region: us-west-2", "tier: dev", "clusterPublicAccessCidrs: [203.0.113.0/24]"],
};

let referenceRoot: string | undefined;
/** The project folder holding REFERENCE_STACKS, written once per test file (process). */
export function referenceProject(): string {
  referenceRoot ??= projectWith(Object.fromEntries(Object.entries(REFERENCE_STACKS).map(([stack, lines]) => [`Pulumi.${stack}.yaml`, stackFile(lines)])));
  return referenceRoot;
}
