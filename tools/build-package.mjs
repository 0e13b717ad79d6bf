// Builds what `npm pack` / `npm publish` ship (package.json `files`): lib/, CommonJS JavaScript with
// type declarations, for the package's entry points (package.json `exports`) and the policy pack.
//
//   npm run build:package          (also run by `npm pack` and `npm publish`: the `prepack` script)
//
// JavaScript: esbuild, file by file, as tools/ensure-built.mjs does for dist/ (same target and
// format), without source maps (the TypeScript sources are not shipped). Declarations: tsc
// --emitDeclarationOnly with tsconfig.package.json (esbuild writes none). This is separate from dist/,
// which the repository's own commands run from: `npm run preview:offline` never waits for tsc.
//
// package.json `exports` is the only way in (https://nodejs.org/docs/latest-v24.x/api/packages.html#package-entry-points);
// `typesVersions` repeats the entry points for TypeScript's `moduleResolution: node` (node10), which
// ignores `exports` (https://www.typescriptlang.org/docs/handbook/modules/reference.html#typesversions).
//
// The policy pack ships as a folder the Pulumi CLI can run, lib/policies: its PulumiPolicy.yaml, the
// compiled index.js (which starts the policy server, so it is no package export), and a package.json
// whose `main` is that file. Its dependencies (@pulumi/policy, @pulumi/pulumi) resolve from the
// consumer's node_modules, as any package's do (Node's resolution walks up the folders).
import { copyFileSync, existsSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";

const root = join(fileURLToPath(new URL(".", import.meta.url)), "..");
const lib = join(root, "lib");

function walk(dir, found) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) walk(path, found);
    else if (entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) found.push(path);
  }
  return found;
}

const started = performance.now();
rmSync(lib, { recursive: true, force: true });
const files = [...walk(join(root, "components"), []), ...walk(join(root, "policies", "rules"), []), join(root, "policies", "index.ts")];
const esbuild = await import("esbuild");
await esbuild.build({ entryPoints: files, outdir: lib, outbase: root, bundle: false, format: "cjs", platform: "node", target: "node22", logLevel: "warning" });

const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
execFileSync(process.execPath, [tsc, "-p", join(root, "tsconfig.package.json")], { stdio: "inherit", cwd: root });

const pack = join(lib, "policies");
copyFileSync(join(root, "policies", "PulumiPolicy.yaml"), join(pack, "PulumiPolicy.yaml"));
writeFileSync(
  join(pack, "package.json"),
  JSON.stringify(
    {
      name: "highmem-platform-policy-pack",
      private: true,
      description: "The highmem-platform policy pack as the Pulumi CLI runs it: pulumi preview --policy-pack <this folder>",
      main: "index.js",
    },
    null,
    2,
  ) + "\n",
);
if (!existsSync(join(lib, "components", "index.d.ts"))) throw new Error("tsc wrote no lib/components/index.d.ts");
process.stderr.write(`Built lib/ (${files.length} modules and their declarations, ${Math.round(performance.now() - started)} ms)\n`);
