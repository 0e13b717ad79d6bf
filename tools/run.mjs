// Runs one of the project's commands from its compiled JavaScript:
//   node tools/run.mjs tools/preview/cli dev staging
// builds dist/ when a source changed (tools/ensure-built.mjs), turns on Node's compile cache, and
// loads dist/tools/preview/cli.js in this same process with the arguments after the entry, so the
// command sees process.argv as if it had been started as `node dist/tools/preview/cli.js dev staging`.
//
// The compile cache is Node's own (module.enableCompileCache, added in v22.1.0:
// https://nodejs.org/docs/latest-v24.x/api/module.html#moduleenablecompilecachecachedir). It keeps V8's
// code cache for every CommonJS and ESM module loaded after it is enabled, keyed by file and content,
// and writes what is new when the process exits. It lives in node_modules/.cache, which `npm ci`
// removes with the rest of node_modules.
import module from "node:module";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureBuilt } from "./ensure-built.mjs";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const [entry] = process.argv.splice(2, 1);
if (!entry) {
  console.error("usage: node tools/run.mjs <source path without .ts, e.g. tools/preview/cli> [args...]");
  process.exit(2);
}

if (typeof module.enableCompileCache === "function") {
  module.enableCompileCache(join(root, "node_modules", ".cache", "node-compile-cache"));
}
await ensureBuilt();

const compiled = join(root, "dist", `${entry.replace(/\.ts$/, "")}.js`);
process.argv[1] = compiled;
module.createRequire(import.meta.url)(compiled);
