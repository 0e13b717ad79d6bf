/**
 * kube-prometheus-stack 79.5.0 (prometheus-community/helm-charts@kube-prometheus-stack-79.5.0,
 * charts/kube-prometheus-stack values.yaml and templates; appVersion v0.86.2) and its subcharts
 * kube-state-metrics 6.4.1 and prometheus-node-exporter 4.49.1 (same repository, tags
 * kube-state-metrics-6.4.1, prometheus-node-exporter-4.49.1) and grafana 10.1.4
 * (grafana/helm-charts@grafana-10.1.4 charts/grafana). Pods at install:
 * - admission webhook Jobs (pre- and post-install hooks: Helm waits for them), values under
 *   prometheusOperator.admissionWebhooks.patch; containers' securityContext from createSecretJob /
 *   patchWebhookJob.securityContext (job-createSecret.yaml, job-patchWebhook.yaml);
 * - the operator Deployment (prometheusOperator.*), kube-state-metrics and grafana Deployments: Helm's
 *   wait covers them; grafana.persistence.enabled false by default, so no initChownData container
 *   (grafana templates/_pod.tpl renders it only with persistence.enabled);
 * - node-exporter DaemonSet, tolerating every NoSchedule taint by default, with hostNetwork and hostPID
 *   true and hostPath volumes /proc, /sys and / (hostRootFsMount.enabled) (templates/daemonset.yaml);
 * - Prometheus and Alertmanager StatefulSets, made by the operator from custom resources: Helm does
 *   not wait for them, but they must still find a node; Alertmanager gets a 200Mi memory request from
 *   the operator when none is set (prometheus-operator v0.86.2 pkg/alertmanager/statefulset.go). The
 *   operator gives their containers and config reloaders allowPrivilegeEscalation false,
 *   readOnlyRootFilesystem and capabilities drop ALL (pkg/prometheus/server/statefulset.go,
 *   pkg/alertmanager/statefulset.go, pkg/operator/config_reloader.go at v0.86.2) and mounts the token
 *   as <spec>.automountServiceAccountToken says (true by default in the chart's values).
 * No pod except node-exporter tolerates CriticalAddonsOnly by default.
 */
import { coalesce } from "../values";
import { at, chartPod, imageOf, isObject, objectAt, str, valuesOf, type ChartPod, type ReleaseLike } from "./chart-pod";

const RESTRICTED_CONTAINER = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } };
const APP_VERSION = "v0.86.2";

/** The security-relevant defaults of values.yaml at the tag (and of the subcharts' values.yaml). */
export const KUBE_PROMETHEUS_STACK_DEFAULTS = {
  global: { imageRegistry: "" },
  prometheusOperator: {
    image: { registry: "quay.io", repository: "prometheus-operator/prometheus-operator", tag: "", sha: "" },
    prometheusConfigReloader: { image: { registry: "quay.io", repository: "prometheus-operator/prometheus-config-reloader", tag: "", sha: "" } },
    hostNetwork: false,
    automountServiceAccountToken: true,
    securityContext: { fsGroup: 65534, runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
    containerSecurityContext: RESTRICTED_CONTAINER,
    admissionWebhooks: {
      patch: {
        image: { registry: "registry.k8s.io", repository: "ingress-nginx/kube-webhook-certgen", tag: "v1.6.4", sha: "" },
        securityContext: { runAsGroup: 2000, runAsNonRoot: true, runAsUser: 2000, seccompProfile: { type: "RuntimeDefault" } },
        serviceAccount: { automountServiceAccountToken: true },
      },
      createSecretJob: { securityContext: RESTRICTED_CONTAINER },
      patchWebhookJob: { securityContext: RESTRICTED_CONTAINER },
    },
  },
  prometheus: {
    prometheusSpec: {
      image: { registry: "quay.io", repository: "prometheus/prometheus", tag: "v3.7.3", sha: "" },
      automountServiceAccountToken: true,
      hostNetwork: false,
      securityContext: { runAsGroup: 2000, runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: "RuntimeDefault" } },
    },
  },
  alertmanager: {
    alertmanagerSpec: {
      image: { registry: "quay.io", repository: "prometheus/alertmanager", tag: "v0.29.0", sha: "" },
      automountServiceAccountToken: true,
      securityContext: { runAsGroup: 2000, runAsNonRoot: true, runAsUser: 1000, fsGroup: 2000, seccompProfile: { type: "RuntimeDefault" } },
    },
  },
  // kube-state-metrics 6.4.1 values.yaml (appVersion 2.17.0; image tag defaults to v<appVersion>).
  "kube-state-metrics": {
    image: { registry: "registry.k8s.io", repository: "kube-state-metrics/kube-state-metrics", tag: "", sha: "" },
    automountServiceAccountToken: true,
    hostNetwork: false,
    securityContext: { enabled: true, runAsGroup: 65534, runAsUser: 65534, fsGroup: 65534, runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
    containerSecurityContext: RESTRICTED_CONTAINER,
  },
  // prometheus-node-exporter 4.49.1 values.yaml (appVersion 1.10.2; image tag defaults to v<appVersion>).
  "prometheus-node-exporter": {
    namespaceOverride: "",
    image: { registry: "quay.io", repository: "prometheus/node-exporter", tag: "", digest: "" },
    serviceAccount: { automountServiceAccountToken: false },
    kubeRBACProxy: { enabled: false },
    securityContext: { fsGroup: 65534, runAsGroup: 65534, runAsNonRoot: true, runAsUser: 65534 },
    containerSecurityContext: { readOnlyRootFilesystem: true },
    hostNetwork: true,
    hostPID: true,
    hostIPC: false,
    hostRootFsMount: { enabled: true },
    service: { port: 9100 },
  },
  // grafana 10.1.4 values.yaml (appVersion 12.2.1); kube-prometheus-stack turns both sidecars on.
  grafana: {
    image: { registry: "docker.io", repository: "grafana/grafana", tag: "", sha: "" },
    automountServiceAccountToken: true,
    securityContext: { runAsNonRoot: true, runAsUser: 472, runAsGroup: 472, fsGroup: 472 },
    containerSecurityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
    sidecar: {
      image: { registry: "quay.io", repository: "kiwigrid/k8s-sidecar", tag: "1.30.10", sha: "" },
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } },
      dashboards: { enabled: true },
      datasources: { enabled: true },
    },
  },
};

