/** Fixtures of the queue policy, IAM, workload and alert rules. */
import { POD, STS, deleteAt, find, prometheusRule, setAt, type Fixture } from "./fixture-support";

export const DATA_FIXTURES: Fixture[] = [
  [
    "sqs-tls-only",
    "prod",
    (rs) => {
      const p = find(rs, "aws:sqs/queuePolicy:QueuePolicy");
      const doc = JSON.parse(String(p.inputs["policy"]));
      doc.Statement = doc.Statement.filter((s: { Effect: string }) => s.Effect !== "Deny");
      p.inputs["policy"] = JSON.stringify(doc);
      return find(rs, "aws:sqs/queue:Queue").urn;
    },
  ],
  [
    "sqs-no-public-policy",
    "prod",
    (rs) => {
      const p = find(rs, "aws:sqs/queuePolicy:QueuePolicy");
      const doc = JSON.parse(String(p.inputs["policy"]));
      doc.Statement.push({ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: "*" });
      p.inputs["policy"] = JSON.stringify(doc);
      return p.urn;
    },
  ],
  [
    "iam-no-admin-statements",
    "prod",
    (rs) => {
      const p = find(rs, "aws:iam/rolePolicy:RolePolicy", "karpenter-controller");
      p.inputs["policy"] = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] });
      return p.urn;
    },
  ],
  [
    "iam-no-public-trust",
    "prod",
    (rs) => {
      const r = find(rs, "aws:iam/role:Role", "karpenter-node");
      r.inputs["assumeRolePolicy"] = JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
      });
      return r.urn;
    },
  ],
  [
    "k8s-requests-and-memory-limits",
    "prod",
    (rs) => {
      deleteAt(find(rs, STS).inputs, `${POD}.containers.1.resources.limits`);
      return find(rs, "kubernetes:apps/v1:StatefulSet").urn;
    },
  ],
  [
    "k8s-high-memory-guaranteed",
    "prod",
    (rs) => {
      const sts = find(rs, STS).inputs;
      setAt(sts, `${POD}.tolerations`, [{ key: "workload-type", value: "high-memory", effect: "NoSchedule" }]);
      setAt(sts, `${POD}.containers.0.resources.requests.memory`, "16Gi");
      return find(rs, "kubernetes:apps/v1:StatefulSet").urn;
    },
  ],
  [
    "k8s-run-as-non-root",
    "prod",
    (rs) => {
      deleteAt(find(rs, STS).inputs, `${POD}.securityContext.runAsNonRoot`);
      setAt(find(rs, STS).inputs, `${POD}.containers.1.securityContext.runAsNonRoot`, false);
      return find(rs, "kubernetes:apps/v1:StatefulSet").urn;
    },
  ],
  [
    "k8s-read-only-root-filesystem",
    "prod",
    (rs) => {
      setAt(find(rs, STS).inputs, `${POD}.containers.0.securityContext.readOnlyRootFilesystem`, false);
      return find(rs, "kubernetes:apps/v1:StatefulSet").urn;
    },
  ],
  [
    "k8s-no-privilege-escalation",
    "prod",
    (rs) => {
      setAt(find(rs, STS).inputs, `${POD}.containers.0.securityContext.allowPrivilegeEscalation`, true);
      return find(rs, "kubernetes:apps/v1:StatefulSet").urn;
    },
  ],
  [
    "k8s-memory-volumes-bounded",
    "prod",
    (rs) => {
      const sts = find(rs, STS);
      const tmp = (sts.inputs["spec"] as { template: { spec: { volumes: { name: string }[] } } }).template.spec.volumes.findIndex((v) => v.name === "tmp");
      deleteAt(sts.inputs, `${POD}.volumes.${tmp}.emptyDir.sizeLimit`);
      return sts.urn;
    },
  ],
  [
    "k8s-memory-volumes-bounded",
    "prod",
    (rs) => {
      // A /dev/shm larger than the memory limits it counts against: nothing left for the processes.
      const sts = find(rs, STS);
      const volumes = (sts.inputs["spec"] as { template: { spec: { volumes: unknown[] } } }).template.spec.volumes;
      setAt(sts.inputs, `${POD}.volumes`, [...volumes, { name: "dshm", emptyDir: { medium: "Memory", sizeLimit: "1Ti" } }]);
      return sts.urn;
    },
  ],
  [
    "k8s-restricted-seccomp-capabilities",
    "prod",
    (rs) => {
      setAt(find(rs, STS).inputs, `${POD}.containers.0.securityContext.capabilities.drop`, ["NET_RAW"]);
      return find(rs, STS).urn;
    },
  ],
  [
    "k8s-no-host-namespaces",
    "prod",
    (rs) => {
      setAt(find(rs, STS).inputs, `${POD}.hostNetwork`, true);
      return find(rs, "kubernetes:apps/v1:StatefulSet").urn;
    },
  ],
  [
    "k8s-pinned-image-tags",
    "prod",
    (rs) => {
      setAt(find(rs, STS).inputs, `${POD}.containers.0.image`, "redis:latest");
      return find(rs, "kubernetes:apps/v1:StatefulSet").urn;
    },
  ],
  [
    "k8s-probes",
    "prod",
    (rs) => {
      deleteAt(find(rs, STS).inputs, `${POD}.containers.0.readinessProbe`);
      return find(rs, "kubernetes:apps/v1:StatefulSet").urn;
    },
  ],
  [
    "k8s-pdb-for-replicated-workloads",
    "prod",
    (rs) => {
      rs.splice(
        rs.findIndex((r) => r.type === "kubernetes:policy/v1:PodDisruptionBudget"),
        1,
      );
      return find(rs, "kubernetes:apps/v1:StatefulSet").urn;
    },
  ],
  [
    "k8s-network-policy",
    "prod",
    (rs) => {
      setAt(find(rs, "kubernetes:networking.k8s.io/v1:NetworkPolicy").inputs, "spec.podSelector.matchLabels", { app: "other" });
      return find(rs, "kubernetes:apps/v1:StatefulSet").urn;
    },
  ],
  [
    "k8s-no-default-namespace",
    "prod",
    (rs) => {
      const c = find(rs, "kubernetes:core/v1:ConfigMap");
      setAt(c.inputs, "metadata.namespace", "default");
      return c.urn;
    },
  ],
  [
    "alert-rules-complete",
    "prod",
    (rs) => {
      rs.push(prometheusRule({ annotations: { summary: "no runbook" } }));
      return "urn:pulumi:prod::highmem-platform::kubernetes:monitoring.coreos.com/v1:PrometheusRule::alerts";
    },
  ],
];
