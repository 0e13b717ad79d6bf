/**
 * Selectors that match more than they should: a Service whose selector also matches another
 * workload's pods sends traffic to pods that do not serve it (the Endpoints controller adds every
 * ready pod whose labels match, kubernetes pkg/controller/endpointslice), and a PodDisruptionBudget
 * whose selector spans two workloads counts pods it does not protect (the disruption controller
 * finds pods by selector, then by their controller: pkg/controller/disruption). Only workloads whose
 * pod labels the plan shows are compared; chart pods are not.
 */
import type { PlanResource } from "../plan";
import type { DeployFinding } from "./findings";
import { arrayAt, at, str, stringMap } from "./values";

const WORKLOAD_TEMPLATE: Readonly<Record<string, string>> = {
  "kubernetes:apps/v1:Deployment": "spec.template.metadata.labels",
  "kubernetes:apps/v1:StatefulSet": "spec.template.metadata.labels",
  "kubernetes:apps/v1:DaemonSet": "spec.template.metadata.labels",
  "kubernetes:batch/v1:Job": "spec.template.metadata.labels",
  "kubernetes:batch/v1:CronJob": "spec.jobTemplate.spec.template.metadata.labels",
};

const SELECTOR: Readonly<Record<string, string>> = {
  "kubernetes:core/v1:Service": "spec.selector",
  "kubernetes:policy/v1:PodDisruptionBudget": "spec.selector.matchLabels",
};

const matches = (selector: Record<string, string>, labels: Record<string, string>) =>
  Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels[k] === v);

export function selectorOverlaps(resources: readonly PlanResource[]): DeployFinding[] {
  const namespaceOf = (r: PlanResource) => str(at(r.inputs, "metadata.namespace")) ?? "default";
  const workloads = resources.filter((r) => WORKLOAD_TEMPLATE[r.type] !== undefined);
  const findings: DeployFinding[] = [];
  for (const r of resources) {
    const path = SELECTOR[r.type];
    if (!path) continue;
    // A PDB selector with matchExpressions is not modelled: compare only what matchLabels says.
    if (r.type === "kubernetes:policy/v1:PodDisruptionBudget" && arrayAt(r.inputs, "spec.selector.matchExpressions").length > 0) continue;
    const selector = stringMap(at(r.inputs, path));
    const selected = workloads.filter((w) => namespaceOf(w) === namespaceOf(r) && matches(selector, stringMap(at(w.inputs, WORKLOAD_TEMPLATE[w.type]!))));
    if (selected.length > 1) {
      findings.push({
        check: "selector-overlap",
        urn: r.urn,
        message: `${r.type.split(":").pop()} ${namespaceOf(r)}/${str(at(r.inputs, "metadata.name")) ?? r.name} selects the pods of ${selected.map((w) => w.name).join(" and ")}: give each workload's pods a label the others lack, and select on it`,
      });
    }
  }
  return findings;
}