/** The claim template's class, when the storage spec asks for one ("" = default class). */
function claimClasses(storage: unknown): string[] {
  const template = at(storage, "volumeClaimTemplate");
  return template === undefined ? [] : [str(at(template, "spec.storageClassName")) ?? ""];
}

/** The Prometheus or Alertmanager pod the operator makes: its server and the config reloader. */
function operatedPod(release: ReleaseLike, d: unknown, spec: unknown, server: string, o: { resources: unknown; storage: unknown }): ChartPod {
  const reloader = imageOf(at(d, "prometheusOperator.prometheusConfigReloader.image"), { defaultTag: APP_VERSION, globalRegistry: at(d, "global.imageRegistry") });
  return chartPod(release, server, spec, {
    awaited: false,
    storageClasses: claimClasses(o.storage),
    // Prometheus discovers its targets through the API; Alertmanager and the reloaders read mounted files.
    usesKubernetesApi: server === "prometheus",
    securityContext: at(spec, "securityContext"),
    hostNetwork: at(spec, "hostNetwork"),
    automountServiceAccountToken: at(spec, "automountServiceAccountToken"),
    containers: [
      { name: server, image: imageOf(at(spec, "image"), { defaultTag: "", globalRegistry: at(d, "global.imageRegistry") }), resources: o.resources, securityContext: RESTRICTED_CONTAINER },
      { name: "config-reloader", image: reloader, securityContext: RESTRICTED_CONTAINER },
    ],
    initContainers: [{ name: "init-config-reloader", image: reloader, securityContext: RESTRICTED_CONTAINER }],
  });
}

