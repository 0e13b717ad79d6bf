/**
 * Any Pulumi Node.js program as a program of the offline preview (`npm run preview:offline --
 * <stack> --program DIR`): the folder with its Pulumi.yaml, its stack files and its own
 * node_modules (npm install there first).
 *
 * The main module is found and loaded as the Pulumi Node.js language host loads it (@pulumi/pulumi
 * 3.270.0 cmd/run/run.js): `main` of Pulumi.yaml, else package.json `main`, else the folder itself
 * (its index.js or index.ts); TypeScript registered by the program's own @pulumi/pulumi, unless
 * Pulumi.yaml sets `runtime.options.typescript: false` (pulumi-language-nodejs sets
 * PULUMI_NODEJS_TYPESCRIPT from that option, true by default). A program that ships compiled
 * JavaScript names it as its `main` and runs as it is. Like run.js, a module that exports a
 * function is called and its result awaited; the stack outputs are the module's exports.
 *
 * Config: what the Pulumi CLI checks (tools/preview/stack-file.ts, from the program's own
 * Pulumi.yaml) is all that is checked before the program runs; the program validates the rest itself.
 */
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { load as parse } from "js-yaml";
import { registerPulumiTypeScript } from "./pulumi-typescript";
import type { PreviewProgram } from "./run";

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export interface ProgramEntry {
  /** The module path the language host would require. */
  readonly main: string;
  /** Whether TypeScript is registered first (runtime.options.typescript, true unless false). */
  readonly typescript: boolean;
}

/** The program's entry module and whether it runs with TypeScript, from its Pulumi.yaml and package.json. */
export function programEntry(dir: string): ProgramEntry {
  const project: unknown = parse(readFileSync(join(dir, "Pulumi.yaml"), "utf8"));
  if (!isRecord(project)) throw new Error(`${dir}/Pulumi.yaml: not a project file`);
  const runtime = project["runtime"];
  const runtimeName = isRecord(runtime) ? runtime["name"] : runtime;
  if (runtimeName !== "nodejs") throw new Error(`${dir}/Pulumi.yaml: runtime ${String(runtimeName)}; the offline preview runs Node.js programs only`);
  const options = isRecord(runtime) && isRecord(runtime["options"]) ? runtime["options"] : {};
  const typescript = options["typescript"] !== false;
  let main = typeof project["main"] === "string" ? project["main"] : undefined;
  if (main === undefined && existsSync(join(dir, "package.json"))) {
    const pkg: unknown = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
    if (isRecord(pkg) && typeof pkg["main"] === "string") main = pkg["main"];
  }
  // A folder is required as a folder (its index file), as run.js does with a trailing "/".
  const path = main === undefined ? `${dir}/` : isAbsolute(main) ? main : join(dir, main);
  return { main: path, typescript };
}

/** Folders whose TypeScript is registered already (ts-node's register() hooks require once per process). */
const registered = new Set<string>();

/** The Pulumi program in `dir` as a PreviewProgram. */
export function directoryProgram(programDir: string): PreviewProgram {
  const dir = resolve(programDir);
  if (!existsSync(join(dir, "Pulumi.yaml"))) throw new Error(`--program ${programDir}: no Pulumi.yaml there`);
  if (!existsSync(join(dir, "node_modules", "@pulumi", "pulumi")))
    throw new Error(`--program ${programDir}: its dependencies are not installed (run npm install in ${dir})`);
  return {
    load: async () => {
      const entry = programEntry(dir);
      // run.js has switched to the program's folder (`--pwd`) before it registers TypeScript and
      // requires the program; so do we, for the tsconfig.json lookup and the program's relative paths.
      process.chdir(dir);
      if (entry.typescript && !registered.has(dir)) {
        registerPulumiTypeScript(dir);
        registered.add(dir);
      }
      const requireFromProgram = createRequire(join(dir, "package.json"));
      // Several stacks in one process: each run declares its resources anew, so the program's own
      // modules (not its node_modules) are loaded afresh.
      for (const key of Object.keys(requireFromProgram.cache)) {
        if (key.startsWith(`${dir}/`) && !key.slice(dir.length).includes("/node_modules/")) delete requireFromProgram.cache[key];
      }
      return async () => {
        let exported: unknown = requireFromProgram(entry.main);
        if (typeof exported === "function") exported = await (exported as () => unknown)();
        const outputs: unknown = await exported;
        return isRecord(outputs) ? { ...outputs } : {};
      };
    },
    // The Pulumi CLI's checks have run (stack-file.ts); the program checks its own values.
    checkConfig: () => [],
  };
}
