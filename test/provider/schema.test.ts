/**
 * The component package's schema: provider/schema.json is what the provider's GetSchema answers now
 * (a stale file fails), and each component's inputs in it match the TypeScript args interface of the
 * class, read here with the TypeScript compiler API: names, required-ness, types, plain or Input.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getPulumiComponents } from "@pulumi/pulumi/provider/experimental";
import * as entry from "../../provider";
import { PROVIDER_DIR, renderSchema, SCHEMA_FILE } from "../../tools/provider-schema";
import { argNamesOf, argsOf, loadProgram, type TsProperty, type TsShape } from "./ts-args";

interface SchemaType {
  readonly type?: string;
  readonly $ref?: string;
  readonly plain?: boolean;
  readonly items?: SchemaType;
  readonly additionalProperties?: SchemaType;
}
interface SchemaObject {
  readonly type: string;
  readonly properties?: Record<string, SchemaType>;
  readonly required?: string[];
  readonly enum?: { value: string }[];
}
interface Schema {
  readonly name: string;
  readonly resources: Record<string, { isComponent: boolean; inputProperties: Record<string, SchemaType>; requiredInputs: string[] }>;
  readonly types: Record<string, SchemaObject>;
}

const committed = readFileSync(SCHEMA_FILE, "utf8");
const schema = JSON.parse(committed) as Schema;
const root = join(PROVIDER_DIR, "..");
const classes = getPulumiComponents(entry).map((c) => c.name);
// Where each exported class is declared: the file named after it in provider/.
const fileOf: Record<string, string> = { RedisClusterComponent: "provider/redis-cluster.ts", KarpenterNodePoolComponent: "provider/karpenter-node-pool.ts" };

/** Checks one schema property against its TypeScript reading; `where` names it in failures. */
function expectSame(where: string, actual: SchemaType, expected: TsShape): void {
  const referenced = actual.$ref === undefined ? undefined : schema.types[actual.$ref.replace("#/types/", "")];
  if (actual.$ref !== undefined) expect(referenced, `${where}: ${actual.$ref} is defined`).toBeDefined();
  switch (expected.kind) {
    case "string":
    case "number":
    case "boolean":
      expect(actual.type, where).toBe(expected.kind);
      return;
    case "array":
      expect(actual.type, where).toBe("array");
      expectSame(`${where}[]`, actual.items ?? {}, expected.items);
      return;
    case "map":
      expect(actual.type, where).toBe("object");
      expectSame(`${where}{}`, actual.additionalProperties ?? {}, expected.values);
      return;
    case "enum":
      expect(referenced?.type, where).toBe("string");
      expect((referenced?.enum ?? []).map((e) => e.value).sort(), where).toEqual(expected.values);
      return;
    case "object":
      expect(actual.$ref, where).toBe(`#/types/${schema.name}:index:${expected.name}`);
      expectProperties(where, referenced?.properties ?? {}, referenced?.required ?? [], expected.properties);
  }
}

function expectProperties(where: string, actual: Record<string, SchemaType>, required: readonly string[], expected: Record<string, TsProperty>): void {
  expect(Object.keys(actual).sort(), `${where}: property names`).toEqual(Object.keys(expected).sort());
  expect([...required].sort(), `${where}: required`).toEqual(
    Object.entries(expected)
      .filter(([, p]) => !p.optional)
      .map(([n]) => n)
      .sort(),
  );
  for (const [name, property] of Object.entries(expected)) {
    const schemaProperty = actual[name] ?? {};
    expect(schemaProperty.plain === true, `${where}.${name}: plain (not an Input)`).toBe(property.plain);
    expectSame(`${where}.${name}`, schemaProperty, property.shape);
  }
}

describe("provider/schema.json", () => {
  it("is what the provider's GetSchema answers (run `npm run provider:schema` after changing provider/)", async () => {
    expect(await renderSchema()).toBe(committed);
  });

  it("has one component resource per class the entry exports, and no other", () => {
    expect(Object.keys(schema.resources).sort()).toEqual(classes.map((c) => `highmem:index:${c}`).sort());
    expect(Object.values(schema.resources).every((r) => r.isComponent)).toBe(true);
  });
});

describe("schema inputs match the TypeScript args", () => {
  let program: ReturnType<typeof loadProgram>;
  beforeAll(() => {
    program = loadProgram(root, [...Object.values(fileOf), "components/redis/redis-cluster.ts"]);
  });

  it.each(classes)("%s", (cls) => {
    const file = fileOf[cls];
    if (file === undefined) throw new Error(`${cls}: add its file to fileOf`);
    const resource = schema.resources[`highmem:index:${cls}`];
    if (resource === undefined) throw new Error(`${cls} is not in the schema`);
    expectProperties(cls, resource.inputProperties, resource.requiredInputs, argsOf(program, join(root, file), cls));
  });

  it("RedisClusterComponent passes RedisClusterArgs through: same names and required-ness; the rest come from resource options", () => {
    const wrapper = argNamesOf(program, join(root, fileOf.RedisClusterComponent ?? ""), "RedisClusterComponent");
    const real = argNamesOf(program, join(root, "components/redis/redis-cluster.ts"), "RedisCluster");
    for (const [name, optional] of Object.entries(wrapper)) {
      expect(real[name], `RedisClusterArgs.${name}: optional`).toBe(optional);
    }
    // The Kubernetes provider and the ServiceMonitor's dependencies: resource options (`providers`, `dependsOn`).
    expect(
      Object.keys(real)
        .filter((n) => !(n in wrapper))
        .sort(),
    ).toEqual(["monitoringDependsOn", "provider"]);
  });
});
