/**
 * JSON Schemas of custom resources that no npm package models, taken from the upstream CRD at the
 * pinned release and stored in tools/preview/schemas/ (see its README.md), and a model class over
 * them shaped like the kubernetes-models ones, for the offline preview.
 *
 * A CRD's openAPIV3Schema is a structural schema: the API server prunes fields it does not declare
 * unless `x-kubernetes-preserve-unknown-fields` says otherwise (Kubernetes docs, "Extend the
 * Kubernetes API with CustomResourceDefinitions", Field pruning). Pruning a policy's misspelt field
 * silently drops a check, so the stored schema forbids undeclared fields where the API server
 * would prune them (additionalProperties: false), and the preview reports them.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import { projectRoot } from "../lib/project-root";

type Schema = { [key: string]: unknown };
const isSchema = (v: unknown): v is Schema => typeof v === "object" && v !== null && !Array.isArray(v);

/** The schema less descriptions, with undeclared fields forbidden where the API server prunes them. */
export function structuralSchema(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(structuralSchema);
  if (!isSchema(schema)) return schema;
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === "description") continue;
    // Keys under "properties" are field names, not schema keywords: keep each, convert its schema.
    out[key] =
      key === "properties" && isSchema(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, structuralSchema(v)])) : structuralSchema(value);
  }
  const prunes = isSchema(out["properties"]) && out["additionalProperties"] === undefined && out["x-kubernetes-preserve-unknown-fields"] !== true;
  if (prunes) out["additionalProperties"] = false;
  return out;
}

/** The version's openAPIV3Schema of a CRD document (apiextensions.k8s.io/v1). */
export function crdVersionSchema(crd: unknown, version: string): unknown {
  const versions = isSchema(crd) && isSchema(crd["spec"]) && Array.isArray(crd["spec"]["versions"]) ? (crd["spec"]["versions"] as unknown[]) : [];
  const found = versions.find((v) => isSchema(v) && v["name"] === version);
  const schema = isSchema(found) && isSchema(found["schema"]) ? found["schema"]["openAPIV3Schema"] : undefined;
  if (schema === undefined) throw new Error(`the CRD has no version ${version} with an openAPIV3Schema`);
  return schema;
}

/** A stored schema file: where it was read, and the schema. */
export interface StoredSchema {
  readonly source: string;
  readonly derivedBy: string;
  readonly schema: unknown;
}

/** The stored schema files, by Pulumi type token. */
export const STORED_SCHEMAS: Readonly<Record<string, string>> = {
  "kubernetes:policies.kyverno.io/v1:ValidatingPolicy": "kyverno-validatingpolicy-v1.json",
};

export function readStoredSchema(file: string): StoredSchema {
  return JSON.parse(readFileSync(join(projectRoot(), "tools", "preview", "schemas", file), "utf8")) as StoredSchema;
}

class SchemaViolation extends Error {
  constructor(readonly errors: { instancePath: string; message: string; params?: unknown }[]) {
    super(errors.map((e) => `${e.instancePath} ${e.message}`).join("; "));
  }
}

const compiled = new Map<string, ValidateFunction>();
/** The compiled validator of a stored schema (x-kubernetes-* keywords are not JSON Schema and are ignored, and so are formats such as int64). */
export function storedValidator(file: string): ValidateFunction {
  let fn = compiled.get(file);
  if (!fn) {
    fn = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(readStoredSchema(file).schema as object);
    compiled.set(file, fn);
  }
  return fn;
}

const asViolation = (errors: ErrorObject[] | null | undefined) =>
  new SchemaViolation((errors ?? []).map((e) => ({ instancePath: e.instancePath, message: e.message ?? "is invalid", params: e.params })));

/** Model classes by Pulumi type token, over the stored schemas. */
export const CRD_SCHEMA_MODELS: Readonly<Record<string, new (data: unknown) => { validate(): void }>> = Object.fromEntries(
  Object.entries(STORED_SCHEMAS).map(([type, file]) => [
    type,
    class {
      constructor(private readonly data: unknown) {}
      validate(): void {
        const fn = storedValidator(file);
        if (!fn(this.data)) throw asViolation(fn.errors);
      }
    },
  ]),
);
