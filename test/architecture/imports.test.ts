/**
 * Layering: code outside components/ reaches components only through their entry points
 * (components/index.ts and helpers.ts, the package's public API, or internal.ts, the repository's
 * own index), so that a component's files can move without breaking its users. The exceptions are
 * the policy pack's imports of pure modules (the resource-kind vocabulary, the chart pod models, the
 * privileged-namespace annotation): the pack is its own package and must not load the components
 * index (and with it the provider SDKs).
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const DIRS = ["stacks", "tools", "bootstrap", "policies", "bench", "provider", "examples"];
const ALLOWED = new Set([
  "policies/rules/workloads.ts -> components/lib/resource-kinds",
  "policies/rules/pod-checks.ts -> components/lib/charts",
  "policies/rules/pod-security.ts -> components/lib/charts",
  "policies/rules/pod-security.ts -> components/lib/pod-security",
  "policies/rules/data-protection.ts -> components/lib/resource-kinds",
]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === "node_modules" || name === "dist" || name === "lib") return [];
    return statSync(path).isDirectory() ? sources(path) : /\.(ts|mts)$/.test(name) ? [path] : [];
  });
}

describe("imports of components from outside components/", () => {
  it("go through the entry points only", () => {
    const deep = DIRS.flatMap((d) => sources(join(ROOT, d))).flatMap((file) =>
      [...readFileSync(file, "utf8").matchAll(/from "((?:\.\.\/)+)components\/([a-z0-9-]+\/[a-z0-9-]+)"/g)]
        .map((m) => `${relative(ROOT, file)} -> components/${m[2]}`)
        .filter((edge) => !ALLOWED.has(edge)),
    );
    expect(deep).toEqual([]);
  });
});
