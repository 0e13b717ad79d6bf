import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS } from "../../stacks/config/keys";
import { renderProjectFile } from "../../tools/lib/project-file";
import { renderConfigReference, renderMonitoring, renderPolicyRules, renderPoolTables, replaceSection } from "../../tools/lib/readme-sections";

const projectFile = readFileSync(join(__dirname, "..", "..", "Pulumi.yaml"), "utf8");

describe("Pulumi.yaml", () => {
  it("is exactly what the config key registry renders (run `npm run config:sync` after editing keys.ts)", () => {
    expect(projectFile).toBe(renderProjectFile());
  });

  it("declares every key with a type Pulumi accepts and a description, and keeps stack files in stacks/", () => {
    const parsed = parse(projectFile) as { stackConfigDir: string; main: string; config: Record<string, { type: string; description: string }> };
    expect(parsed.stackConfigDir).toBe("stacks");
    expect(Object.keys(parsed.config).sort()).toEqual(Object.keys(CONFIG_KEYS).sort());
    for (const decl of Object.values(parsed.config)) {
      expect(["string", "integer", "boolean", "array"]).toContain(decl.type);
      expect(decl.description.length).toBeGreaterThan(20);
    }
  });

  it("gives every key a default except tier, which each stack must set", () => {
    const required = Object.entries(CONFIG_KEYS).filter(([, spec]) => !("default" in spec)).map(([k]) => k);
    expect(required).toEqual(["tier"]);
  });
});

describe("README", () => {
  const root = join(__dirname, "..", "..");
  const readme = readFileSync(join(root, "README.md"), "utf8");

  it("documents every config key in its reference", () => {
    for (const key of Object.keys(CONFIG_KEYS)) expect(readme, key).toContain(`| \`${key}\` |`);
  });

  it("carries the generated sections as the code renders them today (run `npm run docs:sync`)", () => {
    let expected = replaceSection(readme, "config-reference", renderConfigReference());
    expected = replaceSection(expected, "pool-instance-types", renderPoolTables(root, ["dev", "staging", "prod"]));
    expected = replaceSection(expected, "policy-rules", renderPolicyRules());
    expected = replaceSection(expected, "monitoring", renderMonitoring());
    expect(readme).toBe(expected);
  });
});
