/**
 * What the Helm charts the platform installs do at first deploy: the CRD groups they install and
 * use, and the pods they create, rendered from the release's values over the chart's defaults the
 * way Helm coalesces them. Each model cites the chart at its pinned tag; a chart without a model is
 * a finding ("unknown-chart"), never a silent pass.
 */
import type { PlanResource } from "../plan";
import { podFromSpec, type PlannedPod } from "./pod-spec";
import { at, coalesce, isObject, objectAt, str } from "./values";

export interface ChartModel {
  /** CRD groups the release installs. */
  readonly installsCrdGroups: (values: unknown, release: PlanResource) => readonly string[];
  /** CRD groups of the objects its templates create (they need the CRDs first). */
  readonly usesCrdGroups: (values: unknown) => readonly string[];
  readonly pods: (release: PlanResource) => PlannedPod[];
}

/** The chart's name whatever the reference: "oci://public.ecr.aws/karpenter/karpenter" -> "karpenter". */
export function chartName(release: PlanResource): string {
  return (str(release.inputs["chart"]) ?? "").split("/").pop() ?? "";
}

const valuesOf = (release: PlanResource): unknown => release.inputs["values"] ?? {};
const namespaceOf = (release: PlanResource): string => str(release.inputs["namespace"]) ?? "default";
const skipsCrds = (release: PlanResource): boolean => release.inputs["skipCrds"] === true;

/** A pod of a chart: scheduling fields read at one values path, over the chart's defaults there. */
function chartPod(
  release: PlanResource,
  component: string,
  scheduling: unknown,
  o: { awaited: boolean; daemon?: boolean; resources?: unknown; storageClasses?: readonly string[]; serviceAccount?: string; extraRequiredTerms?: unknown[] },
): PlannedPod {
  const spec = {
    nodeSelector: at(scheduling, "nodeSelector") ?? {},
    tolerations: at(scheduling, "tolerations") ?? [],
    affinity: at(scheduling, "affinity") ?? {},
    serviceAccountName: o.serviceAccount,
    containers: [{ resources: o.resources ?? {} }],
  };
  return podFromSpec(spec, {
    urn: release.urn,
    description: `chart ${chartName(release)}: ${component}`,
    namespace: namespaceOf(release),
    awaited: o.awaited,
    ...(o.daemon ? { daemon: true } : {}),
    ...(o.storageClasses ? { storageClasses: o.storageClasses } : {}),
  });
}

/**
 * karpenter 1.8.1 (aws/karpenter-provider-aws@v1.8.1 charts/karpenter): one Deployment; values.yaml
 * defaults nodeSelector {kubernetes.io/os: linux}, affinity requiring karpenter.sh/nodepool
 * DoesNotExist, tolerations [CriticalAddonsOnly Exists]; controller.resources {}; no Jobs or hooks.
 * Its crds/ folder holds the karpenter.sh and karpenter.k8s.aws CRDs (installed unless skipCrds).
 */
const KARPENTER_DEFAULTS = {
  nodeSelector: { "kubernetes.io/os": "linux" },
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "karpenter.sh/nodepool", operator: "DoesNotExist" }] }],
      },
    },
  },
  tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
  serviceAccount: { name: "karpenter" },
};
const KARPENTER_GROUPS = ["karpenter.sh", "karpenter.k8s.aws"];

const karpenter: ChartModel = {
  installsCrdGroups: (_values, release) => (skipsCrds(release) ? [] : KARPENTER_GROUPS),
  usesCrdGroups: () => [],
  pods: (release) => {
    const values = coalesce(KARPENTER_DEFAULTS, valuesOf(release));
    return [
      chartPod(release, "controller", values, {
        awaited: true,
        resources: at(values, "controller.resources"),
        serviceAccount: str(at(values, "serviceAccount.name")) ?? "karpenter",
      }),
    ];
  },
};

/** karpenter-crd 1.8.1 (same tag, charts/karpenter-crd): CRDs only, as templates. */
const karpenterCrd: ChartModel = { installsCrdGroups: () => KARPENTER_GROUPS, usesCrdGroups: () => [], pods: () => [] };

