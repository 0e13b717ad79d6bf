/** Reading loosely typed JSON (plan inputs, Helm values): small, checked accessors instead of casts everywhere. Pure: the policy pack imports it. */

export type Json = null | boolean | number | string | readonly Json[] | { readonly [key: string]: Json };
export type JsonObject = { readonly [key: string]: Json };

export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The value at a dotted path, or undefined. */
export function at(root: unknown, path: string): unknown {
  return path.split(".").reduce<unknown>((v, k) => (isObject(v) ? v[k] : undefined), root);
}

export function str(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

export function objectAt(root: unknown, path: string): JsonObject {
  const v = at(root, path);
  return isObject(v) ? v : {};
}

export function arrayAt(root: unknown, path: string): readonly unknown[] {
  const v = at(root, path);
  return Array.isArray(v) ? v : [];
}

export function stringMap(v: unknown): Record<string, string> {
  if (!isObject(v)) return {};
  return Object.fromEntries(Object.entries(v).filter((e): e is [string, string] => typeof e[1] === "string"));
}

/**
 * Helm's value coalescing (helm.sh/helm/v3 pkg/chartutil/coalesce.go): user maps merge key by key
 * into the chart's defaults; any other user value, lists included, replaces the default.
 */
export function coalesce(defaults: unknown, user: unknown): unknown {
  if (user === undefined || user === null) return defaults;
  if (isObject(defaults) && isObject(user)) {
    const merged: Record<string, unknown> = { ...defaults };
    for (const [k, v] of Object.entries(user)) merged[k] = coalesce(defaults[k], v);
    return merged;
  }
  return user;
}
