/**
 * The pod and container checks of the pack, one implementation for every pod it can see: the pod
 * template of a workload object and each pod a Helm release's chart creates (the chart models of
 * components/lib/charts, which the first-deploy simulation reads too). Each check is a small exported
 * predicate so that the admission policies can mirror the same definitions.
 */
import { chartName, chartPods } from "../../components/lib/charts";
import { imageProblem } from "./images";
import { asArray, asRecord, at, type RuleContext, type RuleResource } from "./types";

/** One pod the pack checks: what to call it, its namespace, its spec. */
export interface PodView {
  readonly what: string;
  readonly namespace: string;
  readonly spec: Readonly<Record<string, unknown>>;
  /** Charts only: whether the component calls the Kubernetes API (the model says). */
  readonly usesKubernetesApi?: boolean;
}

/** Workload kinds and where their pod template is. */
export const POD_TEMPLATES: Readonly<Record<string, string>> = {
  "kubernetes:apps/v1:Deployment": "spec.template.spec",
  "kubernetes:apps/v1:StatefulSet": "spec.template.spec",
  "kubernetes:apps/v1:DaemonSet": "spec.template.spec",
  "kubernetes:apps/v1:ReplicaSet": "spec.template.spec",
  "kubernetes:batch/v1:Job": "spec.template.spec",
  "kubernetes:batch/v1:CronJob": "spec.jobTemplate.spec.template.spec",
  "kubernetes:core/v1:Pod": "spec",
};
export const WORKLOAD_TYPES = Object.keys(POD_TEMPLATES);
export const HELM_RELEASE = "kubernetes:helm.sh/v3:Release";

/** The pods a resource creates: a workload's template, or a release's chart pods (none for an unknown chart). */
export function podsOf(r: RuleResource): PodView[] {
  if (r.type === HELM_RELEASE) {
    return (chartPods(r) ?? []).map((p) => ({
      what: `chart ${chartName(r)} ${p.component}`,
      namespace: p.namespace,
      spec: p.spec,
      usesKubernetesApi: p.usesKubernetesApi,
    }));
  }
  const path = POD_TEMPLATES[r.type];
  if (path === undefined) return [];
  return [{ what: r.type.split(":").pop() ?? r.type, namespace: String(at(r.inputs, "metadata.namespace") ?? "default"), spec: asRecord(at(r.inputs, path)) }];
}

export type Container = Record<string, unknown>;
export const containersOf = (spec: Readonly<Record<string, unknown>>): Container[] =>
  [...asArray(spec["containers"]), ...asArray(spec["initContainers"]), ...asArray(spec["ephemeralContainers"])].map(asRecord);

/** A container's effective setting: its own securityContext field, else the pod's. */
const effective = (c: Container, spec: Readonly<Record<string, unknown>>, field: string): unknown =>
  at(c, `securityContext.${field}`) ?? at(spec, `securityContext.${field}`);

/** PSS Restricted "Running as Non-root": runAsNonRoot true on the container or, unset there, on the pod. */
export const runsAsNonRoot = (c: Container, spec: Readonly<Record<string, unknown>>): boolean => effective(c, spec, "runAsNonRoot") === true;

/** PSS Restricted "Privilege Escalation" and Baseline "Privileged Containers": escalation off and not privileged. */
export const escalationBlocked = (c: Container): boolean =>
  at(c, "securityContext.allowPrivilegeEscalation") === false && at(c, "securityContext.privileged") !== true;

/** PSS Restricted "Seccomp": RuntimeDefault or Localhost, on the container or, unset there, on the pod. */
export const seccompConfined = (c: Container, spec: Readonly<Record<string, unknown>>): boolean =>
  ["RuntimeDefault", "Localhost"].includes(String(effective(c, spec, "seccompProfile.type")));

/** The only capability PSS Restricted "Capabilities (v1.22+)" lets a container add back. */
export const RESTRICTED_ADDABLE_CAPABILITIES = ["NET_BIND_SERVICE"];

/** Capabilities a container adds beyond the restricted profile (CAP_ prefixes ignored, as the runtime does). */
export const extraCapabilities = (c: Container): string[] =>
  asArray(at(c, "securityContext.capabilities.add"))
    .map((cap) => String(cap).replace(/^CAP_/, ""))
    .filter((cap) => !RESTRICTED_ADDABLE_CAPABILITIES.includes(cap));

/** PSS Restricted "Capabilities (v1.22+)": drops ALL. */
export const dropsAllCapabilities = (c: Container): boolean => asArray(at(c, "securityContext.capabilities.drop")).includes("ALL");

export const readOnlyRoot = (c: Container): boolean => at(c, "securityContext.readOnlyRootFilesystem") === true;

/** PSS Baseline "Host Namespaces": the host namespaces the pod shares. */
export const sharedHostNamespaces = (spec: Readonly<Record<string, unknown>>): string[] =>
  ["hostNetwork", "hostPID", "hostIPC"].filter((k) => spec[k] === true);

/** PSS Baseline "HostPath Volumes": the pod's hostPath volumes, as name:path. */
export const hostPathVolumes = (spec: Readonly<Record<string, unknown>>): string[] =>
  asArray(spec["volumes"])
    .map(asRecord)
    .filter((v) => v["hostPath"] !== undefined)
    .map((v) => `${String(v["name"])}:${String(at(v, "hostPath.path"))}`);

