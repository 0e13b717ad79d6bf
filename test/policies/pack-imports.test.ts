/**
 * The policy pack is its own package (policies/package.json: @pulumi/policy and @pulumi/pulumi only):
 * every module it loads, the pure modules it imports from elsewhere in the repository included (chart
 * pod models, image pins, resource kinds), may import nothing else. A provider SDK in the chain would
 * fail `pulumi preview --policy-pack policies`.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const ALLOWED_PACKAGES = new Set(["@pulumi/policy", "@pulumi/pulumi"]);

function closure(entry: string): { files: string[]; packages: Map<string, string> } {
  const seen = new Set<string>();
  const packages = new Map<string, string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, "utf8").matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']/g)) {
      const spec = m[1]!;
      if (!spec.startsWith(".")) {
        const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
        if (!name.startsWith("node:")) packages.set(name, relative(ROOT, file));
        continue;
      }
      const base = resolve(dirname(file), spec);
      const target = [`${base}.ts`, join(base, "index.ts")].find(existsSync);
      if (!target) throw new Error(`${relative(ROOT, file)}: cannot resolve ${spec}`);
      visit(target);
    }
  };
  visit(entry);
  return { files: [...seen].map((f) => relative(ROOT, f)), packages };
}

describe("the policy pack's import chain", () => {
  const { files, packages } = closure(join(ROOT, "policies", "index.ts"));

  it("reaches the chart pod models and the image pins", () => {
    expect(files).toContain("components/lib/charts/index.ts");
    expect(files).toContain("components/versions.ts");
  });

  it("imports no package but @pulumi/policy and @pulumi/pulumi", () => {
    expect([...packages].filter(([name]) => !ALLOWED_PACKAGES.has(name))).toEqual([]);
  });
});
