/**
 * Reads a component's constructor `args` interface with the TypeScript compiler API, independently of
 * Pulumi's analyzer, into the shape a package schema should have: names, required-ness, types
 * (string, number, boolean, arrays, string-keyed maps, nested interfaces, string-literal enums) and
 * whether the value is plain or a pulumi.Input.
 */
import { join } from "node:path";
import ts from "typescript";

export type TsShape =
  | { readonly kind: "string" | "number" | "boolean" }
  | { readonly kind: "array"; readonly items: TsShape }
  | { readonly kind: "map"; readonly values: TsShape }
  | { readonly kind: "enum"; readonly values: readonly string[] }
  | { readonly kind: "object"; readonly name: string; readonly properties: Readonly<Record<string, TsProperty>> };

export interface TsProperty {
  readonly optional: boolean;
  /** False when the declared type is pulumi.Input<T>. */
  readonly plain: boolean;
  readonly shape: TsShape;
}

export function loadProgram(root: string, files: readonly string[]): ts.Program {
  const configPath = join(root, "tsconfig.json");
  const config = ts.readConfigFile(configPath, ts.sys.readFile);
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, root);
  return ts.createProgram({ rootNames: files.map((f) => join(root, f)), options: { ...parsed.options, noEmit: true } });
}

/** The constructor's `args` properties of the exported class `className` in `file`. */
export function argsOf(program: ts.Program, file: string, className: string): Record<string, TsProperty> {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  if (!source) throw new Error(`${file} is not in the program`);
  const cls = source.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === className);
  const ctor = cls?.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m));
  const param = ctor?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === "args");
  if (!param?.type) throw new Error(`${className} has no typed args parameter`);
  return propertiesOf(checker, checker.getTypeFromTypeNode(param.type));
}

/** The properties of an interface type (inherited ones included). */
export function propertiesOf(checker: ts.TypeChecker, type: ts.Type): Record<string, TsProperty> {
  const out: Record<string, TsProperty> = {};
  for (const symbol of checker.getPropertiesOfType(type)) {
    const declaration = symbol.valueDeclaration ?? symbol.declarations?.[0];
    if (!declaration) throw new Error(`property ${symbol.name} has no declaration`);
    const optional = (symbol.flags & ts.SymbolFlags.Optional) !== 0;
    const declared = checker.getNonNullableType(checker.getTypeOfSymbolAtLocation(symbol, declaration));
    const input = inputInner(declared);
    out[symbol.name] = { optional, plain: input === undefined, shape: shapeOf(checker, input ?? declared) };
  }
  return out;
}

/** T of pulumi.Input<T> (T | Promise<T> | OutputInstance<T>), found through its Promise member. */
function inputInner(type: ts.Type): ts.Type | undefined {
  if (!type.isUnion()) return undefined;
  const promise = type.types.find((t) => t.getSymbol()?.name === "Promise");
  const output = type.types.some((t) => t.getSymbol()?.name === "OutputInstance");
  if (!promise || !output) return undefined;
  const args = (promise as ts.TypeReference).typeArguments;
  return args?.[0];
}

function shapeOf(checker: ts.TypeChecker, type: ts.Type): TsShape {
  if (type.flags & ts.TypeFlags.String) return { kind: "string" };
  if (type.flags & ts.TypeFlags.Number) return { kind: "number" };
  if (type.flags & (ts.TypeFlags.Boolean | ts.TypeFlags.BooleanLiteral)) return { kind: "boolean" };
  if (type.isUnion() && type.types.every((t) => t.isStringLiteral())) {
    return { kind: "enum", values: type.types.map((t) => (t as ts.StringLiteralType).value).sort() };
  }
  if (checker.isArrayType(type)) {
    const item = checker.getTypeArguments(type as ts.TypeReference)[0];
    if (!item) throw new Error("array without an item type");
    return { kind: "array", items: shapeOf(checker, item) };
  }
  const index = checker.getIndexInfoOfType(type, ts.IndexKind.String);
  if (index) return { kind: "map", values: shapeOf(checker, index.type) };
  if (type.isClassOrInterface()) return { kind: "object", name: type.symbol.name, properties: propertiesOf(checker, type) };
  throw new Error(`no schema shape for ${checker.typeToString(type)}`);
}

/** Names of the constructor's `args` properties, each with whether it is optional (any type). */
export function argNamesOf(program: ts.Program, file: string, className: string): Record<string, boolean> {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const cls = source?.statements.find((s): s is ts.ClassDeclaration => ts.isClassDeclaration(s) && s.name?.text === className);
  const ctor = cls?.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m));
  const param = ctor?.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === "args");
  if (!param?.type) throw new Error(`${className} has no typed args parameter`);
  return Object.fromEntries(
    checker.getPropertiesOfType(checker.getTypeFromTypeNode(param.type)).map((s) => [s.name, (s.flags & ts.SymbolFlags.Optional) !== 0]),
  );
}
