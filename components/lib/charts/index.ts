/**
 * The pods the platform's pinned Helm charts create, from a release's values over each chart's
 * defaults at its tag. Pure: the first-deploy simulation and the policy pack import it.
 */
import type { ChartPod, ReleaseLike } from "./chart-pod";
import { chartName } from "./chart-pod";
import { karpenterPods } from "./karpenter";
import { kedaPods } from "./keda";
import { kubePrometheusStackPods } from "./kube-prometheus-stack";
import { kyvernoPods } from "./kyverno";
import { vpaPods } from "./vpa";

export { chartName, type ChartContainer, type ChartPod, type ReleaseLike } from "./chart-pod";
export { KARPENTER_DEFAULTS } from "./karpenter";
export { KEDA_DEFAULTS } from "./keda";
export { KUBE_PROMETHEUS_STACK_DEFAULTS } from "./kube-prometheus-stack";
export { VPA_DEFAULTS } from "./vpa";
export { KYVERNO_COMPONENTS, KYVERNO_DEFAULTS } from "./kyverno";

/** Charts that install CRDs only: no pods. */
const CRD_ONLY = ["karpenter-crd", "prometheus-operator-crds"];

const POD_MODELS: Readonly<Record<string, (release: ReleaseLike) => ChartPod[]>> = {
  karpenter: karpenterPods,
  "kube-prometheus-stack": kubePrometheusStackPods,
  keda: kedaPods,
  "vertical-pod-autoscaler": vpaPods,
  kyverno: kyvernoPods,
  ...Object.fromEntries(CRD_ONLY.map((c) => [c, () => []])),
};

/** The pods a release creates; undefined when its chart has no model (an unknown chart is never a silent pass). */
export function chartPods(release: ReleaseLike): ChartPod[] | undefined {
  return POD_MODELS[chartName(release)]?.(release);
}
