/** The pods a plan creates at first deploy: from workload objects, Helm releases and EKS add-ons. */
import type { PlanResource } from "../plan";
import { addonPods } from "./addon-pods";
import { chartModelOf } from "./charts";
import { podFromSpec, type PlannedPod } from "./pod-spec";
import { arrayAt, at, str, stringMap } from "./values";

/** Workload kinds and where their pod spec is; CronJobs create no pod at deploy time. */
const POD_SPEC_PATH: Readonly<Record<string, string>> = {
  "kubernetes:apps/v1:Deployment": "spec.template.spec",
  "kubernetes:apps/v1:StatefulSet": "spec.template.spec",
  "kubernetes:apps/v1:DaemonSet": "spec.template.spec",
  "kubernetes:apps/v1:ReplicaSet": "spec.template.spec",
  "kubernetes:batch/v1:Job": "spec.template.spec",
  "kubernetes:core/v1:Pod": "spec",
};

function workloadPods(r: PlanResource): PlannedPod[] {
  const path = POD_SPEC_PATH[r.type];
  if (!path) return [];
  const namespace = str(at(r.inputs, "metadata.namespace")) ?? "default";
  const kind = r.type.split(":").pop()!;
  const claimTemplates = kind === "StatefulSet" ? arrayAt(r.inputs, "spec.volumeClaimTemplates").map((t) => str(at(t, "spec.storageClassName")) ?? "") : [];
  // Pulumi's await logic waits for every workload kind here unless told to skip it
  // (pulumi-kubernetes provider/pkg/await: Deployment, StatefulSet, DaemonSet, Job, Pod).
  const skipAwait = stringMap(at(r.inputs, "metadata.annotations"))["pulumi.com/skipAwait"] === "true";
  return [
    podFromSpec(at(r.inputs, path), {
      urn: r.urn,
      description: `${kind} ${namespace}/${str(at(r.inputs, "metadata.name")) ?? r.name}`,
      namespace,
      awaited: !skipAwait,
      daemon: kind === "DaemonSet",
      storageClasses: claimTemplates,
    }),
  ];
}

export type PodsResult = { pods: PlannedPod[]; unknownCharts: PlanResource[] };

/** Every pod the plan's resources create, and the Helm releases whose charts have no pod model. */
export function plannedPods(resources: readonly PlanResource[]): PodsResult {
  const pods: PlannedPod[] = [];
  const unknownCharts: PlanResource[] = [];
  for (const r of resources) {
    if (r.type === "kubernetes:helm.sh/v3:Release") {
      const model = chartModelOf(r);
      if (model) pods.push(...model.pods(r));
      else unknownCharts.push(r);
    } else if (r.type === "aws:eks/addon:Addon") pods.push(...addonPods(r));
    else pods.push(...workloadPods(r));
  }
  return { pods, unknownCharts };
}
