/**
 * Writes the stored schema of one version of a CRD (tools/preview/crd-schema.ts): the upstream CRD
 * YAML at the pinned tag in, tools/preview/schemas/<file> out, with its source in the header.
 *
 *   node tools/run.mjs tools/extract-crd-schema <crd.yaml> <version> <out file name> "<source>"
 *
 * The CRD comes from the upstream repository at the tag (a `git show <tag>:<path>` of it): this
 * script reads no network. tools/preview/schemas/README.md lists each file's command.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { load } from "js-yaml";
import { projectRoot } from "./lib/project-root";
import { crdVersionSchema, structuralSchema, type StoredSchema } from "./preview/crd-schema";

const [crdPath, version, file, source] = process.argv.slice(2);
if (!crdPath || !version || !file || !source) {
  console.error('usage: node tools/run.mjs tools/extract-crd-schema <crd.yaml> <version> <out file name> "<source>"');
  process.exit(2);
}
const stored: StoredSchema = {
  source,
  derivedBy: `tools/extract-crd-schema.ts: spec.versions[name=${version}].schema.openAPIV3Schema, descriptions dropped, additionalProperties: false where the API server prunes`,
  schema: structuralSchema(crdVersionSchema(load(readFileSync(crdPath, "utf8")), version)),
};
writeFileSync(join(projectRoot(), "tools", "preview", "schemas", file), JSON.stringify(stored, null, 1) + "\n");
console.log(`wrote tools/preview/schemas/${file}`);
