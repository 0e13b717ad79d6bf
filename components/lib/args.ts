/**
 * Argument checks shared by the components. A component validates its arguments in its
 * constructor before it declares any child, so a bad argument leaves nothing half-made.
 */

/** Thrown for a component argument outside what the component supports. */
export class ComponentArgumentError extends Error {
  constructor(component: string, arg: string, value: unknown, allowed: string) {
    super(`${component}: argument "${arg}" is ${JSON.stringify(value)}; ${allowed}`);
    this.name = "ComponentArgumentError";
  }
}

export function requireThat(condition: boolean, component: string, arg: string, value: unknown, allowed: string): void {
  if (!condition) throw new ComponentArgumentError(component, arg, value, allowed);
}

/** Physical names: lowercase letters, digits and hyphens, starting with a letter. */
export const PHYSICAL_NAME = /^[a-z][a-z0-9-]*[a-z0-9]$/;

/** Args with the keys that have defaults made required. */
export type Resolved<A, D> = A & { readonly [K in Extract<keyof D, keyof A>]-?: Exclude<A[K], undefined> };

/**
 * Merges user args over a component's defaults constant (cdk-eks-blueprints style), ignoring keys
 * the user left undefined.
 */
export function withDefaults<A extends object, D extends { readonly [K in keyof A]?: A[K] }>(defaults: D, args: A): Resolved<A, D> {
  const merged: Record<string, unknown> = { ...defaults };
  for (const [k, v] of Object.entries(args)) if (v !== undefined) merged[k] = v;
  return merged as Resolved<A, D>;
}
