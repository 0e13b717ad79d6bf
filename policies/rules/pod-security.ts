/**
 * Pod security, for workload objects (family kubernetes) and for the pods Helm releases create
 * (family charts): one pod check (pod-checks.ts), two rules, so that a chart pod is held to the same
 * definition as a pod of the platform's own.
 */
import { checkPods, HELM_RELEASE, POD_CHECKS, WORKLOAD_TYPES, type PodCheck } from "./pod-checks";
import { chartName, chartPods } from "../../components/lib/charts";
import { PRIVILEGED_REASON_ANNOTATION } from "../../components/lib/pod-security";
import { asRecord, at, type ResourceRule, type RuleSource } from "./types";

interface PodRule {
  readonly check: PodCheck;
  /** Rule id for workload objects; the chart rule's id is the same with "chart-" for "k8s-". */
  readonly id: string;
  readonly description: string;
  readonly sources: readonly RuleSource[];
  /** Charts are not held to it (the reason is in the README's unchecked list). */
  readonly workloadsOnly?: boolean;
}

const PSS = (control: string): RuleSource => ({ standard: "pss", control });
const CKV = (id: string): RuleSource => ({ standard: "checkov", control: id });
const CIS = (id: string): RuleSource => ({ standard: "cis-eks", control: id });

/**
 * Controls as kube-bench cfg/eks-1.8.0 (and eks-1.7.0) number them; PSS control titles as
 * kubernetes/website content/en/docs/concepts/security/pod-security-standards.md names them; Checkov
 * ids from bridgecrewio/checkov checkov/kubernetes/checks/resource/k8s; KICS ids from
 * Checkmarx/kics assets/queries/k8s/<query>/metadata.json.
 */
const POD_RULES: readonly PodRule[] = [
  {
    check: POD_CHECKS.runAsNonRoot,
    id: "k8s-run-as-non-root",
    description: "Containers run as non-root users (runAsNonRoot true on the container or the pod).",
    sources: [PSS("Restricted: Running as Non-root"), CKV("CKV_K8S_23")],
  },
  {
    check: POD_CHECKS.readOnlyRoot,
    id: "k8s-read-only-root-filesystem",
    description: "Containers have a read-only root filesystem.",
    sources: [CKV("CKV_K8S_22"), { standard: "nsa-cisa", control: "Kubernetes Pod security: Immutable container file systems" }],
    workloadsOnly: true,
  },
  {
    check: POD_CHECKS.noPrivilegeEscalation,
    id: "k8s-no-privilege-escalation",
    description: "Containers cannot gain privileges: allowPrivilegeEscalation false, never privileged.",
    sources: [
      CIS("4.2.1"),
      CIS("4.2.5"),
      PSS("Baseline: Privileged Containers"),
      PSS("Restricted: Privilege Escalation (v1.8+)"),
      CKV("CKV_K8S_16"),
      CKV("CKV_K8S_20"),
      { standard: "kics", control: "dd29336b-fe57-445b-a26e-e6aa867ae609 (Container Is Privileged)" },
    ],
  },
  {
    check: POD_CHECKS.seccompAndCapabilities,
    id: "k8s-restricted-seccomp-capabilities",
    description: "Containers run under the RuntimeDefault (or a Localhost) seccomp profile, drop every capability and add back none but NET_BIND_SERVICE.",
    sources: [PSS("Restricted: Seccomp (v1.19+)"), PSS("Restricted: Capabilities (v1.22+)"), CKV("CKV_K8S_31"), CKV("CKV_K8S_37"), CKV("CKV_K8S_25")],
  },
  {
    check: POD_CHECKS.noHostNamespaces,
    id: "k8s-no-host-namespaces",
    description: "Pods share no host namespace (network, PID, IPC), except in a namespace the stack runs privileged with a reason.",
    sources: [
      CIS("4.2.2"),
      CIS("4.2.3"),
      CIS("4.2.4"),
      PSS("Baseline: Host Namespaces"),
      CKV("CKV_K8S_17"),
      CKV("CKV_K8S_18"),
      CKV("CKV_K8S_19"),
      { standard: "kics", control: "6b6bdfb3-c3ae-44cb-88e4-7405c1ba2c8a (Shared Host Network Namespace)" },
    ],
  },
  {
    check: POD_CHECKS.noHostPathsOrPorts,
    id: "k8s-no-host-paths-or-ports",
    description: "Pods mount no hostPath volume and bind no host port, except in a namespace the stack runs privileged with a reason.",
    sources: [PSS("Baseline: HostPath Volumes"), PSS("Baseline: Host Ports"), CKV("CKV_K8S_26")],
  },
  {
    check: POD_CHECKS.allowedImages,
    id: "k8s-allowed-images",
    description:
      "Images come from an allowed registry (config imageRegistries, by default the platform's own) and, where config requireImageDigests says so, are pinned by a sha256 digest.",
    sources: [CIS("5.1.4"), CKV("CKV_K8S_43"), { standard: "kics", control: "7c81d34c-8e5a-402b-9798-9f442630e678 (Image Without Digest)" }],
  },
  {
    check: POD_CHECKS.pinnedImageTags,
    id: "k8s-pinned-image-tags",
    description: "Images are pinned to a version tag or digest, never latest or untagged.",
    sources: [CKV("CKV_K8S_14"), { standard: "eks-best-practices", control: "Image security: use immutable tags" }],
  },
  {
    check: POD_CHECKS.noUnneededToken,
    id: "k8s-no-unneeded-token",
    description:
      "Pods mount a service account token only where they call the Kubernetes API: automountServiceAccountToken false, or true under a service account of their own (chart pods: per the chart model's components). EKS Pod Identity credentials do not need it.",
    sources: [
      CIS("4.1.6"),
      CKV("CKV_K8S_38"),
      { standard: "kics", control: "48471392-d4d0-47c0-b135-cdec95eb3eef (Service Account Token Automount Not Disabled)" },
    ],
  },
];

