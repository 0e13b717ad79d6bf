/**
 * Runs a Pulumi Node.js program as `pulumi up` would start it, under runtime mocks instead of the
 * engine: in the program's folder, with the program's own @pulumi/pulumi, TypeScript registered as
 * that SDK's language host registers it (tools/preview/pulumi-typescript.ts, after @pulumi/pulumi
 * 3.270.0 cmd/run/run.js), then the entry module required inside runInPulumiStack as run.js does.
 *
 *   node pulumi-run.cjs <programDir> <stack> [entry module, default: the program's main]
 *
 * Prints one line `RESULT <json>`: the resources the program registered (type and name) and its
 * outputs, or the error the program failed with (name, code, message). Built by the consumer test
 * with esbuild; it must not run under a TypeScript loader of its own (tsx, vitest), which would
 * also compile TypeScript under node_modules and hide what Pulumi's runtime does.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join, resolve } from "node:path";
import { load as parse } from "js-yaml";
import type * as pulumiSdk from "@pulumi/pulumi";
import { registerPulumiTypeScript } from "../../tools/preview/pulumi-typescript";
import { programEntry } from "../../tools/preview/program-dir";

interface RunResult {
  readonly typescript?: ReturnType<typeof registerPulumiTypeScript>;
  readonly resources?: { type: string; name: string }[];
  readonly outputs?: Record<string, unknown>;
  readonly error?: { name: string; code?: string; message: string };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function report(result: RunResult): void {
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

async function main(): Promise<void> {
  const [dirArg, stack, entryArg] = process.argv.slice(2);
  if (!dirArg || !stack) throw new Error("usage: node pulumi-run.cjs <programDir> <stack> [entry]");
  const dir = resolve(dirArg);
  process.chdir(dir);
  const requireFromProgram = createRequire(join(dir, "package.json"));
  const pulumi = requireFromProgram("@pulumi/pulumi") as typeof pulumiSdk;

  const project: unknown = parse(readFileSync("Pulumi.yaml", "utf8"));
  const projectName = isRecord(project) && typeof project["name"] === "string" ? project["name"] : "program";
  const stackFile: unknown = parse(readFileSync(`Pulumi.${stack}.yaml`, "utf8"));
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries(isRecord(stackFile) && isRecord(stackFile["config"]) ? stackFile["config"] : {})) {
    config[key.includes(":") ? key : `${projectName}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  }

  const resources: { type: string; name: string }[] = [];
  await pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        resources.push({ type: args.type, name: args.name });
        return { id: `${args.name}-id`, state: { ...args.inputs, arn: `arn:aws:mock:::${args.name}` } };
      },
      call: (args) => args.inputs,
    },
    projectName,
    stack,
    false,
  );
  pulumi.runtime.setAllConfig(config);

  const entry = programEntry(dir);
  const typescript = entry.typescript ? registerPulumiTypeScript(dir) : undefined;
  const main = entryArg ? resolve(entryArg) : entry.main;
  let outputs: Record<string, unknown> = {};
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      let exported: unknown = requireFromProgram(main);
      if (typeof exported === "function") exported = await (exported as () => unknown)();
      const value: unknown = await exported;
      outputs = isRecord(value) ? { ...value } : {};
      return outputs;
    });
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error));
    const code = (e as Error & { code?: unknown }).code;
    report({ ...(typescript ? { typescript } : {}), error: { name: e.name, ...(typeof code === "string" ? { code } : {}), message: e.message } });
    process.exitCode = 1;
    return;
  } finally {
    await pulumi.runtime.disconnect();
  }
  const plain: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(outputs)) {
    const output: pulumiSdk.Output<unknown> = pulumi.output<unknown>(value);
    plain[key] = await new Promise<unknown>((done) =>
      output.apply((v) => {
        done(v);
        return v;
      }),
    );
  }
  report({ ...(typescript ? { typescript } : {}), resources, outputs: plain });
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
  process.exit(2);
});
