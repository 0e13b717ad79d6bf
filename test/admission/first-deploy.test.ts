/**
 * AdmissionController in the first-deploy simulation: Kyverno's pods find room on the system nodes
 * only, and a ValidatingPolicy is created only after the release that installs its CRD.
 */
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { Provider } from "@pulumi/kubernetes/provider";
import { describe, expect, it } from "vitest";
import { SystemNodeGroup } from "../../components/cluster/system-node-group";
import { AdmissionController } from "../../components/internal";
import { simulateFirstDeploy } from "../../tools/preview/first-deploy/simulate";
import { recordProgram } from "../preview/record-program";

const provider = () => new Provider("k8s", { kubeconfig: "{}" });
const systemNodes = () =>
  new SystemNodeGroup("system", { clusterName: "demo", nodeGroupName: "demo-system", subnetIds: ["subnet-1"], partition: "aws", kubernetesVersion: "1.34" });
const extraPolicy = (p: Provider) =>
  new CustomResource(
    "extra-policy",
    {
      apiVersion: "policies.kyverno.io/v1",
      kind: "ValidatingPolicy",
      metadata: { name: "extra" },
      spec: {
        matchConstraints: { resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["pods"] }] },
        validations: [{ expression: "true" }],
      },
    },
    { provider: p },
  );

describe("AdmissionController at first deploy", () => {
  it("finds everything it needs after the system nodes: its pods fit there, its policies follow the CRDs", async () => {
    const plan = await recordProgram(() => {
      const system = systemNodes();
      new AdmissionController("admission", { provider: provider(), admissionReplicas: 1 }, { dependsOn: [system] });
    });
    expect(simulateFirstDeploy(plan)).toEqual([]);
  });

  it("reports Kyverno's pods when there are no system nodes: they select the system label", async () => {
    const findings = simulateFirstDeploy(await recordProgram(() => new AdmissionController("admission", { provider: provider() })));
    const placed = findings.filter((f) => f.check === "no-capacity").map((f) => f.message);
    expect(placed.join("\n")).toMatch(/chart kyverno: admissionController/);
    expect(placed.join("\n")).toMatch(/chart kyverno: reportsController/);
    expect(placed).toHaveLength(2);
  });

  it("reports a ValidatingPolicy that does not wait for the Kyverno release", async () => {
    const findings = simulateFirstDeploy(
      await recordProgram(() => {
        const p = provider();
        const system = systemNodes();
        new AdmissionController("admission", { provider: p }, { dependsOn: [system] });
        extraPolicy(p);
      }),
    ).filter((f) => f.check === "crd-first");
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringMatching(/needs the policies.kyverno.io CRDs, but its CRD comes from admission-kyverno, which it does not depend on/),
    ]);
  });
});
