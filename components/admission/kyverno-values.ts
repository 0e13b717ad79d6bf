/**
 * The values of the Kyverno chart (kyverno/kyverno@v1.19.0 charts/kyverno, version 3.9.0), pure, for
 * the component and the tests. Every key is read in that tag's values.yaml and templates.
 */
import { resourceRequirements, SYSTEM_PLACEMENT, type AutoscalerResources } from "../autoscaling/workload-autoscaling";

/** Kyverno's own namespace (kyverno.io/docs/installation/methods: "must always be installed in a dedicated Namespace"). */
export const KYVERNO_NAMESPACE = "kyverno";

export interface KyvernoValuesOptions {
  readonly admissionReplicas: number;
  readonly admissionResources: AutoscalerResources;
  readonly reportsResources: AutoscalerResources;
  /** Namespaces whose requests never reach Kyverno's webhooks. */
  readonly excludedNamespaces: readonly string[];
}

/** Restricted container security, as the chart's own defaults for every container (values.yaml *.securityContext). */
const RESTRICTED = {
  runAsNonRoot: true,
  privileged: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

/**
 * - `global.nodeSelector` and `global.tolerations` place every pod of the chart (the four controllers'
 *   Deployments and the pre-delete hook Jobs; templates/*-controller/deployment.yaml and
 *   hooks/pre-delete-*.yaml take `<component>.nodeSelector | default global.nodeSelector`, the same
 *   for tolerations) on the system nodes; Helm merges `kubernetes.io/os: linux` from the chart's global
 *   nodeSelector into ours.
 * - admission controller: `replicas` (the chart enables its PodDisruptionBudget, minAvailable 1, when
 *   replicas > 1: admission-controller/poddisruptionbudget.yaml) with the chart's preferred
 *   anti-affinity across hosts; its container and init container resources.
 * - reports controller: kept, one replica. It turns the admission controller's ephemeral reports
 *   into PolicyReports (where audit mode's results land) and runs the background scans of the
 *   policies (evaluation.background) over pods that existed before them.
 * - background controller: off. It processes generate and mutate-existing rules only
 *   (kyverno.io/docs/installation/methods); these policies only validate.
 * - cleanup controller: off. It processes cleanup (DeletingPolicy) policies only; none are declared.
 * - `config.webhooks.namespaceSelector`: merged into every policy's webhook selector (see
 *   policies.ts), so kube-system and the platform's namespaces never reach Kyverno even if a policy
 *   selected them; the Kyverno namespace itself is excluded by `config.excludeKyvernoNamespace`
 *   (true by default).
 * - `crds.install` (default true): the crds subchart installs the kyverno.io, reports.kyverno.io and
 *   wgpolicyk8s.io CRDs as templates, the kyverno-api subchart (0.0.1-alpha.4, Chart.lock) the
 *   policies.kyverno.io ones.
 */
export function kyvernoValues(o: KyvernoValuesOptions): Record<string, unknown> {
  return {
    global: { nodeSelector: SYSTEM_PLACEMENT.nodeSelector, tolerations: SYSTEM_PLACEMENT.tolerations },
    crds: { install: true },
    config: {
      webhooks: { namespaceSelector: { matchExpressions: [{ key: "kubernetes.io/metadata.name", operator: "NotIn", values: [...o.excludedNamespaces] }] } },
    },
    admissionController: {
      replicas: o.admissionReplicas,
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      container: { resources: resourceRequirements(o.admissionResources), securityContext: RESTRICTED },
      initContainer: { securityContext: RESTRICTED },
    },
    reportsController: {
      enabled: true,
      replicas: 1,
      podSecurityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      resources: resourceRequirements(o.reportsResources),
      securityContext: RESTRICTED,
    },
    backgroundController: { enabled: false },
    cleanupController: { enabled: false },
  };
}
