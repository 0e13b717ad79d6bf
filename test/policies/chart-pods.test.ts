/**
 * The chart pod models (components/lib/charts): each pinned chart's pods at its defaults, and with the
 * values the platform gives its release in the reference plan, held to the pack's pod checks. What a
 * chart's defaults fail and the platform's values fix is stated here, so that a model change that
 * loses a fix, or a values change that drops one, fails.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { chartPods, type ChartPod } from "../../components/lib/charts";
import { hostPathVolumes, mountsServiceAccountToken, POD_CHECKS, sharedHostNamespaces, type PodView } from "../../policies/rules/pod-checks";
import type { Plan } from "../../tools/preview/plan";
import { previewStack } from "../../tools/preview/run";
import { referenceProject } from "../support/stack-configs";

let plan: Plan;
beforeAll(async () => {
  plan = (await previewStack("prod", { root: referenceProject(), evaluatePolicies: () => [] })).plan;
});

const view = (p: ChartPod): PodView => ({ what: p.component, namespace: p.namespace, spec: p.spec, usesKubernetesApi: p.usesKubernetesApi });
const atDefaults = (chart: string, values: Record<string, unknown> = {}) => chartPods({ inputs: { chart, namespace: "ns", values } }) ?? [];
const platform = (chart: string): ChartPod[] => {
  const release = plan.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && String(r.inputs["chart"]).endsWith(chart))!;
  return chartPods(release) ?? [];
};
const pod = (pods: ChartPod[], component: string): ChartPod => pods.find((p) => p.component === component)!;
const RESTRICTED = [POD_CHECKS.runAsNonRoot, POD_CHECKS.noPrivilegeEscalation, POD_CHECKS.seccompAndCapabilities];
const restrictedProblems = (p: ChartPod) => RESTRICTED.map((check) => check(view(p), {})).filter(Boolean);

describe("chart pod models", () => {
  it("know no chart they do not model, and no pods of the CRD-only charts", () => {
    expect(chartPods({ inputs: { chart: "oci://example.com/charts/unknown" } })).toBeUndefined();
    expect(atDefaults("karpenter-crd")).toEqual([]);
    expect(atDefaults("prometheus-operator-crds")).toEqual([]);
  });

  it("karpenter 1.8.1: a restricted controller from a digest-pinned image, with its token (it watches the API)", () => {
    const [controller] = atDefaults("oci://public.ecr.aws/karpenter/karpenter");
    expect(restrictedProblems(controller!)).toEqual([]);
    expect(String((controller!.spec["containers"] as { image: string }[])[0]!.image)).toMatch(
      /^public\.ecr\.aws\/karpenter\/controller:1\.8\.0@sha256:[a-f0-9]{64}$/,
    );
    expect(mountsServiceAccountToken(controller!.spec) && controller!.usesKubernetesApi).toBe(true);
    expect(sharedHostNamespaces(atDefaults("karpenter", { hostNetwork: true })[0]!.spec)).toEqual(["hostNetwork"]);
  });

  it("kube-prometheus-stack 79.5.0: node-exporter shares host namespaces and paths, and at its defaults fails the restricted checks the platform's values fix", () => {
    const exporter = pod(atDefaults("kube-prometheus-stack"), "node-exporter");
    expect(sharedHostNamespaces(exporter.spec)).toEqual(["hostNetwork", "hostPID"]);
    expect(hostPathVolumes(exporter.spec)).toEqual(["proc:/proc", "sys:/sys", "root:/"]);
    expect(POD_CHECKS.seccompAndCapabilities(view(exporter), {})).toMatch(/seccompProfile/);
    expect(POD_CHECKS.noPrivilegeEscalation(view(exporter), {})).toMatch(/allowPrivilegeEscalation/);
    expect(mountsServiceAccountToken(exporter.spec)).toBe(false);
    const ours = pod(platform("kube-prometheus-stack"), "node-exporter");
    expect(restrictedProblems(ours)).toEqual([]);
    expect(ours.namespace).toBe("monitoring");
    expect(pod(atDefaults("kube-prometheus-stack", { "prometheus-node-exporter": { namespaceOverride: "node-exporter" } }), "node-exporter").namespace).toBe(
      "node-exporter",
    );
  });

  it("kube-prometheus-stack 79.5.0: Alertmanager mounts a token it does not use at the defaults, not with the platform's values", () => {
    const defaults = view(pod(atDefaults("kube-prometheus-stack"), "alertmanager"));
    expect(POD_CHECKS.noUnneededToken(defaults, {})).toMatch(/does not call the Kubernetes API/);
    expect(POD_CHECKS.noUnneededToken(view(pod(platform("kube-prometheus-stack"), "alertmanager")), {})).toBeUndefined();
  });

  it("kube-prometheus-stack 79.5.0: every other pod is restricted at the defaults already", () => {
    for (const p of atDefaults("kube-prometheus-stack").filter((p) => p.component !== "node-exporter")) expect(restrictedProblems(p), p.component).toEqual([]);
    const ksm = pod(atDefaults("kube-prometheus-stack", { "kube-state-metrics": { securityContext: { enabled: false } } }), "kube-state-metrics");
    expect(ksm.spec["securityContext"]).toEqual({});
  });

  it("keda 2.19.0: restricted at the defaults; a values override reaches the pod it names, merged over the defaults", () => {
    for (const p of atDefaults("keda")) expect(restrictedProblems(p), p.component).toEqual([]);
    const pods = atDefaults("keda", { securityContext: { operator: { privileged: true } } });
    expect(POD_CHECKS.noPrivilegeEscalation(view(pod(pods, "operator")), {})).toMatch(/privileged/);
    expect(POD_CHECKS.noPrivilegeEscalation(view(pod(pods, "metrics API server")), {})).toBeUndefined();
    expect(atDefaults("keda", { webhooks: { enabled: false } }).map((p) => p.component)).toEqual(["operator", "metrics API server"]);
  });

  it("kyverno 3.9.0: four restricted controllers from reg.kyverno.io at the defaults; an image map's own registry, else the global one, wins", () => {
    const images = (pods: ChartPod[]) =>
      pods.flatMap((p) => [...(p.spec["containers"] as { image: string }[]), ...(p.spec["initContainers"] as { image: string }[])].map((c) => c.image));
    const pods = atDefaults("kyverno");
    expect(pods.map((p) => p.component)).toEqual(["admissionController", "backgroundController", "cleanupController", "reportsController"]);
    for (const p of pods) expect(restrictedProblems(p), p.component).toEqual([]);
    expect(images(pods)).toEqual([
      "reg.kyverno.io/kyverno/kyverno:v1.19.0",
      "reg.kyverno.io/kyverno/kyvernopre:v1.19.0",
      "reg.kyverno.io/kyverno/background-controller:v1.19.0",
      "reg.kyverno.io/kyverno/cleanup-controller:v1.19.0",
      "reg.kyverno.io/kyverno/reports-controller:v1.19.0",
    ]);
    const mirrored = atDefaults("kyverno", {
      global: { image: { registry: "mirror.example.com" } },
      reportsController: { image: { registry: "own.example.com" } },
    });
    expect(images(mirrored)).toContain("mirror.example.com/kyverno/kyverno:v1.19.0");
    expect(images(mirrored)).toContain("own.example.com/kyverno/reports-controller:v1.19.0");
    expect(images(platform("kyverno")).every((i) => i.startsWith("reg.kyverno.io/kyverno/"))).toBe(true);
  });

  it("vertical-pod-autoscaler 0.9.0: its containers are unconfined at the defaults, restricted with the platform's values", () => {
    const recommender = pod(atDefaults("vertical-pod-autoscaler"), "recommender");
    expect(POD_CHECKS.noPrivilegeEscalation(view(recommender), {})).toBeDefined();
    expect(POD_CHECKS.seccompAndCapabilities(view(recommender), {})).toBeDefined();
    const ours = platform("vertical-pod-autoscaler");
    expect(ours.map((p) => p.component)).toEqual(["recommender"]);
    expect(restrictedProblems(ours[0]!)).toEqual([]);
  });

  it("every pod the platform's releases create passes every chart check in the reference plan's context", () => {
    const releases = plan.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release");
    const pods = releases.flatMap((r) => chartPods(r) ?? []);
    expect(pods.length).toBeGreaterThan(10);
    for (const p of pods) {
      for (const [name, check] of Object.entries(POD_CHECKS).filter(([n]) => n !== "readOnlyRoot")) {
        expect(check(view(p), plan.policyContext), `${p.component} ${name}`).toBeUndefined();
      }
    }
  });
});