/** prometheus-operator-crds 24.0.1 (prometheus-community/helm-charts@prometheus-operator-crds-24.0.1): CRDs only. */
const prometheusOperatorCrds: ChartModel = { installsCrdGroups: () => ["monitoring.coreos.com"], usesCrdGroups: () => [], pods: () => [] };

/** The volume claim template's class, when the storage spec asks for one ("" = default class). */
function claimClasses(storage: unknown): string[] {
  const template = at(storage, "volumeClaimTemplate");
  return template === undefined ? [] : [str(at(template, "spec.storageClassName")) ?? ""];
}

/**
 * kube-prometheus-stack 79.5.0 (prometheus-community/helm-charts@kube-prometheus-stack-79.5.0,
 * charts/kube-prometheus-stack/values.yaml and templates; subcharts kube-state-metrics 6.4.1,
 * prometheus-node-exporter 4.49.1, grafana 10.1.4). Pods at install:
 * - admission webhook Jobs (pre- and post-install hooks: Helm waits for them), values under
 *   prometheusOperator.admissionWebhooks.patch, all empty by default;
 * - the operator Deployment (prometheusOperator.*), kube-state-metrics and grafana Deployments: Helm's
 *   wait covers them; grafana.persistence.enabled false by default;
 * - node-exporter DaemonSet, tolerating every NoSchedule taint by default;
 * - Prometheus and Alertmanager StatefulSets, made by the operator from custom resources: Helm does
 *   not wait for them, but they must still find a node; Alertmanager gets a 200Mi memory request from
 *   the operator when none is set (prometheus-operator v0.86.2 pkg/alertmanager/statefulset.go).
 * No pod except node-exporter tolerates CriticalAddonsOnly by default.
 */
const kubePrometheusStack: ChartModel = {
  installsCrdGroups: (values) => (at(values, "crds.enabled") === false ? [] : ["monitoring.coreos.com"]),
  usesCrdGroups: () => ["monitoring.coreos.com"],
  pods: (release) => {
    const v = valuesOf(release);
    const patch = objectAt(v, "prometheusOperator.admissionWebhooks.patch");
    const operator = objectAt(v, "prometheusOperator");
    const prometheus = objectAt(v, "prometheus.prometheusSpec");
    const alertmanager = objectAt(v, "alertmanager.alertmanagerSpec");
    const grafana = objectAt(v, "grafana");
    const ksm = objectAt(v, "kube-state-metrics");
    const exporter = coalesce(
      { nodeSelector: { "kubernetes.io/os": "linux" }, tolerations: [{ effect: "NoSchedule", operator: "Exists" }] },
      objectAt(v, "prometheus-node-exporter"),
    );
    const alertmanagerResources = coalesce({ requests: { memory: "200Mi" } }, at(alertmanager, "resources"));
    const pods = [
      chartPod(release, "admission-create Job (pre-install hook)", patch, { awaited: true, resources: at(patch, "resources") }),
      chartPod(release, "admission-patch Job (post-install hook)", patch, { awaited: true, resources: at(patch, "resources") }),
      chartPod(release, "operator", operator, { awaited: true, resources: at(operator, "resources") }),
      chartPod(release, "prometheus", prometheus, {
        awaited: false,
        resources: at(prometheus, "resources"),
        storageClasses: claimClasses(at(prometheus, "storageSpec")),
      }),
      chartPod(release, "kube-state-metrics", ksm, { awaited: true, resources: at(ksm, "resources") }),
      chartPod(release, "node-exporter", exporter, { awaited: true, daemon: true }),
      chartPod(release, "grafana", grafana, {
        awaited: true,
        resources: at(grafana, "resources"),
        storageClasses: at(grafana, "persistence.enabled") === true ? [str(at(grafana, "persistence.storageClassName")) ?? ""] : [],
      }),
    ];
    if (at(v, "alertmanager.enabled") !== false) {
      pods.push(
        chartPod(release, "alertmanager", alertmanager, {
          awaited: false,
          resources: alertmanagerResources,
          storageClasses: claimClasses(at(alertmanager, "storage")),
        }),
      );
    }
    return pods;
  },
};

