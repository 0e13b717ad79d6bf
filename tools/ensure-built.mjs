// Builds dist/ only when a source file is newer than the last build, so that commands run compiled
// JavaScript (no transpiling on every run) and a fresh clone still works after `npm ci`.
//
// The build transpiles with esbuild, file by file, to CommonJS at the same paths tsc would write
// (dist/tools/preview/cli.js, ...): about a tenth of a second for the whole project, where a full tsc
// compile took some 45 s on two cores. esbuild strips types without checking them; the type-check
// (tsc strict) is `npm test`'s first step and CI's. What esbuild reads from tsconfig.json (target,
// useDefineForClassFields, ...): https://esbuild.github.io/content-types/#tsconfig-json
//
// `node tools/ensure-built.mjs` builds; `import { ensureBuilt }` does the same in-process (tools/run.mjs).
import { existsSync, readdirSync, statSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const dist = join(root, "dist");
const stamp = join(dist, ".build-stamp");
const sources = ["stacks", "components", "tools", "policies", "bench", "bootstrap"];
// The policy pack's entry point starts a gRPC server and is never run from dist/.
const excluded = new Set([join(root, "policies", "index.ts")]);

function walk(dir, found) {
  if (!existsSync(dir)) return found;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts") && !excluded.has(path)) found.push(path);
  }
  return found;
}

const mtime = (path) => (existsSync(path) ? statSync(path).mtimeMs : 0);

// ajv-formats-draft2019 (under @kubernetes-models/validate) declares the npm package punycode@2 as its
// dependency but writes require("punycode"), which Node resolves to its deprecated built-in module:
// Node 22+ prints DEP0040 on every preview (https://nodejs.org/docs/latest-v24.x/api/deprecations.html#DEP0040).
// The bundle takes the package it declared instead (the built-in is a copy of that same punycode.js).
const userlandPunycode = {
  name: "userland-punycode",
  setup(build) {
    build.onResolve({ filter: /^punycode$/ }, (args) => ({ path: createRequire(join(args.resolveDir, "index.js")).resolve("punycode/") }));
  },
};

/** Transpiles the project into dist/ and bundles the schema models, each only when out of date. */
export async function ensureBuilt() {
  const files = sources.flatMap((s) => walk(join(root, s), []));
  const inputs = [...files, join(root, "tsconfig.json"), join(root, "package-lock.json"), fileURLToPath(import.meta.url)];
  const built = mtime(stamp);
  let esbuild;
  if (Math.max(...inputs.map(mtime)) > built || files.some((f) => !existsSync(join(dist, f.slice(root.length + 1).replace(/\.ts$/, ".js"))))) {
    esbuild ??= await import("esbuild");
    const started = performance.now();
    await esbuild.build({
      entryPoints: files,
      outdir: dist,
      outbase: root,
      bundle: false,
      format: "cjs",
      platform: "node",
      target: "node22",
      sourcemap: true,
      logLevel: "warning",
    });
    mkdirSync(dist, { recursive: true });
    writeFileSync(stamp, `${new Date().toISOString()}\n`);
    process.stderr.write(`Built dist/ (${files.length} files, ${Math.round(performance.now() - started)} ms; type-checking is npm test's)\n`);
  }

  // The Kubernetes schema models, bundled into one CommonJS file (see tools/preview/schema-models.entry.mjs).
  const entry = join(root, "tools", "preview", "schema-models.entry.mjs");
  const bundle = join(dist, "schema-models.cjs");
  if (mtime(bundle) < Math.max(mtime(entry), mtime(join(root, "package-lock.json")))) {
    esbuild ??= await import("esbuild");
    // re2-wasm loads its .wasm file from its own folder: it stays a normal dependency.
    await esbuild.build({
      entryPoints: [entry],
      bundle: true,
      platform: "node",
      format: "cjs",
      outfile: bundle,
      external: ["re2-wasm"],
      logLevel: "warning",
      plugins: [userlandPunycode],
    });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await ensureBuilt();
