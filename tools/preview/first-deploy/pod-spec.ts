/** A pod spec as the scheduler model sees it, wherever it comes from (workload, chart, add-on). */
import { containerRequests, ephemeralStorageRequestMiB, podRequests, type NodeSelectorRequirement, type PodTemplate, type Toleration } from "./scheduling";
import { arrayAt, at, isObject, objectAt, str, stringMap } from "./values";

/** A pod template and whether the creating resource waits for it (an await, a Helm wait or hook). */
export interface PlannedPod extends PodTemplate {
  readonly awaited: boolean;
  /** Names of the PersistentVolumeClaims its volumes mount (in its namespace); resolved against the plan by claims.ts. */
  readonly claims?: readonly string[];
}

/**
 * A pod spec as the scheduler sees it. `extra` adds what a controller puts into the pod that the
 * spec does not show (a StatefulSet's volumeClaimTemplates, an operator's volume claims).
 */
export function podFromSpec(
  spec: unknown,
  o: { urn: string; description: string; namespace: string; awaited: boolean; daemon?: boolean; storageClasses?: readonly string[] },
): PlannedPod {
  const terms = arrayAt(spec, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")
    .filter(isObject)
    .map((term): NodeSelectorRequirement[] =>
      arrayAt(term, "matchExpressions")
        .filter(isObject)
        .map((e) => ({
          key: str(e["key"]) ?? "",
          operator: str(e["operator"]) ?? "",
          values: arrayAt(e, "values").map(String),
        })),
    );
  const tolerations: Toleration[] = arrayAt(spec, "tolerations")
    .filter(isObject)
    .map((t) => ({
      ...(str(t["key"]) !== undefined ? { key: str(t["key"])! } : {}),
      ...(str(t["operator"]) !== undefined ? { operator: str(t["operator"])! } : {}),
      ...(str(t["value"]) !== undefined ? { value: str(t["value"])! } : {}),
      ...(str(t["effect"]) !== undefined ? { effect: str(t["effect"])! } : {}),
    }));
  const resourcesOf = (path: string) =>
    arrayAt(spec, path)
      .filter(isObject)
      .map((c) => objectAt(c, "resources") as Parameters<typeof containerRequests>[0]);
  const requestsOf = (path: string) => resourcesOf(path).map(containerRequests);
  const volumes = arrayAt(spec, "volumes");
  const ephemeral = volumes.filter((v) => isObject(at(v, "ephemeral.volumeClaimTemplate")));
  const claims = volumes.filter((v) => isObject(at(v, "persistentVolumeClaim"))).map((v) => str(at(v, "persistentVolumeClaim.claimName")) ?? "");
  return {
    urn: o.urn,
    description: o.description,
    namespace: o.namespace,
    serviceAccount: str(at(spec, "serviceAccountName")) ?? "default",
    nodeSelector: stringMap(at(spec, "nodeSelector")),
    tolerations,
    requiredTerms: terms,
    requests: podRequests(requestsOf("containers"), requestsOf("initContainers")),
    ephemeralStorageMiB: ephemeralStorageRequestMiB(resourcesOf("containers"), resourcesOf("initContainers")),
    storageClasses: [...(o.storageClasses ?? []), ...ephemeral.map((v) => str(at(v, "ephemeral.volumeClaimTemplate.spec.storageClassName")) ?? "")],
    ...(claims.length > 0 ? { claims } : {}),
    daemon: o.daemon ?? false,
    awaited: o.awaited,
  };
}
