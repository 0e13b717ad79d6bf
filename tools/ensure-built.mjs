// Builds dist/ with tsc only when a source file is newer than the last build, so that commands run
// compiled JavaScript (no transpiling on every run) and a fresh clone still works after `npm ci`.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

const root = join(import.meta.dirname ?? new URL(".", import.meta.url).pathname, "..");
const stamp = join(root, "dist", ".tsbuildinfo");
const sources = ["stacks", "components", "tools", "policies", "bench"];

function newest(dir) {
  let latest = 0;
  if (!existsSync(dir)) return latest;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) latest = Math.max(latest, newest(path));
    else if (entry.name.endsWith(".ts")) latest = Math.max(latest, statSync(path).mtimeMs);
  }
  return latest;
}

const built = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changed = Math.max(...sources.map((s) => newest(join(root, s))), statSync(join(root, "tsconfig.json")).mtimeMs, statSync(join(root, "package-lock.json")).mtimeMs);
if (changed > built) {
  process.stderr.write("Compiling TypeScript (sources changed since the last build)...\n");
  execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", join(root, "tsconfig.build.json")], { stdio: "inherit" });
}

// The Kubernetes schema models, bundled into one CommonJS file (see tools/preview/schema-models.entry.mjs).
const entry = join(root, "tools", "preview", "schema-models.entry.mjs");
const bundle = join(root, "dist", "schema-models.cjs");
const bundled = existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
if (bundled < Math.max(statSync(entry).mtimeMs, statSync(join(root, "package-lock.json")).mtimeMs)) {
  const { buildSync } = await import("esbuild");
  // re2-wasm loads its .wasm file from its own folder: it stays a normal dependency.
  buildSync({ entryPoints: [entry], bundle: true, platform: "node", format: "cjs", outfile: bundle, external: ["re2-wasm"], logLevel: "warning" });
}
