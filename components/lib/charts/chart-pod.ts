/**
 * The pods a Helm release of one of the platform's pinned charts creates, rendered from the release's
 * values over the chart's defaults at its tag the way its templates read them. Pure (no SDK): the
 * first-deploy simulation (scheduling) and the policy pack (security) read the same model.
 */
import { at, coalesce, isObject, objectAt, str } from "../values";

/** What the model reads of a release: the inputs of a kubernetes:helm.sh/v3:Release. */
export interface ReleaseLike {
  readonly inputs: Readonly<Record<string, unknown>>;
}

/** One pod (template) a chart creates. */
export interface ChartPod {
  /** The chart's component ("controller", "node-exporter", "admission-create Job (pre-install hook)"). */
  readonly component: string;
  readonly namespace: string;
  /** Whether Helm waits for it (a Deployment, DaemonSet or hook Job of the release), or only a controller creates it. */
  readonly awaited: boolean;
  readonly daemon: boolean;
  /** Storage classes of the volume claims a controller adds (a StatefulSet's claim templates). */
  readonly storageClasses: readonly string[];
  /**
   * Whether the component calls the Kubernetes API (a controller, operator, webhook certificate job
   * or a watching sidecar), and so needs its service account token.
   */
  readonly usesKubernetesApi: boolean;
  /**
   * The pod spec (core/v1 PodSpec fields): scheduling (nodeSelector, tolerations, affinity), the first
   * container's resources, and the security-relevant fields (securityContext, hostNetwork, hostPID,
   * hostIPC, automountServiceAccountToken, hostPath volumes, containers' images, securityContext
   * and host ports).
   */
  readonly spec: Readonly<Record<string, unknown>>;
}

/** The chart's name whatever the reference: "oci://public.ecr.aws/karpenter/karpenter" -> "karpenter". */
export function chartName(release: ReleaseLike): string {
  return (str(release.inputs["chart"]) ?? "").split("/").pop() ?? "";
}

export const valuesOf = (release: ReleaseLike): unknown => release.inputs["values"] ?? {};
export const namespaceOf = (release: ReleaseLike): string => str(release.inputs["namespace"]) ?? "default";

/** A container of a chart pod: name, image, resources and securityContext (and host ports, if any). */
export interface ChartContainer {
  readonly name: string;
  readonly image: string;
  readonly resources?: unknown;
  readonly securityContext?: unknown;
  readonly ports?: readonly { readonly containerPort: number; readonly hostPort?: number }[];
}

/** The pod of a chart component: scheduling read at one values path, security fields given. */
export function chartPod(
  release: ReleaseLike,
  component: string,
  scheduling: unknown,
  o: {
    readonly awaited: boolean;
    readonly daemon?: boolean;
    readonly storageClasses?: readonly string[];
    readonly serviceAccount?: string;
    readonly usesKubernetesApi: boolean;
    readonly namespace?: string;
    readonly containers: readonly ChartContainer[];
    readonly initContainers?: readonly ChartContainer[];
    readonly securityContext?: unknown;
    readonly hostNetwork?: unknown;
    readonly hostPID?: unknown;
    readonly hostIPC?: unknown;
    readonly automountServiceAccountToken?: unknown;
    readonly hostPaths?: readonly { readonly name: string; readonly path: string }[];
  },
): ChartPod {
  const spec: Record<string, unknown> = {
    nodeSelector: at(scheduling, "nodeSelector") ?? {},
    tolerations: at(scheduling, "tolerations") ?? [],
    affinity: at(scheduling, "affinity") ?? {},
    serviceAccountName: o.serviceAccount,
    containers: o.containers.map((c) => ({ ...c, resources: c.resources ?? {} })),
    initContainers: (o.initContainers ?? []).map((c) => ({ ...c, resources: c.resources ?? {} })),
    securityContext: isObject(o.securityContext) ? o.securityContext : {},
    hostNetwork: o.hostNetwork === true,
    hostPID: o.hostPID === true,
    hostIPC: o.hostIPC === true,
    volumes: (o.hostPaths ?? []).map((v) => ({ name: v.name, hostPath: { path: v.path } })),
  };
  // Absent: the service account's own setting decides (core/v1 PodSpec.automountServiceAccountToken).
  if (typeof o.automountServiceAccountToken === "boolean") spec["automountServiceAccountToken"] = o.automountServiceAccountToken;
  return {
    component,
    namespace: o.namespace ?? namespaceOf(release),
    awaited: o.awaited,
    daemon: o.daemon ?? false,
    storageClasses: o.storageClasses ?? [],
    usesKubernetesApi: o.usesKubernetesApi,
    spec,
  };
}

/**
 * An image from the registry/repository/tag/digest values most charts use; `tag` falls back to the
 * chart's app version as its templates do, `registry` to the chart's global override when set.
 */
export function imageOf(image: unknown, o: { readonly defaultTag: string; readonly globalRegistry?: unknown; readonly digestKey?: "sha" | "digest" }): string {
  const registry = str(o.globalRegistry) || str(at(image, "registry")) || "";
  const repository = str(at(image, "repository")) ?? "";
  const tag = str(at(image, "tag")) || o.defaultTag;
  const digest = str(at(image, o.digestKey ?? "sha")) ?? "";
  const name = registry ? `${registry}/${repository}` : repository;
  if (digest === "") return `${name}:${tag}`;
  return `${name}:${tag}@${digest.startsWith("sha256:") ? digest : `sha256:${digest}`}`;
}

/** The chart's defaults under the release's values, the way Helm coalesces them. */
export const withDefaults = (defaults: unknown, release: ReleaseLike): unknown => coalesce(defaults, valuesOf(release));

export { at, isObject, objectAt, str };
