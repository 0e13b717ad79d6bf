/**
 * Reads Pulumi.yaml and stacks/Pulumi.<stack>.yaml and produces the flat config map the Pulumi CLI
 * would hand the program, refusing what the CLI refuses before the program runs (project-config.ts).
 *
 * `secure:` values are decrypted when the stack file has a passphrase `encryptionsalt` and the
 * passphrase is in the environment (PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE;
 * passphrase.ts). Otherwise they stay opaque: a secret key of the registry runs with its
 * `offlineStandIn`, a key of another namespace gets a placeholder, and both are reported in
 * `uncheckedSecrets`. A non-secret key the program reads cannot be stood in for, and is refused.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
// js-yaml, not yaml: it loads in a fraction of the time, and these files are small.
import { CORE_SCHEMA, load as parse } from "js-yaml";
import { CONFIG_KEYS, PROVIDER_KEYS, type ConfigKeySpec } from "../../stacks/config/keys";
import { type ConfigTree, configText, fullKey, isOpaque, isSecretLeaf, isSecure, qualifyConfigKey, secretLeaves, toConfigTree } from "./config-values";
import { decryptValue, keyFromEncryptionSalt, passphraseFromEnvironment, SecretDecryptionError } from "./passphrase";
import { applyProjectConfig, type CliProblem, readDeclarations } from "./project-config";

export interface StackConfig {
  readonly project: string;
  readonly stackFile: string;
  /** "namespace:key" -> the string the program receives. */
  readonly config: Record<string, string>;
  /** Keys whose value is encrypted in the stack file (the program sees them as secret). */
  readonly secretKeys: string[];
  /** What the CLI would refuse before running the program; when not empty, the program must not run. */
  readonly problems: CliProblem[];
  /** Encrypted values that could not be decrypted, so that neither type nor format was checked. */
  readonly uncheckedSecrets: string[];
}

export class StackFileError extends Error {
  override name = "StackFileError";
}

/** Stands in for an undecrypted value the program does not read (other namespaces, unknown keys). */
const OPAQUE_PLACEHOLDER = "[secret]";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

interface ProjectFile {
  name: string;
  stackConfigDir?: string;
  config?: unknown;
}

function readProjectFile(root: string): ProjectFile {
  const path = join(root, "Pulumi.yaml");
  if (!existsSync(path)) throw new StackFileError(`no Pulumi.yaml in ${root}`);
  const raw: unknown = parse(readFileSync(path, "utf8"));
  if (!isRecord(raw) || typeof raw["name"] !== "string") throw new StackFileError(`${path}: project is missing a 'name' attribute`);
  // A string `config:` is the old spelling of stackConfigDir (project.go RewriteConfigPathIntoStackConfigDir).
  const stackConfigDir = typeof raw["stackConfigDir"] === "string" ? raw["stackConfigDir"] : typeof raw["config"] === "string" ? raw["config"] : undefined;
  return { name: raw["name"], ...(stackConfigDir ? { stackConfigDir } : {}), config: typeof raw["config"] === "string" ? undefined : raw["config"] };
}

