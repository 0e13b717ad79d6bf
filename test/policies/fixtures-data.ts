/** Fixtures of the queue, key, IAM, bucket, workload and alert rules. */
import { POD, STS, deleteAt, find, prometheusRule, setAt, synthetic, type Fixture } from "./fixture-support";

export const DATA_FIXTURES: Fixture[] = [
  [
    "sqs-encrypted",
    "prod",
    (rs) => {
      const q = find(rs, "aws:sqs/queue:Queue");
      q.inputs["sqsManagedSseEnabled"] = false;
      return q.urn;
    },
  ],
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
    "kms-key-rotation",
    "prod",
    (rs) => {
      const k = find(rs, "aws:kms/key:Key", "cluster-secrets");
      k.inputs["enableKeyRotation"] = false;
      return k.urn;
    },
  ],
  [
    "kms-no-public-policy",
    "prod",
    (rs) => {
      const k = find(rs, "aws:kms/key:Key", "data-buckets-us-west-2-key");
      const doc = JSON.parse(String(k.inputs["policy"]));
      doc.Statement.push({ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" });
      k.inputs["policy"] = JSON.stringify(doc);
      return k.urn;
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
    "s3-public-access-blocked",
    "prod",
    (rs) => {
      const p = find(rs, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-buckets-us-east-1-data");
      p.inputs["restrictPublicBuckets"] = false;
      return find(rs, "aws:s3/bucket:Bucket", "data-buckets-us-east-1-data").urn;
    },
  ],
  [
    "s3-tls-only",
    "prod",
    (rs) => {
      const p = find(rs, "aws:s3/bucketPolicy:BucketPolicy", "data-buckets-us-west-2-data");
      p.inputs["policy"] = JSON.stringify({ Version: "2012-10-17", Statement: [] });
      return find(rs, "aws:s3/bucket:Bucket", "data-buckets-us-west-2-data").urn;
    },
  ],
  [
    "s3-versioning",
    "prod",
    (rs) => {
      const v = find(rs, "aws:s3/bucketVersioning:BucketVersioning", "data-buckets-eu-west-1-data");
      setAt(v.inputs, "versioningConfiguration.status", "Suspended");
      return find(rs, "aws:s3/bucket:Bucket", "data-buckets-eu-west-1-data").urn;
    },
  ],
  [
    "s3-acls-disabled",
    "prod",
    (rs) => {
      const o = find(rs, "aws:s3/bucketOwnershipControls:BucketOwnershipControls", "data-buckets-us-west-2-data");
      setAt(o.inputs, "rule.objectOwnership", "ObjectWriter");
      return find(rs, "aws:s3/bucket:Bucket", "data-buckets-us-west-2-data").urn;
    },
  ],
  [
    "s3-lifecycle",
    "prod",
    (rs) => {
      const l = find(rs, "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration", "data-buckets-us-west-2-data");
      l.inputs["rules"] = [];
      return find(rs, "aws:s3/bucket:Bucket", "data-buckets-us-west-2-data").urn;
    },
  ],
  [
    "s3-sse-kms-bucket-key",
    "prod",
    (rs) => {
      const e = find(rs, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", "data-buckets-us-west-2-data");
      setAt(e.inputs, "rules.0.bucketKeyEnabled", false);
      return find(rs, "aws:s3/bucket:Bucket", "data-buckets-us-west-2-data").urn;
    },
  ],
  [
    "s3-access-logging",
    "prod",
    (rs) => {
      const i = rs.findIndex((r) => r.type === "aws:s3/bucketLogging:BucketLogging" && r.name === "data-buckets-us-west-2-data");
      rs.splice(i, 1);
      return find(rs, "aws:s3/bucket:Bucket", "data-buckets-us-west-2-data").urn;
    },
  ],
  [
    "s3-no-force-destroy",
    "prod",
    (rs) => {
      const b = find(rs, "aws:s3/bucket:Bucket", "data-buckets-us-west-2-data");
      b.inputs["forceDestroy"] = true;
      return b.urn;
    },
  ],
  [
    "s3-replication-cross-region",
    "prod",
    (rs) => {
      const c = find(rs, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
      deleteAt(c.inputs, "rules.1.deleteMarkerReplication");
      return c.urn;
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
  [
    "data-protected-in-prod",
    "prod",
    (rs) => {
      const k = find(rs, "aws:kms/key:Key", "storage-volumes");
      k.protect = false;
      return k.urn;
    },
  ],
  // A StatefulSet with volume claims (Redis) is data; only one without claims may go unprotected.
  [
    "data-protected-in-prod",
    "prod",
    (rs) => {
      const s = find(rs, STS, "redis-sts");
      s.protect = false;
      return s.urn;
    },
  ],
  // Unprotected while being resized passes only when every claim of its pods is grown first: one
  // claim left out, and the StatefulSet is data again.
  [
    "data-protected-in-prod",
    "prod",
    (rs) => {
      const s = find(rs, STS, "redis-sts");
      s.protect = false;
      const pods = Number(s.inputs["spec"] && (s.inputs["spec"] as { replicas?: number }).replicas);
      for (let i = 0; i < pods - 1; i++)
        rs.push(
          synthetic("kubernetes:core/v1:PersistentVolumeClaimPatch", `redis-data-${i}`, {
            metadata: { name: `data-redis-${i}`, namespace: "data" },
            spec: { resources: { requests: { storage: "999Gi" } } },
          }),
        );
      return s.urn;
    },
  ],
  // The Mountpoint claim of the reference workload passes unprotected only because its volume is
  // pre-provisioned and retained: with a Delete reclaim policy it is data like any other claim.
  [
    "data-protected-in-prod",
    "prod",
    (rs) => {
      setAt(find(rs, "kubernetes:core/v1:PersistentVolume").inputs, "spec.persistentVolumeReclaimPolicy", "Delete");
      return find(rs, "kubernetes:core/v1:PersistentVolumeClaim", "analytics-reference-data").urn;
    },
  ],
  [
    "data-no-delete-before-replace",
    "prod",
    (rs) => {
      const s = find(rs, "kubernetes:apps/v1:StatefulSet");
      s.deleteBeforeReplace = true;
      return s.urn;
    },
  ],
];
