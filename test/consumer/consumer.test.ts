/**
 * The package as another team uses it: `npm pack` of this repository, installed with
 * `npm install <tarball>` into a copy of examples/consumer (a separate Pulumi program), then run
 * (a) as `pulumi up` runs a TypeScript program, under runtime mocks (test/consumer/pulumi-run.ts:
 *     the program's own @pulumi/pulumi registers its vendored ts-node as cmd/run/run.js does), and
 * (b) through the offline preview's `--program DIR`.
 * One pack and one install per run (beforeAll); the install uses npm's cache (--prefer-offline).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../tools/preview/plan";

const root = join(__dirname, "..", "..");
let work: string;
let consumer: string;
let tarball: string;
let runner: string;

interface RunResult {
  typescript?: { typescript: string; tsNode: string; typescriptVersion: string; transpileOnly?: boolean };
  resources?: { type: string; name: string }[];
  outputs?: Record<string, unknown>;
  error?: { name: string; code?: string; message: string };
}

/** Runs a module of the consumer as Pulumi's Node.js runtime would (pulumi-run.ts). */
function runProgram(entry?: string, env: Record<string, string> = {}): RunResult {
  const result = spawnSync(process.execPath, [runner, consumer, "dev", ...(entry ? [entry] : [])], {
    cwd: consumer,
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
  const line = result.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  if (!line) throw new Error(`runner printed no result (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  return JSON.parse(line.slice("RESULT ".length)) as RunResult;
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "highmem-consumer-"));
  const started = performance.now();
  // `npm pack` runs `prepack` (npm run build:package: lib/ with declarations) first.
  const packed = execFileSync("npm", ["pack", "--pack-destination", work, "--loglevel=error"], { cwd: root, encoding: "utf8" }).trim().split("\n").at(-1)!;
  tarball = join(work, packed);
  consumer = join(work, "consumer");
  cpSync(join(root, "examples", "consumer"), consumer, { recursive: true });
  execFileSync("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error", tarball], { cwd: consumer, encoding: "utf8" });
  runner = join(work, "pulumi-run.cjs");
  return build({
    entryPoints: [join(__dirname, "pulumi-run.ts")],
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    outfile: runner,
    external: ["@pulumi/*"],
    logLevel: "warning",
  }).then(() => {
    process.stderr.write(`consumer: packed, installed and runner built in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  });
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the package", () => {
  it("ships the built JavaScript and declarations only: no sources, tests or stacks", () => {
    const files = execFileSync("tar", ["tzf", tarball], { encoding: "utf8" })
      .trim()
      .split("\n")
      .map((f) => f.replace(/^package\//, ""));
    const outsideLib = files.filter((f) => !f.startsWith("lib/")).sort();
    expect(outsideLib).toEqual(["CHANGELOG.md", "LICENSE", "README.md", "package.json"]);
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"))).toEqual([]);
    for (const entry of [
      "lib/components/index.js",
      "lib/components/index.d.ts",
      "lib/components/helpers.js",
      "lib/components/helpers.d.ts",
      "lib/policies/rules/index.js",
      "lib/policies/rules/index.d.ts",
      "lib/policies/index.js",
      "lib/policies/PulumiPolicy.yaml",
    ]) {
      expect(files).toContain(entry);
    }
  });

  it("is installed beside one copy of each Pulumi SDK: the consumer's (peer dependencies)", () => {
    const nested = join(consumer, "node_modules", "highmem-platform", "node_modules");
    const own = (() => {
      try {
        return readdirSync(nested);
      } catch {
        return [];
      }
    })();
    expect(own.filter((name) => name === "@pulumi")).toEqual([]);
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
      peerDependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    // The tested versions are this repository's exact devDependencies, each the lower bound of its peer range.
    for (const [name, range] of Object.entries(pkg.peerDependencies)) expect(range).toBe(`^${pkg.devDependencies[name]}`);
  });

  it("gives the policy rules through highmem-platform/policies, without starting a policy server", () => {
    const out = execFileSync(process.execPath, ["-e", 'const p = require("highmem-platform/policies"); console.log(p.RULES.length, typeof p.evaluate)'], {
      cwd: consumer,
      encoding: "utf8",
    });
    expect(out.trim()).toMatch(/^[1-9]\d* function$/);
  });
});

describe("the consumer under Pulumi's TypeScript runtime (vendored ts-node, as cmd/run/run.js registers it)", () => {
  it("declares the three components and their children on the existing cluster's provider", () => {
    const result = runProgram();
    expect(result.error).toBeUndefined();
    // No ts-node in the consumer: the SDK's vendored 7.0.1, with the consumer's own TypeScript.
    expect(result.typescript?.tsNode).toMatch(/@pulumi\/pulumi\/vendor\/ts-node@7\.0\.1$/);
    const types = (result.resources ?? []).map((r) => r.type);
    for (const type of [
      "highmem:storage:StorageClasses",
      "highmem:karpenter:KarpenterNodePool",
      "highmem:redis:RedisCluster",
      "kubernetes:karpenter.sh/v1:NodePool",
      "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass",
      "kubernetes:apps/v1:StatefulSet",
      "aws:kms/key:Key",
      "pulumi:providers:kubernetes",
    ]) {
      expect(types).toContain(type);
    }
    expect(types.filter((t) => t === "kubernetes:storage.k8s.io/v1:StorageClass")).toHaveLength(2);
    expect(types).not.toContain("eks:index:Cluster");
    expect(result.outputs).toMatchObject({ redisService: "redis.data.svc.cluster.local:6379", nodePoolName: "stateful" });
  });

  it("type-checks the program against the package's declarations (ts-node's default)", () => {
    const source = readFileSync(join(consumer, "index.ts"), "utf8");
    writeFileSync(join(consumer, "wrong-args.ts"), source.replace("storageGiB: 50,", 'storageGiB: "50",'));
    const result = runProgram("wrong-args.ts");
    expect(result.error?.name).toBe("TSError");
    expect(result.error?.message).toMatch(/wrong-args\.ts\(\d+,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  });

  it("refuses a deep import of TypeScript sources under node_modules, as the issue says; the package import runs", () => {
    // The situation before the package: the components' TypeScript sources installed as a dependency.
    const sources = join(consumer, "node_modules", "highmem-platform-src");
    mkdirSync(sources, { recursive: true });
    cpSync(join(root, "components"), join(sources, "components"), { recursive: true });
    writeFileSync(join(sources, "package.json"), JSON.stringify({ name: "highmem-platform-src", version: "0.1.0" }));
    writeFileSync(
      join(consumer, "deep-source.ts"),
      'import { StorageClasses } from "highmem-platform-src/components/storage/storage-classes";\nexport const name = StorageClasses.name;\n',
    );
    writeFileSync(join(consumer, "package-import.ts"), 'import { StorageClasses } from "highmem-platform";\nexport const name = StorageClasses.name;\n');
    // ts-node 7.0.1 leaves files under node_modules to Node's own loader. Node 24 refuses to strip
    // types there; without type stripping (Node 20, or --no-experimental-strip-types) Node parses the
    // TypeScript as JavaScript: the SyntaxError.
    const transpileOnly = { PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
    expect(runProgram("deep-source.ts", transpileOnly).error?.code).toBe("ERR_UNSUPPORTED_NODE_MODULES_TYPE_STRIPPING");
    expect(runProgram("deep-source.ts", { ...transpileOnly, NODE_OPTIONS: "--no-experimental-strip-types" }).error?.name).toBe("SyntaxError");
    expect(runProgram("package-import.ts", transpileOnly)).toMatchObject({ outputs: { name: "StorageClasses" } });
  });

  it("cannot reach a module outside the package's exports", () => {
    writeFileSync(
      join(consumer, "deep-package.ts"),
      'import { StorageClasses } from "highmem-platform/lib/components/storage/storage-classes";\nexport const name = StorageClasses.name;\n',
    );
    // Transpile-only, to see Node's refusal (type-checking stops earlier, with TS2307, by the same map).
    expect(runProgram("deep-package.ts", { PULUMI_NODEJS_TRANSPILE_ONLY: "true" }).error?.code).toBe("ERR_PACKAGE_PATH_NOT_EXPORTED");
  });
});

describe("the consumer through the offline preview (--program DIR)", () => {
  const preview = (...args: string[]) =>
    spawnSync(process.execPath, [join(root, "tools", "run.mjs"), "tools/preview/cli", ...args], { cwd: root, encoding: "utf8" });

  it("previews the program with its own stack file and checks", () => {
    const planFile = join(work, "consumer-plan.json");
    const result = preview("dev", "--program", consumer, "--json", planFile);
    expect(result.stderr).not.toMatch(/Error/);
    expect(result.status).toBe(0);
    const plan = JSON.parse(readFileSync(planFile, "utf8")) as Plan;
    expect(plan.project).toBe("highmem-consumer");
    const types = plan.resources.map((r) => r.type);
    for (const type of [
      "highmem:storage:StorageClasses",
      "highmem:karpenter:KarpenterNodePool",
      "highmem:redis:RedisCluster",
      "kubernetes:apps/v1:StatefulSet",
    ])
      expect(types).toContain(type);
    expect(plan.schemaErrors).toEqual([]);
    expect(plan.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    // The Kubernetes objects go through the provider built from the stack's kubeconfig.
    const provider = plan.resources.find((r) => r.type === "pulumi:providers:kubernetes");
    expect(plan.resources.find((r) => r.type === "kubernetes:apps/v1:StatefulSet")?.provider).toContain(provider!.urn);
  });

  it("refuses what the Pulumi CLI refuses in the program's stack file, before the program runs", () => {
    const stackFile = readFileSync(join(consumer, "Pulumi.dev.yaml"), "utf8");
    writeFileSync(join(consumer, "Pulumi.broken.yaml"), stackFile.replace(/^ {2}highmem-consumer:clusterName: .*\n/m, ""));
    const result = preview("broken", "--program", consumer);
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/clusterName/);
  });
});
