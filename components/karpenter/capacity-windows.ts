/**
 * Capacity windows in the cluster. Per stack: a namespace (Pod Security restricted), placeholders
 * at the platform's negative PriorityClass (workloads/priority-classes.ts: every real pod preempts a
 * placeholder; placeholders preempt nothing), a NetworkPolicy that isolates the placeholders. Per window: a Deployment of pause pods sized to the
 * window's shape on its pool (replicas 0 at rest), two CronJobs that run `kubectl scale` at
 * start - lead and end + drain in the window's time zone, the ServiceAccount, Role and RoleBinding
 * they use (that Deployment only), and the window's recording rules (window-rules.ts).
 *
 * CronJob `spec.timeZone` is stable since Kubernetes 1.27 (KEP-3140; kubernetes.io "CronJob",
 * "Time zones"): the controller reads the schedule in that IANA zone, daylight saving included.
 * KEDA's cron scaler would do the same; it is not installed here, so the CronJob pair does.
 */
import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { Deployment } from "@pulumi/kubernetes/apps/v1/deployment";
import { CronJob } from "@pulumi/kubernetes/batch/v1/cronJob";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { ServiceAccount } from "@pulumi/kubernetes/core/v1/serviceAccount";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import { Role } from "@pulumi/kubernetes/rbac/v1/role";
import { RoleBinding } from "@pulumi/kubernetes/rbac/v1/roleBinding";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { KUBECTL_IMAGE, PAUSE_IMAGE } from "../versions";
import { requireThat, withDefaults } from "../lib/args";
import { capacityWindowRuleGroup } from "../monitoring/window-rules";
import { heldHours, startsPerMonth, windowSchedules, type CapacityWindow } from "./capacity-window";
import type { PoolPlacement } from "./pool-presets";
import { PRIORITY_CLASSES } from "../workloads/priority-classes";

export interface CapacityWindowsArgs {
  readonly provider: KubernetesProvider;
  /** The windows, each with the placement of its pool (placementOn). */
  readonly windows: readonly (CapacityWindow & { readonly placement: PoolPlacement })[];
  /** Where the scaling CronJobs' pods run (an untainted pool). */
  readonly jobPlacement: PoolPlacement;
  /**
   * Namespace the component creates and owns.
   * @default "capacity"
   */
  readonly namespace?: string;
  /**
   * PriorityClass of the placeholders: the platform's negative class (declared once, by
   * PriorityClasses), so that any real pod preempts them. Declare it before the windows.
   * @default "capacity-placeholder"
   */
  readonly priorityClassName?: string;
  /**
   * Resources the PrometheusRule must wait for (the prometheus-operator CRDs).
   * @default []
   */
  readonly monitoringDependsOn?: pulumi.Input<pulumi.Resource>[];
}

export const CAPACITY_WINDOWS_DEFAULTS = {
  namespace: "capacity",
  priorityClassName: PRIORITY_CLASSES.placeholder.name,
  monitoringDependsOn: [],
} satisfies Partial<CapacityWindowsArgs>;

/** Annotations the cost model reads from a placeholder Deployment. */
export const WINDOW_ANNOTATIONS = {
  startsPerMonth: "capacity.highmem.io/starts-per-month",
  heldHours: "capacity.highmem.io/held-hours-per-start",
  pool: "capacity.highmem.io/pool",
  pods: "capacity.highmem.io/reserved-pods",
} as const;

const COMPONENT = "CapacityWindows";
const RESTRICTED_CONTAINER = {
  allowPrivilegeEscalation: false,
  readOnlyRootFilesystem: true,
  runAsNonRoot: true,
  capabilities: { drop: ["ALL"] },
  seccompProfile: { type: "RuntimeDefault" },
};

export class CapacityWindows extends pulumi.ComponentResource {
  readonly namespaceName: string;
  readonly priorityClassName: string;
  /** Placeholder Deployments by window name. */
  readonly deployments: Readonly<Record<string, Deployment>>;

