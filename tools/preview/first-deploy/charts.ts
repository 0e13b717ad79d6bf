/**
 * What the Helm charts the platform installs do at first deploy: the CRD groups they install and
 * use, and the pods they create. The pods come from the chart models the policy pack reads too
 * (components/lib/charts: each chart's defaults at its pinned tag under the release's values, the way
 * Helm coalesces them); a chart without a model is a finding ("unknown-chart"), never a silent pass.
 */
import { chartName, chartPods, coalesce, KEDA_DEFAULTS, KYVERNO_COMPONENTS, KYVERNO_DEFAULTS } from "../../../components/internal";
import type { PlanResource } from "../plan";
import { podFromSpec, type PlannedPod } from "./pod-spec";
import { at } from "./values";

export interface ChartModel {
  /** CRD groups the release installs. */
  readonly installsCrdGroups: (values: unknown, release: PlanResource) => readonly string[];
  /** CRD groups of the objects its templates create (they need the CRDs first). */
  readonly usesCrdGroups: (values: unknown) => readonly string[];
  readonly pods: (release: PlanResource) => PlannedPod[];
}

export { chartName };

const skipsCrds = (release: PlanResource): boolean => release.inputs["skipCrds"] === true;

/** The release's pods for the scheduler model. */
function pods(release: PlanResource): PlannedPod[] {
  return (chartPods(release) ?? []).map((pod) =>
    podFromSpec(pod.spec, {
      urn: release.urn,
      description: `chart ${chartName(release)}: ${pod.component}`,
      namespace: pod.namespace,
      awaited: pod.awaited,
      ...(pod.daemon ? { daemon: true } : {}),
      ...(pod.storageClasses.length > 0 ? { storageClasses: pod.storageClasses } : {}),
    }),
  );
}

/** karpenter 1.8.1 and karpenter-crd 1.8.1 (aws/karpenter-provider-aws@v1.8.1): crds/ (or templates, for karpenter-crd) hold the karpenter.sh and karpenter.k8s.aws CRDs. */
const KARPENTER_GROUPS = ["karpenter.sh", "karpenter.k8s.aws"];

/**
 * keda 2.19.0 (kedacore/charts@v2.19.0 keda/): templates/crds install the keda.sh and eventing.keda.sh
 * CRDs when crds.install (true by default); PodMonitors and ServiceMonitors
 * (prometheus.<pod>.podMonitor/serviceMonitor.enabled) and PrometheusRules need monitoring.coreos.com,
 * cert-manager objects (certificates.certManager.enabled) need cert-manager.io.
 */
const KEDA_MONITORING = [
  "prometheus.metricServer.serviceMonitor.enabled",
  "prometheus.metricServer.podMonitor.enabled",
  "prometheus.operator.serviceMonitor.enabled",
  "prometheus.operator.podMonitor.enabled",
  "prometheus.operator.prometheusRules.enabled",
  "prometheus.webhooks.serviceMonitor.enabled",
  "prometheus.webhooks.prometheusRules.enabled",
];

const MODELS: Readonly<Record<string, ChartModel>> = {
  karpenter: { installsCrdGroups: (_values, release) => (skipsCrds(release) ? [] : KARPENTER_GROUPS), usesCrdGroups: () => [], pods },
  "karpenter-crd": { installsCrdGroups: () => KARPENTER_GROUPS, usesCrdGroups: () => [], pods },
  /** prometheus-operator-crds 24.0.1 (prometheus-community/helm-charts@prometheus-operator-crds-24.0.1): CRDs only. */
  "prometheus-operator-crds": { installsCrdGroups: () => ["monitoring.coreos.com"], usesCrdGroups: () => [], pods },
  /** kube-prometheus-stack 79.5.0: crds.enabled installs monitoring.coreos.com; its templates create ServiceMonitors and PrometheusRules. */
  "kube-prometheus-stack": {
    installsCrdGroups: (values) => (at(values, "crds.enabled") === false ? [] : ["monitoring.coreos.com"]),
    usesCrdGroups: () => ["monitoring.coreos.com"],
    pods,
  },
  keda: {
    installsCrdGroups: (values) => (at(coalesce(KEDA_DEFAULTS, values), "crds.install") === false ? [] : ["keda.sh", "eventing.keda.sh"]),
    usesCrdGroups: (values) => [
      ...(KEDA_MONITORING.some((path) => at(values, path) === true) ? ["monitoring.coreos.com"] : []),
      ...(at(values, "certificates.certManager.enabled") === true ? ["cert-manager.io"] : []),
    ],
    pods,
  },
  /** vertical-pod-autoscaler 0.9.0: crds/ holds the autoscaling.k8s.io CRDs, installed unless skipCrds. */
  "vertical-pod-autoscaler": { installsCrdGroups: (_values, release) => (skipsCrds(release) ? [] : ["autoscaling.k8s.io"]), usesCrdGroups: () => [], pods },
  /**
   * kyverno 3.9.0 (kyverno/kyverno@v1.19.0 charts/kyverno, Chart.yaml dependencies): with crds.install
   * (true by default) the crds subchart installs the kyverno.io, reports.kyverno.io and wgpolicyk8s.io
   * CRDs as templates, the kyverno-api subchart policies.kyverno.io; openreports.installCrds adds
   * openreports.io. ServiceMonitors (<component>.serviceMonitor.enabled) and the PrometheusRule
   * (prometheusRule.enabled) need monitoring.coreos.com; <component>.certManager.enabled, cert-manager.io.
   */
  kyverno: {
    installsCrdGroups: (values) => {
      const v = coalesce(KYVERNO_DEFAULTS, values);
      return [
        ...(at(v, "crds.install") === false ? [] : ["kyverno.io", "reports.kyverno.io", "wgpolicyk8s.io", "policies.kyverno.io"]),
        ...(at(v, "openreports.installCrds") === true ? ["openreports.io"] : []),
      ];
    },
    usesCrdGroups: (values) => [
      ...(KYVERNO_COMPONENTS.some((c) => at(values, `${c}.serviceMonitor.enabled`) === true) || at(values, "prometheusRule.enabled") === true
        ? ["monitoring.coreos.com"]
        : []),
      ...(["admissionController", "cleanupController"].some((c) => at(values, `${c}.certManager.enabled`) === true) ? ["cert-manager.io"] : []),
    ],
    pods,
  },
};

export function chartModelOf(release: PlanResource): ChartModel | undefined {
  return MODELS[chartName(release)];
}
