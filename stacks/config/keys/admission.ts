/** The admission keys of the config registry (see ../keys.ts for the conventions): Kyverno and the team-namespace policies. */
import { oneOf, wholeNumber } from "../validators";
import { tierValues } from "../tiers";
import type { ConfigKeySpec } from "../keys";

export const ADMISSION_KEYS = {
  admissionPolicies: {
    group: "cluster",
    type: "string",
    description: `Admission policies for the pods of team namespaces (Kyverno, components/admission): enforce (refuse a pod that fails one; fail closed), audit (admit it, report it and warn), off (no Kyverno), or auto (the tier default: ${tierValues((t) => t.admission.mode)}).`,
    default: "auto",
    schema: oneOf(["auto", "enforce", "audit", "off"]),
  },
  admissionReplicas: {
    group: "cluster",
    type: "integer",
    description: `Replicas of Kyverno's admission controller: 0 means the tier default (${tierValues((t) => t.admission.replicas)}). Enforcing outside dev needs at least 3.`,
    default: 0,
    schema: wholeNumber(0, 10),
  },
} as const satisfies Record<string, ConfigKeySpec>;
