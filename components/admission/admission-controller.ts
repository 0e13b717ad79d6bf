/**
 * Checks inside the cluster: Kyverno (chart `kyverno`, KYVERNO_CHART_VERSION) on the system nodes,
 * and the ValidatingPolicies of policies.ts for the pods of team namespaces, the workloads teams
 * deploy outside Pulumi. The policy pack checks what the stack declares before deploy; these check
 * what reaches the API server afterwards, with the same rules where the pack has one.
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { KYVERNO_CHART_VERSION } from "../versions";
import { requireThat, withDefaults } from "../lib/args";
import { resourcesProblem, type AutoscalerResources } from "../autoscaling/workload-autoscaling";
import { RESERVED_NAMESPACES, TEAM_NAMESPACE_LABEL } from "../workloads/team-namespace";
import { KYVERNO_NAMESPACE, kyvernoValues } from "./kyverno-values";
import { ADMISSION_MODES, admissionPolicies, REGISTRY_PREFIX, type AdmissionMode } from "./policies";

export interface AdmissionControllerArgs {
  readonly provider: KubernetesProvider;
  /**
   * enforce: a pod that fails a policy is refused, and a request Kyverno cannot evaluate is refused
   * too (fail closed, in team namespaces only). audit: admitted, reported in PolicyReports and as a
   * warning to the client; Kyverno being down blocks nothing.
   * @default "enforce"
   */
  readonly mode?: AdmissionMode;
  /**
   * Registry prefixes team images may come from ("public.ecr.aws", "docker.io/library",
   * "123456789012.dkr.ecr.us-west-2.amazonaws.com"); an image matches a prefix when its normalised
   * reference starts with the prefix and a "/". Undefined: no registry policy.
   * @default undefined
   */
  readonly allowedRegistries?: readonly string[];
  /**
   * Every team image must be pinned by a sha256 digest.
   * @default false
   */
  readonly requireImageDigests?: boolean;
  /**
   * Version of the `kyverno` chart (its appVersion is the Kyverno release).
   * @default KYVERNO_CHART_VERSION
   */
  readonly chartVersion?: string;
  /**
   * Replicas of the admission controller, the webhook server. Kyverno recommends 3 for high
   * availability (kyverno.io/docs/high-availability; release notes of v1.4.0: "For HA, currently
   * recommended minimum replicas is 3"); with more than one the chart adds a PodDisruptionBudget.
   * @default 3
   */
  readonly admissionReplicas?: number;
  /**
   * Resources of the admission controller's container.
   * @default the chart's: 100m CPU, 128 MiB requested, 384 MiB limit
   */
  readonly admissionResources?: AutoscalerResources;
  /**
   * Resources of the reports controller.
   * @default the chart's: 100m CPU, 64 MiB requested, 128 MiB limit
   */
  readonly reportsResources?: AutoscalerResources;
  /**
   * Seconds the API server waits for Kyverno on each request (the ValidatingPolicy allows 1 to 30).
   * @default 10 (Kyverno's own default)
   */
  readonly timeoutSeconds?: number;
}

export const ADMISSION_CONTROLLER_DEFAULTS = {
  mode: "enforce" as AdmissionMode,
  requireImageDigests: false,
  chartVersion: KYVERNO_CHART_VERSION,
  admissionReplicas: 3,
  // kyverno/kyverno@v1.19.0 charts/kyverno/values.yaml admissionController.container.resources, reportsController.resources.
  admissionResources: { cpuMilli: 100, memoryMiB: 128, memoryLimitMiB: 384 },
  reportsResources: { cpuMilli: 100, memoryMiB: 64, memoryLimitMiB: 128 },
  // The ValidatingPolicy CRD, webhookConfiguration.timeoutSeconds: "The default timeout is 10s, the value must be between 1 and 30".
  timeoutSeconds: 10,
} satisfies Partial<AdmissionControllerArgs>;

const COMPONENT = "AdmissionController";
const CHART_VERSION = /^\d+\.\d+\.\d+$/;

/** Namespaces the policies and Kyverno's webhooks never select: Kubernetes', the platform's, Kyverno's. */
export const ADMISSION_EXCLUDED_NAMESPACES: readonly string[] = [...new Set([...RESERVED_NAMESPACES, KYVERNO_NAMESPACE])];

