/**
 * The Pulumi CLI's rules for Pulumi.yaml config declarations (tools/preview/project-config.ts),
 * on hand-written projects: each case is what pulumi/pulumi@v3.248.0 does (sdk/go/common/workspace).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { type ConfigTree, SecretLeaf } from "../../tools/preview/config-values";
import { applyProjectConfig, readDeclarations } from "../../tools/preview/project-config";
import { loadStackConfig } from "../../tools/preview/stack-file";

const declare = (yaml: string) => readDeclarations("proj", load(yaml), "Pulumi.yaml");
function apply(yaml: string, stack: Record<string, ConfigTree>) {
  const values = new Map(Object.entries(stack));
  return { ...applyProjectConfig("dev", "proj", declare(yaml).declarations, values), values: Object.fromEntries(values) };
}

describe("a key declared secret", () => {
  const secretWithDefault = "url:\n  type: string\n  secret: true\n  default: ''\n";

  it("with a default refuses every stack that leaves it unset: the default is applied as plaintext (the audit's finding)", () => {
    expect(apply(secretWithDefault, {}).problems).toEqual([
      {
        key: "proj:url",
        value: "[secret]",
        message:
          "validating stack config: Stack 'dev' with configuration key 'url' must be encrypted as it's secret; set it with `pulumi config set --secret url <value>`",
      },
    ]);
  });

  it("with a default refuses the sample-like stack file through loadStackConfig as well", () => {
    const root = mkdtempSync(join(tmpdir(), "hm-cli-"));
    writeFileSync(join(root, "Pulumi.yaml"), `name: proj\nruntime: nodejs\nstackConfigDir: stacks\nconfig:\n  ${secretWithDefault.replaceAll("\n", "\n  ")}`);
    mkdirSync(join(root, "stacks"));
    writeFileSync(join(root, "stacks", "Pulumi.dev.yaml"), "config:\n  aws:region: us-west-2\n");
    expect(loadStackConfig(root, "dev").problems.map((p) => p.message)).toEqual([expect.stringContaining("must be encrypted as it's secret")]);
  });

  const required = "token:\n  type: string\n  secret: true\n";
  it("without a default is required, refused in plaintext, and accepted encrypted (unchecked when opaque)", () => {
    expect(apply(required, {}).problems).toEqual([
      { key: "proj:token", message: "validating stack config: Stack 'dev' is missing configuration value 'token'" },
    ]);
    expect(apply(required, { "proj:token": "abc" }).problems[0]?.message).toMatch(
      /^validating stack config: Stack 'dev' with configuration key 'token' must be encrypted as it's secret/,
    );
    expect(apply(required, { "proj:token": new SecretLeaf("v1:AAAA:AAAA") })).toMatchObject({ problems: [], unchecked: ["proj:token"] });
  });
});

describe("defaults, values and types", () => {
  const yaml = [
    "size: t3.micro", // shorthand: a default for a project key
    "count:\n  type: integer\n  default: 2",
    "list:\n  type: array\n  items:\n    type: string\n  default: [a]",
    "flag:\n  type: boolean",
    "aws:region:\n  value: us-east-1",
    "other:thing:\n  value: x",
  ].join("\n");

  it("applies defaults and values as the CLI's text, and does not require other namespaces", () => {
    const { problems, values } = apply(yaml, { "proj:flag": "true", "other:thing": "mine" });
    expect(problems).toEqual([]);
    expect(values).toEqual({
      "proj:size": "t3.micro",
      "proj:count": "2",
      "proj:list": ["a"],
      "proj:flag": "true",
      "aws:region": "us-east-1",
      "other:thing": "mine",
    });
  });

  it("checks each declared type as the CLI does", () => {
    const typeError = (key: string, type: string) => `validating stack config: Stack 'dev' with configuration key '${key}' must be of type '${type}'`;
    expect(apply(yaml, { "proj:flag": "yes", "proj:count": "2.5", "proj:list": "a" }).problems).toEqual([
      { key: "proj:count", value: "2.5", message: typeError("count", "integer") },
      { key: "proj:flag", value: "yes", message: typeError("flag", "boolean") },
      { key: "proj:list", value: "a", message: typeError("list", "array<string>") },
    ]);
    expect(apply(yaml, { "proj:flag": "false", "proj:count": "-7", "proj:list": [] }).problems).toEqual([]);
  });
});

describe("declarations the CLI refuses (Project.Validate)", () => {
  it.each([
    [
      "an array without items",
      "xs:\n  type: array",
      "The configuration key 'xs' declares an array but does not specify the underlying type via the 'items' attribute",
    ],
    [
      "a default of another type",
      "n:\n  type: integer\n  default: many",
      "The default value specified for configuration key 'n' is not of the expected type 'integer'",
    ],
    [
      "a type on another namespace's key",
      "aws:region:\n  type: string\n  value: us-west-2",
      "Configuration key 'aws:region' is not namespaced by the project and should not define a type",
    ],
    [
      "a default on another namespace's key",
      "aws:region:\n  default: us-west-2",
      "Configuration key 'aws:region' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?",
    ],
    [
      "another namespace's key without a value",
      "aws:region:\n  description: the region",
      "Configuration key 'aws:region' is namespaced and must provide an attribute 'value'",
    ],
    ["both default and value", "n:\n  default: 1\n  value: 2", "project config 'n' cannot have both a 'default' and 'value' attribute"],
  ])("%s", (_name, yaml, message) => {
    expect(declare(yaml).problems.map((p) => p.message)).toEqual([`could not unmarshal 'Pulumi.yaml': ${message}`]);
  });
});
