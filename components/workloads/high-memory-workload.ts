import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { StatefulSet } from "@pulumi/kubernetes/apps/v1/statefulSet";
import { HorizontalPodAutoscaler } from "@pulumi/kubernetes/autoscaling/v2/horizontalPodAutoscaler";
import { Job } from "@pulumi/kubernetes/batch/v1/job";
import { Service } from "@pulumi/kubernetes/core/v1/service";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import { PodDisruptionBudget } from "@pulumi/kubernetes/policy/v1/podDisruptionBudget";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import type * as k8s from "@pulumi/kubernetes/types/input";
import { ComponentArgumentError, requireThat, withDefaults } from "../lib/args";
import type { PoolPlacement } from "../karpenter/pool-presets";
import { HIGH_MEMORY_WORKLOAD_IMAGE } from "../versions";
import { memoryAutoscalerSpec, verticalPodAutoscaler } from "./autoscaling";
import type { Framework } from "./frameworks";
import { highMemoryPodSettings, WorkloadOptionsError, type HighMemoryPodSettings } from "./pod-settings";
import type { ScratchVolume } from "./pod-volumes";
import { mergedTolerations, REFERENCE_PORT, referenceCommand, workloadArgsProblems, type ReadOnlyClaim } from "./workload-args";

export type { ReadOnlyClaim } from "./workload-args";

export interface HighMemoryWorkloadArgs {
  /** Namespace of every object (created by the caller, e.g. a team namespace). */
  readonly namespace: pulumi.Input<string>;
  readonly provider: KubernetesProvider;
  /** Service account of the pods (the team's WorkloadIdentity one, for S3 access). */
  readonly serviceAccountName: string;
  /** Memory request and limit of the container (GiB), `/dev/shm` included. */
  readonly memoryGiB: number;
  /** CPU request and limit (cores). */
  readonly cpu: number;
  /**
   * Kubernetes name of the objects.
   * @default the component's name
   */
  readonly name?: string;
  /**
   * A StatefulSet (long-running workers) or a Job (runs to completion; Pulumi waits for it).
   * @default "StatefulSet"
   */
  readonly kind?: "StatefulSet" | "Job";
  /**
   * Container image, pinned to a version tag or digest.
   * @default HIGH_MEMORY_WORKLOAD_IMAGE (components/versions.ts)
   */
  readonly image?: string;
  /**
   * Container command.
   * @default with the default image, a Python program that prints the size of /dev/shm, /tmp, scratch and each claim (and, in a StatefulSet, then listens on port 8080); otherwise the image's entrypoint
   */
  readonly command?: readonly string[];
  /**
   * Container arguments. With a `command` of your own, the framework's start arguments follow them
   * (Ray: `--object-store-memory=<90% of /dev/shm>`, for a command that is `ray start ...`).
   * @default []
   */
  readonly args?: readonly string[];
  /** Extra environment of the container (after the helper's). @default [] */
  readonly env?: readonly k8s.core.v1.EnvVar[];
  /** Pods: StatefulSet replicas, or a Job's completions run in parallel. @default 1 */
  readonly replicas?: number;
  /** `/dev/shm` (GiB), inside memoryGiB. @default highMemoryPodSettings' default */
  readonly sharedMemoryGiB?: number;
  /** Memory the processes keep beside /dev/shm (GiB). @default highMemoryPodSettings' default */
  readonly minimumProcessMemoryGiB?: number;
  /** Scratch volume (local NVMe emptyDir or EBS generic ephemeral volume). @default none */
  readonly scratch?: ScratchVolume;
  /** Where scratch is mounted. @default "/scratch" */
  readonly scratchPath?: string;
  /** Framework settings to add (Ray, Dask, PyTorch). @default none */
  readonly framework?: Framework;
  /** Capacity type of the nodes. @default "any" */
  readonly capacity?: "any" | "on-demand" | "spot";
  /** Keep Karpenter from disrupting the pods' nodes. @default false */
  readonly doNotDisrupt?: boolean;
  /** User and group of the container. @default DEFAULT_RUN_AS_USER (1000) */
  readonly runAsUser?: number;
  /** Existing claims mounted read-only (e.g. a Mountpoint for Amazon S3 PVC at /data). @default [] */
  readonly readOnlyClaims?: readonly ReadOnlyClaim[];
  /** A pool to land on exactly (`placementOn(pool)`), on top of the high-memory toleration and affinity. @default none */
  readonly placement?: PoolPlacement;
  /** Declare a VerticalPodAutoscaler in recommendation-only mode. @default true */
  readonly verticalPodAutoscaler?: boolean;
  /** Resources the VerticalPodAutoscaler waits for (the VPA CRDs' chart). @default [] */
  readonly verticalPodAutoscalerDependsOn?: pulumi.Input<pulumi.Resource>[];
  /** A memory HorizontalPodAutoscaler (StatefulSet only). @default none */
  readonly memoryAutoscaling?: { readonly minReplicas: number; readonly maxReplicas: number; readonly averageUtilization?: number };
  /**
   * PriorityClass of the pods, such as a team's `team-workload` (components/workloads/priority-classes.ts).
   * @default none (priority 0: the platform declares no global default class)
   */
  readonly priorityClassName?: string;
  /** Readiness probe. @default with the default command in a StatefulSet, TCP on port 8080; otherwise none */
  readonly readinessProbe?: k8s.core.v1.Probe;
  /** Liveness probe. @default as readinessProbe */
  readonly livenessProbe?: k8s.core.v1.Probe;
}

