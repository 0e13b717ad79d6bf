/**
 * Every rule against a compliant plan and a violating one: the same plan with one property changed,
 * the way Checkov and Pulumi's own packs test theirs. The plans broken here are previews of configs
 * whose shape this suite fixes (REFERENCE_STACKS: a prod and a dev), so that the resources a fixture
 * reaches for exist whatever stacks/ holds. A test fails if a rule has no fixture. Every stack file present and every generated
 * config must have no mandatory violation: test/preview/stacks.test.ts.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { evaluate, RULES } from "../../policies/rules";
import type { RuleResource } from "../../policies/rules/types";
import type { Plan, PlanResource } from "../../tools/preview/plan";
import { previewStack } from "../../tools/preview/run";
import { referenceProject } from "../support/stack-configs";

const plans: Record<string, Plan> = {};
beforeAll(async () => {
  for (const stack of ["dev", "prod"]) plans[stack] = (await previewStack(stack, { root: referenceProject(), evaluatePolicies: () => [] })).plan;
});

/** A plan resource the fixtures may edit: inputs are plain JSON. */
interface Editable {
  urn: string;
  type: string;
  name: string;
  inputs: Record<string, unknown>;
  protect: boolean;
  deleteBeforeReplace: boolean;
}
type Resources = Editable[];
const clone = (plan: Plan): Resources => structuredClone(plan.resources) as PlanResource[] as Editable[];
const find = (rs: Resources, type: string, name?: string): Editable => {
  const r = rs.find((x) => x.type === type && (name === undefined || x.name === name));
  if (!r) throw new Error(`fixture: no ${type} ${name ?? ""}`);
  return r;
};

/** The container (object or array) holding the last step of a dotted path such as "spec.items.0.name". */
function parentOf(root: unknown, path: string): { holder: Record<string, unknown>; key: string } {
  const steps = path.split(".");
  const key = steps.pop()!;
  let holder: unknown = root;
  for (const step of steps) {
    holder = (holder as Record<string, unknown>)[step];
    if (holder === null || typeof holder !== "object") throw new Error(`fixture: nothing at ${step} of ${path}`);
  }
  return { holder: holder as Record<string, unknown>, key };
}
const setAt = (root: unknown, path: string, value: unknown) => {
  const { holder, key } = parentOf(root, path);
  holder[key] = value;
};
const deleteAt = (root: unknown, path: string) => {
  const { holder, key } = parentOf(root, path);
  delete holder[key];
};
const STS = "kubernetes:apps/v1:StatefulSet";
const POD = "spec.template.spec";
const synthetic = (type: string, name: string, inputs: Record<string, unknown>): RuleResource => ({
  urn: `urn:pulumi:prod::highmem-platform::${type}::${name}`,
  type,
  name,
  inputs,
  protect: false,
  deleteBeforeReplace: false,
});
const prometheusRule = (alert: Record<string, unknown>) =>
  synthetic("kubernetes:monitoring.coreos.com/v1:PrometheusRule", "alerts", {
    metadata: { name: "alerts", namespace: "monitoring" },
    spec: {
      groups: [
        {
          name: "g",
          rules: [
            {
              alert: "X",
              expr: "up == 0",
              for: "5m",
              labels: { severity: "critical" },
              annotations: { summary: "s", runbook_url: "https://runbooks/x" },
              ...alert,
            },
          ],
        },
      ],
    },
  });