const chartId = (id: string) => id.replace(/^k8s-/, "chart-");

export const POD_SECURITY_RULES: readonly ResourceRule[] = [
  ...POD_RULES.map((p): ResourceRule => ({
    kind: "resource",
    id: p.id,
    enforcementLevel: "mandatory",
    family: "kubernetes",
    sources: p.sources,
    resourceTypes: WORKLOAD_TYPES,
    description: p.description,
    check: (r, context) => checkPods(r, context, p.check),
  })),
  ...POD_RULES.filter((p) => !p.workloadsOnly).map((p): ResourceRule => ({
    kind: "resource",
    id: chartId(p.id),
    enforcementLevel: "mandatory",
    family: "charts",
    sources: p.sources,
    resourceTypes: [HELM_RELEASE],
    description: `Pods of Helm releases, from the chart's defaults at its pinned tag under the release's values: ${p.description[0]!.toLowerCase()}${p.description.slice(1)}`,
    check: (r, context) => checkPods(r, context, p.check),
  })),
  {
    kind: "resource",
    id: "chart-pods-modelled",
    enforcementLevel: "mandatory",
    family: "charts",
    sources: [{ standard: "kubernetes-docs", control: "Pod Security Standards: the pods a controller creates are checked like any other" }],
    resourceTypes: [HELM_RELEASE],
    description: "Every Helm release's chart has a pod model (components/lib/charts), so that no chart's pods pass unchecked.",
    check: (r) => (chartPods(r) === undefined ? `chart ${JSON.stringify(chartName(r))} has no pod model: its pods cannot be checked` : undefined),
  },
  {
    kind: "resource",
    id: "k8s-privileged-namespace-reason",
    enforcementLevel: "mandatory",
    family: "kubernetes",
    sources: [
      PSS("Privileged (system- and infrastructure-level workloads)"),
      { standard: "kubernetes-docs", control: "Pod Security Admission: namespace labels (no enforce label = privileged)" },
    ],
    resourceTypes: ["kubernetes:core/v1:Namespace"],
    description: `A namespace that enforces neither the restricted nor the baseline Pod Security level is one the stack runs privileged on purpose (config) and says why in its ${PRIVILEGED_REASON_ANNOTATION} annotation.`,
    check: (r, context) => {
      const enforce = asRecord(at(r.inputs, "metadata.labels"))["pod-security.kubernetes.io/enforce"];
      if (enforce === "restricted" || enforce === "baseline") return undefined;
      const name = String(at(r.inputs, "metadata.name") ?? "");
      const reason = asRecord(at(r.inputs, "metadata.annotations"))[PRIVILEGED_REASON_ANNOTATION];
      const level = enforce === undefined ? "no enforce label (privileged)" : `enforce=${String(enforce)}`;
      if (!(context.privilegedNamespaces ?? []).includes(name)) return `namespace ${name} has ${level} but is not one the stack runs privileged on purpose`;
      return typeof reason === "string" && reason.trim().length >= 10
        ? undefined
        : `namespace ${name} has ${level} without a ${PRIVILEGED_REASON_ANNOTATION} annotation`;
    },
  },
];

export { PRIVILEGED_REASON_ANNOTATION };
