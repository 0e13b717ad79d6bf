/** Resolves the general keys: the name prefix (derived from the stack name when unset) and tags. */
import type { Problem, Values } from "../errors";

/** Stack names may hold characters AWS names do not; derive a safe default prefix. */
function defaultNamePrefix(stack: string): string {
  return `hm-${stack.toLowerCase().replace(/[^a-z0-9-]+/g, "-")}`.slice(0, 20).replace(/-+$/, "");
}

export function resolveGeneral(v: Values, stack: string, problem: Problem): { namePrefix: string; tags: Record<string, string> } {
  const namePrefix = v.namePrefix || defaultNamePrefix(stack);
  if (!/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/.test(namePrefix)) {
    problem(
      "namePrefix",
      v.namePrefix,
      `the default derived from stack "${stack}" ("${namePrefix}") is not a valid name: set namePrefix to 3-20 lowercase letters, digits and hyphens`,
    );
  }
  const tags: Record<string, string> = {};
  v.tags.forEach((tag, i) => {
    const [key = "", ...value] = tag.split("=");
    if (key in tags) problem(`tags[${i}]`, tag, `repeats tag key "${key}"`);
    if (/^(kubernetes\.io|karpenter\.sh|eks:|Name$)/.test(key))
      problem(`tags[${i}]`, tag, `tag key "${key}" is managed by the platform (subnet roles, discovery, names)`);
    tags[key] = value.join("=");
  });
  return { namePrefix, tags };
}