/**
 * keda 2.19.0 (kedacore/charts@v2.19.0 keda/): Deployments keda-operator, keda-operator-metrics-apiserver
 * and keda-admission-webhooks (webhooks.enabled, true by default); templates/{manager,metrics-server,webhooks}/deployment.yaml set
 * nodeSelector kubernetes.io/os: linux plus the top-level nodeSelector, the top-level tolerations,
 * affinity from <pod>.affinity or the top-level one, resources.<operator|metricServer|webhooks>
 * (100m / 100Mi requested by default). No Jobs or hooks. templates/crds install the keda.sh and
 * eventing.keda.sh CRDs when crds.install (true by default); PodMonitors and ServiceMonitors
 * (prometheus.<pod>.podMonitor/serviceMonitor.enabled) and PrometheusRules need monitoring.coreos.com,
 * cert-manager objects (certificates.certManager.enabled) need cert-manager.io.
 */
const KEDA_DEFAULTS = {
  nodeSelector: {},
  tolerations: [],
  affinity: {},
  resources: {
    operator: { requests: { cpu: "100m", memory: "100Mi" }, limits: { cpu: 1, memory: "1000Mi" } },
    metricServer: { requests: { cpu: "100m", memory: "100Mi" }, limits: { cpu: 1, memory: "1000Mi" } },
    webhooks: { requests: { cpu: "100m", memory: "100Mi" }, limits: { cpu: 1, memory: "1000Mi" } },
  },
  webhooks: { enabled: true },
  crds: { install: true },
};
const KEDA_MONITORING = [
  "prometheus.metricServer.serviceMonitor.enabled",
  "prometheus.metricServer.podMonitor.enabled",
  "prometheus.operator.serviceMonitor.enabled",
  "prometheus.operator.podMonitor.enabled",
  "prometheus.operator.prometheusRules.enabled",
  "prometheus.webhooks.serviceMonitor.enabled",
  "prometheus.webhooks.prometheusRules.enabled",
];

const keda: ChartModel = {
  installsCrdGroups: (values) => (at(coalesce(KEDA_DEFAULTS, values), "crds.install") === false ? [] : ["keda.sh", "eventing.keda.sh"]),
  usesCrdGroups: (values) => [
    ...(KEDA_MONITORING.some((path) => at(values, path) === true) ? ["monitoring.coreos.com"] : []),
    ...(at(values, "certificates.certManager.enabled") === true ? ["cert-manager.io"] : []),
  ],
  pods: (release) => {
    const v = coalesce(KEDA_DEFAULTS, valuesOf(release));
    const scheduling = (pod: string) => ({
      nodeSelector: coalesce({ "kubernetes.io/os": "linux" }, at(v, "nodeSelector")),
      tolerations: at(v, "tolerations"),
      affinity: isObject(at(v, `${pod}.affinity`)) && Object.keys(objectAt(v, `${pod}.affinity`)).length > 0 ? at(v, `${pod}.affinity`) : at(v, "affinity"),
    });
    const pods = [
      chartPod(release, "operator", scheduling("operator"), { awaited: true, resources: at(v, "resources.operator") }),
      chartPod(release, "metrics API server", scheduling("metricsServer"), { awaited: true, resources: at(v, "resources.metricServer") }),
    ];
    if (at(v, "webhooks.enabled") !== false) {
      pods.push(chartPod(release, "admission webhooks", scheduling("webhooks"), { awaited: true, resources: at(v, "resources.webhooks") }));
    }
    return pods;
  },
};

/**
 * vertical-pod-autoscaler 0.9.0 (kubernetes/autoscaler@vertical-pod-autoscaler-chart-0.9.0
 * vertical-pod-autoscaler/charts/vertical-pod-autoscaler): Deployments recommender, updater and
 * admission-controller, each behind its `<component>.enabled` (all true by default), each with its own
 * nodeSelector, tolerations, affinity (a preferred anti-affinity by default) and resources ({} by
 * default); the admission controller's certgen Jobs are pre-install and post-install hooks
 * (admissionController.certGen.*, when certGen.enabled). crds/ holds the autoscaling.k8s.io CRDs
 * (VerticalPodAutoscaler, VerticalPodAutoscalerCheckpoint), installed unless skipCrds.
 */
