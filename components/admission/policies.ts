/**
 * The admission policies of team namespaces, as Kyverno ValidatingPolicy objects
 * (policies.kyverno.io/v1, stable since Kyverno 1.17: kyverno.io/docs/policy-types/overview). They
 * check, in CEL, what teams deploy outside Pulumi with the same rules the policy pack applies to the
 * platform's own workloads: each check that mirrors a pack rule names its id and takes the rule's
 * description as its message; checks without a pack rule (the rest of Pod Security "restricted",
 * placement of high-memory pods, the registry allow-list) say what they implement.
 *
 * Expressions use only standard CEL (macros, `has`, `in`, string `startsWith`, `contains`,
 * `endsWith`, `matches`) and `split` from the strings extension, which Kyverno's CEL environment
 * includes (kyverno/kyverno@v1.19.0 pkg/cel/compiler/env.go: ext.Strings version 2), so that the
 * tests evaluate them with an independent CEL implementation. Every field is reached through a
 * `has()` chain: a missing field is never a runtime error (which the webhook would turn into a denial).
 *
 * Expressions reach the pod through `object.spec` and `object.metadata` only: Kyverno's autogen
 * rewrites those prefixes for Deployments, StatefulSets, Jobs, CronJobs, DaemonSets and ReplicaSets
 * (kyverno/kyverno@v1.19.0 pkg/cel/autogen/data.go ReplacementsMap, on by default for every
 * controller: pkg/cel/policies/vpol/autogen/autogen.go), so a team's Deployment is refused at
 * creation rather than its pods failing silently later.
 */
// The pack's rules: pure modules that import no components index (test/admission/controller.test.ts
// keeps it so), or loading the components would run into a cycle here.
import { RULES } from "../../policies/rules";
import { HIGH_MEMORY_LABELS, HIGH_MEMORY_TAINT } from "../karpenter/pool-presets";
import { POOL_ROLE_LABEL } from "../karpenter/pool-kinds";

/** Enforce: refuse the request. Audit: admit, report it in PolicyReports and warn the client. */
export type AdmissionMode = "enforce" | "audit";
export const ADMISSION_MODES: readonly AdmissionMode[] = ["enforce", "audit"];

/** One CEL check of a policy. */
export interface AdmissionCheck {
  /** The policy-pack rule this check mirrors (its id); its description is the message. */
  readonly rule?: string;
  /** Without a pack rule: what the check implements (shown as the message). */
  readonly message?: string;
  readonly expression: string;
}

export interface AdmissionPolicyDefinition {
  /** Name of the ValidatingPolicy. */
  readonly name: string;
  readonly title: string;
  readonly checks: readonly AdmissionCheck[];
  /** Variables of this policy, after the shared ones. */
  readonly variables?: readonly { readonly name: string; readonly expression: string }[];
}

/** What the policies need to know of the platform. */
export interface AdmissionPolicyOptions {
  readonly mode: AdmissionMode;
  /** Label every team namespace carries (its key: TeamNamespace sets it). */
  readonly teamLabel: string;
  /** Namespaces the policies never select, whatever their labels (kube-system, the platform's own). */
  readonly excludedNamespaces: readonly string[];
  /** Registry prefixes images may come from ("docker.io/library", "public.ecr.aws"); none: no registry policy. */
  readonly allowedRegistries?: readonly string[];
  /** Every image must be pinned by a sha256 digest. */
  readonly requireImageDigests?: boolean;
  /** Seconds the API server waits for Kyverno (1 to 30). */
  readonly timeoutSeconds: number;
}

/** A chain of `has()` tests down a dotted path: `has(c.a) && has(c.a.b)`. */
export function present(base: string, path: string): string {
  const parts = path.split(".");
  return parts.map((_, i) => `has(${base}.${parts.slice(0, i + 1).join(".")})`).join(" && ");
}

/** The field's value when present, else the fallback (a CEL literal). */
const orElse = (base: string, path: string, fallback: string) => `((${present(base, path)}) ? ${base}.${path} : ${fallback})`;
const isTrue = (base: string, path: string) => `(${present(base, path)} && ${base}.${path} == true)`;