type Resolved = ReturnType<typeof resolve>;
const resolve = (args: AdmissionControllerArgs) => withDefaults(ADMISSION_CONTROLLER_DEFAULTS, args);

function validate(a: Resolved): void {
  const check = (ok: boolean, arg: string, value: unknown, allowed: string) => requireThat(ok, COMPONENT, arg, value, allowed);
  check(ADMISSION_MODES.includes(a.mode), "mode", a.mode, `must be one of ${ADMISSION_MODES.join(", ")}`);
  check(CHART_VERSION.test(a.chartVersion), "chartVersion", a.chartVersion, "must be an exact chart version (major.minor.patch)");
  check(
    Number.isInteger(a.admissionReplicas) && a.admissionReplicas >= 1 && a.admissionReplicas <= 10,
    "admissionReplicas",
    a.admissionReplicas,
    "must be a whole number from 1 to 10",
  );
  for (const arg of ["admissionResources", "reportsResources"] as const) {
    const problem = resourcesProblem(a[arg]);
    check(problem === undefined, arg, a[arg], problem ?? "");
  }
  check(
    Number.isInteger(a.timeoutSeconds) && a.timeoutSeconds >= 1 && a.timeoutSeconds <= 30,
    "timeoutSeconds",
    a.timeoutSeconds,
    "must be a whole number from 1 to 30",
  );
  if (a.allowedRegistries !== undefined) {
    check(
      a.allowedRegistries.length > 0,
      "allowedRegistries",
      a.allowedRegistries,
      "must name at least one registry (leave it undefined for no registry policy)",
    );
    const bad = a.allowedRegistries.filter((r) => !REGISTRY_PREFIX.test(r));
    check(
      bad.length === 0,
      "allowedRegistries",
      bad,
      'must be registry hosts with an optional path, lowercase, without scheme or trailing "/" (such as public.ecr.aws or docker.io/library)',
    );
  }
}

/** Checks args as the constructor does, without declaring anything (throws ComponentArgumentError). */
export function validateAdmissionControllerArgs(args: AdmissionControllerArgs): void {
  validate(resolve(args));
}

export class AdmissionController extends pulumi.ComponentResource {
  readonly release: Release;
  /** The ValidatingPolicies, by name. */
  readonly policies: Readonly<Record<string, CustomResource>>;

  constructor(name: string, args: AdmissionControllerArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = resolve(args);
    validate(a);
    super("highmem:admission:AdmissionController", name, {}, opts);
    const k8s = { parent: this, provider: a.provider };
    // Kyverno's pods meet "restricted" (the chart's security contexts, kyverno-values.ts).
    const namespace = new Namespace(
      `${name}-namespace`,
      {
        metadata: { name: KYVERNO_NAMESPACE, labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/warn": "restricted" } },
      },
      k8s,
    );
    this.release = new Release(
      `${name}-kyverno`,
      {
        name: "kyverno",
        chart: "kyverno",
        repositoryOpts: { repo: "https://kyverno.github.io/kyverno/" },
        version: a.chartVersion,
        namespace: KYVERNO_NAMESPACE,
        atomic: true,
        values: kyvernoValues({
          admissionReplicas: a.admissionReplicas,
          admissionResources: a.admissionResources,
          reportsResources: a.reportsResources,
          excludedNamespaces: ADMISSION_EXCLUDED_NAMESPACES,
        }),
      },
      { ...k8s, dependsOn: [namespace] },
    );
    const objects = admissionPolicies({
      mode: a.mode,
      teamLabel: TEAM_NAMESPACE_LABEL,
      excludedNamespaces: ADMISSION_EXCLUDED_NAMESPACES,
      timeoutSeconds: a.timeoutSeconds,
      requireImageDigests: a.requireImageDigests,
      ...(a.allowedRegistries ? { allowedRegistries: a.allowedRegistries } : {}),
    });
    // After the release: it installs the policies.kyverno.io CRDs, and Helm waits for the admission
    // controller that serves the webhooks these policies configure.
    this.policies = Object.fromEntries(
      objects.map((o) => {
        const policyName = String((o["metadata"] as { name: string }).name);
        const policy = new CustomResource(
          `${name}-${policyName}`,
          { ...o, apiVersion: "policies.kyverno.io/v1", kind: "ValidatingPolicy" },
          { ...k8s, dependsOn: [this.release] },
        );
        return [policyName, policy];
      }),
    );
    this.registerOutputs({});
  }
}