export function availableStacks(root: string): string[] {
  const project = readProjectFile(root);
  return readdirSync(join(root, project.stackConfigDir ?? "."))
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

/** Decrypts every `secure:` leaf when the passphrase is at hand; leaves them opaque otherwise. */
function decryptAll(values: Map<string, ConfigTree>, encryptionSalt: unknown, stackFile: string): void {
  const leaves = [...values.entries()].flatMap(([key, tree]) => secretLeaves(tree).map((leaf) => ({ key, leaf })));
  if (leaves.length === 0 || typeof encryptionSalt !== "string") return;
  try {
    const passphrase = passphraseFromEnvironment();
    if (passphrase === undefined) return;
    const key = keyFromEncryptionSalt(passphrase, encryptionSalt);
    for (const { key: configKey, leaf } of leaves) {
      try {
        leaf.plaintext = decryptValue(key, leaf.ciphertext);
      } catch (error) {
        throw new SecretDecryptionError(`${configKey}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  } catch (error) {
    if (error instanceof SecretDecryptionError) throw new StackFileError(`${stackFile}: ${error.message}`);
    throw error;
  }
}

/** The registry entry of a key the program reads, if any. */
function programKey(project: string, key: string): ConfigKeySpec | "provider" | undefined {
  if (key in PROVIDER_KEYS) return "provider";
  const [namespace, name = ""] = key.split(":");
  return namespace === project && Object.hasOwn(CONFIG_KEYS, name) ? (CONFIG_KEYS as Record<string, ConfigKeySpec>)[name] : undefined;
}

export function loadStackConfig(root: string, stack: string): StackConfig {
  const project = readProjectFile(root);
  const stackFile = join(project.stackConfigDir ?? ".", `Pulumi.${stack}.yaml`);
  if (!existsSync(join(root, stackFile))) {
    throw new StackFileError(`no stack file ${stackFile}; stacks available: ${availableStacks(root).join(", ")}`);
  }
  // The core schema keeps timestamp-like values as their text, as the CLI's YAML decoder (yaml.v3) does.
  const parsed: unknown = parse(readFileSync(join(root, stackFile), "utf8"), { schema: CORE_SCHEMA }) ?? {};
  if (!isRecord(parsed)) throw new StackFileError(`${stackFile}: expected a map with a config: section`);
  const problems: CliProblem[] = [];

  const values = new Map<string, ConfigTree>();
  for (const [rawKey, rawValue] of Object.entries(isRecord(parsed["config"]) ? parsed["config"] : {})) {
    const key = qualifyConfigKey(project.name, rawKey);
    if (typeof key === "string") problems.push({ key: rawKey, message: `could not unmarshal map: ${key}` });
    else values.set(fullKey(key), toConfigTree(rawValue));
  }
  decryptAll(values, parsed["encryptionsalt"], stackFile);

  const declarations = readDeclarations(project.name, project.config, "Pulumi.yaml");
  problems.push(...declarations.problems);
  const applied = problems.length === 0 ? applyProjectConfig(stack, project.name, declarations.declarations, values) : { problems: [], unchecked: [] };
  problems.push(...applied.problems);

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const uncheckedSecrets = new Set(applied.unchecked);
  for (const [key, tree] of [...values.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (isSecure(tree)) secretKeys.push(key);
    if (!isOpaque(tree)) {
      config[key] = configText(tree);
      continue;
    }
    uncheckedSecrets.add(key);
    const spec = programKey(project.name, key);
    if (spec === undefined) {
      config[key] = OPAQUE_PLACEHOLDER;
    } else if (spec !== "provider" && spec.offlineStandIn !== undefined && isSecretLeaf(tree)) {
      config[key] = spec.offlineStandIn;
    } else {
      const why = spec !== "provider" && spec.secret ? "this secret key has no offline stand-in" : "this key is not secret: store it in plaintext";
      problems.push({
        key,
        value: "[secret]",
        message:
          "is encrypted, and the offline preview cannot decrypt it (that needs a passphrase `encryptionsalt` in the stack file and " +
          `PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE); the plan depends on its value and ${why}, or provide the passphrase`,
      });
    }
  }
  return { project: project.name, stackFile, config, secretKeys, problems, uncheckedSecrets: [...uncheckedSecrets].sort() };
}

/** stacks/usage.<stack>.yaml: expected usage for the cost estimate, or undefined when there is none. */
export function loadUsage(root: string, stack: string): import("../cost/model").Usage | undefined {
  const path = join(root, "stacks", `usage.${stack}.yaml`);
  return existsSync(path) ? (parse(readFileSync(path, "utf8")) as import("../cost/model").Usage) : undefined;
}

/** One line for the preview's report: how many secrets went unchecked, and which. */
export function uncheckedSecretsNotice(config: StackConfig): string {
  const n = config.uncheckedSecrets.length;
  return (
    `${n} secret config value${n === 1 ? " was" : "s were"} not checked (encrypted, and no passphrase to decrypt ${n === 1 ? "it" : "them"}; ` +
    `set PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE to check): ${config.uncheckedSecrets.join(", ")}`
  );
}
