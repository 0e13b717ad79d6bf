/**
 * vertical-pod-autoscaler 0.9.0 (kubernetes/autoscaler@vertical-pod-autoscaler-chart-0.9.0
 * vertical-pod-autoscaler/charts/vertical-pod-autoscaler; appVersion 1.6.0): Deployments recommender,
 * updater and admission-controller, each behind its `<component>.enabled` (all true by default), each
 * with its own nodeSelector, tolerations, affinity (a preferred anti-affinity by default) and resources
 * ({} by default), image <component>.image.repository:<tag or appVersion>; all three share the
 * top-level podSecurityContext (runAsNonRoot, uid 65534) and containerSecurityContext ({} by default);
 * the admission controller's hostNetwork is admissionController.hostNetwork (false). The certgen Jobs
 * are pre-install and post-install hooks (when certGen.enabled) with their own podSecurityContext
 * (runAsNonRoot, uid 65534, seccomp RuntimeDefault) and securityContext (read-only, no escalation,
 * drop ALL), image certGen.image.repository:tag. No template sets automountServiceAccountToken: the
 * service accounts' default (mounted) applies, and every component calls the API.
 */
import { at, chartPod, objectAt, str, valuesOf, type ChartPod, type ReleaseLike } from "./chart-pod";
import { coalesce } from "../values";

const APP_VERSION = "1.6.0";

export const VPA_DEFAULTS = {
  podSecurityContext: { runAsNonRoot: true, runAsUser: 65534 },
  containerSecurityContext: {},
  recommender: { image: { repository: "registry.k8s.io/autoscaling/vpa-recommender" } },
  updater: { image: { repository: "registry.k8s.io/autoscaling/vpa-updater" } },
  admissionController: {
    image: { repository: "registry.k8s.io/autoscaling/vpa-admission-controller" },
    hostNetwork: false,
    certGen: {
      image: { repository: "registry.k8s.io/ingress-nginx/kube-webhook-certgen", tag: "v20231011-8b53cabe0" },
      podSecurityContext: { runAsNonRoot: true, runAsUser: 65534, seccompProfile: { type: "RuntimeDefault" } },
      securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
    },
  },
};

export function vpaPods(release: ReleaseLike): ChartPod[] {
  const v = valuesOf(release);
  const d = coalesce(VPA_DEFAULTS, v);
  const enabled = (component: string) => at(v, `${component}.enabled`) !== false;
  const pods: ChartPod[] = [];
  for (const component of ["recommender", "updater", "admissionController"]) {
    if (!enabled(component)) continue;
    const values = objectAt(v, component);
    pods.push(
      chartPod(release, component, values, {
        awaited: true,
        usesKubernetesApi: true,
        securityContext: at(d, "podSecurityContext"),
        hostNetwork: component === "admissionController" ? at(d, "admissionController.hostNetwork") : false,
        containers: [
          {
            name: component,
            image: `${str(at(d, `${component}.image.repository`)) ?? ""}:${str(at(d, `${component}.image.tag`)) || APP_VERSION}`,
            resources: at(values, "resources"),
            securityContext: at(d, "containerSecurityContext"),
          },
        ],
      }),
    );
  }
  if (enabled("admissionController") && at(v, "admissionController.certGen.enabled") !== false) {
    const certGen = objectAt(v, "admissionController.certGen");
    const image = `${str(at(d, "admissionController.certGen.image.repository")) ?? ""}:${str(at(d, "admissionController.certGen.image.tag")) ?? ""}`;
    for (const hook of ["certgen Job (pre-install hook)", "certgen patch Job (post-install hook)"]) {
      pods.push(
        chartPod(release, hook, certGen, {
          awaited: true,
          usesKubernetesApi: true,
          securityContext: at(d, "admissionController.certGen.podSecurityContext"),
          containers: [{ name: "certgen", image, resources: at(certGen, "resources"), securityContext: at(d, "admissionController.certGen.securityContext") }],
        }),
      );
    }
  }
  return pods;
}
