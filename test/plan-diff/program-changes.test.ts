/**
 * plan:diff on plans of small real programs, for the stateful kinds stack config cannot change
 * (Namespaces, Secrets, Helm releases, PersistentVolumeClaims) and for a component renamed in code;
 * and the reconciliation with a `pulumi preview --json` document.
 */
import * as pulumi from "@pulumi/pulumi";
import { PersistentVolumeClaim } from "@pulumi/kubernetes/core/v1/persistentVolumeClaim";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { Secret } from "@pulumi/kubernetes/core/v1/secret";
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import { Provider } from "@pulumi/kubernetes/provider";
import { Bucket } from "@pulumi/aws/s3/bucket";
import { Key } from "@pulumi/aws/kms/key";
import { describe, expect, it } from "vitest";
import { diffPlans, type StackDiff } from "../../tools/plan-diff/diff";
import { compareWithEngine, parseEnginePreview } from "../../tools/plan-diff/engine-preview";
import type { Plan } from "../../tools/preview/plan";
import { recordProgram } from "../preview/record-program";

async function planOf(program: () => void): Promise<Plan> {
  const resources = await recordProgram(program);
  return {
    stack: "dev",
    project: "proj",
    resources,
    violations: [],
    schemaErrors: [],
    configErrors: [],
    deployFindings: [],
    uncheckedSecrets: [],
    outputs: {},
    policyContext: {},
  };
}

interface Shape {
  namespace: string;
  secretType: string;
  secretValue: string;
  releaseNamespace: string;
  claimSize: string;
  claimClass: string;
}
const ROUTINE: Shape = { namespace: "team-a", secretType: "Opaque", secretValue: "one", releaseNamespace: "tools", claimSize: "10Gi", claimClass: "gp3" };

const program = (s: Shape) => () => {
  const p = new Provider("k8s", { kubeconfig: "{}" });
  new Namespace("ns", { metadata: { name: s.namespace, labels: { team: "a" } } }, { provider: p });
  new Secret("creds", { metadata: { name: "creds", namespace: "default" }, type: s.secretType, stringData: { token: s.secretValue } }, { provider: p });
  new Release("tool", { chart: "oci://example.com/charts/tool", version: "1.0.0", name: "tool", namespace: s.releaseNamespace }, { provider: p });
  new PersistentVolumeClaim(
    "scratch",
    {
      metadata: { name: "scratch", namespace: "default" },
      spec: { accessModes: ["ReadWriteOnce"], storageClassName: s.claimClass, resources: { requests: { storage: s.claimSize } } },
    },
    { provider: p },
  );
};

const risks = (d: StackDiff) => d.dataLossRisks.map((r) => `${r.kind} ${r.urn.split("::").pop()}`).sort();

describe("plan:diff on program changes", () => {
  it("routine edits of the same objects (a label, a secret's value, a bigger claim) flag no data loss", async () => {
    const base = await planOf(program(ROUTINE));
    const head = await planOf(() => {
      program({ ...ROUTINE, secretValue: "two", claimSize: "20Gi" })();
    });
    const d = diffPlans(base, head);
    expect(risks(d)).toEqual([]);
    // A secret's data is not updated in place by pulumi-kubernetes: shown as a replacement, losing nothing.
    expect(d.changed.find((c) => c.urn.endsWith("::creds"))?.replaceReasons).toEqual(["stringData"]);
    expect(d.changed.find((c) => c.urn.endsWith("::scratch"))?.replaceReasons).toEqual([]);
  });

  it("renaming a namespace, changing a secret's type, moving a release and shrinking or re-classing a claim are data loss", async () => {
    const base = await planOf(program(ROUTINE));
    const head = await planOf(
      program({
        namespace: "team-b",
        secretType: "kubernetes.io/basic-auth",
        secretValue: "one",
        releaseNamespace: "other",
        claimSize: "5Gi",
        claimClass: "gp3-high-iops",
      }),
    );
    const d = diffPlans(base, head);
    expect(risks(d)).toEqual(["replaced creds", "replaced ns", "replaced scratch", "replaced tool", "volume-shrink scratch"]);
    expect(d.dataLossRisks.find((r) => r.urn.endsWith("::ns"))!.message).toMatch(/deleting a namespace deletes every object in it/);
  });

  it("advises one alias on the highest renamed component, pairing its children by role, not by position", async () => {
    class Store extends pulumi.ComponentResource {
      constructor(name: string) {
        super("t:index:Store", name, {});
        new Bucket(`${name}-logs`, { bucket: "logs-bucket" }, { parent: this });
        new Bucket(`${name}-data`, { bucket: "data-bucket" }, { parent: this });
        this.registerOutputs({});
      }
    }
    const base = await planOf(() => new Store("store"));
    const head = await planOf(() => new Store("primary"));
    const d = diffPlans(base, head);
    expect(d.renames.map((r) => [r.oldName, r.newName, r.pairs.map((p) => `${p.from.name}->${p.to.name}`).sort()])).toEqual([
      ["store", "primary", ["store->primary", "store-data->primary-data", "store-logs->primary-logs"]],
    ]);
    expect(d.dataLossRisks.map((r) => r.message)).toEqual([
      expect.stringMatching(
        /"store-logs" is deleted and created again as "primary-logs": component t:index:Store "primary" was renamed from "store"\. Add `aliases: \[\{ name: "store" \}\]` to it/,
      ),
      expect.stringMatching(/"store-data" is deleted and created again as "primary-data"/),
    ]);
  });
});

