/**
 * The first layer of config validation: Pulumi's flat "namespace:key" -> string map, checked key by
 * key (namespace, known key, declared type, the key's own rule, secrecy) into typed values.
 */
import type { z } from "zod";
import { CONFIG_KEYS, PROJECT, PROVIDER_KEYS, type ConfigKey, type ConfigKeySpec } from "./keys";
import { ConfigError, type ConfigProblem, type Values } from "./errors";
import { isRuntimeConfigSecret } from "./runtime-secrets";
import { editDistance, nearest } from "./validators";

export const KEY_NAMES = Object.keys(CONFIG_KEYS) as ConfigKey[];
export const qualified = (key: string) => `${PROJECT}:${key}`;

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
  /**
   * The day the config is loaded (YYYY-MM-DD, UTC), against which a waiver's horizon is checked
   * (resolve/policy.ts); tests pass one so that they never depend on the real date.
   * @default today, from the clock
   */
  readonly today?: string;
}

/** Checks every key: namespace, known key, declared type, the key's own rule; throws listing every problem. */
export function parseConfig(raw: Readonly<Record<string, string>>, stack: string, options: LoadOptions = {}): { values: Values; region: string } {
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
  return { values: values as Values, region };
}
