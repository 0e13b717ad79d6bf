import { describe, expect, it } from "vitest";
import { modelModule, validateKubernetesObjects } from "../../tools/preview/kubernetes-schemas";
import type { PlanResource } from "../../tools/preview/plan";
import { planResource } from "../support/plan-resources";

const resource = (type: string, inputs: Record<string, unknown>): PlanResource => planResource(type, inputs);

const statefulSet = (replicas: unknown) =>
  resource("kubernetes:apps/v1:StatefulSet", {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "redis" },
    spec: {
      replicas,
      serviceName: "redis",
      selector: { matchLabels: { app: "redis" } },
      template: { metadata: { labels: { app: "redis" } }, spec: { containers: [{ name: "redis", image: "redis:7.4.2" }] } },
    },
  });

describe("Kubernetes schema validation", () => {
  it("maps Pulumi type tokens to the published models, custom resources included", () => {
    expect(modelModule("kubernetes:core/v1:Namespace")).toEqual({ specifier: "kubernetes-models/v1/Namespace", kind: "Namespace" });
    expect(modelModule("kubernetes:apps/v1:StatefulSet")).toEqual({ specifier: "kubernetes-models/apps/v1/StatefulSet", kind: "StatefulSet" });
    expect(modelModule("kubernetes:karpenter.sh/v1:NodePool")).toEqual({
      specifier: "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool",
      kind: "NodePool",
    });
  });

  it("accepts a valid object and reports an invalid one with the path of the fault", async () => {
    const result = await validateKubernetesObjects([statefulSet(6), statefulSet("six")]);
    expect(result.validated).toBe(1);
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]!.message).toMatch(/StatefulSet "obj" does not match its schema: \/spec\/replicas must be integer/);
  });

  it("checks a Patch resource against the kind it patches, less the fields a patch leaves out", async () => {
    expect(modelModule("kubernetes:core/v1:PersistentVolumeClaimPatch")).toEqual({
      specifier: "kubernetes-models/v1/PersistentVolumeClaim",
      kind: "PersistentVolumeClaim",
    });
    // A StatefulSet patch without selector, serviceName or template: what it leaves out is not a fault.
    const patch = (replicas: unknown) =>
      resource("kubernetes:apps/v1:StatefulSetPatch", { apiVersion: "apps/v1", kind: "StatefulSet", metadata: { name: "redis" }, spec: { replicas } });
    const result = await validateKubernetesObjects([patch(6), patch("six")]);
    expect(result.validated).toBe(1);
    expect(result.errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/StatefulSetPatch "obj" does not match its schema: \/spec\/replicas must be integer {"type":"integer"}$/),
    ]);
  });

  it("validates Karpenter's custom resources against Karpenter's v1 schema", async () => {
    const nodePool = (expireAfter: unknown) =>
      resource("kubernetes:karpenter.sh/v1:NodePool", {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: "general" },
        spec: { template: { spec: { nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: "default" }, requirements: [], expireAfter } } },
      });
    const result = await validateKubernetesObjects([nodePool("720h"), nodePool(42)]);
    expect(result.validated).toBe(1);
    expect(result.errors[0]!.message).toMatch(/expireAfter/);
  });

  it("refuses a kind it has no schema for instead of passing it silently", async () => {
    const result = await validateKubernetesObjects([resource("kubernetes:example.com/v1:Widget", { apiVersion: "example.com/v1", kind: "Widget" })]);
    expect(result.errors[0]!.message).toMatch(/no published schema is known for kubernetes:example.com\/v1:Widget/);
  });

  it("skips what is not an API object (providers, Helm releases)", async () => {
    const result = await validateKubernetesObjects([resource("pulumi:providers:kubernetes", {}), resource("kubernetes:helm.sh/v3:Release", { chart: "x" })]);
    expect(result).toEqual({ errors: [], validated: 0 });
  });
});