export function kubePrometheusStackPods(release: ReleaseLike): ChartPod[] {
  const v = valuesOf(release);
  const d = coalesce(KUBE_PROMETHEUS_STACK_DEFAULTS, v);
  const global = at(d, "global.imageRegistry");
  const patch = objectAt(v, "prometheusOperator.admissionWebhooks.patch");
  const operator = objectAt(v, "prometheusOperator");
  const grafana = objectAt(v, "grafana");
  const ksm = objectAt(v, "kube-state-metrics");
  const exporter = coalesce(
    { nodeSelector: { "kubernetes.io/os": "linux" }, tolerations: [{ effect: "NoSchedule", operator: "Exists" }] },
    objectAt(v, "prometheus-node-exporter"),
  );
  const certgen = imageOf(at(d, "prometheusOperator.admissionWebhooks.patch.image"), { defaultTag: "", globalRegistry: global });
  const admissionJob = (component: string, container: string, securityContext: string) =>
    chartPod(release, component, patch, {
      awaited: true,
      usesKubernetesApi: true,
      securityContext: at(d, "prometheusOperator.admissionWebhooks.patch.securityContext"),
      automountServiceAccountToken: at(d, "prometheusOperator.admissionWebhooks.patch.serviceAccount.automountServiceAccountToken"),
      containers: [{ name: container, image: certgen, resources: at(patch, "resources"), securityContext: at(d, securityContext) }],
    });
  const ne = objectAt(d, "prometheus-node-exporter");
  const neHostNetwork = at(ne, "hostNetwork") === true;
  const gd = objectAt(d, "grafana");
  const sidecarImage = imageOf(at(gd, "sidecar.image"), { defaultTag: "", globalRegistry: global });
  const sidecars = (["dashboards", "datasources"] as const)
    .filter((s) => at(gd, `sidecar.${s}.enabled`) === true)
    .map((s) => ({ name: `grafana-sc-${s}`, image: sidecarImage, securityContext: at(gd, "sidecar.securityContext") }));
  const pods = [
    admissionJob("admission-create Job (pre-install hook)", "create", "prometheusOperator.admissionWebhooks.createSecretJob.securityContext"),
    admissionJob("admission-patch Job (post-install hook)", "patch", "prometheusOperator.admissionWebhooks.patchWebhookJob.securityContext"),
    chartPod(release, "operator", operator, {
      awaited: true,
      usesKubernetesApi: true,
      securityContext: at(d, "prometheusOperator.securityContext"),
      hostNetwork: at(d, "prometheusOperator.hostNetwork"),
      automountServiceAccountToken: at(d, "prometheusOperator.automountServiceAccountToken"),
      containers: [
        {
          name: "kube-prometheus-stack",
          image: imageOf(at(d, "prometheusOperator.image"), { defaultTag: APP_VERSION, globalRegistry: global }),
          resources: at(operator, "resources"),
          securityContext: at(d, "prometheusOperator.containerSecurityContext"),
        },
      ],
    }),
    operatedPod(release, d, { ...objectAt(v, "prometheus.prometheusSpec"), ...securityOf(d, "prometheus.prometheusSpec") }, "prometheus", {
      resources: at(v, "prometheus.prometheusSpec.resources"),
      storage: at(v, "prometheus.prometheusSpec.storageSpec"),
    }),
    chartPod(release, "kube-state-metrics", ksm, {
      awaited: true,
      usesKubernetesApi: true,
      // templates/deployment.yaml: securityContext without its `enabled` switch, when enabled.
      securityContext: at(d, "kube-state-metrics.securityContext.enabled") === false ? {} : withoutKey(at(d, "kube-state-metrics.securityContext"), "enabled"),
      hostNetwork: at(d, "kube-state-metrics.hostNetwork"),
      automountServiceAccountToken: at(d, "kube-state-metrics.automountServiceAccountToken"),
      containers: [
        {
          name: "kube-state-metrics",
          image: imageOf(at(d, "kube-state-metrics.image"), { defaultTag: "v2.17.0", globalRegistry: global }),
          resources: at(ksm, "resources"),
          securityContext: at(d, "kube-state-metrics.containerSecurityContext"),
        },
      ],
    }),
    chartPod(release, "node-exporter", exporter, {
      awaited: true,
      daemon: true,
      usesKubernetesApi: false,
      namespace: str(at(ne, "namespaceOverride")) || undefined,
      securityContext: at(ne, "securityContext"),
      hostNetwork: at(ne, "hostNetwork"),
      hostPID: at(ne, "hostPID"),
      hostIPC: at(ne, "hostIPC"),
      // templates/daemonset.yaml: the token is mounted when the service account asks or kube-rbac-proxy runs.
      automountServiceAccountToken: at(ne, "serviceAccount.automountServiceAccountToken") === true || at(ne, "kubeRBACProxy.enabled") === true,
      hostPaths: [
        { name: "proc", path: "/proc" },
        { name: "sys", path: "/sys" },
        ...(at(ne, "hostRootFsMount.enabled") === true ? [{ name: "root", path: "/" }] : []),
      ],
      containers: [
        {
          name: "node-exporter",
          image: imageOf(at(ne, "image"), { defaultTag: "v1.10.2", globalRegistry: global, digestKey: "digest" }),
          securityContext: at(ne, "containerSecurityContext"),
          // With hostNetwork the API server defaults each hostPort to its containerPort
          // (kubernetes/kubernetes pkg/apis/core/v1/defaults.go SetDefaults_Pod).
          ports: [{ containerPort: Number(at(ne, "service.port")), ...(neHostNetwork ? { hostPort: Number(at(ne, "service.port")) } : {}) }],
        },
      ],
    }),
    chartPod(release, "grafana", grafana, {
      awaited: true,
      storageClasses: at(grafana, "persistence.enabled") === true ? [str(at(grafana, "persistence.storageClassName")) ?? ""] : [],
      usesKubernetesApi: sidecars.length > 0,
      securityContext: at(gd, "securityContext"),
      automountServiceAccountToken: at(gd, "automountServiceAccountToken"),
      containers: [
        {
          name: "grafana",
          image: imageOf(at(gd, "image"), { defaultTag: "12.2.1", globalRegistry: global }),
          resources: at(grafana, "resources"),
          securityContext: at(gd, "containerSecurityContext"),
        },
        ...sidecars,
      ],
    }),
  ];
  if (at(v, "alertmanager.enabled") !== false) {
    const alertmanager = objectAt(v, "alertmanager.alertmanagerSpec");
    pods.push(
      operatedPod(release, d, { ...alertmanager, ...securityOf(d, "alertmanager.alertmanagerSpec") }, "alertmanager", {
        resources: coalesce({ requests: { memory: "200Mi" } }, at(alertmanager, "resources")),
        storage: at(alertmanager, "storage"),
      }),
    );
  }
  return pods;
}

/** The security fields of an operator-made pod's spec (over the chart's defaults). */
function securityOf(d: unknown, path: string): Record<string, unknown> {
  return Object.fromEntries(["image", "securityContext", "hostNetwork", "automountServiceAccountToken"].map((k) => [k, at(d, `${path}.${k}`)]));
}

function withoutKey(value: unknown, key: string): Record<string, unknown> {
  return isObject(value) ? Object.fromEntries(Object.entries(value).filter(([k]) => k !== key)) : {};
}
