/** A plan resource built by hand, for tests of what reads plans (schemas, chart models, the cost model). */
import type { PlanResource } from "../../tools/preview/plan";

/** A custom resource with no parent, provider, options or dependencies, named `name` (its URN says the type and name). */
export function planResource(type: string, inputs: Record<string, unknown>, name = "obj", stack = "test"): PlanResource {
  return {
    urn: `urn:pulumi:${stack}::p::${type}::${name}`,
    type,
    name,
    parent: null,
    provider: null,
    inputs,
    protect: false,
    retainOnDelete: false,
    deleteBeforeReplace: false,
    aliases: [],
    dependsOn: [],
    dependencies: [],
    custom: true,
  };
}
