/**
 * The registry of every config key a stack may set: its Pulumi type, its description, its
 * Pulumi.yaml default and the rule its value must follow, one file per group under keys/, composed
 * here in the order of the README's config reference. Pulumi.yaml's `config:` section is
 * generated from this registry (`npm run config:sync`), and a test keeps the two identical.
 *
 * The Pulumi CLI makes every key Pulumi.yaml declares without a default mandatory in every stack,
 * so keys are flat and typed, and optional keys have defaults. Where the right value depends on the
 * tier, the default is an explicit "tier default" value (`auto`, `0` or `[]`) resolved in `tiers.ts`.
 *
 * Secret keys (pulumi/pulumi@v3.248.0 sdk/go/common/workspace/config.go, mergeConfig and
 * validateStackConfigValue): the CLI applies a declared default as a plaintext value and then
 * refuses every plaintext value of a key declared `secret: true`, so a declared secret key cannot
 * have a default. A secret key without a default is declared in Pulumi.yaml (required, encryption
 * enforced by the CLI); an optional secret key (one with a default here) is left out of Pulumi.yaml,
 * and the program itself refuses a plaintext value for it (load.ts).
 */
import { z } from "zod";
import { AWS_REGION, pattern } from "./validators";

/** The Pulumi project name: the namespace of every key below. */
export const PROJECT = "highmem-platform";

export { TIERS, type Tier } from "./tiers";

export type PulumiConfigType = "string" | "integer" | "boolean" | "array";

export interface ConfigKeySpec {
  /** Section of the README config reference. */
  readonly group: "general" | "network" | "cluster" | "karpenter" | "storage" | "redis" | "buckets" | "monitoring" | "teams" | "policy";
  /** The type Pulumi.yaml declares; arrays are arrays of strings unless `items` says objects. */
  readonly type: PulumiConfigType;
  /**
   * Arrays only: the type of their items. The project schema allows "object" items
   * (pulumi/pulumi@v3.248.0 sdk/go/common/workspace/project.json, configItemsType/simpleConfigType).
   * @default "string"
   */
  readonly items?: "string" | "object";
  readonly description: string;
  /** Default (in Pulumi.yaml, or for optional secret keys in the program only); absent means every stack must set the key. */
  readonly default?: string | number | boolean | readonly string[];
  /** The rule the (type-converted) value must follow. */
  readonly schema: z.ZodType;
  /** The stack value must be encrypted (`pulumi config set --secret`); never shown in errors. */
  readonly secret?: boolean;
  /**
   * Secret keys: a value of the right shape the offline preview runs the program with when it
   * cannot decrypt the stack's value (no passphrase). Must satisfy `schema`; the preview reports
   * the real value as unchecked.
   */
  readonly offlineStandIn?: string;
}

/** Whether Pulumi.yaml declares the key: every key but optional secret ones (see above). */
export const declaredInProjectFile = (spec: ConfigKeySpec): boolean => !(spec.secret === true && "default" in spec);

import { GENERAL_KEYS } from "./keys/general";
import { NETWORK_KEYS } from "./keys/network";
import { CLUSTER_KEYS } from "./keys/cluster";
import { ADMISSION_KEYS } from "./keys/admission";
import { KARPENTER_KEYS } from "./keys/karpenter";
import { STORAGE_KEYS } from "./keys/storage";
import { REDIS_KEYS } from "./keys/redis";
import { BUCKETS_KEYS } from "./keys/buckets";
import { MONITORING_KEYS } from "./keys/monitoring";
import { TEAMS_KEYS } from "./keys/teams";
import { REFERENCE_WORKLOAD_KEYS } from "./keys/reference-workloads";
import { POLICY_KEYS } from "./keys/policy";

export const CONFIG_KEYS = {
  ...GENERAL_KEYS,
  ...NETWORK_KEYS,
  ...CLUSTER_KEYS,
  ...ADMISSION_KEYS,
  ...KARPENTER_KEYS,
  ...STORAGE_KEYS,
  ...REDIS_KEYS,
  ...BUCKETS_KEYS,
  ...MONITORING_KEYS,
  ...TEAMS_KEYS,
  ...REFERENCE_WORKLOAD_KEYS,
  ...POLICY_KEYS,
} as const satisfies Record<string, ConfigKeySpec>;

export type ConfigKey = keyof typeof CONFIG_KEYS;

/** Keys of other namespaces that the program reads. */
export const PROVIDER_KEYS = {
  "aws:region": {
    description: "AWS region of the stack, such as us-west-2.",
    schema: pattern(AWS_REGION, "an AWS region such as us-west-2"),
  },
} as const;
