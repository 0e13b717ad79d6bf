/** Fixtures of the cluster, node, storage and Karpenter rules. */
import { deleteAt, find, setAt, type Fixture } from "./fixture-support";

export const CLUSTER_FIXTURES: Fixture[] = [
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
];