export const HIGH_MEMORY_WORKLOAD_DEFAULTS = {
  kind: "StatefulSet" as "StatefulSet" | "Job",
  image: HIGH_MEMORY_WORKLOAD_IMAGE,
  args: [] as readonly string[],
  env: [] as readonly k8s.core.v1.EnvVar[],
  replicas: 1,
  readOnlyClaims: [] as readonly ReadOnlyClaim[],
  verticalPodAutoscaler: true,
  verticalPodAutoscalerDependsOn: [] as pulumi.Input<pulumi.Resource>[],
} satisfies Partial<HighMemoryWorkloadArgs>;

const COMPONENT = "HighMemoryWorkload";

/**
 * A high-memory workload built only with the workload helpers: Guaranteed QoS on the high-memory
 * pools, `/dev/shm` counted inside the memory limit, optional scratch, read-only data claims,
 * restricted security, a NetworkPolicy admitting only its peers, a PodDisruptionBudget when it
 * has several pods, a VerticalPodAutoscaler in Off mode and optionally a memory HPA.
 */
export class HighMemoryWorkload extends pulumi.ComponentResource {
  /** Kubernetes name of the StatefulSet or Job (and of the other objects). */
  readonly workloadName: string;
  readonly labels: Readonly<Record<string, string>>;
  /** The pod settings the workload was built from (memory budget, volumes, env). */
  readonly settings: HighMemoryPodSettings;
  readonly workload: StatefulSet | Job;