/** Variables every policy defines (evaluated in order; later ones may use earlier ones). */
export const VARIABLES: readonly { readonly name: string; readonly expression: string }[] = [
  // Init containers too, as the pack rules do; ephemeral containers are added through the
  // pods/ephemeralcontainers subresource, which these policies do not match.
  { name: "containers", expression: `object.spec.containers + ${orElse("object", "spec.initContainers", "[]")}` },
  {
    name: "highMemory",
    expression: `${orElse("object", "spec.tolerations", "[]")}.exists(t, has(t.key) && t.key == "${HIGH_MEMORY_TAINT.key}" && has(t.value) && t.value == "${HIGH_MEMORY_TAINT.value}")`,
  },
  { name: "podSeccomp", expression: orElse("object", "spec.securityContext.seccompProfile.type", '""') },
];

/**
 * Variables that turn each container's image into its normalised name (registry/path, no tag or
 * digest), as Docker resolves a reference (distribution/reference normalize.go, splitDockerDomain):
 * the first component is a registry when the name has more than one and it is "localhost", holds a
 * "." or ":", or is not lowercase; index.docker.io is docker.io; otherwise the image is on Docker Hub,
 * under "library/" when its path has one component. In stages, each a list of string maps, so that
 * no expression repeats another.
 */
export const IMAGE_VARIABLES: readonly { readonly name: string; readonly expression: string }[] = [
  {
    name: "imageParts",
    expression: `variables.containers.map(c, {"d": (has(c.image) ? c.image : "").split("@")[0], "first": (has(c.image) ? c.image : "").split("@")[0].split("/")[0]})`,
  },
  {
    name: "imageDomains",
    expression: (() => {
      const registry = `(p.d.split("/").size() > 1 && (p.first == "localhost" || p.first.contains(".") || p.first.contains(":") || p.first.lowerAscii() != p.first))`;
      return `variables.imageParts.map(p, {"domain": ${registry} ? (p.first == "index.docker.io" ? "docker.io" : p.first) : "docker.io", "rest": ${registry} ? p.d.substring(p.first.size() + 1) : p.d})`;
    })(),
  },
  {
    name: "imageNames",
    expression: (() => {
      const path = `(p.rest.lastIndexOf(":") > p.rest.lastIndexOf("/") ? p.rest.substring(0, p.rest.lastIndexOf(":")) : p.rest)`;
      return `variables.imageDomains.map(p, p.domain + "/" + ((p.domain == "docker.io" && !${path}.contains("/")) ? "library/" : "") + ${path})`;
    })(),
  },
];

const lit = (values: readonly string[]) => `[${values.map((v) => JSON.stringify(v)).join(", ")}]`;
const allContainers = (test: string) => `variables.containers.all(c, ${test})`;
const memoryRequest = "c.resources.requests.memory";

/** Pod Security "restricted": the pack's rules, and the profile's other controls for Linux pods. */
const POD_SECURITY: AdmissionPolicyDefinition = {
  name: "highmem-team-pod-security",
  title: "Pod Security restricted for team pods",
  checks: [
    {
      rule: "k8s-no-privilege-escalation",
      expression: allContainers(
        `${present("c", "securityContext.allowPrivilegeEscalation")} && c.securityContext.allowPrivilegeEscalation == false && !${isTrue("c", "securityContext.privileged")}`,
      ),
    },
    {
      rule: "k8s-run-as-non-root",
      // Per container, its own value or else the pod's (PSS Restricted "Running as Non-root"), as the pack's runsAsNonRoot.
      expression: allContainers(
        `(${present("c", "securityContext.runAsNonRoot")} ? c.securityContext.runAsNonRoot == true : ${isTrue("object", "spec.securityContext.runAsNonRoot")})`,
      ),
    },
    {
      rule: "k8s-restricted-seccomp-capabilities",
      expression: allContainers(
        `${orElse("c", "securityContext.seccompProfile.type", "variables.podSeccomp")} in ["RuntimeDefault", "Localhost"] && ${present("c", "securityContext.capabilities.drop")} && "ALL" in c.securityContext.capabilities.drop && (!(${present("c", "securityContext.capabilities.add")}) || c.securityContext.capabilities.add.all(a, a == "NET_BIND_SERVICE"))`,
      ),
    },
    {
      rule: "k8s-no-host-namespaces",
      expression: ["hostNetwork", "hostPID", "hostIPC"].map((k) => `!${isTrue("object", `spec.${k}`)}`).join(" && "),
    },
    // kubernetes.io/docs/concepts/security/pod-security-standards, Restricted: "Running as Non-root"
    // (a container's own runAsNonRoot: false overrides the pod's), "Running as Non-root user"
    // (runAsUser 0), "Capabilities" (add only NET_BIND_SERVICE), "Volume Types"; Baseline: "Host Ports".
    {
      message: "Pod Security restricted: no container sets runAsNonRoot to false, and neither the pod nor a container runs as user 0.",
      expression: `!(${present("object", "spec.securityContext.runAsUser")} && object.spec.securityContext.runAsUser == 0) && ${allContainers(
        `!(${present("c", "securityContext.runAsNonRoot")} && c.securityContext.runAsNonRoot == false) && !(${present("c", "securityContext.runAsUser")} && c.securityContext.runAsUser == 0)`,
      )}`,
    },
    {
      message: "Pod Security restricted: containers add no capability but NET_BIND_SERVICE.",
      expression: allContainers(`!(${present("c", "securityContext.capabilities.add")}) || c.securityContext.capabilities.add.all(a, a == "NET_BIND_SERVICE")`),
    },
    {
      message:
        "Pod Security restricted: volumes are configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret only (no hostPath).",
      expression: `${orElse("object", "spec.volumes", "[]")}.all(v, ${["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"].map((t) => `has(v.${t})`).join(" || ")})`,
    },
    {
      message: "Pod Security baseline: containers use no host ports.",
      expression: allContainers(`!has(c.ports) || c.ports.all(p, !has(p.hostPort) || p.hostPort == 0)`),
    },
  ],
};

