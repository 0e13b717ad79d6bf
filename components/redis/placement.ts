/**
 * Where Redis pods may run beyond the component's own rules (on-demand capacity, one pod per node,
 * even zone spread): a node selector and tolerations, e.g. for a dedicated "stateful" node pool.
 * Checked here with the rules the Kubernetes API server applies, so that a typo fails the preview
 * instead of leaving pods Pending.
 */
import { ComponentArgumentError } from "../lib/args";
import { isDnsSubdomain } from "../lib/names";

/**
 * Toleration operators and taint effects the API accepts (kubernetes/kubernetes@000f2605
 * pkg/apis/core/validation/validation.go: ValidateTolerations, validateTaintEffect).
 */
export const TOLERATION_OPERATORS = ["Equal", "Exists"] as const;
export const TAINT_EFFECTS = ["NoSchedule", "PreferNoSchedule", "NoExecute"] as const;

export interface RedisToleration {
  /** Taint key to tolerate; required here (an empty key with Exists would tolerate every taint). */
  readonly key: string;
  readonly operator: (typeof TOLERATION_OPERATORS)[number];
  /** Taint value; with Equal only. */
  readonly value?: string;
  /** Taint effect; every effect when absent. */
  readonly effect?: (typeof TAINT_EFFECTS)[number];
}

export interface RedisPlacement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly RedisToleration[];
}

// Label syntax (kubernetes apimachinery pkg/util/validation/validation.go: IsQualifiedName, IsValidLabelValue).
const NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

function isQualifiedName(key: string): boolean {
  const slash = key.indexOf("/");
  const name = slash < 0 ? key : key.slice(slash + 1);
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  if (prefix !== undefined && !isDnsSubdomain(prefix)) return false;
  return name.length <= 63 && NAME.test(name);
}

function isLabelValue(value: string): boolean {
  return value === "" || (value.length <= 63 && NAME.test(value));
}

const COMPONENT = "RedisCluster";

/** Throws a ComponentArgumentError naming the first bad entry; returns the placement otherwise. */
export function validatePlacement(p: RedisPlacement): RedisPlacement {
  for (const [key, value] of Object.entries(p.nodeSelector)) {
    if (!isQualifiedName(key))
      throw new ComponentArgumentError(
        COMPONENT,
        "nodeSelector",
        p.nodeSelector,
        `key ${JSON.stringify(key)} is not a label key ([prefix/]name, name at most 63 letters, digits, "-", "_", ".")`,
      );
    if (typeof value !== "string" || !isLabelValue(value))
      throw new ComponentArgumentError(
        COMPONENT,
        "nodeSelector",
        p.nodeSelector,
        `value of ${JSON.stringify(key)} must be a label value (at most 63 letters, digits, "-", "_", ".")`,
      );
  }
  p.tolerations.forEach((t, i) => {
    const bad = (why: string) => new ComponentArgumentError(COMPONENT, `tolerations[${i}]`, t, why);
    if (typeof t.key !== "string" || t.key === "") throw bad("needs a key: this component does not tolerate every taint");
    if (!isQualifiedName(t.key)) throw bad(`key ${JSON.stringify(t.key)} is not a taint key ([prefix/]name)`);
    if (!(TOLERATION_OPERATORS as readonly string[]).includes(t.operator)) throw bad(`operator must be one of ${TOLERATION_OPERATORS.join(", ")}`);
    if (t.operator === "Exists" && t.value !== undefined && t.value !== "") throw bad("value must be empty when operator is Exists");
    if (t.value !== undefined && !isLabelValue(t.value)) throw bad('value must be a label value (at most 63 letters, digits, "-", "_", ".")');
    if (t.effect !== undefined && !(TAINT_EFFECTS as readonly string[]).includes(t.effect))
      throw bad(`effect must be one of ${TAINT_EFFECTS.join(", ")}, or absent for every effect`);
  });
  return p;
}

/** The pod-spec fields for a placement: absent when empty, so the rendered spec stays as before. */
export function placementFields(p: RedisPlacement): { nodeSelector?: Record<string, string>; tolerations?: RedisToleration[] } {
  return {
    ...(Object.keys(p.nodeSelector).length > 0 ? { nodeSelector: { ...p.nodeSelector } } : {}),
    ...(p.tolerations.length > 0 ? { tolerations: p.tolerations.map((t) => ({ ...t })) } : {}),
  };
}