  constructor(name: string, args: HighMemoryWorkloadArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults({ ...HIGH_MEMORY_WORKLOAD_DEFAULTS, name }, args);
    for (const p of workloadArgsProblems(a)) throw new ComponentArgumentError(COMPONENT, p.arg, p.value, p.allowed);
    let settings: HighMemoryPodSettings;
    try {
      settings = highMemoryPodSettings({
        memoryGiB: a.memoryGiB,
        cpu: a.cpu,
        ...(a.capacity !== undefined ? { capacity: a.capacity } : {}),
        ...(a.doNotDisrupt !== undefined ? { doNotDisrupt: a.doNotDisrupt } : {}),
        ...(a.sharedMemoryGiB !== undefined ? { sharedMemoryGiB: a.sharedMemoryGiB } : {}),
        ...(a.minimumProcessMemoryGiB !== undefined ? { minimumProcessMemoryGiB: a.minimumProcessMemoryGiB } : {}),
        ...(a.scratch !== undefined ? { scratch: a.scratch } : {}),
        ...(a.scratchPath !== undefined ? { scratchPath: a.scratchPath } : {}),
        ...(a.framework !== undefined ? { framework: a.framework } : {}),
        ...(a.runAsUser !== undefined ? { runAsUser: a.runAsUser } : {}),
      });
    } catch (e) {
      if (e instanceof WorkloadOptionsError) throw new ComponentArgumentError(COMPONENT, e.option, e.value, e.allowed);
      throw e;
    }
    const mountPaths = settings.volumeMounts.map((m) => m.mountPath as string);
    for (const [i, c] of a.readOnlyClaims.entries())
      requireThat(
        !mountPaths.some((p) => c.mountPath === p || c.mountPath.startsWith(`${p}/`) || p.startsWith(`${c.mountPath}/`)),
        COMPONENT,
        `readOnlyClaims[${i}].mountPath`,
        c.mountPath,
        `must not overlap the pod's own mounts: ${mountPaths.join(", ")}`,
      );
    super("highmem:workloads:HighMemoryWorkload", name, {}, opts);

    const k8sOpts = { parent: this, provider: a.provider };
    const isSts = a.kind === "StatefulSet";
    this.workloadName = a.name;
    this.settings = settings;
    this.labels = { "app.kubernetes.io/name": "high-memory-workload", "app.kubernetes.io/instance": a.name };
    const labels = { ...this.labels };
    const metadata = { name: a.name, namespace: a.namespace, labels };

    const defaultCommand = a.command === undefined && a.image === HIGH_MEMORY_WORKLOAD_IMAGE;
    const claimPaths = a.readOnlyClaims.map((c) => c.mountPath);
    const command = defaultCommand ? referenceCommand(isSts, mountPaths, claimPaths) : a.command;
    const tcpProbe = defaultCommand && isSts ? { tcpSocket: { port: REFERENCE_PORT }, periodSeconds: 15 } : undefined;
    const readinessProbe = a.readinessProbe ?? tcpProbe;
    const livenessProbe = a.livenessProbe ?? a.readinessProbe ?? tcpProbe;
    const container: k8s.core.v1.Container = {
      name: "main",
      image: a.image,
      ...(command ? { command: [...command] } : {}),
      args: [...a.args, ...(defaultCommand ? [] : settings.frameworkArgs)],
      env: [...settings.env, ...a.env],
      resources: settings.resources,
      securityContext: settings.containerSecurityContext,
      volumeMounts: [...settings.volumeMounts, ...a.readOnlyClaims.map((c, i) => ({ name: `claim-${i}`, mountPath: c.mountPath, readOnly: true }))],
      ...(defaultCommand && isSts ? { ports: [{ name: "http", containerPort: REFERENCE_PORT }] } : {}),
      ...(readinessProbe ? { readinessProbe } : {}),
      ...(livenessProbe ? { livenessProbe } : {}),
    };
    const podSpec: k8s.core.v1.PodSpec = {
      serviceAccountName: a.serviceAccountName,
      // Data workloads read S3 through EKS Pod Identity (its own projected token) and never call the
      // Kubernetes API: no service account token (CIS EKS 4.1.6).
      automountServiceAccountToken: false,
      ...(a.priorityClassName !== undefined ? { priorityClassName: a.priorityClassName } : {}),
      securityContext: settings.podSecurityContext,
      enableServiceLinks: false,
      affinity: settings.affinity,
      tolerations: mergedTolerations(settings.tolerations, a.placement),
      ...(a.placement ? { nodeSelector: { ...a.placement.nodeSelector } } : {}),
      ...(isSts ? {} : { restartPolicy: "Never" }),
      containers: [container],
      volumes: [
        ...settings.volumes,
        ...a.readOnlyClaims.map((c, i) => ({ name: `claim-${i}`, persistentVolumeClaim: { claimName: c.claimName, readOnly: true } })),
      ],
    };
    const template = { metadata: { labels, annotations: settings.annotations }, spec: podSpec };

    if (isSts) {
      // The StatefulSet's governing Service: stable DNS names for peers (Ray, Dask workers).
      new Service(`${name}-headless`, { metadata, spec: { clusterIP: "None", publishNotReadyAddresses: true, selector: labels } }, k8sOpts);
      this.workload = new StatefulSet(
        `${name}-sts`,
        {
          metadata,
          spec: {
            serviceName: a.name,
            replicas: a.memoryAutoscaling?.minReplicas ?? a.replicas,
            podManagementPolicy: "Parallel",
            selector: { matchLabels: labels },
            template,
          },
        },
        k8sOpts,
      );
    } else {
      this.workload = new Job(`${name}-job`, { metadata, spec: { completions: a.replicas, parallelism: a.replicas, backoffLimit: 3, template } }, k8sOpts);
    }
    const target = { apiVersion: isSts ? "apps/v1" : "batch/v1", kind: a.kind, name: a.name };

    if (isSts && Math.max(a.replicas, a.memoryAutoscaling?.maxReplicas ?? 0) > 1)
      new PodDisruptionBudget(`${name}-pdb`, { metadata, spec: { maxUnavailable: 1, selector: { matchLabels: labels } } }, k8sOpts);

    // Only the workload's own pods reach it (peers of a Ray or Dask cluster); egress is the namespace's policy.
    new NetworkPolicy(
      `${name}-netpol`,
      { metadata, spec: { podSelector: { matchLabels: labels }, policyTypes: ["Ingress"], ingress: [{ from: [{ podSelector: { matchLabels: labels } }] }] } },
      k8sOpts,
    );

    if (a.verticalPodAutoscaler) {
      const vpa = verticalPodAutoscaler({ name: a.name, namespace: a.namespace, target, containerName: "main", labels });
      new CustomResource(
        `${name}-vpa`,
        { apiVersion: vpa.apiVersion, kind: vpa.kind, metadata: vpa.metadata, spec: vpa.spec },
        { ...k8sOpts, dependsOn: a.verticalPodAutoscalerDependsOn },
      );
    }
    if (a.memoryAutoscaling) new HorizontalPodAutoscaler(`${name}-hpa`, { metadata, spec: memoryAutoscalerSpec({ target, ...a.memoryAutoscaling }) }, k8sOpts);

    this.registerOutputs({});
  }
}
