/**
 * Config values as the Pulumi CLI holds them between the stack file and the program: keys,
 * `secure:` leaves, the text the program receives and the content the declared types are checked on.
 *
 * Source: pulumi/pulumi@v3.248.0, sdk/go/common/resource/config/ (key.go, value.go, object.go) and
 * sdk/go/common/workspace/loaders.go (stackConfigNamespacedWithProject, checkForEmptyConfig).
 */

/** A `secure:` leaf: its ciphertext and, once decrypted, its plaintext. */
export class SecretLeaf {
  plaintext: string | undefined = undefined;
  constructor(readonly ciphertext: string) {}
}

export type ConfigTree = string | number | boolean | null | SecretLeaf | ConfigTree[] | { [key: string]: ConfigTree };

export const isSecretLeaf = (v: ConfigTree): v is SecretLeaf => v instanceof SecretLeaf;

/**
 * Turns a parsed YAML value into a config tree. A map whose only entry is `secure` with a string
 * value is an encrypted leaf (object.go, isSecureValue); anything else is kept as it is.
 */
export function toConfigTree(value: unknown): ConfigTree {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  if (Array.isArray(value)) return value.map(toConfigTree);
  if (typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0]![0] === "secure" && typeof entries[0]![1] === "string") {
      return new SecretLeaf(entries[0]![1]);
    }
    return Object.fromEntries(entries.map(([k, v]) => [k, toConfigTree(v)]));
  }
  return String(value);
}

/** Every encrypted leaf of a tree. */
export function secretLeaves(tree: ConfigTree): SecretLeaf[] {
  if (isSecretLeaf(tree)) return [tree];
  if (Array.isArray(tree)) return tree.flatMap(secretLeaves);
  if (tree !== null && typeof tree === "object") return Object.values(tree).flatMap(secretLeaves);
  return [];
}

/** value.go Secure(): an encrypted value, or a list or map holding one. */
export const isSecure = (tree: ConfigTree): boolean => secretLeaves(tree).length > 0;

/** value.go Object(): lists and maps travel as JSON text. A top-level null is an empty string. */
export const isObject = (tree: ConfigTree): boolean => !isSecretLeaf(tree) && tree !== null && typeof tree === "object";

/** True when some encrypted leaf could not be decrypted: the value is then opaque. */
export const isOpaque = (tree: ConfigTree): boolean => secretLeaves(tree).some((leaf) => leaf.plaintext === undefined);

/** The plain JavaScript value of a tree, secrets decrypted (JSON's view of it). */
function plain(tree: ConfigTree): unknown {
  if (isSecretLeaf(tree)) {
    if (tree.plaintext === undefined) throw new Error("an encrypted value was not decrypted");
    return tree.plaintext;
  }
  if (Array.isArray(tree)) return tree.map(plain);
  if (tree !== null && typeof tree === "object") {
    // Go's encoding/json writes map keys sorted.
    return Object.fromEntries(
      Object.keys(tree)
        .sort()
        .map((k) => [k, plain(tree[k]!)]),
    );
  }
  return tree;
}

/**
 * The string the program receives for a value (object.go MarshalString, then decryption): strings
 * as they are, numbers and booleans in their JSON form, lists and maps as JSON, null as "".
 * Throws when an encrypted leaf was not decrypted; check isOpaque first.
 */
export function configText(tree: ConfigTree): string {
  if (tree === null) return "";
  if (isObject(tree)) return JSON.stringify(plain(tree));
  const value = plain(tree);
  return typeof value === "string" ? value : JSON.stringify(value);
}

/**
 * What the CLI checks the declared type on (workspace/config.go, validateStackConfigValue): the
 * decrypted string for a scalar, the JSON-decoded structure for a list or map.
 */
export function typeCheckContent(tree: ConfigTree): unknown {
  return isObject(tree) ? plain(tree) : configText(tree);
}

/** A project default or `value:` as the stack sees it (workspace/config.go, createConfigValue). */
export function treeFromProjectValue(value: unknown): ConfigTree {
  // Strings, integers and booleans become their text; anything else travels as JSON (an object value).
  if (typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isInteger(value))) return String(value);
  return toConfigTree(value);
}

export interface ConfigKeyName {
  readonly namespace: string;
  readonly name: string;
}

/**
 * config.ParseKey (key.go): "<namespace>:<name>", or the old "<namespace>:config:<name>" form.
 * Returns the CLI's error text when the key has another shape.
 */
export function parseConfigKey(text: string): ConfigKeyName | string {
  const parts = text.split(":");
  if (parts.length === 2) return { namespace: parts[0]!, name: parts[1]! };
  if (parts.length === 3 && parts[1] === "config" && parts[0] !== "" && parts[2] !== "") return { namespace: parts[0]!, name: parts[2]! };
  return `could not parse ${text} as a configuration key (configuration keys should be of the form \`<namespace>:<name>\`)`;
}

/**
 * A key as written in Pulumi.yaml or a stack file, in full: keys without a colon belong to the
 * project (workspace/config.go parseConfigKey; loaders.go stackConfigNamespacedWithProject).
 */
export function qualifyConfigKey(project: string, key: string): ConfigKeyName | string {
  return key.includes(":") ? parseConfigKey(key) : { namespace: project, name: key };
}

export const fullKey = (k: ConfigKeyName) => `${k.namespace}:${k.name}`;
