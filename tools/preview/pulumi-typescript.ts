/**
 * Registers TypeScript for a Pulumi program the way the Pulumi Node.js language host does before it
 * requires the program: `pulumi up` on a program with `runtime.options.typescript: true` (the
 * default) sets PULUMI_NODEJS_TYPESCRIPT=true, and the program's own @pulumi/pulumi
 * (cmd/run/run.js of @pulumi/pulumi 3.270.0, node_modules/@pulumi/pulumi/cmd/run/run.js, the branch
 * "We're not in ESM mode, or running an older version of ts-node") then:
 * - picks `typescript` and `ts-node` with tsutils.typeScriptRequireStrings() (tsutils.js): the
 *   packages resolvable from @pulumi/pulumi's own folder, else its vendored TypeScript 3.8.3 and
 *   ts-node 7.0.1 (vendor/README.md);
 * - reads compilerOptions from ./tsconfig.json (PULUMI_NODEJS_TSCONFIG_PATH) with
 *   tsutils.loadTypeScriptCompilerOptions, `skipProject` when there is no such file;
 * - `transpileOnly` from PULUMI_NODEJS_TRANSPILE_ONLY, else the tsconfig's `noCheck`;
 * - calls ts-node's register() with target ES2020, module/moduleResolution nodenext (TypeScript >=
 *   4.7) or commonjs/node, sourceMap, then the tsconfig's options over them.
 * ts-node 7.0.1 ignores every file under node_modules unless told otherwise (its `ignore` option
 * defaults to /node_modules/: vendor/ts-node@7.0.1/index.js, `arrify(options.ignore ||
 * "/node_modules/")`), and hands those to Node's own .js loader: a package that ships TypeScript
 * sources fails there with a SyntaxError. That is why the package ships JavaScript.
 *
 * ESM programs (`"type": "module"` with ts-node/esm) take the other branch of run.js; this does not
 * cover them.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

/** What this uses of @pulumi/pulumi/tsutils.js (its declarations mark both functions @internal). */
interface PulumiTsUtils {
  typeScriptRequireStrings(): { typescriptRequire: string; tsnodeRequire: string };
  loadTypeScriptCompilerOptions(tsConfigPath: string): Record<string, unknown>;
}

/** The options cmd/run/run.js passes to ts-node's register(). */
interface TsNodeOptions {
  compiler: string;
  transpileOnly: boolean | undefined;
  project: string;
  skipProject: boolean;
  compilerOptions: Record<string, unknown>;
}

export interface TypeScriptRegistration {
  /** Where `typescript` and `ts-node` came from (a path for the SDK's vendored copies). */
  readonly typescript: string;
  readonly tsNode: string;
  readonly typescriptVersion: string;
  readonly transpileOnly: boolean | undefined;
}

/** Compares dotted versions (enough for TypeScript's x.y.z). */
function atLeast(version: string, minimum: string): boolean {
  const a = version.split(".").map(Number);
  const b = minimum.split(".").map(Number);
  for (let i = 0; i < b.length; i++) if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) > (b[i] ?? 0);
  return true;
}

/**
 * Registers TypeScript for the program in `programDir` with the program's own @pulumi/pulumi, as its
 * language host would. Relative paths (tsconfig.json) are read from the current directory, as in
 * run.js, which has switched to the program's folder (`--pwd`) by then: call this with
 * process.cwd() === programDir.
 */
export function registerPulumiTypeScript(programDir: string): TypeScriptRegistration {
  const requireFromProgram = createRequire(join(programDir, "package.json"));
  let sdkTsUtils: string;
  try {
    sdkTsUtils = requireFromProgram.resolve("@pulumi/pulumi/tsutils");
  } catch {
    throw new Error(`${programDir}: @pulumi/pulumi is not installed there (run npm install in that folder)`);
  }
  const tsutils = requireFromProgram(sdkTsUtils) as PulumiTsUtils;
  const tsConfigPath = process.env["PULUMI_NODEJS_TSCONFIG_PATH"] ?? "tsconfig.json";
  const skipProject = !existsSync(tsConfigPath);
  const compilerOptions = tsutils.loadTypeScriptCompilerOptions(tsConfigPath);
  const transpileOnlyEnv = process.env["PULUMI_NODEJS_TRANSPILE_ONLY"];
  const transpileOnly = transpileOnlyEnv ? transpileOnlyEnv === "true" : (compilerOptions["noCheck"] as boolean | undefined);
  const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
  // typeScriptRequireStrings() resolves from @pulumi/pulumi's folder; require from there too.
  const requireFromSdk = createRequire(sdkTsUtils);
  const ts = requireFromSdk(typescriptRequire) as { version: string };
  const useNodeNext = atLeast(ts.version, "4.7.0");
  const options: TsNodeOptions = {
    compiler: typescriptRequire,
    transpileOnly,
    project: tsConfigPath,
    skipProject,
    compilerOptions: {
      target: "ES2020",
      module: useNodeNext ? "nodenext" : "commonjs",
      moduleResolution: useNodeNext ? "nodenext" : "node",
      sourceMap: "true",
      ...compilerOptions,
    },
  };
  const tsNode = requireFromSdk(tsnodeRequire) as { register(options: TsNodeOptions): unknown };
  tsNode.register(options);
  return { typescript: typescriptRequire, tsNode: tsnodeRequire, typescriptVersion: ts.version, transpileOnly };
}
