import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { ConfigMap } from "@pulumi/kubernetes/core/v1/configMap";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { Secret } from "@pulumi/kubernetes/core/v1/secret";
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { KUBE_PROMETHEUS_STACK_CHART_VERSION } from "../versions";
import { requireThat, withDefaults } from "../lib/args";
import { PRIVILEGED_REASON_ANNOTATION } from "../lib/pod-security";
import { alertRuleGroups, DEFAULT_ALERT_THRESHOLDS, type AlertThresholds, type RuleGroup } from "./alert-rules";
import { backupRuleGroup, type BackupCronJob } from "./backup-rules";
import { rightSizingRuleGroups, type TimedRuleGroup } from "./rightsizing-rules";
import { alertmanagerConfig, RECEIVER_SECRET } from "./alertmanager-config";
import { DASHBOARDS } from "./dashboards";

export const MONITORING_NAMESPACE = "monitoring";
/**
 * Why the monitoring namespace runs privileged (its highmem.io/privileged-reason annotation). It stays
 * one namespace with node-exporter: moving the exporter (the subchart's namespaceOverride) would let the
 * rest enforce baseline, but is left until every other monitoring pod is verified at that level on a
 * cluster (the chart models check them offline).
 */
export const MONITORING_PRIVILEGED_REASON =
  "prometheus-node-exporter (kube-prometheus-stack subchart) shares each node's network and PID namespaces and mounts /, /proc and /sys from the host to report node metrics";
/** Helm release name of kube-prometheus-stack; its Services are named after it. */
const KUBE_PROMETHEUS_STACK_RELEASE = "kube-prometheus-stack";

/**
 * Prometheus's in-cluster HTTP address: what KEDA's prometheus trigger (`serverAddress`) and any other
 * in-cluster reader use. The chart names the Service `<fullname>-prometheus` on
 * `prometheus.service.port` (9090 by default); fullname is the release name when it contains the chart
 * name (prometheus-community/helm-charts@kube-prometheus-stack-79.5.0 charts/kube-prometheus-stack
 * templates/prometheus/service.yaml, templates/_helpers.tpl "kube-prometheus-stack.fullname", values.yaml).
 */
export const PROMETHEUS_SERVER_ADDRESS = `http://${KUBE_PROMETHEUS_STACK_RELEASE}-prometheus.${MONITORING_NAMESPACE}.svc:9090`;

/** Prometheus's request: one place, read by the composition to size the pool it runs on. */
export const PROMETHEUS_REQUEST = { cpuMilli: 500, memoryGiB: 4 } as const;
const PROMETHEUS_RESOURCES = {
  requests: { cpu: `${PROMETHEUS_REQUEST.cpuMilli}m`, memory: `${PROMETHEUS_REQUEST.memoryGiB}Gi` },
  limits: { memory: `${PROMETHEUS_REQUEST.memoryGiB}Gi` },
};

/** Every rule group of the platform's PrometheusRule: alerts and recordings, right-sizing, then the backups' ages. */
export function platformRuleGroups(t: AlertThresholds = DEFAULT_ALERT_THRESHOLDS, backups: readonly BackupCronJob[] = []): (RuleGroup | TimedRuleGroup)[] {
  return [...alertRuleGroups(t), ...rightSizingRuleGroups(), ...(backups.length > 0 ? [backupRuleGroup(backups)] : [])];
}

/** Node selector and tolerations that put a pod on a particular node pool. */
export interface Placement {
  readonly nodeSelector: Readonly<Record<string, string>>;
  readonly tolerations: readonly { readonly key: string; readonly operator: string; readonly value?: string; readonly effect?: string }[];
}

export interface MonitoringStackArgs {
  readonly provider: KubernetesProvider;
  /** StorageClass of Prometheus's volume. */
  readonly storageClassName: string;
  /** The prometheus-operator CRDs (installed on their own). */
  readonly crds: pulumi.Resource;
  /**
   * Days of metrics Prometheus keeps.
   * @default 15
   */
  readonly retentionDays?: number;
  /**
   * Prometheus volume (GiB); retention stops at 90% of it whatever the days.
   * @default 100
   */
  readonly storageGiB?: number;
  /**
   * Prometheus replicas (two in prod, so that a node loss does not blind the platform).
   * @default 1
   */
  readonly prometheusReplicas?: number;
  /**
   * Alert receivers, as secrets; each is optional.
   * @default {}
   */
  readonly receivers?: {
    readonly slackWebhookUrl?: pulumi.Input<string>;
    readonly pagerDutyRoutingKey?: pulumi.Input<string>;
    readonly deadMansSwitchUrl?: pulumi.Input<string>;
  };
  /**
   * Alert thresholds.
   * @default DEFAULT_ALERT_THRESHOLDS
   */
  readonly thresholds?: AlertThresholds;
  /**
   * Backup CronJobs whose last success must not be older than their schedule allows (BackupTooOld).
   * @default []
   */
  readonly backupCronJobs?: readonly BackupCronJob[];
  /**
   * Where Prometheus runs: it keeps its data on a volume, so it belongs on nodes that are never
   * consolidated or expired under it. The other pods (operator, Grafana, kube-state-metrics,
   * Alertmanager without storage, the admission Jobs) take the chart's defaults: any untainted node.
   * @default no placement (any node its tolerations allow)
   */
  readonly prometheusPlacement?: Placement;
}