/** PSS Baseline "Host Ports": the host ports its containers bind (0 or unset binds none). */
export const hostPortsOf = (spec: Readonly<Record<string, unknown>>): number[] =>
  containersOf(spec)
    .flatMap((c) => asArray(c["ports"]).map((p) => Number(at(p, "hostPort") ?? 0)))
    .filter((p) => p > 0);

/**
 * Whether the pod gets a service account token mounted: its own automountServiceAccountToken, else
 * its service account's (which a resource rule cannot see: then mounted, the Kubernetes default).
 */
export const mountsServiceAccountToken = (spec: Readonly<Record<string, unknown>>): boolean => spec["automountServiceAccountToken"] !== false;

/**
 * Whether the pod declares that it needs the token: automountServiceAccountToken explicitly true under
 * a service account of its own (a pod that calls the API has RBAC bound to a named account, never to
 * "default": CIS EKS 4.1.5). A chart pod needs it when its component calls the API.
 */
export const declaresTokenNeed = (pod: PodView): boolean =>
  pod.usesKubernetesApi ??
  (pod.spec["automountServiceAccountToken"] === true && typeof pod.spec["serviceAccountName"] === "string" && pod.spec["serviceAccountName"] !== "default");

/** The pod's namespace is one the stack runs privileged on purpose (RuleContext.privilegedNamespaces). */
export const inPrivilegedNamespace = (pod: PodView, context: RuleContext): boolean => (context.privilegedNamespaces ?? []).includes(pod.namespace);

/** Whether an image names a version: a digest, or a tag other than latest. */
export const imagePinned = (image: string): boolean => {
  if (image.includes("@sha256:")) return true;
  const tag = /:([^/:]+)$/.exec(image)?.[1];
  return tag !== undefined && tag !== "latest";
};

/** A check over one pod: what is wrong with it, or nothing. */
export type PodCheck = (pod: PodView, context: RuleContext) => string | undefined;

/** Names of containers failing a test, as a message, or nothing. */
function failing(pod: PodView, bad: (c: Container) => boolean, what: string): string | undefined {
  const names = containersOf(pod.spec)
    .filter(bad)
    .map((c) => String(c["name"] ?? "?"));
  return names.length > 0 ? `containers ${names.join(", ")}: ${what}` : undefined;
}

const CHECKS = {
  runAsNonRoot: (pod) => failing(pod, (c) => !runsAsNonRoot(c, pod.spec), "runAsNonRoot is not true"),
  readOnlyRoot: (pod) => failing(pod, (c) => !readOnlyRoot(c), "readOnlyRootFilesystem is not true"),
  noPrivilegeEscalation: (pod) => failing(pod, (c) => !escalationBlocked(c), "allowPrivilegeEscalation is not false, or privileged"),
  seccompAndCapabilities: (pod) =>
    failing(pod, (c) => !seccompConfined(c, pod.spec), "seccompProfile is not RuntimeDefault or Localhost") ??
    failing(pod, (c) => !dropsAllCapabilities(c), "capabilities do not drop ALL") ??
    failing(pod, (c) => extraCapabilities(c).length > 0, `capabilities add more than ${RESTRICTED_ADDABLE_CAPABILITIES.join(", ")}`),
  noHostNamespaces: (pod, context) => {
    const shared = sharedHostNamespaces(pod.spec);
    return shared.length > 0 && !inPrivilegedNamespace(pod, context) ? `shares ${shared.join(", ")} outside a privileged namespace` : undefined;
  },
  noHostPathsOrPorts: (pod, context) => {
    if (inPrivilegedNamespace(pod, context)) return undefined;
    const paths = hostPathVolumes(pod.spec);
    const ports = hostPortsOf(pod.spec);
    const found = [...(paths.length > 0 ? [`hostPath volumes ${paths.join(", ")}`] : []), ...(ports.length > 0 ? [`host ports ${ports.join(", ")}`] : [])];
    return found.length > 0 ? `${found.join(" and ")} outside a privileged namespace` : undefined;
  },
  allowedImages: (pod, context) => {
    const problems = containersOf(pod.spec)
      .map((c) => imageProblem(String(c["image"] ?? ""), context))
      .filter((p): p is string => p !== undefined);
    return problems.length > 0 ? problems.join("; ") : undefined;
  },
  pinnedImageTags: (pod) => failing(pod, (c) => !imagePinned(String(c["image"] ?? "")), "image is untagged or :latest"),
  noUnneededToken: (pod) =>
    mountsServiceAccountToken(pod.spec) && !declaresTokenNeed(pod)
      ? pod.usesKubernetesApi === false
        ? "mounts a service account token, but the component does not call the Kubernetes API"
        : "mounts a service account token: set automountServiceAccountToken false, or true under its own service account where it calls the API"
      : undefined,
} satisfies Record<string, PodCheck>;
/** Every pod check, each taking the pod and the rule context. */
export const POD_CHECKS: Readonly<Record<keyof typeof CHECKS, PodCheck>> = CHECKS;

/** Runs a pod check over every pod of a resource, naming the pod in each finding. */
export function checkPods(r: RuleResource, context: RuleContext, check: PodCheck): string | undefined {
  const pods = podsOf(r);
  const problems = pods.map((p) => [p, check(p, context)] as const).filter(([, m]) => m !== undefined);
  if (problems.length === 0) return undefined;
  return r.type === HELM_RELEASE ? problems.map(([p, m]) => `${p.what}: ${m}`).join("; ") : problems.map(([, m]) => m).join("; ");
}
