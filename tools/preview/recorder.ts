/**
 * Records what runtime mocks cannot see: each resource's options (protect, aliases, dependsOn, ...)
 * and its place in the tree, through a stack transformation. Joined with the mocks' registrations,
 * it yields the plan's resources with URNs computed the way the engine computes them (the mock
 * monitor qualifies a type with the immediate parent's type only; the engine uses the whole chain).
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import type { CapturedRegistration } from "./dependency-capture";
import type { MockRegistration } from "./mocks";
import { SECRET_SIG, SIG_KEY, type PlanResource } from "./plan";

const STACK_TYPE = "pulumi:pulumi:Stack";

interface Recorded {
  readonly resource: pulumi.Resource;
  readonly type: string;
  readonly name: string;
  readonly parent: pulumi.Resource | undefined;
  readonly opts: pulumi.ResourceOptions & { deleteBeforeReplace?: boolean };
  urn: string;
  /** The URN the mock monitor gives the resource (used in provider references). */
  mockUrn: string;
  qualifiedType: string;
  ownType: string;
}

export class ResourceRecorder {
  private readonly byResource = new Map<pulumi.Resource, Recorded>();
  private readonly ordered: Recorded[] = [];

  constructor(
    private readonly project: string,
    private readonly stack: string,
  ) {}

  /** The stack transformation; returns undefined so that nothing is changed. */
  readonly transformation: pulumi.ResourceTransformation = (args) => {
    // A resource constructed with `urn` is a reference to one that exists (the SDK fetches it with
    // getResource instead of registering it: @pulumi/pulumi resource.js), as when a resource passed to
    // a remote component is rehydrated: nothing the engine would create, so not part of the plan.
    if (args.opts.urn !== undefined) return undefined;
    const parent = args.opts.parent;
    const parentRecord = parent ? this.byResource.get(parent) : undefined;
    const isRootChild = !parentRecord;
    const qualifiedType = isRootChild ? args.type : `${parentRecord.qualifiedType}$${args.type}`;
    const mockType = isRootChild ? args.type : `${parentRecord.ownType}$${args.type}`;
    const record: Recorded = {
      resource: args.resource,
      type: args.type,
      name: args.name,
      parent: parentRecord ? parent : undefined,
      opts: args.opts,
      qualifiedType,
      ownType: args.type,
      urn: this.urn(qualifiedType, args.name),
      // The mock monitor treats children of the stack as having the stack for parent.
      mockUrn: this.urn(isRootChild ? `${STACK_TYPE}$${args.type}` : mockType, args.name),
    };
    this.byResource.set(args.resource, record);
    this.ordered.push(record);
    return undefined;
  };

  private urn(qualifiedType: string, name: string): string {
    return `urn:pulumi:${this.stack}::${this.project}::${qualifiedType}::${name}`;
  }

  /**
   * Joins the recorded options with the mocks' registrations (keyed by type and name) and with the
   * dependencies the SDK sent for each resource.
   */
  buildResources(registrations: readonly MockRegistration[], captured: ReadonlyMap<string, CapturedRegistration> = new Map()): PlanResource[] {
    const byKey = new Map<string, MockRegistration>();
    for (const r of registrations) {
      const key = `${r.type}::${r.name}`;
      if (byKey.has(key)) throw new Error(`offline preview: two resources of type ${r.type} are named "${r.name}"; give them distinct names`);
      byKey.set(key, r);
    }
    const urnOfMock = new Map(this.ordered.map((r) => [r.mockUrn, r.urn]));
    const urnOf = (res: unknown): string | undefined => (res instanceof pulumi.Resource ? this.byResource.get(res)?.urn : undefined);

    // As the SDK does after transformations: a resource without its own protect takes its parent's.
    const protectOf = (r: Recorded): boolean => {
      if (r.opts.protect !== undefined) return r.opts.protect;
      const parent = r.parent ? this.byResource.get(r.parent) : undefined;
      return parent ? protectOf(parent) : false;
    };

    // What the engine waits for before creating a resource: the dependencies the SDK sent for it,
    // those of every ancestor (a child is registered only once its parent's URN resolves, and a
    // parent registers only after its own dependencies), a custom parent itself, and its provider.
    const ownDependencies = (r: Recorded): string[] => (captured.get(`${r.type}::${r.name}`)?.dependencies ?? []).map((u) => urnOfMock.get(u) ?? u);
    const dependenciesOf = (r: Recorded, providerUrn: string | null): string[] => {
      const all = new Set(ownDependencies(r));
      for (let parent = r.parent ? this.byResource.get(r.parent) : undefined; parent; parent = parent.parent ? this.byResource.get(parent.parent) : undefined) {
        for (const u of ownDependencies(parent)) all.add(u);
        if (!(parent.resource instanceof pulumi.ComponentResource)) all.add(parent.urn);
      }
      if (providerUrn) all.add(providerUrn);
      all.delete(r.urn);
      return [...all].sort();
    };

    return this.ordered.map((r) => {
      const reg = byKey.get(`${r.type}::${r.name}`);
      const providerUrn = reg?.provider ? (urnOfMock.get(reg.provider.slice(0, reg.provider.lastIndexOf("::"))) ?? reg.provider) : null;
      const dependsOn = ([] as unknown[])
        .concat(r.opts.dependsOn ?? [])
        .map(urnOf)
        .filter((u): u is string => u !== undefined);
      const aliases = (r.opts.aliases ?? []).map((alias) => {
        if (typeof alias === "string") return alias;
        if (alias && typeof alias === "object" && !pulumi.Output.isInstance(alias)) {
          const spec = alias as pulumi.Alias;
          return { ...spec, ...(spec.parent ? { parent: urnOf(spec.parent) ?? String(spec.parent) } : {}) };
        }
        return "[output]";
      });
      return {
        urn: r.urn,
        type: r.type,
        name: r.name,
        parent: r.parent ? this.byResource.get(r.parent)!.urn : null,
        provider: providerUrn,
        inputs: (toPlain(reg?.inputs ?? {}) ?? {}) as Record<string, unknown>,
        protect: protectOf(r),
        retainOnDelete: r.opts.retainOnDelete === true,
        deleteBeforeReplace: r.opts.deleteBeforeReplace === true,
        aliases,
        dependsOn,
        dependencies: dependenciesOf(r, providerUrn),
        custom: reg?.custom ?? !(r.resource instanceof pulumi.ComponentResource),
      };
    });
  }
}

/** A short digest that shows a secret changed without showing the secret. */
export function secretDigest(value: unknown): string {
  return `sha256:${createHash("sha256").update(JSON.stringify(value)).digest("hex").slice(0, 16)}`;
}

/** Converts deserialized inputs to JSON-safe values: secrets masked, resources as references. */
export function toPlain(value: unknown): unknown {
  if (value === null || value === undefined) return value ?? null;
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof pulumi.Resource) return { "@resource": "reference" };
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    if (obj[SIG_KEY] === SECRET_SIG) return { "@secret": secretDigest(obj["value"]) };
    return Object.fromEntries(
      Object.entries(obj)
        .filter(([, v]) => v !== undefined)
        .map(([k, v]) => [k, toPlain(v)]),
    );
  }
  return value;
}
