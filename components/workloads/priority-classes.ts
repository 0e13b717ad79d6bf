/**
 * The platform's PriorityClasses, in one place. PriorityClass is cluster-scoped
 * (kubernetes.io "Pod Priority and Preemption"), so the classes are shared by every team rather than
 * declared per namespace:
 * - `team-workload`: the default of team workloads (batch jobs, notebooks, training);
 * - `team-service`: long-running team services, which preempt batch work when a node is short;
 * - `capacity-placeholder`: negative, preemptionPolicy Never, for capacity-window pause pods: every
 *   real pod preempts them and they preempt nothing.
 * None is `globalDefault`: a pod without a class keeps priority 0 (the documented default when no
 * class is global default), and the team LimitRange/quota do not depend on it.
 */
import * as pulumi from "@pulumi/pulumi";
import { PriorityClass } from "@pulumi/kubernetes/scheduling/v1/priorityClass";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { requireThat } from "../lib/args";

/** The platform's priority classes: names and values (one decision, used by TeamNamespace and CapacityWindows). */
export const PRIORITY_CLASSES = {
  workload: { name: "team-workload", value: 1000, preemptionPolicy: "PreemptLowerPriority", description: "Team batch and interactive workloads." },
  service: {
    name: "team-service",
    value: 10000,
    preemptionPolicy: "PreemptLowerPriority",
    description: "Long-running team services: preempt batch workloads when nodes are short.",
  },
  placeholder: {
    name: "capacity-placeholder",
    value: -10,
    preemptionPolicy: "Never",
    description: "Capacity window placeholders: every real pod preempts them; they preempt nothing.",
  },
} as const;

export type PriorityClassRole = keyof typeof PRIORITY_CLASSES;

export interface PriorityClassesArgs {
  readonly provider: KubernetesProvider;
  /**
   * Earlier URNs of the placeholder class (it was declared by CapacityWindows), so that moving it
   * here neither replaces nor recreates the cluster object.
   * @default []
   */
  readonly placeholderAliases?: readonly string[];
}

/** The platform's cluster-scoped PriorityClasses (see PRIORITY_CLASSES). */
export class PriorityClasses extends pulumi.ComponentResource {
  /** Class names by role. */
  readonly names: { readonly [R in PriorityClassRole]: string };
  readonly classes: { readonly [R in PriorityClassRole]: PriorityClass };

  constructor(name: string, args: PriorityClassesArgs, opts?: pulumi.ComponentResourceOptions) {
    const values = Object.values(PRIORITY_CLASSES).map((c) => c.value);
    // The scheduler reserves values above 1,000,000,000 for system classes (kubernetes.io, PriorityClass).
    requireThat(
      values.every((v) => Number.isInteger(v) && v <= 1_000_000_000) && new Set(values).size === values.length,
      "PriorityClasses",
      "PRIORITY_CLASSES",
      values,
      "must be distinct whole numbers of at most 1000000000",
    );
    super("highmem:workloads:PriorityClasses", name, {}, opts);
    const make = (role: PriorityClassRole, aliases: readonly string[]) => {
      const c = PRIORITY_CLASSES[role];
      return new PriorityClass(
        `${name}-${role}`,
        { metadata: { name: c.name }, value: c.value, globalDefault: false, preemptionPolicy: c.preemptionPolicy, description: c.description },
        { parent: this, provider: args.provider, aliases: [...aliases] },
      );
    };
    this.classes = {
      workload: make("workload", []),
      service: make("service", []),
      placeholder: make("placeholder", args.placeholderAliases ?? []),
    };
    this.names = { workload: PRIORITY_CLASSES.workload.name, service: PRIORITY_CLASSES.service.name, placeholder: PRIORITY_CLASSES.placeholder.name };
    this.registerOutputs({ names: this.names });
  }
}