export const MONITORING_STACK_DEFAULTS = {
  retentionDays: 15,
  storageGiB: 100,
  prometheusReplicas: 1,
  receivers: {},
  thresholds: DEFAULT_ALERT_THRESHOLDS,
  backupCronJobs: [] as readonly BackupCronJob[],
} satisfies Partial<MonitoringStackArgs>;

const COMPONENT = "MonitoringStack";

/** What Prometheus's retention (days) and volume (GiB) may be. */
export const MONITORING_LIMITS = { minRetentionDays: 1, maxRetentionDays: 400, minStorageGiB: 10, maxStorageGiB: 16384 } as const;

/**
 * kube-prometheus-stack fit for EKS: control-plane targets EKS does not expose (controller manager,
 * scheduler, etcd) and kube-proxy (its metrics address is not opened) are neither scraped nor
 * alerted on. Prometheus keeps its data on a gp3 volume; Grafana's admin password is generated and
 * kept as a secret; Alertmanager routes critical alerts to PagerDuty and everything to Slack when
 * configured, and the Watchdog to a dead man's switch. The platform's rules, dashboards and a
 * ServiceMonitor for Karpenter come with it.
 */
export class MonitoringStack extends pulumi.ComponentResource {
  readonly grafanaAdminPassword: pulumi.Output<string>;

