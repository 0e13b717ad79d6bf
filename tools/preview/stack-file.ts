/**
 * Reads Pulumi.yaml and stacks/Pulumi.<stack>.yaml and produces the flat config map the Pulumi CLI
 * would hand the program: project-namespaced keys, objects as JSON, project defaults filled in.
 * Encrypted values cannot be decrypted offline; each becomes a placeholder derived from its
 * ciphertext, marked secret, so that no plaintext secret ever enters an offline run.
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
// js-yaml, not yaml: it loads in a fraction of the time, and these files are small.
import { load as parse } from "js-yaml";

export interface StackConfig {
  readonly project: string;
  readonly stackFile: string;
  readonly config: Record<string, string>;
  readonly secretKeys: string[];
}

interface ProjectFile {
  name: string;
  stackConfigDir?: string;
  config?: Record<string, { default?: unknown } | string | number | boolean>;
}

export class StackFileError extends Error {
  override name = "StackFileError";
}

const isSecure = (v: unknown): v is { secure: string } =>
  typeof v === "object" && v !== null && typeof (v as { secure?: unknown }).secure === "string";

/** Replaces encrypted leaves by placeholders; reports whether any was found. */
function decryptOffline(value: unknown, found: { secret: boolean }): unknown {
  if (isSecure(value)) {
    found.secret = true;
    return `offline-secret-${createHash("sha256").update(value.secure).digest("hex").slice(0, 12)}`;
  }
  if (Array.isArray(value)) return value.map((v) => decryptOffline(v, found));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, decryptOffline(v, found)]));
  return value;
}

const asConfigString = (v: unknown) => (typeof v === "string" ? v : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));

export function availableStacks(root: string): string[] {
  const project = readProjectFile(root);
  return readdirSync(join(root, project.stackConfigDir ?? "."))
    .map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1])
    .filter((s): s is string => s !== undefined)
    .sort();
}

function readProjectFile(root: string): ProjectFile {
  const path = join(root, "Pulumi.yaml");
  if (!existsSync(path)) throw new StackFileError(`no Pulumi.yaml in ${root}`);
  return parse(readFileSync(path, "utf8")) as ProjectFile;
}

export function loadStackConfig(root: string, stack: string): StackConfig {
  const project = readProjectFile(root);
  const stackFile = join(project.stackConfigDir ?? ".", `Pulumi.${stack}.yaml`);
  if (!existsSync(join(root, stackFile))) {
    throw new StackFileError(`no stack file ${stackFile}; stacks available: ${availableStacks(root).join(", ")}`);
  }
  const parsed = (parse(readFileSync(join(root, stackFile), "utf8")) ?? {}) as { config?: Record<string, unknown> };
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [rawKey, rawValue] of Object.entries(parsed.config ?? {})) {
    const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
    const found = { secret: false };
    config[key] = asConfigString(decryptOffline(rawValue, found));
    if (found.secret) secretKeys.push(key);
  }
  // Project-level defaults apply to every key the stack leaves unset, as the CLI does.
  for (const [key, decl] of Object.entries(project.config ?? {})) {
    const full = key.includes(":") ? key : `${project.name}:${key}`;
    if (full in config || typeof decl !== "object" || !("default" in decl)) continue;
    config[full] = asConfigString(decl.default);
  }
  return { project: project.name, stackFile, config, secretKeys };
}

/** stacks/usage.<stack>.yaml: expected usage for the cost estimate, or undefined when there is none. */
export function loadUsage(root: string, stack: string): import("../cost/model").Usage | undefined {
  const path = join(root, "stacks", `usage.${stack}.yaml`);
  return existsSync(path) ? (parse(readFileSync(path, "utf8")) as import("../cost/model").Usage) : undefined;
}
