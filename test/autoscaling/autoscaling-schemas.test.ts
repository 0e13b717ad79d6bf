/**
 * KEDA's and the VPA's custom resources are validated by the offline preview against their published
 * schemas (@kubernetes-models/keda: KEDA v2.19.0's API; @kubernetes-models/autoscaler: VPA v1.6.0's),
 * both ways: the objects teams write pass, and typical mistakes are reported with the faulty path.
 */
import { describe, expect, it } from "vitest";
import { PROMETHEUS_SERVER_ADDRESS } from "../../components/internal";
import { modelModule, validateKubernetesObjects } from "../../tools/preview/kubernetes-schemas";
import type { PlanResource } from "../../tools/preview/plan";
import { planResource } from "../support/plan-resources";

const resource = (type: string, inputs: Record<string, unknown>): PlanResource => planResource(type, inputs);

/** A VPA in recommendation-only mode, as the workload helper emits it. */
const vpa = (updateMode: unknown, extra: Record<string, unknown> = {}) =>
  resource("kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler", {
    apiVersion: "autoscaling.k8s.io/v1",
    kind: "VerticalPodAutoscaler",
    metadata: { name: "trainer", namespace: "team-a" },
    spec: {
      targetRef: { apiVersion: "apps/v1", kind: "StatefulSet", name: "trainer" },
      updatePolicy: { updateMode },
      resourcePolicy: { containerPolicies: [{ containerName: "*", controlledResources: ["memory"] }] },
      ...extra,
    },
  });

const scaledObject = (triggers: unknown, extra: Record<string, unknown> = {}) =>
  resource("kubernetes:keda.sh/v1alpha1:ScaledObject", {
    apiVersion: "keda.sh/v1alpha1",
    kind: "ScaledObject",
    metadata: { name: "workers", namespace: "team-a" },
    spec: { scaleTargetRef: { name: "workers" }, minReplicaCount: 0, maxReplicaCount: 8, triggers, ...extra },
  });

const prometheusTrigger = (threshold: unknown) => ({
  type: "prometheus",
  metadata: { serverAddress: PROMETHEUS_SERVER_ADDRESS, query: 'sum(queue_depth{namespace="team-a"})', threshold },
});
const cronTrigger = { type: "cron", metadata: { timezone: "Europe/Paris", start: "0 8 * * 1-5", end: "0 20 * * 1-5", desiredReplicas: "4" } };

describe("KEDA and VPA custom resources against their schemas", () => {
  it("map keda.sh and autoscaling.k8s.io to their packages, and leave the built-in autoscaling group to kubernetes-models", () => {
    expect(modelModule("kubernetes:keda.sh/v1alpha1:ScaledObject")).toEqual({
      specifier: "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject",
      kind: "ScaledObject",
    });
    expect(modelModule("kubernetes:autoscaling.k8s.io/v1:VerticalPodAutoscaler")).toEqual({
      specifier: "@kubernetes-models/autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler",
      kind: "VerticalPodAutoscaler",
    });
    expect(modelModule("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")?.specifier).toBe("kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler");
  });

  it("accept a VPA in Off mode and reject an update mode the API does not know", async () => {
    const result = await validateKubernetesObjects([vpa("Off"), vpa("Never")]);
    expect(result.validated).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toMatch(
      /VerticalPodAutoscaler "obj" does not match its schema: \/spec\/updatePolicy\/updateMode must be equal to one of the allowed values/,
    );
  });

  it("reject a VPA without its target", async () => {
    const broken = vpa("Off");
    const spec = { ...(broken.inputs["spec"] as Record<string, unknown>) };
    delete spec["targetRef"];
    const result = await validateKubernetesObjects([{ ...broken, inputs: { ...broken.inputs, spec } }]);
    expect(result.errors.map((e) => e.message).join()).toMatch(/\/spec must have required property targetRef/);
  });

  it("accept ScaledObjects on a Prometheus query and on a cron schedule", async () => {
    const result = await validateKubernetesObjects([scaledObject([prometheusTrigger("100")]), scaledObject([cronTrigger])]);
    expect(result.errors).toEqual([]);
    expect(result.validated).toBe(2);
  });

  it("reject a trigger whose metadata is not all strings (a bare number threshold) and a ScaledObject without triggers", async () => {
    const noTriggers = scaledObject([]);
    const spec = { ...(noTriggers.inputs["spec"] as Record<string, unknown>) };
    delete spec["triggers"];
    const result = await validateKubernetesObjects([scaledObject([prometheusTrigger(100)]), { ...noTriggers, inputs: { ...noTriggers.inputs, spec } }]);
    expect(result.validated).toBe(0);
    const messages = result.errors.map((e) => e.message).join("\n");
    expect(messages).toMatch(/\/spec\/triggers\/0\/metadata\/threshold must be string/);
    expect(messages).toMatch(/\/spec must have required property triggers/);
  });
});