const RESOURCES: AdmissionPolicyDefinition = {
  name: "highmem-team-resources",
  title: "Requests and memory limits for team pods",
  checks: [
    {
      rule: "k8s-requests-and-memory-limits",
      expression: allContainers(
        [present("c", "resources.requests.cpu"), present("c", "resources.requests.memory"), present("c", "resources.limits.memory")].join(" && "),
      ),
    },
  ],
};

const onHighMemory = (test: string) => `!variables.highMemory || (${test})`;
const nodeTerms = "object.spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms";
const role = { key: POOL_ROLE_LABEL, value: HIGH_MEMORY_LABELS[POOL_ROLE_LABEL] };

const HIGH_MEMORY: AdmissionPolicyDefinition = {
  name: "highmem-team-high-memory-pods",
  title: "High-memory team pods: Guaranteed, on the high-memory pools",
  checks: [
    {
      rule: "k8s-high-memory-guaranteed",
      // As the pack rule: a memory request equal to the limit, or neither set.
      expression: onHighMemory(
        allContainers(
          `(${present("c", "resources.requests.memory")}) ? (${present("c", "resources.limits.memory")} && c.resources.limits.memory == ${memoryRequest}) : !(${present("c", "resources.limits.memory")})`,
        ),
      ),
    },
    {
      // Kubernetes docs, Pod Quality of Service Classes, Guaranteed: every container has a cpu and a
      // memory limit, each equal to its request.
      message: "Pods that tolerate the high-memory taint are Guaranteed: every container's cpu request equals its cpu limit.",
      expression: onHighMemory(
        allContainers(
          `${present("c", "resources.limits.cpu")} && ${present("c", "resources.requests.cpu")} && c.resources.requests.cpu == c.resources.limits.cpu`,
        ),
      ),
    },
    {
      // Tolerating the taint only allows the pool; the pod lands there only if it requires the pool's
      // role label (Kubernetes docs, Taints and Tolerations: a toleration does not attract a pod).
      message: `Pods that tolerate the high-memory taint require the high-memory pools: nodeSelector ${role.key}: ${role.value}, or a required node affinity whose every term selects ${role.key} In [${role.value}].`,
      expression: onHighMemory(
        `(${present("object", "spec.nodeSelector")} && "${role.key}" in object.spec.nodeSelector && object.spec.nodeSelector["${role.key}"] == "${role.value}") || (${present("object", "spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms")} && ${nodeTerms}.size() > 0 && ${nodeTerms}.all(t, has(t.matchExpressions) && t.matchExpressions.exists(e, e.key == "${role.key}" && e.operator == "In" && has(e.values) && e.values.size() > 0 && e.values.all(v, v == "${role.value}"))))`,
      ),
    },
  ],
};

