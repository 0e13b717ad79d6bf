/**
 * The `highmem` component package's schema (provider/), generated in-process the way the plugin
 * generates it for `pulumi package add`: run-plugin names the provider after package.json `name` and
 * hosts the ComponentResource classes the entry exports (@pulumi/pulumi 3.270.0
 * cmd/run-plugin/run.js); ComponentProvider.getSchema analyzes their TypeScript (provider.js).
 *
 *   npm run provider:schema            writes provider/schema.json
 *   npm run provider:schema -- --check fails when provider/schema.json is stale
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ComponentProvider, getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import * as entry from "../provider";

export const PROVIDER_DIR = join(__dirname, "..", "provider");
export const SCHEMA_FILE = join(PROVIDER_DIR, "schema.json");

/** The provider as run-plugin builds it for this folder. */
export function componentProvider(): ComponentProvider {
  const manifest = JSON.parse(readFileSync(join(PROVIDER_DIR, "package.json"), "utf8")) as { name: string };
  return new ComponentProvider({ name: manifest.name, dirname: PROVIDER_DIR, components: getPulumiComponents(entry) });
}

/** The schema as the provider's GetSchema answers it, pretty-printed for review. */
export async function renderSchema(provider: ComponentProvider = componentProvider()): Promise<string> {
  return `${JSON.stringify(JSON.parse(await provider.getSchema()), null, 2)}\n`;
}

async function main(): Promise<void> {
  const rendered = await renderSchema();
  if (process.argv.includes("--check")) {
    if (readFileSync(SCHEMA_FILE, "utf8") !== rendered) {
      console.error("provider/schema.json is stale: run `npm run provider:schema`");
      process.exitCode = 1;
    }
    return;
  }
  writeFileSync(SCHEMA_FILE, rendered);
  console.log(`wrote ${SCHEMA_FILE}`);
}

if (require.main === module) void main();
