/**
 * Autoscaling inputs in every config's plan (each stack file present and the generated shapes):
 * KEDA and the VPA recommender alone, on the system nodes only, after them, and the Prometheus
 * address teams are given names the kube-prometheus-stack release the plan really installs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_NODE_LABEL, SYSTEM_NODE_TAINT } from "../../components/cluster/system-node-group";
import type { Plan, PlanResource } from "../../tools/preview/plan";
import { chartModelOf } from "../../tools/preview/first-deploy/charts";
import { type ConfigUnderTest, configsUnderTest, previewAll } from "../support/stack-configs";

const CONFIGS = configsUnderTest();
let plans = new Map<string, Plan>();
beforeAll(async () => {
  plans = await previewAll(CONFIGS);
});

const release = (plan: Plan, chart: string): PlanResource => {
  const found = plan.resources.filter((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs["chart"] === chart);
  expect(found, chart).toHaveLength(1);
  return found[0]!;
};

describe.each(CONFIGS)("$label: autoscaling inputs", (c: ConfigUnderTest) => {
  const plan = () => plans.get(c.label)!;

  it("runs every pod of KEDA and of the VPA chart on the system nodes, and only there, after the system node group", () => {
    const p = plan();
    const nodeGroup = p.resources.find((r) => r.type === "aws:eks/nodeGroup:NodeGroup" && r.urn.includes("highmem:cluster:SystemNodeGroup"))!;
    for (const chart of ["keda", "vertical-pod-autoscaler"]) {
      const r = release(p, chart);
      expect(r.dependencies, chart).toContain(nodeGroup.urn);
      const pods = chartModelOf(r)!.pods(r);
      expect(pods.length, chart).toBeGreaterThan(0);
      for (const pod of pods) {
        expect(pod.nodeSelector[SYSTEM_NODE_LABEL.key], pod.description).toBe(SYSTEM_NODE_LABEL.value);
        expect(pod.tolerations, pod.description).toContainEqual(expect.objectContaining({ key: SYSTEM_NODE_TAINT.key, effect: SYSTEM_NODE_TAINT.effect }));
        expect(pod.requests.memoryMiB, pod.description).toBeGreaterThan(0);
      }
    }
  });

  it("installs the VPA recommender without updater or admission controller, and the CRDs of ScaledObject and VerticalPodAutoscaler", () => {
    const p = plan();
    const vpa = release(p, "vertical-pod-autoscaler");
    expect(
      chartModelOf(vpa)!
        .pods(vpa)
        .map((pod) => pod.description),
    ).toEqual(["chart vertical-pod-autoscaler: recommender"]);
    expect(chartModelOf(vpa)!.installsCrdGroups(vpa.inputs["values"], vpa)).toContain("autoscaling.k8s.io");
    const keda = release(p, "keda");
    expect(chartModelOf(keda)!.installsCrdGroups(keda.inputs["values"], keda)).toContain("keda.sh");
  });

  it("exports the address of the Prometheus Service of the kube-prometheus-stack release it installs", () => {
    const p = plan();
    const kps = release(p, "kube-prometheus-stack");
    expect(p.outputs["prometheusServerAddress"]).toBe(`http://${String(kps.inputs["name"])}-prometheus.${String(kps.inputs["namespace"])}.svc:9090`);
  });
});