const vpa: ChartModel = {
  installsCrdGroups: (_values, release) => (skipsCrds(release) ? [] : ["autoscaling.k8s.io"]),
  usesCrdGroups: () => [],
  pods: (release) => {
    const v = valuesOf(release);
    const enabled = (component: string) => at(v, `${component}.enabled`) !== false;
    const pods: PlannedPod[] = [];
    for (const component of ["recommender", "updater", "admissionController"]) {
      if (!enabled(component)) continue;
      const values = objectAt(v, component);
      pods.push(chartPod(release, component, values, { awaited: true, resources: at(values, "resources") }));
    }
    if (enabled("admissionController") && at(v, "admissionController.certGen.enabled") !== false) {
      const certGen = objectAt(v, "admissionController.certGen");
      for (const hook of ["certgen Job (pre-install hook)", "certgen patch Job (post-install hook)"]) {
        pods.push(chartPod(release, hook, certGen, { awaited: true, resources: at(certGen, "resources") }));
      }
    }
    return pods;
  },
};

/**
 * kyverno 3.9.0 (kyverno/kyverno@v1.19.0 charts/kyverno): Deployments admission-controller (always),
 * background-, cleanup- and reports-controller (each behind `<component>.enabled`, true by default).
 * Each takes `<component>.nodeSelector | default global.nodeSelector` (global default
 * {kubernetes.io/os: linux}) and the same for tolerations (templates/<component>/deployment.yaml);
 * resources: admissionController.container.resources (100m / 128Mi requested by default), the
 * others' <component>.resources (100m / 64Mi). Its only hooks are post-upgrade (CRD migration) and
 * pre-delete Jobs (templates/hooks): none runs at install. With crds.install (true by default) the
 * crds subchart installs kyverno.io, reports.kyverno.io and wgpolicyk8s.io CRDs as templates, the
 * kyverno-api subchart policies.kyverno.io (Chart.yaml dependencies, condition crds.install);
 * openreports.installCrds adds openreports.io. ServiceMonitors (<component>.serviceMonitor.enabled)
 * and the PrometheusRule (prometheusRule.enabled) need monitoring.coreos.com; certManager.enabled
 * (admission and cleanup controllers) needs cert-manager.io.
 */
const KYVERNO_COMPONENTS = ["admissionController", "backgroundController", "cleanupController", "reportsController"] as const;
const KYVERNO_DEFAULTS = {
  global: { nodeSelector: { "kubernetes.io/os": "linux" }, tolerations: [] },
  crds: { install: true },
  openreports: { installCrds: false },
  admissionController: { container: { resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "384Mi" } } } },
  backgroundController: { enabled: true, resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } } },
  cleanupController: { enabled: true, resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } } },
  reportsController: { enabled: true, resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } } },
};
/** Helm's `default`: an empty map or list (or none) takes the fallback. */
const helmDefault = (value: unknown, fallback: unknown) =>
  value === undefined || value === null || (Array.isArray(value) ? value.length === 0 : isObject(value) && Object.keys(value).length === 0) ? fallback : value;

const kyverno: ChartModel = {
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
  pods: (release) => {
    const v = coalesce(KYVERNO_DEFAULTS, valuesOf(release));
    return KYVERNO_COMPONENTS.filter((c) => c === "admissionController" || at(v, `${c}.enabled`) !== false).map((c) =>
      chartPod(
        release,
        c,
        {
          nodeSelector: helmDefault(at(v, `${c}.nodeSelector`), at(v, "global.nodeSelector")),
          tolerations: helmDefault(at(v, `${c}.tolerations`), at(v, "global.tolerations")),
        },
        { awaited: true, resources: at(v, c === "admissionController" ? "admissionController.container.resources" : `${c}.resources`) },
      ),
    );
  },
};

const MODELS: Readonly<Record<string, ChartModel>> = {
  karpenter,
  "karpenter-crd": karpenterCrd,
  "prometheus-operator-crds": prometheusOperatorCrds,
  "kube-prometheus-stack": kubePrometheusStack,
  keda,
  "vertical-pod-autoscaler": vpa,
  kyverno,
};

export function chartModelOf(release: PlanResource): ChartModel | undefined {
  return MODELS[chartName(release)];
}
