/**
 * keda 2.19.0 (kedacore/charts@v2.19.0 keda/; appVersion 2.19.0): Deployments keda-operator,
 * keda-operator-metrics-apiserver and keda-admission-webhooks (webhooks.enabled, true by default);
 * templates/{manager,metrics-server,webhooks}/deployment.yaml set nodeSelector kubernetes.io/os: linux
 * plus the top-level nodeSelector, the top-level tolerations, affinity from <pod>.affinity or the
 * top-level one, resources.<operator|metricServer|webhooks> (100m / 100Mi requested by default), pod
 * securityContext podSecurityContext.<pod> (else the whole podSecurityContext), container
 * securityContext securityContext.<pod> (else the whole securityContext), hostNetwork
 * <operator|metricsServer|webhooks>.useHostNetwork, automountServiceAccountToken from
 * serviceAccount.<pod>.automountServiceAccountToken (else serviceAccount.automountServiceAccountToken),
 * image <global.image.registry or image.<name>.registry>/<repository>:<tag or appVersion>. All three
 * watch the API. No Jobs or hooks.
 */
import { coalesce } from "../values";
import { at, chartPod, isObject, str, withDefaults, type ChartPod, type ReleaseLike } from "./chart-pod";

const RESTRICTED_CONTAINER = {
  capabilities: { drop: ["ALL"] },
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  seccompProfile: { type: "RuntimeDefault" },
};

export const KEDA_DEFAULTS = {
  nodeSelector: {},
  tolerations: [],
  affinity: {},
  resources: {
    operator: { requests: { cpu: "100m", memory: "100Mi" }, limits: { cpu: 1, memory: "1000Mi" } },
    metricServer: { requests: { cpu: "100m", memory: "100Mi" }, limits: { cpu: 1, memory: "1000Mi" } },
    webhooks: { requests: { cpu: "100m", memory: "100Mi" }, limits: { cpu: 1, memory: "1000Mi" } },
  },
  webhooks: { enabled: true, useHostNetwork: false },
  operator: { useHostNetwork: false },
  metricsServer: { useHostNetwork: false },
  crds: { install: true },
  global: { image: { registry: null } },
  image: {
    keda: { registry: "ghcr.io", repository: "kedacore/keda", tag: "" },
    metricsApiServer: { registry: "ghcr.io", repository: "kedacore/keda-metrics-apiserver", tag: "" },
    webhooks: { registry: "ghcr.io", repository: "kedacore/keda-admission-webhooks", tag: "" },
  },
  securityContext: { operator: RESTRICTED_CONTAINER, metricServer: RESTRICTED_CONTAINER, webhooks: RESTRICTED_CONTAINER },
  podSecurityContext: { operator: { runAsNonRoot: true }, metricServer: { runAsNonRoot: true }, webhooks: { runAsNonRoot: true } },
  serviceAccount: {
    operator: { automountServiceAccountToken: true },
    metricServer: { automountServiceAccountToken: true },
    webhooks: { automountServiceAccountToken: true },
  },
};

const nonEmpty = (v: unknown): boolean => isObject(v) && Object.keys(v).length > 0;

/** The three pods: component, values key of the pod's affinity, of its resources/security, of its image, of its host network switch. */
const PODS = [
  { component: "operator", affinity: "operator", key: "operator", image: "keda", network: "operator" },
  { component: "metrics API server", affinity: "metricsServer", key: "metricServer", image: "metricsApiServer", network: "metricsServer" },
  { component: "admission webhooks", affinity: "webhooks", key: "webhooks", image: "webhooks", network: "webhooks" },
] as const;

export function kedaPods(release: ReleaseLike): ChartPod[] {
  const v = withDefaults(KEDA_DEFAULTS, release);
  return PODS.filter((p) => p.key !== "webhooks" || at(v, "webhooks.enabled") !== false).map((p) => {
    const scheduling = {
      nodeSelector: coalesce({ "kubernetes.io/os": "linux" }, at(v, "nodeSelector")),
      tolerations: at(v, "tolerations"),
      affinity: nonEmpty(at(v, `${p.affinity}.affinity`)) ? at(v, `${p.affinity}.affinity`) : at(v, "affinity"),
    };
    const own = (path: string) => (nonEmpty(at(v, `${path}.${p.key}`)) ? at(v, `${path}.${p.key}`) : at(v, path));
    const automount = at(v, `serviceAccount.${p.key}.automountServiceAccountToken`);
    const registry = str(at(v, "global.image.registry")) || str(at(v, `image.${p.image}.registry`)) || "";
    const repository = str(at(v, `image.${p.image}.repository`)) ?? "";
    const image = `${registry ? `${registry}/` : ""}${repository}:${str(at(v, `image.${p.image}.tag`)) || "2.19.0"}`;
    return chartPod(release, p.component, scheduling, {
      awaited: true,
      usesKubernetesApi: true,
      securityContext: own("podSecurityContext"),
      hostNetwork: at(v, `${p.network}.useHostNetwork`),
      automountServiceAccountToken: typeof automount === "boolean" ? automount : at(v, "serviceAccount.automountServiceAccountToken"),
      containers: [{ name: p.component, image, resources: at(v, `resources.${p.key}`), securityContext: own("securityContext") }],
    });
  });
}