describe("plan:diff on a KMS key", () => {
  const key = (description: string, keyUsage: string) => () => void new Key("data", { description, keyUsage, enableKeyRotation: true });
  it("updates a key's description in place, and flags a change of its usage (a new key cannot decrypt the old data)", async () => {
    const base = await planOf(key("data", "ENCRYPT_DECRYPT"));
    expect(risks(diffPlans(base, await planOf(key("data objects", "ENCRYPT_DECRYPT"))))).toEqual([]);
    const d = diffPlans(base, await planOf(key("data", "SIGN_VERIFY")));
    expect(risks(d)).toEqual(["replaced data"]);
    expect(d.dataLossRisks[0]!.message).toMatch(/a new key cannot decrypt what the old one encrypted/);
  });
});

describe("plan:diff beside `pulumi preview --json`", () => {
  it("agrees where both see a replacement, and adds the engine's stateful replacements it did not foresee", async () => {
    const base = await planOf(program(ROUTINE));
    const head = await planOf(program({ ...ROUTINE, namespace: "team-b" }));
    const d = diffPlans(base, head);
    const ns = d.changed.find((c) => c.urn.endsWith("::ns"))!.urn;
    const claim = head.resources.find((r) => r.name === "scratch")!.urn;
    // The shape `pulumi preview --json` prints (pulumi/pulumi pkg/display/json.go): a replace step
    // with replaceReasons and its create-replacement/delete-replaced companions.
    const recorded = {
      steps: [
        {
          op: "replace",
          urn: ns,
          newState: { type: "kubernetes:core/v1:Namespace" },
          replaceReasons: ["metadata.name"],
          diffReasons: ["metadata.name"],
          detailedDiff: { "metadata.name": { kind: "update-replace", inputDiff: true } },
        },
        { op: "create-replacement", urn: ns, detailedDiff: null },
        { op: "delete-replaced", urn: ns, detailedDiff: null },
        { op: "replace", urn: claim, newState: { type: "kubernetes:core/v1:PersistentVolumeClaim" }, replaceReasons: ["spec.volumeMode"], detailedDiff: null },
        { op: "same", urn: head.resources.find((r) => r.name === "creds")!.urn },
      ],
      changeSummary: { replace: 2, same: 3 },
    };
    const comparison = compareWithEngine(d, parseEnginePreview(recorded));
    expect(comparison.agreed).toEqual([ns]);
    expect(comparison.missedOffline.map((m) => m.urn)).toEqual([claim]);
    expect(comparison.extraRisks.map((r) => r.message)).toEqual([
      expect.stringMatching(/PersistentVolumeClaim is replaced according to `pulumi preview` \(spec\.volumeMode\)/),
    ]);
    expect(() => parseEnginePreview({ resources: [] })).toThrow(/not the output of `pulumi preview --json`/);
  });
});
