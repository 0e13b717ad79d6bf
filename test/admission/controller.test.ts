/**
 * Kyverno and its policies as the platform declares them: the generated ValidatingPolicies match the
 * CRD schema of the pinned Kyverno release (stored from kyverno/kyverno@v1.19.0, see
 * tools/preview/schemas/README.md), select team namespaces only and never the platform's, fail
 * closed when enforcing and never block when auditing; the chart's pods all run on the system nodes;
 * in the reference plans every policy comes after the release that installs its CRD, the reference
 * workload after the policies, and each tier gets its mode.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { SYSTEM_NODE_LABEL, SYSTEM_NODE_TAINT } from "../../components/cluster/system-node-group";
import {
  ADMISSION_EXCLUDED_NAMESPACES,
  admissionPolicies,
  ComponentArgumentError,
  KYVERNO_NAMESPACE,
  kyvernoValues,
  RESERVED_NAMESPACES,
  TEAM_NAMESPACE_LABEL,
  validateAdmissionControllerArgs,
  type AdmissionControllerArgs,
} from "../../components/internal";
import { ConfigError, loadEnvironment } from "../../stacks/config/load";
import { TIER_DEFAULTS } from "../../stacks/config/tiers";
import { CRD_SCHEMA_MODELS, readStoredSchema, STORED_SCHEMAS, structuralSchema } from "../../tools/preview/crd-schema";
import { chartModelOf } from "../../tools/preview/first-deploy/charts";
import type { Plan, PlanResource } from "../../tools/preview/plan";
import { previewStack } from "../../tools/preview/run";
import { referenceProject } from "../support/stack-configs";

const VPOL = "kubernetes:policies.kyverno.io/v1:ValidatingPolicy";
const Model = CRD_SCHEMA_MODELS[VPOL]!;
const generated = (mode: "enforce" | "audit", allowedRegistries?: readonly string[]) =>
  admissionPolicies({
    mode,
    teamLabel: TEAM_NAMESPACE_LABEL,
    excludedNamespaces: ADMISSION_EXCLUDED_NAMESPACES,
    timeoutSeconds: 10,
    ...(allowedRegistries ? { allowedRegistries } : {}),
  });
const schemaErrors = (o: unknown): string => {
  try {
    new Model(o).validate();
    return "";
  } catch (error) {
    return String(error);
  }
};

describe("the generated ValidatingPolicies", () => {
  it("are stored from the pinned Kyverno release's CRD", () => {
    const stored = readStoredSchema(STORED_SCHEMAS[VPOL]!);
    expect(stored.source).toMatch(/^kyverno\/kyverno@v1\.19\.0 .*policies\.kyverno\.io_validatingpolicies\.yaml$/);
    expect(stored.derivedBy).toContain("tools/extract-crd-schema.ts");
  });

  it.each([["enforce"], ["audit"]] as const)("match the CRD schema (%s, with and without a registry list)", (mode) => {
    for (const o of [...generated(mode), ...generated(mode, ["public.ecr.aws"])]) expect(schemaErrors(o), JSON.stringify(o["metadata"])).toBe("");
  });

  it("are refused by the schema when a field is misspelt or a value is not one the CRD allows", () => {
    const [policy] = generated("enforce");
    const tampered = (change: (spec: Record<string, unknown>) => void) => {
      const o = structuredClone(policy!);
      change(o["spec"] as Record<string, unknown>);
      return schemaErrors(o);
    };
    expect(tampered((s) => (s["validationFailureAction"] = "Enforce"))).toContain("additional properties");
    expect(tampered((s) => (s["failurePolicy"] = "Fial"))).toContain("/spec/failurePolicy");
    expect(tampered((s) => (s["validationActions"] = ["Block"]))).toContain("/spec/validationActions/0");
    expect(tampered((s) => ((s["webhookConfiguration"] as Record<string, unknown>)["timeout"] = 5))).toContain("additional properties");
  });

  it("select pods of team namespaces only, never kube-system, the platform's namespaces or Kyverno's", () => {
    for (const o of generated("enforce")) {
      const match = (o["spec"] as { matchConstraints: Record<string, unknown> }).matchConstraints;
      expect(match["resourceRules"]).toEqual([{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }]);
      const expressions = (match["namespaceSelector"] as { matchExpressions: { key: string; operator: string; values?: string[] }[] }).matchExpressions;
      expect(expressions).toContainEqual({ key: TEAM_NAMESPACE_LABEL, operator: "Exists" });
      const excluded = expressions.find((e) => e.operator === "NotIn")!.values!;
      for (const ns of [...RESERVED_NAMESPACES, "kube-system", KYVERNO_NAMESPACE]) expect(excluded).toContain(ns);
    }
  });

  it("fail closed and deny when enforcing; only audit and warn, never blocking, when auditing", () => {
    for (const o of generated("enforce")) expect(o["spec"]).toMatchObject({ failurePolicy: "Fail", validationActions: ["Deny"] });
    for (const o of generated("audit")) expect(o["spec"]).toMatchObject({ failurePolicy: "Ignore", validationActions: ["Audit", "Warn"] });
  });
});

describe("the rules the policies mirror", () => {
  it("come from pack modules that load no components index (the admission policies import the pack: a cycle otherwise)", () => {
    const dir = join(__dirname, "..", "..", "policies", "rules");
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".ts")))
      expect(readFileSync(join(dir, file), "utf8"), file).not.toMatch(/from "\.\.\/\.\.\/components(\/(index|internal|helpers))?"/);
  });
});

describe("the stored schema", () => {
  it("forbids undeclared fields where the API server prunes them, and keeps them where it preserves them", () => {
    const schema = structuralSchema({
      type: "object",
      description: "dropped",
      properties: { a: { type: "object", properties: { b: { type: "string" } } }, free: { type: "object", "x-kubernetes-preserve-unknown-fields": true } },
    });
    expect(schema).toEqual({
      type: "object",
      additionalProperties: false,
      properties: {
        a: { type: "object", properties: { b: { type: "string" } }, additionalProperties: false },
        free: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
      },
    });
  });
});

describe("AdmissionController arguments", () => {
  const args = (extra: Partial<AdmissionControllerArgs>): AdmissionControllerArgs => ({ provider: undefined as never, ...extra });
  it.each([
    ["mode", { mode: "block" as never }],
    ["admissionReplicas", { admissionReplicas: 0 }],
    ["timeoutSeconds", { timeoutSeconds: 31 }],
    ["allowedRegistries", { allowedRegistries: ["https://ghcr.io"] }],
    ["allowedRegistries", { allowedRegistries: ["docker.io/library/"] }],
    ["allowedRegistries", { allowedRegistries: [] }],
    ["chartVersion", { chartVersion: "3.9" }],
    ["admissionResources", { admissionResources: { cpuMilli: 100, memoryMiB: 128, memoryLimitMiB: 64 } }],
  ])("refuse a wrong %s, naming it", (arg, extra) => {
    expect(() => validateAdmissionControllerArgs(args(extra))).toThrow(ComponentArgumentError);
    expect(() => validateAdmissionControllerArgs(args(extra))).toThrow(arg);
  });
  it("accept the defaults and registry hosts with paths and ports", () => {
    expect(() =>
      validateAdmissionControllerArgs(args({ allowedRegistries: ["public.ecr.aws", "docker.io/library", "registry.example.com:5000/team-a"] })),
    ).not.toThrow();
  });
});

describe("the Kyverno chart's pods", () => {
  const release = (values: Record<string, unknown>): PlanResource =>
    ({
      urn: "urn:kyverno",
      type: "kubernetes:helm.sh/v3:Release",
      name: "kyverno",
      inputs: { chart: "kyverno", namespace: KYVERNO_NAMESPACE, values },
      dependencies: [],
    }) as unknown as PlanResource;
  const options = {
    admissionReplicas: 3,
    admissionResources: { cpuMilli: 100, memoryMiB: 128, memoryLimitMiB: 384 },
    reportsResources: { cpuMilli: 100, memoryMiB: 64, memoryLimitMiB: 128 },
    excludedNamespaces: ["kube-system"],
  };

  it("are the admission and reports controllers only, on the system nodes, with requests; the CRDs come with them", () => {
    const r = release(kyvernoValues(options));
    const model = chartModelOf(r)!;
    const pods = model.pods(r);
    expect(pods.map((p) => p.description)).toEqual(["chart kyverno: admissionController", "chart kyverno: reportsController"]);
    for (const pod of pods) {
      expect(pod.nodeSelector[SYSTEM_NODE_LABEL.key], pod.description).toBe(SYSTEM_NODE_LABEL.value);
      expect(pod.tolerations, pod.description).toContainEqual(expect.objectContaining({ key: SYSTEM_NODE_TAINT.key, effect: SYSTEM_NODE_TAINT.effect }));
      expect(pod.requests.memoryMiB, pod.description).toBeGreaterThan(0);
    }
    expect(model.installsCrdGroups(r.inputs["values"], r)).toEqual(
      expect.arrayContaining(["kyverno.io", "policies.kyverno.io", "reports.kyverno.io", "wgpolicyk8s.io"]),
    );
    expect(model.usesCrdGroups(r.inputs["values"])).toEqual([]);
  });

  it("are modelled from the chart's defaults when no value is given: four controllers, none on the system nodes", () => {
    const pods = chartModelOf(release({}))!.pods(release({}));
    expect(pods).toHaveLength(4);
    for (const pod of pods) expect(pod.nodeSelector).toEqual({ "kubernetes.io/os": "linux" });
  });
});

describe("admission in the reference plans and the tiers", () => {
  const plans: Record<string, Plan> = {};
  beforeAll(async () => {
    for (const stack of ["dev", "prod"]) plans[stack] = (await previewStack(stack, { root: referenceProject(), evaluatePolicies: () => [] })).plan;
  });

  it.each([
    ["dev", ["Audit", "Warn"], 1],
    ["prod", ["Deny"], 3],
  ] as const)("%s: the policies after the release, the reference workload after the policies, the tier's mode and replicas", (stack, actions, replicas) => {
    const plan = plans[stack]!;
    const kyverno = plan.resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs["chart"] === "kyverno")!;
    expect((kyverno.inputs["values"] as { admissionController: { replicas: number } }).admissionController.replicas).toBe(replicas);
    const policies = plan.resources.filter((r) => r.type === VPOL);
    expect(policies).toHaveLength(4);
    for (const p of policies) {
      expect(p.dependencies).toContain(kyverno.urn);
      expect((p.inputs["spec"] as { validationActions: string[] }).validationActions).toEqual(actions);
    }
    const workloads = plan.resources.filter((r) => r.urn.includes("highmem:workloads:HighMemoryWorkload$kubernetes:batch/v1:Job"));
    for (const w of workloads) for (const p of policies) expect(w.dependencies).toContain(p.urn);
  });

  it("tiers: dev audits with one replica, staging and prod enforce with three; enforcing outside dev needs three", () => {
    expect([TIER_DEFAULTS.dev.admission, TIER_DEFAULTS.staging.admission, TIER_DEFAULTS.prod.admission]).toEqual([
      { mode: "audit", replicas: 1 },
      { mode: "enforce", replicas: 3 },
      { mode: "enforce", replicas: 3 },
    ]);
    const raw = (extra: Record<string, string>) => ({
      "aws:region": "us-west-2",
      "highmem-platform:tier": "prod",
      "highmem-platform:clusterPrivateAccessCidrs": '["10.0.240.0/24"]',
      ...extra,
    });
    expect(() => loadEnvironment(raw({ "highmem-platform:admissionReplicas": "1" }), "t")).toThrow(ConfigError);
    expect(() => loadEnvironment(raw({ "highmem-platform:admissionReplicas": "1" }), "t")).toThrow("admissionReplicas");
    expect(loadEnvironment(raw({ "highmem-platform:admissionReplicas": "1", "highmem-platform:admissionPolicies": "audit" }), "t").cluster.admission).toEqual({
      mode: "audit",
      replicas: 1,
    });
    expect(loadEnvironment(raw({ "highmem-platform:admissionPolicies": "off" }), "t").cluster.admission.mode).toBe("off");
  });
});
