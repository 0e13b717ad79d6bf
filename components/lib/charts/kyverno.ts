/**
 * kyverno 3.9.0 (kyverno/kyverno@v1.19.0 charts/kyverno; appVersion v1.19.0): Deployments
 * admission-controller (always), background-, cleanup- and reports-controller (each behind
 * `<component>.enabled`, true by default), read in values.yaml and
 * templates/<component>/deployment.yaml, templates/_helpers/_image.tpl at that tag:
 * - scheduling: `<component>.nodeSelector | default global.nodeSelector` (global default
 *   {kubernetes.io/os: linux}), the same for tolerations;
 * - images: `<registry>/<repository>:<tag | appVersion>`; templates/_helpers/_image.tpl takes the
 *   image map's own `registry`, else `global.image.registry`, else the map's `defaultRegistry`
 *   (reg.kyverno.io in every component's map, values.yaml); the admission controller's container and
 *   init container (kyvernopre) under admissionController.container.image / initContainer.image, the
 *   others' under `<component>.image`;
 * - security: every container's securityContext defaults to runAsUser/Group 65534, runAsNonRoot,
 *   not privileged, no privilege escalation, read-only root, drop ALL, RuntimeDefault seccomp
 *   (admissionController.container/initContainer.securityContext, `<component>.securityContext`); the
 *   pod's `<component>.podSecurityContext` is {} by default; `<component>.hostNetwork` false; the token
 *   from `<component>.rbac.serviceAccount.automountServiceAccountToken` (true by default): every
 *   component is a controller or webhook server and calls the API;
 * - resources: admissionController.container.resources (100m / 128Mi, limit 384Mi), its
 *   initContainer's (10m / 64Mi, limits 100m / 256Mi), `<component>.resources` (100m / 64Mi, limit 128Mi).
 * Its only hooks are post-upgrade and pre-delete Jobs: none runs at install.
 */
import { at, chartPod, imageOf, isObject, str, withDefaults, type ChartPod, type ReleaseLike } from "./chart-pod";

const APP_VERSION = "v1.19.0";
const CONTAINER_SECURITY = {
  runAsUser: 65534,
  runAsGroup: 65534,
  runAsNonRoot: true,
  privileged: false,
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};
const controller = (repository: string) => ({
  enabled: true,
  image: { registry: null, defaultRegistry: "reg.kyverno.io", repository },
  securityContext: CONTAINER_SECURITY,
  podSecurityContext: {},
  hostNetwork: false,
  rbac: { serviceAccount: { automountServiceAccountToken: true } },
  resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { memory: "128Mi" } },
});

export const KYVERNO_DEFAULTS = {
  global: { nodeSelector: { "kubernetes.io/os": "linux" }, tolerations: [], image: { registry: null } },
  crds: { install: true },
  openreports: { installCrds: false },
  admissionController: {
    podSecurityContext: {},
    hostNetwork: false,
    rbac: { serviceAccount: { automountServiceAccountToken: true } },
    container: {
      image: { registry: null, defaultRegistry: "reg.kyverno.io", repository: "kyverno/kyverno" },
      securityContext: CONTAINER_SECURITY,
      resources: { requests: { cpu: "100m", memory: "128Mi" }, limits: { memory: "384Mi" } },
    },
    initContainer: {
      image: { registry: null, defaultRegistry: "reg.kyverno.io", repository: "kyverno/kyvernopre" },
      securityContext: CONTAINER_SECURITY,
      resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { cpu: "100m", memory: "256Mi" } },
    },
  },
  backgroundController: controller("kyverno/background-controller"),
  cleanupController: controller("kyverno/cleanup-controller"),
  reportsController: controller("kyverno/reports-controller"),
};

export const KYVERNO_COMPONENTS = ["admissionController", "backgroundController", "cleanupController", "reportsController"] as const;

/** Helm's `default`: an empty map or list (or none) takes the fallback. */
const helmDefault = (value: unknown, fallback: unknown) =>
  value === undefined || value === null || (Array.isArray(value) ? value.length === 0 : isObject(value) && Object.keys(value).length === 0) ? fallback : value;

export function kyvernoPods(release: ReleaseLike): ChartPod[] {
  const v = withDefaults(KYVERNO_DEFAULTS, release);
  // Helm's `default` skips empty values: the map's registry, else the global one, else the map's default.
  const image = (path: string) =>
    imageOf(at(v, path), {
      defaultTag: APP_VERSION,
      globalRegistry: str(at(v, `${path}.registry`)) || str(at(v, "global.image.registry")) || str(at(v, `${path}.defaultRegistry`)),
    });
  return KYVERNO_COMPONENTS.filter((c) => c === "admissionController" || at(v, `${c}.enabled`) !== false).map((c) => {
    const admission = c === "admissionController";
    const container = (path: string, name: string) => ({
      name,
      image: image(`${path}.image`),
      resources: at(v, `${path}.resources`),
      securityContext: at(v, `${path}.securityContext`),
    });
    return chartPod(
      release,
      c,
      { nodeSelector: helmDefault(at(v, `${c}.nodeSelector`), at(v, "global.nodeSelector")), tolerations: helmDefault(at(v, `${c}.tolerations`), at(v, "global.tolerations")) },
      {
        awaited: true,
        usesKubernetesApi: true,
        securityContext: at(v, `${c}.podSecurityContext`),
        hostNetwork: at(v, `${c}.hostNetwork`),
        automountServiceAccountToken: at(v, `${c}.rbac.serviceAccount.automountServiceAccountToken`),
        containers: [admission ? container("admissionController.container", "kyverno") : container(c, c)],
        ...(admission ? { initContainers: [container("admissionController.initContainer", "kyverno-pre")] } : {}),
      },
    );
  });
}
