/**
 * The `config:` declarations of Pulumi.yaml and what the Pulumi CLI does with them before the
 * program runs: check the declarations, fill in defaults, refuse missing keys, check declared
 * types and secrecy. Messages are the CLI's own, word for word.
 *
 * Source: pulumi/pulumi@v3.248.0 (the CLI release this was written against; the @pulumi/pulumi SDK
 * pin has since moved to 3.270.0, and these CLI sources have not been re-read at that tag):
 * - sdk/go/common/workspace/project.go: RewriteShorthandConfigValues, Project.Validate,
 *   ValidateConfigValue, InferFullTypeName, configKeyIsNamespacedByProject;
 * - sdk/go/common/workspace/project.json: the `config` schema (configTypeDeclaration);
 * - sdk/go/common/workspace/config.go: mergeConfig, validateStackConfigValue(s),
 *   missingStackConfigurationKeysError, createConfigValue;
 * - pkg/cmd/pulumi/operations/preview.go and up.go: the "validating stack config: " prefix.
 */
import { type ConfigKeyName, type ConfigTree, fullKey, isOpaque, isSecure, qualifyConfigKey, treeFromProjectValue, typeCheckContent } from "./config-values";

export interface ItemsType {
  readonly type: string;
  readonly items?: ItemsType;
}

export interface ConfigDeclaration {
  /** The key as Pulumi.yaml writes it (the CLI's messages use this form). */
  readonly key: string;
  readonly name: ConfigKeyName;
  readonly type?: string;
  readonly items?: ItemsType;
  /** `default:` (project keys) or `value:` (any namespace), as the YAML gave it; absent when unset or null. */
  readonly default?: unknown;
  readonly value?: unknown;
  readonly secret: boolean;
}

export interface CliProblem {
  readonly key: string;
  readonly value?: unknown;
  readonly message: string;
}

/** The CLI's prefix for every config refusal of `pulumi preview` / `pulumi up`. */
export const VALIDATING = "validating stack config: ";
const TYPES = ["string", "integer", "boolean", "array", "object"];
const ATTRIBUTES = ["type", "items", "description", "secret", "default", "value"];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const namespacedByProject = (project: string, key: string) => !key.includes(":") || key.startsWith(`${project}:`);

function itemsOf(raw: unknown): ItemsType | undefined {
  if (!isRecord(raw) || typeof raw["type"] !== "string") return undefined;
  const items = itemsOf(raw["items"]);
  return { type: raw["type"], ...(items ? { items } : {}) };
}

/** strconv.Atoi: optional sign, decimal digits, within a 64-bit int. */
function isGoInt(text: string): boolean {
  if (!/^[+-]?\d+$/.test(text)) return false;
  const n = BigInt(text);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** project.go ValidateConfigValue: whether a value fits a declared type. */
export function fitsType(type: string, items: ItemsType | undefined, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      // YAML and JSON numbers that are whole count, and so do strings that parse as integers.
      return typeof value === "number" ? Number.isInteger(value) : typeof value === "string" && isGoInt(value);
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "object":
      return isRecord(value);
    default:
      return Array.isArray(value) && items !== undefined && value.every((item) => fitsType(items.type, items.items, item));
  }
}

/** project.go InferFullTypeName: "array<string>" and the like. */
export const fullTypeName = (type: string, items: ItemsType | undefined): string => (items ? `array<${fullTypeName(items.type, items.items)}>` : type);

/**
 * Reads the `config:` section of Pulumi.yaml into declarations, with the CLI's problems with it
 * (schema and Project.Validate). `fileName` is used in messages as the CLI uses the path.
 */
