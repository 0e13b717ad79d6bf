/**
 * What tools/lib/defer-closure-serialization.ts promises at the pinned @pulumi/pulumi: loading the
 * SDK after it loads neither the TypeScript compiler nor @npmcli/arborist (function serialization
 * needs them, the preview never serializes a function), while the same SDK without it loads both.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const HOOK = join(ROOT, "dist", "tools", "lib", "defer-closure-serialization.js");

/** Which of the heavy modules are in require's cache after running `script` in a fresh Node. */
function loadedAfter(script: string): string[] {
  const probe = `${script}; const keys = Object.keys(require.cache); console.log(JSON.stringify(["/node_modules/typescript/", "/node_modules/@npmcli/arborist/"].filter((m) => keys.some((k) => k.includes(m)))));`;
  const result = spawnSync(process.execPath, ["-e", probe], { cwd: ROOT, encoding: "utf8" });
  expect(result.stderr).toBe("");
  return JSON.parse(result.stdout) as string[];
}

describe("start-up: Pulumi's function serializer is not loaded by the preview", () => {
  it("without the hook, @pulumi/pulumi loads the TypeScript compiler and arborist", () => {
    expect(loadedAfter(`require("@pulumi/pulumi")`)).toEqual(["/node_modules/typescript/", "/node_modules/@npmcli/arborist/"]);
  });

  it("with the hook, it loads neither", () => {
    expect(loadedAfter(`require(${JSON.stringify(HOOK)}); require("@pulumi/pulumi")`)).toEqual([]);
  });
});