// [rule id, stack, how to break it (mutating the resources, returning the URN expected to be flagged, or null for a stack-level finding)]
const FIXTURES: [string, string, (rs: Resources) => string | null][] = [
  [
    "eks-endpoint-not-open-to-world",
    "dev",
    (rs) => {
      const c = find(rs, "eks:index:Cluster");
      c.inputs["publicAccessCidrs"] = ["0.0.0.0/0"];
      return c.urn;
    },
  ],
  [
    "eks-private-endpoint",
    "prod",
    (rs) => {
      const c = find(rs, "eks:index:Cluster");
      c.inputs["endpointPrivateAccess"] = false;
      return c.urn;
    },
  ],
  [
    "eks-secrets-encryption",
    "prod",
    (rs) => {
      const c = find(rs, "eks:index:Cluster");
      delete c.inputs["encryptionConfigKeyArn"];
      return c.urn;
    },
  ],
  [
    "eks-control-plane-logs",
    "prod",
    (rs) => {
      const c = find(rs, "eks:index:Cluster");
      c.inputs["enabledClusterLogTypes"] = ["api", "audit"];
      return c.urn;
    },
  ],
  [
    "eks-supported-pinned-version",
    "prod",
    (rs) => {
      const c = find(rs, "eks:index:Cluster");
      c.inputs["version"] = "1.29";
      return c.urn;
    },
  ],
  [
    "eks-api-authentication-mode",
    "prod",
    (rs) => {
      const c = find(rs, "eks:index:Cluster");
      c.inputs["authenticationMode"] = "CONFIG_MAP";
      return c.urn;
    },
  ],
  [
    "eks-nodes-private",
    "prod",
    (rs) => {
      const c = find(rs, "eks:index:Cluster");
      c.inputs["nodeAssociatePublicIpAddress"] = true;
      return c.urn;
    },
  ],
  [
    "launch-template-imdsv2",
    "prod",
    (rs) => {
      const t = find(rs, "aws:ec2/launchTemplate:LaunchTemplate");
      setAt(t.inputs, "metadataOptions.httpPutResponseHopLimit", 2);
      return t.urn;
    },
  ],
  [
    "launch-template-ebs-encrypted",
    "prod",
    (rs) => {
      const t = find(rs, "aws:ec2/launchTemplate:LaunchTemplate");
      setAt(t.inputs, "blockDeviceMappings.0.ebs.encrypted", "false");
      return t.urn;
    },
  ],
  [
    "launch-template-no-public-ip",
    "prod",
    (rs) => {
      const t = find(rs, "aws:ec2/launchTemplate:LaunchTemplate");
      t.inputs["networkInterfaces"] = [{ associatePublicIpAddress: "true" }];
      return t.urn;
    },
  ],
  [
    "nodeclass-imdsv2",
    "prod",
    (rs) => {
      const n = find(rs, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "general-class");
      setAt(n.inputs, "spec.metadataOptions.httpTokens", "optional");
      return n.urn;
    },
  ],
  [
    "nodeclass-ebs-encrypted",
    "prod",
    (rs) => {
      const n = find(rs, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "general-class");
      setAt(n.inputs, "spec.blockDeviceMappings.0.ebs.encrypted", false);
      return n.urn;
    },
  ],
  [
    "nodeclass-no-public-ip",
    "prod",
    (rs) => {
      const n = find(rs, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "general-class");
      setAt(n.inputs, "spec.associatePublicIPAddress", true);
      return n.urn;
    },
  ],
  [
    "nodeclass-ami-pinned",
    "prod",
    (rs) => {
      const n = find(rs, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "general-class");
      setAt(n.inputs, "spec.amiSelectorTerms", [{ alias: "al2023@latest" }]);
      return n.urn;
    },
  ],
  [
    "subnet-no-auto-public-ip",
    "prod",
    (rs) => {
      const s = find(rs, "aws:ec2/subnet:Subnet", "network-public-0");
      s.inputs["mapPublicIpOnLaunch"] = true;
      return s.urn;
    },
  ],
  [
    "storageclass-encrypted",
    "prod",
    (rs) => {
      const s = find(rs, "kubernetes:storage.k8s.io/v1:StorageClass", "storage-gp3");
      setAt(s.inputs, "parameters.encrypted", "false");
      return s.urn;
    },
  ],
  [
    "storageclass-wait-for-first-consumer",
    "prod",
    (rs) => {
      const s = find(rs, "kubernetes:storage.k8s.io/v1:StorageClass", "storage-gp3");
      s.inputs["volumeBindingMode"] = "Immediate";
      return s.urn;
    },
  ],
  [
    "storageclass-retain-in-prod",
    "prod",
    (rs) => {
      const s = find(rs, "kubernetes:storage.k8s.io/v1:StorageClass", "storage-gp3-high-iops");
      s.inputs["reclaimPolicy"] = "Delete";
      return s.urn;
    },
  ],
  [
    "nodepool-disruption-budgets",
    "prod",
    (rs) => {
      const p = find(rs, "kubernetes:karpenter.sh/v1:NodePool", "general-pool");
      setAt(p.inputs, "spec.disruption.budgets", []);
      return p.urn;
    },
  ],
  [
    "nodepool-expire-after",
    "prod",
    (rs) => {
      const p = find(rs, "kubernetes:karpenter.sh/v1:NodePool", "general-pool");
      setAt(p.inputs, "spec.template.spec.expireAfter", "Never");
      return p.urn;
    },
  ],
  [
    "nodepool-limits",
    "prod",
    (rs) => {
      const p = find(rs, "kubernetes:karpenter.sh/v1:NodePool", "general-pool");
      deleteAt(p.inputs, "spec.limits");
      return p.urn;
    },
  ],
  [
    "nodepool-spot-diversified",
    "prod",
    (rs) => {
      const p = find(rs, "kubernetes:karpenter.sh/v1:NodePool", "high-memory-spot-pool");
      const requirements = (p.inputs["spec"] as { template: { spec: { requirements: { key: string; values: string[] }[] } } }).template.spec.requirements;
      requirements.find((q) => q.key === "node.kubernetes.io/instance-type")!.values = ["r6i.12xlarge", "r7i.12xlarge"];
      return p.urn;
    },
  ],
  [
    "nodepool-high-memory-tainted",
    "prod",
    (rs) => {
      const p = find(rs, "kubernetes:karpenter.sh/v1:NodePool", "high-memory-on-demand-pool");
      setAt(p.inputs, "spec.template.spec.taints", []);
      return p.urn;
    },
  ],
  [
    "karpenter-interruption-queue",
    "prod",
    (rs) => {
      const c = rs.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs["name"] === "karpenter")!;
      setAt(c.inputs, "values.settings.interruptionQueue", "someone-elses-queue");
      return c.urn;
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

describe("policy pack rules", () => {
  it(`has at least 45 rules (${RULES.length}), each with a unique id, a description, a level and an anchor`, () => {
    expect(RULES.length).toBeGreaterThanOrEqual(45);
    expect(new Set(RULES.map((r) => r.id)).size).toBe(RULES.length);
    for (const r of RULES) expect(r.description.length > 10 && r.anchor.length > 0 && ["mandatory", "advisory"].includes(r.enforcementLevel)).toBe(true);
  });

  it("has a violating fixture for every rule", () => {
    expect(RULES.map((r) => r.id).filter((id) => !FIXTURES.some(([f]) => f === id))).toEqual([]);
  });

  // That every stack present and every generated config has no mandatory violation is a rule of
  // test/preview/stacks.test.ts, whose previews run this pack (policyPackEvaluator).

  it.each(["dev", "prod"])("finds no violation at all, advisory included, in the reference %s plan the fixtures break", (stack) => {
    expect(evaluate(plans[stack]!.resources)).toEqual([]);
  });

  it.each(FIXTURES)("%s: passes the reference %s plan, catches one property changed", (id, stack, breakIt) => {
    const rule = RULES.find((r) => r.id === id)!;
    const good = clone(plans[stack]!);
    expect(evaluate(good, [rule])).toEqual([]);
    const bad = clone(plans[stack]!);
    const urn = breakIt(bad);
    const findings = evaluate(bad, [rule]);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.map((f) => f.urn)).toContain(urn);
    expect(findings.every((f) => f.policy === id && f.message.length > 0)).toBe(true);
  });
});

describe("a plan with known defects", () => {
  it("gets exactly the expected violations: a public bucket, an unencrypted volume, an unpinned image", () => {
    const rs = clone(plans["prod"]!);
    find(rs, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock", "data-buckets-us-west-2-data").inputs["blockPublicPolicy"] = false;
    setAt(find(rs, "kubernetes:storage.k8s.io/v1:StorageClass", "storage-gp3").inputs, "parameters.encrypted", "false");
    setAt(find(rs, STS).inputs, `${POD}.containers.1.image`, "oliver006/redis_exporter");
    const findings = evaluate(rs)
      .map((f) => `${f.policy} ${f.urn?.split("::").pop()}`)
      .sort();
    expect(findings).toEqual(["k8s-pinned-image-tags redis-sts", "s3-public-access-blocked data-buckets-us-west-2-data", "storageclass-encrypted storage-gp3"]);
  });
});