export function readDeclarations(project: string, config: unknown, fileName: string): { declarations: ConfigDeclaration[]; problems: CliProblem[] } {
  const declarations: ConfigDeclaration[] = [];
  const problems: CliProblem[] = [];
  const invalid = (key: string, message: string) => problems.push({ key, message: `could not validate '${fileName}': ${message}` });
  const unmarshal = (key: string, message: string) => problems.push({ key, message: `could not unmarshal '${fileName}': ${message}` });
  if (!isRecord(config)) return { declarations, problems };

  for (const [key, raw] of Object.entries(config)) {
    // Shorthand: a bare value is a default for project keys and a value for others.
    let decl: Record<string, unknown>;
    if (typeof raw === "string" || typeof raw === "boolean" || (typeof raw === "number" && Number.isInteger(raw)) || Array.isArray(raw)) {
      decl = namespacedByProject(project, key) ? { default: raw } : { value: raw };
    } else if (isRecord(raw)) {
      decl = raw;
    } else {
      invalid(key, `config.${key} must be a string, an integer, a boolean, an array or a configuration type declaration`);
      continue;
    }
    const extra = Object.keys(decl).filter((a) => !ATTRIBUTES.includes(a));
    if (extra.length > 0) {
      invalid(key, `config.${key}: additional properties ${extra.map((a) => `'${a}'`).join(", ")} not allowed`);
      continue;
    }
    const type = decl["type"];
    if (type !== undefined && (typeof type !== "string" || !TYPES.includes(type))) {
      invalid(key, `config.${key}.type must be one of ${TYPES.map((t) => `"${t}"`).join(", ")}`);
      continue;
    }
    const name = qualifyConfigKey(project, key);
    if (typeof name === "string") {
      problems.push({ key, message: name });
      continue;
    }
    const items = itemsOf(decl["items"]);
    const d: ConfigDeclaration = {
      key,
      name,
      secret: decl["secret"] === true,
      ...(typeof type === "string" ? { type } : {}),
      ...(items ? { items } : {}),
      ...(decl["default"] !== undefined && decl["default"] !== null ? { default: decl["default"] } : {}),
      ...(decl["value"] !== undefined && decl["value"] !== null ? { value: decl["value"] } : {}),
    };

    // Project.Validate, in its order.
    if ("default" in d && "value" in d) {
      unmarshal(key, `project config '${key}' cannot have both a 'default' and 'value' attribute`);
    } else if (namespacedByProject(project, key)) {
      if (d.type === "array" && !d.items) {
        unmarshal(key, `The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`);
      } else if (d.type !== undefined && "default" in d && !fitsType(d.type, d.items, d.default)) {
        unmarshal(key, `The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(d.type, d.items)}'`);
      }
    } else if (d.type !== undefined) {
      unmarshal(key, `Configuration key '${key}' is not namespaced by the project and should not define a type`);
    } else if ("default" in d) {
      unmarshal(
        key,
        `Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`,
      );
    } else if (!("value" in d)) {
      unmarshal(key, `Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
    }
    declarations.push(d);
  }
  return { declarations, problems };
}

/**
 * mergeConfig and validateStackConfigValues: adds project defaults and values to `values` (keyed
 * "namespace:name") for keys the stack leaves unset, and returns the CLI's refusals. The CLI stops
 * at its first refusal; this lists them all, in the CLI's order (missing keys first, then by key).
 * `unchecked` gets every typed key whose value holds a secret that was not decrypted.
 */
export function applyProjectConfig(
  stack: string,
  project: string,
  declarations: readonly ConfigDeclaration[],
  values: Map<string, ConfigTree>,
): { problems: CliProblem[]; unchecked: string[] } {
  const sorted = [...declarations].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const missing = sorted.filter((d) => !values.has(fullKey(d.name)) && !("value" in d) && !("default" in d) && d.name.namespace === project);
  if (missing.length > 0) {
    return {
      problems: missing.map((d) => ({ key: fullKey(d.name), message: `${VALIDATING}Stack '${stack}' is missing configuration value '${d.key}'` })),
      unchecked: [],
    };
  }
  for (const d of sorted) {
    const key = fullKey(d.name);
    // A default wins over a value when both are given (Project.Validate refuses that anyway).
    if (!values.has(key) && ("default" in d || "value" in d)) values.set(key, treeFromProjectValue("default" in d ? d.default : d.value));
  }

  const problems: CliProblem[] = [];
  const unchecked: string[] = [];
  for (const d of sorted) {
    const tree = values.get(fullKey(d.name));
    // Only explicitly typed declarations are checked, secrecy included.
    if (d.type === undefined || tree === undefined) continue;
    const key = fullKey(d.name);
    if (d.secret && !isSecure(tree)) {
      problems.push({
        key,
        value: "[secret]",
        message: `${VALIDATING}Stack '${stack}' with configuration key '${d.key}' must be encrypted as it's secret; set it with \`pulumi config set --secret ${d.key} <value>\``,
      });
      continue;
    }
    if (isOpaque(tree)) {
      unchecked.push(key);
      continue;
    }
    const content = typeCheckContent(tree);
    if (!fitsType(d.type, d.items, content)) {
      problems.push({
        key,
        value: isSecure(tree) || d.secret ? "[secret]" : content,
        message: `${VALIDATING}Stack '${stack}' with configuration key '${d.key}' must be of type '${fullTypeName(d.type, d.items)}'`,
      });
    }
  }
  return { problems, unchecked };
}
