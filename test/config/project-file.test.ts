import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { CONFIG_KEYS, declaredInProjectFile, type ConfigKeySpec } from "../../stacks/config/keys";
import { renderProjectFile } from "../../tools/lib/project-file";
import { readDeclarations } from "../../tools/preview/project-config";
import { renderConfigReference, renderMonitoring, renderPolicyRules, renderPoolTables, replaceSection } from "../../tools/lib/readme-sections";
import { configsUnderTest } from "../support/stack-configs";

const projectFile = readFileSync(join(__dirname, "..", "..", "Pulumi.yaml"), "utf8");

describe("Pulumi.yaml", () => {
  it("is exactly what the config key registry renders (run `npm run config:sync` after editing keys.ts)", () => {
    expect(projectFile).toBe(renderProjectFile());
  });

  const specs = Object.entries(CONFIG_KEYS) as [string, ConfigKeySpec][];
  const parsed = parse(projectFile) as { name: string; stackConfigDir: string; main: string; config: Record<string, { type: string; description: string; secret?: boolean; default?: unknown }> };

  it("declares every key but the optional secret ones, with a type Pulumi accepts and a description, and keeps stack files in stacks/", () => {
    expect(parsed.stackConfigDir).toBe("stacks");
    const optionalSecrets = specs.filter(([, spec]) => !declaredInProjectFile(spec)).map(([k]) => k);
    expect(optionalSecrets.sort()).toEqual(["alertDeadMansSwitchUrl", "alertPagerDutyRoutingKey", "alertSlackWebhookUrl"]);
    expect(Object.keys(parsed.config).sort()).toEqual(specs.map(([k]) => k).filter((k) => !optionalSecrets.includes(k)).sort());
    for (const key of optionalSecrets) expect(projectFile).toContain(key); // named in the header comment
    for (const decl of Object.values(parsed.config)) {
      expect(["string", "integer", "boolean", "array"]).toContain(decl.type);
      expect(decl.description.length).toBeGreaterThan(20);
    }
  });

  it("declares no secret key with a default: the CLI applies a default as plaintext, then refuses it as not encrypted", () => {
    const offending = Object.entries(parsed.config).filter(([, decl]) => decl.secret === true && "default" in decl);
    expect(offending).toEqual([]);
  });

  it("passes the CLI's own checks of project config declarations", () => {
    expect(readDeclarations(parsed.name, parsed.config, "Pulumi.yaml").problems).toEqual([]);
  });

  it("gives every secret key an offline stand-in that its own rule accepts", () => {
    for (const [key, spec] of specs.filter(([, s]) => s.secret)) {
      expect(spec.offlineStandIn, key).toBeDefined();
      expect(spec.schema.safeParse(spec.offlineStandIn).success, key).toBe(true);
      expect(spec.type, key).toBe("string");
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
    // The pool tables document the sample stacks: test/examples checks them against the samples as shipped.
    let expected = replaceSection(readme, "config-reference", renderConfigReference());
    expected = replaceSection(expected, "policy-rules", renderPolicyRules());
    expected = replaceSection(expected, "monitoring", renderMonitoring());
    expect(readme).toBe(expected);
  });
});

describe("README pool tables (npm run docs:sync)", () => {
  // Rendered for any stack, whatever its region: prices the instance data lacks for a region are the
  // reference region's (as the pools' price ordering uses), never NaN.
  it.each(configsUnderTest())("render every figure for $label", (c) => {
    const text = renderPoolTables(c.root, [c.stack]);
    expect(text).toMatch(new RegExp(`^#### ${c.stack}: largest pod \\d+ GiB`, "m"));
    expect(text).not.toMatch(/NaN|undefined|Infinity/);
  });
});