  constructor(name: string, args: CapacityWindowsArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(CAPACITY_WINDOWS_DEFAULTS, args);
    requireThat(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(a.priorityClassName),
      COMPONENT,
      "priorityClassName",
      a.priorityClassName,
      "must be a PriorityClass name (lowercase letters, digits, hyphens)",
    );
    const names = a.windows.map((w) => w.name);
    requireThat(new Set(names).size === names.length, COMPONENT, "windows", names, "must have unique names");
    for (const w of a.windows) {
      const s = windowSchedules(w);
      requireThat(!("error" in s), COMPONENT, `windows.${w.name}.start`, w.start, "error" in s ? s.error : "");
      requireThat(w.pods > 0 && w.memoryGiB > 0 && w.cpu > 0, COMPONENT, `windows.${w.name}`, w.pods, "pods, memoryGiB and cpu must be above 0");
    }
    super("highmem:karpenter:CapacityWindows", name, {}, opts);
    const k8s = { parent: this, provider: a.provider };
    const ns = new Namespace(
      `${name}-namespace`,
      { metadata: { name: a.namespace, labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted" } } },
      k8s,
    );
    const inNs = { ...k8s, dependsOn: [ns] };
    this.namespaceName = a.namespace;
    this.priorityClassName = a.priorityClassName;
    const placeholderLabel = { "app.kubernetes.io/component": "capacity-placeholder" };
    // Placeholders talk to nobody: no ingress, no egress.
    new NetworkPolicy(
      `${name}-isolate`,
      {
        metadata: { name: "placeholders-isolated", namespace: a.namespace },
        spec: { podSelector: { matchLabels: placeholderLabel }, policyTypes: ["Ingress", "Egress"] },
      },
      inNs,
    );

    const deployments: Record<string, Deployment> = {};
    for (const w of a.windows) {
      const deploymentName = `${w.name}-placeholders`;
      const labels = { ...placeholderLabel, "capacity.highmem.io/window": w.name };
      const quantity = { cpu: String(w.cpu), memory: `${w.memoryGiB}Gi` };
      const deployment = new Deployment(
        `${name}-${w.name}`,
        {
          metadata: {
            name: deploymentName,
            namespace: a.namespace,
            labels,
            annotations: {
              [WINDOW_ANNOTATIONS.startsPerMonth]: String(Math.round(startsPerMonth(w) * 1000) / 1000),
              [WINDOW_ANNOTATIONS.heldHours]: String(heldHours(w)),
              [WINDOW_ANNOTATIONS.pool]: w.pool,
              [WINDOW_ANNOTATIONS.pods]: String(w.pods),
            },
          },
          spec: {
            // At rest: the CronJobs scale to w.pods at start - lead and back to 0 at end + drain.
            replicas: 0,
            selector: { matchLabels: labels },
            template: {
              metadata: { labels },
              spec: {
                priorityClassName: this.priorityClassName,
                terminationGracePeriodSeconds: 0,
                automountServiceAccountToken: false,
                nodeSelector: { ...w.placement.nodeSelector },
                tolerations: w.placement.tolerations.map((t) => ({ ...t })),
                securityContext: { runAsNonRoot: true, runAsUser: 65535, runAsGroup: 65535, seccompProfile: { type: "RuntimeDefault" } },
                containers: [
                  {
                    name: "pause",
                    image: PAUSE_IMAGE,
                    resources: { requests: quantity, limits: quantity },
                    securityContext: RESTRICTED_CONTAINER,
                    // The image holds only /pause, which prints its version and exits 0 on -v
                    // (kubernetes/kubernetes build/pause/linux/pause.c).
                    readinessProbe: { exec: { command: ["/pause", "-v"] }, periodSeconds: 30 },
                    livenessProbe: { exec: { command: ["/pause", "-v"] }, periodSeconds: 60 },
                  },
                ],
              },
            },
          },
        },
        // The CronJobs own spec.replicas between deploys: a `pulumi up` during a window must not reset it.
        { ...k8s, dependsOn: [ns], ignoreChanges: ["spec.replicas"] },
      );
      deployments[w.name] = deployment;
      this.scaler(name, w, { deployment: deploymentName, namespace: a.namespace, placement: a.jobPlacement, provider: a.provider }, [ns, deployment]);
    }
    this.deployments = deployments;

    if (a.windows.length > 0) {
      const group = capacityWindowRuleGroup(
        a.windows.map((w) => ({
          window: w.name,
          namespace: a.namespace,
          deployment: `${w.name}-placeholders`,
          scaleUpCronJob: `${w.name}-scale-up`,
          nodepool: w.pool,
          leadMinutes: w.leadMinutes,
          durationMinutes: w.durationMinutes,
          pods: w.pods,
          memoryGiB: w.memoryGiB,
        })),
      );
      new CustomResource(
        `${name}-rules`,
        {
          apiVersion: "monitoring.coreos.com/v1",
          kind: "PrometheusRule",
          metadata: { name: "capacity-windows", namespace: a.namespace },
          spec: { groups: [{ name: group.name, rules: group.rules.map((r) => ({ ...r })) }] },
        },
        { ...k8s, dependsOn: [ns, ...a.monitoringDependsOn] },
      );
    }
    this.registerOutputs({ namespaceName: this.namespaceName, priorityClassName: this.priorityClassName });
  }

  /** The scale-up and scale-down CronJobs of a window, and the account that may scale its Deployment only. */
  private scaler(
    name: string,
    w: CapacityWindow,
    target: { deployment: string; namespace: string; placement: PoolPlacement; provider: KubernetesProvider },
    after: pulumi.Resource[],
  ): void {
    const { deployment, namespace, placement, provider } = target;
    const opts = (dependsOn: pulumi.Input<pulumi.Resource>[]) => ({ parent: this, provider, dependsOn });
    const schedules = windowSchedules(w) as { up: string; down: string };
    const account = `${w.name}-scaler`;
    const sa = new ServiceAccount(`${name}-${w.name}-scaler`, { metadata: { name: account, namespace } }, opts(after));
    // kubectl scale reads the Deployment (its resource builder GETs the object) and then patches
    // the scale subresource: nothing else, and this Deployment only.
    const role = new Role(
      `${name}-${w.name}-scaler`,
      {
        metadata: { name: account, namespace },
        rules: [
          { apiGroups: ["apps"], resources: ["deployments"], resourceNames: [deployment], verbs: ["get"] },
          { apiGroups: ["apps"], resources: ["deployments/scale"], resourceNames: [deployment], verbs: ["get", "patch"] },
        ],
      },
      opts(after),
    );
    const binding = new RoleBinding(
      `${name}-${w.name}-scaler`,
      {
        metadata: { name: account, namespace },
        roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: account },
        subjects: [{ kind: "ServiceAccount", name: account, namespace }],
      },
      opts([sa, role]),
    );
    for (const [phase, schedule, replicas] of [
      ["scale-up", schedules.up, w.pods],
      ["scale-down", schedules.down, 0],
    ] as const) {
      new CronJob(
        `${name}-${w.name}-${phase}`,
        {
          metadata: { name: `${w.name}-${phase}`, namespace, labels: { "capacity.highmem.io/window": w.name } },
          spec: {
            schedule,
            timeZone: w.timeZone,
            concurrencyPolicy: "Forbid",
            // A scale missed by more than 10 minutes is not run late (the readiness alert reports it).
            startingDeadlineSeconds: 600,
            successfulJobsHistoryLimit: 1,
            failedJobsHistoryLimit: 3,
            jobTemplate: {
              spec: {
                backoffLimit: 3,
                ttlSecondsAfterFinished: 86400,
                template: {
                  metadata: { labels: { "capacity.highmem.io/window": w.name, "capacity.highmem.io/phase": phase } },
                  spec: {
                    serviceAccountName: account,
                    // kubectl scale calls the API as this account (its Role and RoleBinding below): the one
                    // platform pod that needs its token, said explicitly (policy k8s-no-unneeded-token).
                    automountServiceAccountToken: true,
                    restartPolicy: "Never",
                    nodeSelector: { ...placement.nodeSelector },
                    tolerations: placement.tolerations.map((t) => ({ ...t })),
                    securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
                    containers: [
                      {
                        name: "kubectl",
                        image: KUBECTL_IMAGE,
                        command: ["kubectl", "scale", `deployment/${deployment}`, `--namespace=${namespace}`, `--replicas=${replicas}`],
                        // kubectl writes its discovery cache under $HOME; the root filesystem is read-only.
                        env: [{ name: "HOME", value: "/tmp" }],
                        volumeMounts: [{ name: "tmp", mountPath: "/tmp" }],
                        resources: { requests: { cpu: "10m", memory: "64Mi" }, limits: { memory: "64Mi" } },
                        securityContext: RESTRICTED_CONTAINER,
                      },
                    ],
                    volumes: [{ name: "tmp", emptyDir: { sizeLimit: "64Mi" } }],
                  },
                },
              },
            },
          },
        },
        opts([binding, ...after]),
      );
    }
  }
}
