/**
 * WorkloadAutoscaling: its arguments are validated before anything is declared; the first-deploy
 * simulation places every pod of both charts on the system nodes (and nowhere else), and orders
 * ScaledObjects and VerticalPodAutoscalers after the charts that install their CRDs.
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { Provider } from "@pulumi/kubernetes/provider";
import { describe, expect, it } from "vitest";
import { ComponentArgumentError } from "../../components/lib/args";
import { SystemNodeGroup } from "../../components/cluster/system-node-group";
import { PROMETHEUS_SERVER_ADDRESS, WorkloadAutoscaling, resourcesProblem, vpaValues, kedaValues } from "../../components/internal";
import { chartModelOf } from "../../tools/preview/first-deploy/charts";
import { simulateFirstDeploy } from "../../tools/preview/first-deploy/simulate";
import type { PlanResource } from "../../tools/preview/plan";
import { recordProgram } from "../preview/record-program";
import { planResource } from "../support/plan-resources";

const provider = () => new Provider("k8s", { kubeconfig: "{}" });
const systemNodes = () =>
  new SystemNodeGroup("system", { clusterName: "demo", nodeGroupName: "demo-system", subnetIds: ["subnet-1"], partition: "aws", kubernetesVersion: "1.34" });

const vpa = (p: Provider, opts: pulumi.CustomResourceOptions = {}) =>
  new CustomResource(
    "trainer-vpa",
    {
      apiVersion: "autoscaling.k8s.io/v1",
      kind: "VerticalPodAutoscaler",
      metadata: { name: "trainer", namespace: "keda" },
      spec: { targetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "trainer" }, updatePolicy: { updateMode: "Off" } },
    },
    { provider: p, ...opts },
  );
const scaledObject = (p: Provider, opts: pulumi.CustomResourceOptions = {}) =>
  new CustomResource(
    "workers-scaler",
    {
      apiVersion: "keda.sh/v1alpha1",
      kind: "ScaledObject",
      metadata: { name: "workers", namespace: "keda" },
      spec: {
        scaleTargetRef: { name: "workers" },
        triggers: [{ type: "prometheus", metadata: { serverAddress: PROMETHEUS_SERVER_ADDRESS, query: "sum(up)", threshold: "1" } }],
      },
    },
    { provider: p, ...opts },
  );

const release = (chart: string, values: unknown): PlanResource =>
  planResource("kubernetes:helm.sh/v3:Release", { chart, namespace: "x", values }, chart, "dev");

describe("WorkloadAutoscaling arguments", () => {
  it("refuses a chart version that is not exact and resources out of bounds, naming the argument", () => {
    expect(() => new WorkloadAutoscaling("a", { provider: provider(), kedaChartVersion: "2.19" })).toThrow(ComponentArgumentError);
    expect(() => new WorkloadAutoscaling("a", { provider: provider(), vpaChartVersion: "latest" })).toThrow(/vpaChartVersion/);
    expect(() => new WorkloadAutoscaling("a", { provider: provider(), kedaResources: { cpuMilli: 100, memoryMiB: 512, memoryLimitMiB: 256 } })).toThrow(
      /kedaResources.*memoryLimitMiB must be a whole number from memoryMiB \(512\)/s,
    );
    expect(resourcesProblem({ cpuMilli: 5, memoryMiB: 100, memoryLimitMiB: 100 })).toMatch(/cpuMilli/);
    expect(resourcesProblem({ cpuMilli: 100, memoryMiB: 100, memoryLimitMiB: 100 })).toBeUndefined();
  });
});

describe("the charts' pod models", () => {
  it("model the VPA chart's updater, admission controller and certgen hooks by default, and only the recommender with our values", () => {
    const model = chartModelOf(release("vertical-pod-autoscaler", {}))!;
    expect(model.pods(release("vertical-pod-autoscaler", {})).map((p) => p.description)).toEqual([
      "chart vertical-pod-autoscaler: recommender",
      "chart vertical-pod-autoscaler: updater",
      "chart vertical-pod-autoscaler: admissionController",
      "chart vertical-pod-autoscaler: certgen Job (pre-install hook)",
      "chart vertical-pod-autoscaler: certgen patch Job (post-install hook)",
    ]);
    const ours = vpaValues({ cpuMilli: 50, memoryMiB: 500, memoryLimitMiB: 1000 });
    expect(model.pods(release("vertical-pod-autoscaler", ours)).map((p) => p.description)).toEqual(["chart vertical-pod-autoscaler: recommender"]);
    expect(model.installsCrdGroups(ours, release("vertical-pod-autoscaler", ours))).toEqual(["autoscaling.k8s.io"]);
  });

  it("model KEDA's three Deployments, its CRD groups, and the monitoring CRDs it needs only when its monitors are enabled", () => {
    const ours = kedaValues({ cpuMilli: 100, memoryMiB: 100, memoryLimitMiB: 1000 });
    const model = chartModelOf(release("keda", ours))!;
    expect(model.pods(release("keda", ours))).toHaveLength(3);
    expect(model.pods(release("keda", { webhooks: { enabled: false } }))).toHaveLength(2);
    expect(model.installsCrdGroups(ours, release("keda", ours))).toEqual(["keda.sh", "eventing.keda.sh"]);
    expect(model.installsCrdGroups({ crds: { install: false } }, release("keda", {}))).toEqual([]);
    expect(model.usesCrdGroups(ours)).toEqual([]);
    expect(model.usesCrdGroups({ prometheus: { operator: { serviceMonitor: { enabled: true } } } })).toEqual(["monitoring.coreos.com"]);
  });
});

describe("WorkloadAutoscaling at first deploy", () => {
  it("places every pod of both charts on the system nodes, and orders custom resources after the charts", async () => {
    const plan = await recordProgram(() => {
      const p = provider();
      const system = systemNodes();
      const autoscaling = new WorkloadAutoscaling("autoscaling", { provider: p }, { dependsOn: [system] });
      vpa(p, { dependsOn: [autoscaling] });
      scaledObject(p, { dependsOn: [autoscaling] });
    });
    expect(simulateFirstDeploy(plan)).toEqual([]);
  });

  it("reports the charts' pods when there are no system nodes: they select the system label", async () => {
    const findings = simulateFirstDeploy(await recordProgram(() => new WorkloadAutoscaling("autoscaling", { provider: provider() })));
    const placed = findings.filter((f) => f.check === "no-capacity").map((f) => f.message);
    expect(placed).toHaveLength(4);
    expect(placed.join("\n")).toMatch(/chart keda: operator/);
    expect(placed.join("\n")).toMatch(/chart vertical-pod-autoscaler: recommender/);
  });

  it("reports a VerticalPodAutoscaler or ScaledObject that does not wait for the chart installing its CRD", async () => {
    const findings = simulateFirstDeploy(
      await recordProgram(() => {
        const p = provider();
        const system = systemNodes();
        new WorkloadAutoscaling("autoscaling", { provider: p }, { dependsOn: [system] });
        vpa(p);
        scaledObject(p);
      }),
    ).filter((f) => f.check === "crd-first");
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/needs the autoscaling.k8s.io CRDs, but its CRD comes from autoscaling-vpa, which it does not depend on/),
      expect.stringMatching(/needs the keda.sh CRDs, but its CRD comes from autoscaling-keda, which it does not depend on/),
    ]);
  });
});
