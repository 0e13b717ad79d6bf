/** Fixtures of the log, key, queue-encryption and data-protection rules. */
import { STS, find, setAt, synthetic, type Fixture, type Resources } from "./fixture-support";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const KEY = "aws:kms/key:Key";
const addKeyStatement = (name: string, statement: Record<string, unknown>) => (rs: Resources) => {
  const k = find(rs, KEY, name);
  const doc = JSON.parse(String(k.inputs["policy"]));
  doc.Statement.push(statement);
  k.inputs["policy"] = JSON.stringify(doc);
  return k.urn;
};

export const LOG_AND_DATA_FIXTURES: Fixture[] = [
  [
    "log-group-kms",
    "prod",
    (rs) => {
      const g = find(rs, LOG_GROUP, "cluster-control-plane");
      delete g.inputs["kmsKeyId"];
      return g.urn;
    },
  ],
  [
    "log-group-kms",
    "dev",
    (rs) => {
      const g = find(rs, LOG_GROUP, "network-flow-logs");
      g.inputs["kmsKeyId"] = "";
      return g.urn;
    },
  ],
  // The tampering of the issue: a one-day retention in prod.
  [
    "log-group-retention",
    "prod",
    (rs) => {
      const g = find(rs, LOG_GROUP, "cluster-control-plane");
      g.inputs["retentionInDays"] = 1;
      return g.urn;
    },
  ],
  // Prod's minimum is a year: 180 days is not enough there, though it would be in dev.
  [
    "log-group-retention",
    "prod",
    (rs) => {
      const g = find(rs, LOG_GROUP, "network-flow-logs");
      g.inputs["retentionInDays"] = 180;
      return g.urn;
    },
  ],
  [
    "log-group-retention",
    "dev",
    (rs) => {
      const g = find(rs, LOG_GROUP, "network-flow-logs");
      g.inputs["retentionInDays"] = 3;
      return g.urn;
    },
  ],
  // Without a tier in the rule context, the group's own tier tag decides.
  [
    "log-group-retention",
    "prod",
    (rs) => {
      const g = find(rs, LOG_GROUP, "cluster-control-plane");
      g.inputs["retentionInDays"] = 30;
      return g.urn;
    },
    { tier: undefined },
  ],
  [
    "vpc-flow-logs",
    "prod",
    (rs) => {
      rs.splice(
        rs.findIndex((r) => r.type === "aws:ec2/flowLog:FlowLog"),
        1,
      );
      return find(rs, "aws:ec2/vpc:Vpc").urn;
    },
  ],
  // A flow log of something else (a subnet) does not log the VPC.
  [
    "vpc-flow-logs",
    "dev",
    (rs) => {
      const f = find(rs, "aws:ec2/flowLog:FlowLog");
      delete f.inputs["vpcId"];
      f.inputs["subnetId"] = "subnet-0123456789abcdef0";
      return find(rs, "aws:ec2/vpc:Vpc").urn;
    },
  ],
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
    "kms-key-rotation",
    "prod",
    (rs) => {
      const k = find(rs, KEY, "cluster-secrets");
      k.inputs["enableKeyRotation"] = false;
      return k.urn;
    },
  ],
  [
    "kms-no-public-policy",
    "prod",
    addKeyStatement("data-buckets-us-west-2-key", { Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }),
  ],
  // A condition on something anyone controls (the encryption context) fixes no principal.
  [
    "kms-no-public-policy",
    "prod",
    addKeyStatement("cluster-control-plane-key", {
      Effect: "Allow",
      Principal: "*",
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { StringEquals: { "kms:EncryptionContext:purpose": "logs" } },
    }),
  ],
  [
    "data-protected-in-prod",
    "prod",
    (rs) => {
      const k = find(rs, KEY, "storage-volumes");
      k.protect = false;
      return k.urn;
    },
  ],
  // The log groups' keys are protected in prod like the others: losing one loses the logs.
  [
    "data-protected-in-prod",
    "prod",
    (rs) => {
      const k = find(rs, KEY, "network-flow-logs-key");
      k.protect = false;
      return k.urn;
    },
  ],
  [
    "data-protected-in-prod",
    "prod",
    (rs) => {
      const b = find(rs, "aws:s3/bucket:Bucket", "data-buckets-us-west-2-data");
      b.protect = false;
      return b.urn;
    },
  ],
  // Without the orphan annotation, a StatefulSet with claims cannot be under a safe resize.
  [
    "data-protected-in-prod",
    "prod",
    (rs) => {
      const s = find(rs, STS, "redis-sts");
      s.protect = false;
      setAt(s.inputs, "metadata.annotations", {});
      return s.urn;
    },
  ],
  // Redis orphans its pods (it may be resized): unprotected, only the claim patches can exempt it.
  [
    "data-protected-in-prod-relations",
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
    "data-protected-in-prod-relations",
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
    "data-protected-in-prod-relations",
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
      const s = find(rs, STS);
      s.deleteBeforeReplace = true;
      return s.urn;
    },
  ],
];