  constructor(name: string, args: MonitoringStackArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(MONITORING_STACK_DEFAULTS, args);
    const L = MONITORING_LIMITS;
    requireThat(
      Number.isInteger(a.retentionDays) && a.retentionDays >= L.minRetentionDays && a.retentionDays <= L.maxRetentionDays,
      COMPONENT,
      "retentionDays",
      a.retentionDays,
      `must be a whole number of days from ${L.minRetentionDays} to ${L.maxRetentionDays}`,
    );
    requireThat(
      Number.isInteger(a.storageGiB) && a.storageGiB >= L.minStorageGiB && a.storageGiB <= L.maxStorageGiB,
      COMPONENT,
      "storageGiB",
      a.storageGiB,
      `must be a whole number of GiB from ${L.minStorageGiB} to ${L.maxStorageGiB}`,
    );
    requireThat([1, 2].includes(a.prometheusReplicas), COMPONENT, "prometheusReplicas", a.prometheusReplicas, "must be 1 or 2");
    // Rendered before any child is declared: a schedule that is not cron fails here.
    const ruleGroups = platformRuleGroups(a.thresholds, a.backupCronJobs);
    super("highmem:monitoring:MonitoringStack", name, {}, opts);
    const k8s = { parent: this, provider: a.provider };
    const ns = new Namespace(
      `${name}-namespace`,
      {
        // node-exporter needs the host's network and PID namespaces: privileged here, warnings against
        // restricted, and the reason the policy pack requires (k8s-privileged-namespace-reason).
        metadata: {
          name: MONITORING_NAMESPACE,
          labels: { "pod-security.kubernetes.io/enforce": "privileged", "pod-security.kubernetes.io/warn": "restricted" },
          annotations: { [PRIVILEGED_REASON_ANNOTATION]: MONITORING_PRIVILEGED_REASON },
        },
      },
      k8s,
    );
    const inNs = { ...k8s, dependsOn: [ns] };

    const password = new RandomPassword(`${name}-grafana-admin`, { length: 32, special: false }, { parent: this });
    this.grafanaAdminPassword = password.result;
    new Secret(
      `${name}-grafana-admin`,
      {
        metadata: { name: "grafana-admin", namespace: MONITORING_NAMESPACE },
        type: "Opaque",
        stringData: { "admin-user": "admin", "admin-password": password.result },
      },
      inNs,
    );

    const r = a.receivers;
    const receiverFiles: Record<string, pulumi.Input<string>> = {
      ...(r.slackWebhookUrl ? { "slack-webhook-url": pulumi.secret(r.slackWebhookUrl) } : {}),
      ...(r.pagerDutyRoutingKey ? { "pagerduty-routing-key": pulumi.secret(r.pagerDutyRoutingKey) } : {}),
      ...(r.deadMansSwitchUrl ? { "dead-mans-switch-url": pulumi.secret(r.deadMansSwitchUrl) } : {}),
    };
    const receiverSecret = new Secret(
      `${name}-receivers`,
      { metadata: { name: RECEIVER_SECRET, namespace: MONITORING_NAMESPACE }, type: "Opaque", stringData: receiverFiles },
      inNs,
    );

    const release = new Release(
      `${name}-chart`,
      {
        name: KUBE_PROMETHEUS_STACK_RELEASE,
        chart: "kube-prometheus-stack",
        repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
        version: KUBE_PROMETHEUS_STACK_CHART_VERSION,
        namespace: MONITORING_NAMESPACE,
        atomic: true,
        values: {
          crds: { enabled: false },
          // EKS runs the control plane: these endpoints are not reachable, so neither scrape nor alert.
          kubeControllerManager: { enabled: false },
          kubeScheduler: { enabled: false },
          kubeEtcd: { enabled: false },
          kubeProxy: { enabled: false },
          defaultRules: { rules: { etcd: false, kubeControllerManager: false, kubeSchedulerAlerting: false, kubeSchedulerRecording: false, kubeProxy: false } },
          prometheus: {
            prometheusSpec: {
              replicas: a.prometheusReplicas,
              retention: `${a.retentionDays}d`,
              retentionSize: `${Math.floor(a.storageGiB * 0.9)}GB`,
              // Pick up every ServiceMonitor and PrometheusRule, not only the chart's own.
              ruleSelectorNilUsesHelmValues: false,
              serviceMonitorSelectorNilUsesHelmValues: false,
              podMonitorSelectorNilUsesHelmValues: false,
              storageSpec: {
                volumeClaimTemplate: {
                  spec: { storageClassName: a.storageClassName, accessModes: ["ReadWriteOnce"], resources: { requests: { storage: `${a.storageGiB}Gi` } } },
                },
              },
              resources: PROMETHEUS_RESOURCES,
              ...(a.prometheusPlacement ? { nodeSelector: a.prometheusPlacement.nodeSelector, tolerations: a.prometheusPlacement.tolerations } : {}),
            },
          },
          alertmanager: {
            config: alertmanagerConfig({ slack: !!r.slackWebhookUrl, pagerDuty: !!r.pagerDutyRoutingKey, deadMansSwitch: !!r.deadMansSwitchUrl }),
            // Alertmanager and its config reloader read mounted files only: no service account token
            // (the operator passes the field to the pod: prometheus-operator v0.86.2 pkg/alertmanager/statefulset.go).
            alertmanagerSpec: { secrets: [RECEIVER_SECRET], automountServiceAccountToken: false },
          },
          // The chart's defaults (prometheus-node-exporter 4.49.1 values.yaml) set neither a seccomp profile nor
          // allowPrivilegeEscalation and keep every capability. The exporter runs as uid 65534, a non-root
          // process without file capabilities holds no effective capability anyway (capabilities(7),
          // "Transformation of capabilities during execve()"), so dropping them all changes nothing it does.
          "prometheus-node-exporter": {
            securityContext: { seccompProfile: { type: "RuntimeDefault" } },
            containerSecurityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } },
          },
          grafana: {
            admin: { existingSecret: "grafana-admin", userKey: "admin-user", passwordKey: "admin-password" },
            sidecar: { dashboards: { enabled: true, label: "grafana_dashboard", labelValue: "1", searchNamespace: "ALL" } },
          },
        },
      },
      { ...k8s, dependsOn: [ns, a.crds, receiverSecret] },
    );

    const afterChart = { ...k8s, dependsOn: [release] };
    new CustomResource(
      `${name}-rules`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "PrometheusRule",
        metadata: { name: "highmem-platform", namespace: MONITORING_NAMESPACE },
        spec: {
          groups: ruleGroups.map((g) => ({
            name: g.name,
            ...("interval" in g ? { interval: g.interval } : {}),
            rules: g.rules.map((rule) => ({ ...rule })),
          })),
        },
      },
      afterChart,
    );
    new CustomResource(
      `${name}-karpenter-monitor`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: { name: "karpenter", namespace: MONITORING_NAMESPACE },
        spec: {
          namespaceSelector: { matchNames: ["kube-system"] },
          selector: { matchLabels: { "app.kubernetes.io/name": "karpenter" } },
          endpoints: [{ port: "http-metrics", interval: "30s" }],
        },
      },
      afterChart,
    );
    for (const dashboard of DASHBOARDS) {
      new ConfigMap(
        `${name}-dashboard-${dashboard.uid}`,
        {
          metadata: { name: `dashboard-${dashboard.uid}`, namespace: MONITORING_NAMESPACE, labels: { grafana_dashboard: "1" } },
          data: { [`${dashboard.uid}.json`]: JSON.stringify(dashboard) },
        },
        inNs,
      );
    }
    this.registerOutputs({ grafanaAdminPassword: this.grafanaAdminPassword });
  }
}
