/**
 * Fixtures of the pod security rules (families kubernetes and charts), each a tampering planted in a
 * real resource of the reference plan: a workload object's pod template, a Helm release's values (the
 * chart models render them into the chart's pods), a namespace's labels.
 */
import { deleteAt, find, POD, setAt, STS, type Editable, type Fixture, type Resources } from "./fixture-support";

const RELEASE = "kubernetes:helm.sh/v3:Release";
const NAMESPACE = "kubernetes:core/v1:Namespace";
const release = (rs: Resources, name: string): Editable => find(rs, RELEASE, name);
/** Sets a value in a release's values and returns the release's URN. */
const override = (rs: Resources, name: string, path: string, value: unknown): string => {
  const r = release(rs, name);
  setAt(r.inputs["values"], path, value);
  return r.urn;
};

export const KUBERNETES_FIXTURES: Fixture[] = [
  [
    "k8s-restricted-seccomp-capabilities",
    "prod",
    (rs) => {
      // An added capability on the Redis server, with ALL still dropped.
      setAt(find(rs, STS).inputs, `${POD}.containers.0.securityContext.capabilities`, { drop: ["ALL"], add: ["NET_ADMIN"] });
      return find(rs, STS).urn;
    },
  ],
  [
    "k8s-no-host-paths-or-ports",
    "prod",
    (rs) => {
      const job = find(rs, "kubernetes:batch/v1:Job", "analytics-reference-job");
      const volumes = (job.inputs["spec"] as { template: { spec: { volumes: unknown[] } } }).template.spec.volumes;
      setAt(job.inputs, `${POD}.volumes`, [...volumes, { name: "host", hostPath: { path: "/var/lib/kubelet" } }]);
      return job.urn;
    },
  ],
  [
    "k8s-no-host-paths-or-ports",
    "dev",
    (rs) => {
      setAt(find(rs, STS).inputs, `${POD}.containers.0.ports`, [{ name: "redis", containerPort: 6379, hostPort: 6379 }]);
      return find(rs, STS).urn;
    },
  ],
  [
    "k8s-allowed-images",
    "prod",
    (rs) => {
      setAt(find(rs, STS).inputs, `${POD}.containers.1.image`, "ghcr.io/someone/redis_exporter:v1.74.0");
      return find(rs, STS).urn;
    },
  ],
  [
    "k8s-allowed-images",
    "dev",
    (rs) => {
      // A Docker Hub short name of a namespace the platform does not use.
      setAt(find(rs, STS).inputs, `${POD}.containers.0.image`, "someone/valkey:8.1.8-alpine");
      return find(rs, STS).urn;
    },
  ],
  [
    "k8s-no-unneeded-token",
    "prod",
    (rs) => {
      const backup = find(rs, "kubernetes:batch/v1:CronJob", "redis-backup");
      deleteAt(backup.inputs, "spec.jobTemplate.spec.template.spec.automountServiceAccountToken");
      return backup.urn;
    },
  ],
  [
    "k8s-no-unneeded-token",
    "prod",
    (rs) => {
      // Declaring the need under the namespace's default service account is not enough.
      setAt(find(rs, STS).inputs, `${POD}.automountServiceAccountToken`, true);
      return find(rs, STS).urn;
    },
  ],
  [
    "k8s-privileged-namespace-reason",
    "prod",
    (rs) => {
      const ns = find(rs, NAMESPACE, "data-namespace");
      setAt(ns.inputs, "metadata.labels", { "pod-security.kubernetes.io/enforce": "privileged" });
      return ns.urn;
    },
  ],
  [
    "k8s-privileged-namespace-reason",
    "dev",
    (rs) => {
      const ns = find(rs, NAMESPACE, "monitoring-namespace");
      deleteAt(ns.inputs, "metadata.annotations");
      return ns.urn;
    },
  ],
  ["chart-run-as-non-root", "prod", (rs) => override(rs, "monitoring-chart", "grafana.securityContext", { runAsNonRoot: false, runAsUser: 0 })],
  [
    "chart-no-privilege-escalation",
    "prod",
    (rs) => {
      const keda = release(rs, "autoscaling-keda");
      setAt(keda.inputs["values"], "securityContext.operator.privileged", true);
      return keda.urn;
    },
  ],
  [
    "chart-restricted-seccomp-capabilities",
    "dev",
    (rs) => override(rs, "autoscaling-vpa", "containerSecurityContext.capabilities", { drop: ["ALL"], add: ["SYS_ADMIN"] }),
  ],
  ["chart-no-host-namespaces", "prod", (rs) => override(rs, "karpenter-chart", "hostNetwork", true)],
  [
    "chart-no-host-paths-or-ports",
    "prod",
    // node-exporter moved out of the namespace the stack runs privileged: its host paths are flagged.
    (rs) => override(rs, "monitoring-chart", "prometheus-node-exporter.namespaceOverride", "kube-system"),
  ],
  [
    "chart-allowed-images",
    "prod",
    (rs) => override(rs, "monitoring-chart", "grafana.image", { registry: "registry.example.com", repository: "grafana/grafana" }),
  ],
  ["chart-pinned-image-tags", "prod", (rs) => override(rs, "autoscaling-keda", "image", { keda: { tag: "latest" } })],
  [
    "chart-no-unneeded-token",
    "prod",
    (rs) => override(rs, "monitoring-chart", "prometheus-node-exporter.serviceAccount", { automountServiceAccountToken: true }),
  ],
  [
    "chart-pods-modelled",
    "prod",
    (rs) => {
      const r = release(rs, "karpenter-chart");
      r.inputs["chart"] = "oci://registry.example.com/charts/node-agent";
      return r.urn;
    },
  ],
];