function imagesPolicy(allowedRegistries: readonly string[] | undefined, requireImageDigests: boolean): AdmissionPolicyDefinition {
  const checks: AdmissionCheck[] = [
    {
      rule: "k8s-pinned-image-tags",
      expression: allContainers(`has(c.image) && (c.image.contains("@sha256:") || (c.image.matches(":[^/:]+$") && !c.image.endsWith(":latest")))`),
    },
  ];
  if (allowedRegistries !== undefined) {
    checks.push({
      message: `Images come from the allowed registries only: ${allowedRegistries.join(", ")} (a name without a registry is on docker.io).`,
      expression: `${allContainers(`has(c.image) && c.image != ""`)} && variables.imageNames.all(n, ${lit(allowedRegistries)}.exists(r, n == r || n.startsWith(r + "/")))`,
    });
  }
  if (requireImageDigests) {
    // OCI image spec, descriptor digests: sha256 and 64 lowercase hex digits.
    checks.push({ message: "Images are pinned by a sha256 digest.", expression: allContainers(`has(c.image) && c.image.matches("@sha256:[a-f0-9]{64}$")`) });
  }
  return { name: "highmem-team-images", title: "Images of team pods", checks, ...(allowedRegistries !== undefined ? { variables: IMAGE_VARIABLES } : {}) };
}

/** The policies, as definitions (the tests evaluate their checks). */
export function admissionPolicyDefinitions(allowedRegistries?: readonly string[], requireImageDigests = false): readonly AdmissionPolicyDefinition[] {
  return [POD_SECURITY, RESOURCES, HIGH_MEMORY, imagesPolicy(allowedRegistries, requireImageDigests)];
}

/** The message of a check: its pack rule's description (with the id), or its own. */
export function checkMessage(check: AdmissionCheck): string {
  if (check.rule === undefined) return check.message ?? "";
  const rule = RULES.find((r) => r.id === check.rule);
  if (!rule) throw new Error(`admission check mirrors policy-pack rule "${check.rule}", which the pack does not have`);
  return `${rule.description} (policy-pack rule ${rule.id})`;
}

/** A registry prefix as the allow-list takes it: a host (with port) and optional path, no scheme, tag or trailing slash. */
export const REGISTRY_PREFIX = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/;

/** The ValidatingPolicy objects (apiVersion, kind, metadata, spec), ready for a CustomResource. */
export function admissionPolicies(o: AdmissionPolicyOptions): Record<string, unknown>[] {
  return admissionPolicyDefinitions(o.allowedRegistries, o.requireImageDigests === true).map((p) => ({
    apiVersion: "policies.kyverno.io/v1",
    kind: "ValidatingPolicy",
    metadata: {
      name: p.name,
      annotations: { "policies.kyverno.io/title": p.title },
      labels: { "app.kubernetes.io/managed-by": "pulumi", "app.kubernetes.io/part-of": "highmem-platform" },
    },
    spec: {
      // Enforce fails closed: a request Kyverno cannot evaluate (unreachable, timed out, an expression
      // error) is refused. Kyverno gives the webhook of a policy its failurePolicy and its
      // namespaceSelector merged with the chart's (kyverno/kyverno@v1.19.0 pkg/controllers/webhook/validating.go,
      // resolveNamespaceSelector), so the API server calls Kyverno for team namespaces only and an
      // outage blocks only new team pods, never kube-system or the platform. Audit never blocks.
      failurePolicy: o.mode === "enforce" ? "Fail" : "Ignore",
      validationActions: o.mode === "enforce" ? ["Deny"] : ["Audit", "Warn"],
      webhookConfiguration: { timeoutSeconds: o.timeoutSeconds },
      // Existing pods are rescanned by the reports controller and reported in PolicyReports.
      evaluation: { admission: { enabled: true }, background: { enabled: true } },
      matchConstraints: {
        resourceRules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE", "UPDATE"], resources: ["pods"] }],
        namespaceSelector: {
          matchExpressions: [
            { key: o.teamLabel, operator: "Exists" },
            { key: "kubernetes.io/metadata.name", operator: "NotIn", values: [...o.excludedNamespaces] },
          ],
        },
      },
      variables: [...VARIABLES, ...(p.variables ?? [])].map((v) => ({ ...v })),
      validations: p.checks.map((c) => ({ expression: c.expression, message: checkMessage(c) })),
    },
  }));
}
