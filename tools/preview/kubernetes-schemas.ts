/**
 * Validates every Kubernetes object of a plan against its published OpenAPI schema, through the
 * kubernetes-models packages (built-in kinds) and @kubernetes-models/* (custom resources such as
 * Karpenter's). Only the models a plan uses are loaded.
 */
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type { PlanResource, PlanSchemaError } from "./plan";
import { projectRoot } from "../lib/project-root";
import { LOCAL_MODELS } from "./snapshot-schemas";
import { CRD_SCHEMA_MODELS } from "./crd-schema";

/** Packages that publish models for custom resource groups. */
const CRD_PACKAGES: Readonly<Record<string, string>> = {
  "karpenter.sh": "@kubernetes-models/karpenter",
  "karpenter.k8s.aws": "@kubernetes-models/karpenter",
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  // KEDA v2.19.0's API (tommy351/kubernetes-models-ts third-party/keda go.mod), the KEDA chart's release.
  "keda.sh": "@kubernetes-models/keda",
  "eventing.keda.sh": "@kubernetes-models/keda",
  // The VPA v1.6.0 API (third-party/autoscaler go.mod), the VPA chart's appVersion. Not the built-in
  // "autoscaling" group of HorizontalPodAutoscaler, which kubernetes-models covers.
  "autoscaling.k8s.io": "@kubernetes-models/autoscaler",
};

/** Pulumi types of Kubernetes resources that are not API objects (providers, Helm, YAML groups). */
const NOT_API_OBJECT = /^(pulumi:providers:kubernetes|kubernetes:helm\.sh\/|kubernetes:yaml(\/v2)?:|kubernetes:kustomize)/;

interface ModelClass {
  new (data: unknown): { validate(): void };
}

let bundledModels: Readonly<Record<string, ModelClass>> | undefined;

/** The models bundled by tools/ensure-built.mjs, or none when the bundle has not been built. */
function bundled(): Readonly<Record<string, ModelClass>> {
  if (bundledModels) return bundledModels;
  const path = join(projectRoot(), "dist", "schema-models.cjs");
  bundledModels = existsSync(path) ? (createRequire(__filename)(path) as { models: Record<string, ModelClass> }).models : {};
  return bundledModels;
}

async function loadModel(target: { specifier: string; kind: string }): Promise<ModelClass | undefined> {
  const fast = bundled()[target.specifier];
  if (fast) return fast;
  try {
    const mod = (await import(target.specifier)) as { [kind: string]: ModelClass | undefined; default?: ModelClass };
    return mod[target.kind] ?? mod.default;
  } catch {
    return undefined;
  }
}

/** The module that holds the model for a Pulumi Kubernetes type token, or undefined when none is known. */
export function modelModule(type: string): { specifier: string; kind: string } | undefined {
  const m = /^kubernetes:([^:]+)\/([^:/]+):(\w+)$/.exec(type);
  if (!m) return undefined;
  const [, group = "", version = "", token = ""] = m;
  // A Patch resource (pulumi-kubernetes 4.x, server-side apply) carries a part of an object of the
  // kind it patches: it is checked against that kind's schema, less the fields it may leave out.
  const kind = token.endsWith("Patch") ? token.slice(0, -"Patch".length) : token;
  if (group === "core") return { specifier: `kubernetes-models/${version}/${kind}`, kind };
  const crdPackage = CRD_PACKAGES[group];
  if (crdPackage) return { specifier: `${crdPackage}/${group}/${version}/${kind}`, kind };
  return { specifier: `kubernetes-models/${group}/${version}/${kind}`, kind };
}

/** A validation error less its "required" findings (what a patch leaves out), or undefined when nothing else is wrong. */
function withoutMissingFields(error: unknown): unknown {
  const details = (error as { errors?: { keyword?: string }[] }).errors;
  if (!Array.isArray(details)) return error;
  const rest = details.filter((d) => d.keyword !== "required");
  return rest.length === 0 ? undefined : { errors: rest };
}

function describe(error: unknown): string {
  const details = (error as { errors?: { instancePath?: string; message?: string; params?: unknown }[] }).errors;
  if (Array.isArray(details) && details.length > 0) {
    return details.map((d) => `${d.instancePath || "/"} ${d.message ?? "is invalid"}${d.params ? ` ${JSON.stringify(d.params)}` : ""}`).join("; ");
  }
  return error instanceof Error ? error.message : String(error);
}

export async function validateKubernetesObjects(resources: readonly PlanResource[]): Promise<{ errors: PlanSchemaError[]; validated: number }> {
  const errors: PlanSchemaError[] = [];
  let validated = 0;
  for (const r of resources) {
    if (!r.type.startsWith("kubernetes:") || NOT_API_OBJECT.test(r.type)) continue;
    // Kinds no @kubernetes-models package covers: written-out schemas, and schemas stored from the
    // upstream CRD at the pinned tag (crd-schema.ts: Kyverno's ValidatingPolicy).
    const local = LOCAL_MODELS[r.type] ?? CRD_SCHEMA_MODELS[r.type];
    if (local) {
      try {
        new local(r.inputs).validate();
        validated++;
      } catch (error) {
        errors.push({ urn: r.urn, message: `${r.type} "${r.name}" does not match its schema: ${describe(error)}` });
      }
      continue;
    }
    const target = modelModule(r.type);
    if (!target) {
      errors.push({ urn: r.urn, message: `no published schema is known for ${r.type}` });
      continue;
    }
    const Model = await loadModel(target);
    if (!Model) {
      errors.push({ urn: r.urn, message: `no published schema is known for ${r.type} (${target.specifier} not found)` });
      continue;
    }
    try {
      new Model(r.inputs).validate();
      validated++;
    } catch (error) {
      const partial = r.type.endsWith("Patch") ? withoutMissingFields(error) : error;
      if (partial === undefined) validated++;
      else errors.push({ urn: r.urn, message: `${r.type} "${r.name}" does not match its schema: ${describe(partial)}` });
    }
  }
  return { errors, validated };
}
