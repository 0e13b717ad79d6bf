/**
 * Which property changes make a provider replace a resource (delete it and create a new one), for
 * the types this platform declares, and which of those types hold data. `pulumi preview` knows this
 * from the providers: the bridged AWS resources replace when an attribute the Terraform provider
 * marks ForceNew (or RequiresReplace) changes; Kubernetes objects replace when their name or
 * namespace changes or a field the API server refuses to update changes. The offline plan has no
 * provider to ask, so the table below carries that knowledge, each entry with its source.
 */
import { holdsData } from "../../components/internal";

type RuleEntry = Omit<ReplaceRule, "stateful">;

export interface ReplaceRule {
  /** Input paths (dotted, arrays by [n]) whose change replaces the resource; a path covers its children. */
  readonly paths: readonly string[];
  /** The resource holds data its replacement loses: from the shared vocabulary (components/lib/resource-kinds.ts). */
  readonly stateful: boolean;
  /** Of `paths`, those whose change replaces the resource without losing anything (its new content replaces the old anyway). */
  readonly lossless?: readonly string[];
  /** What to do instead of losing it. */
  readonly advice: string;
  readonly source: string;
}

const KEEP_NAME = "keep the old physical name (namePrefix, or the name argument), or move the data first and acknowledge";

/**
 * AWS types. @pulumi/aws 7.48.0 bridges terraform-provider-aws v6.66.0 (recorded by
 * pulumi-proserv/pulumi-tool-import importids/aws/v7/source.json; pulumi-aws itself holds it as a
 * submodule). The bridge turns a change of a ForceNew (SDKv2) or RequiresReplace (plugin framework)
 * attribute into a replace. Files are terraform-provider-aws internal/service/<service>/; where the
 * stored version read was not v6.66.0 the ForceNew flags named have been stable across versions.
 * pulumi-aws v7 also gives regional resources a `region` input, and "changing the value of `region`
 * will force resource replacement" (pulumi-aws docs/enhanced-region-support.md); IAM is global.
 */
const AWS: Readonly<Record<string, RuleEntry>> = {
  "aws:s3/bucket:Bucket": {
    paths: ["bucket", "bucketPrefix", "objectLockEnabled", "region"],
    advice: KEEP_NAME,
    source: "s3/bucket.go: bucket, bucket_prefix, object_lock_enabled ForceNew",
  },
  "aws:kms/key:Key": {
    paths: ["customKeyStoreId", "customerMasterKeySpec", "keyUsage", "multiRegion", "xksKeyId", "region"],
    advice: "a new key cannot decrypt what the old one encrypted: keep the key, or re-encrypt the data first and acknowledge",
    source: "kms/key.go: custom_key_store_id, customer_master_key_spec, key_usage, multi_region, xks_key_id ForceNew",
  },
  "aws:kms/alias:Alias": { paths: ["name", "namePrefix", "region"], advice: "", source: "kms/alias.go: name, name_prefix ForceNew" },
  "aws:cloudwatch/logGroup:LogGroup": {
    paths: ["name", "namePrefix", "logGroupClass", "region"],
    advice: KEEP_NAME,
    source: "logs/group.go: name, name_prefix, log_group_class ForceNew",
  },
  "aws:sqs/queue:Queue": {
    paths: ["name", "namePrefix", "fifoQueue", "region"],
    advice: "queued messages are lost with the old queue: keep its name, or drain it first and acknowledge",
    source: "sqs/queue.go: name, name_prefix, fifo_queue ForceNew",
  },
  "aws:iam/role:Role": {
    paths: ["name", "namePrefix", "path"],
    advice: "whatever trusts or references the role by ARN breaks: " + KEEP_NAME,
    source: "iam/role.go: name, name_prefix, path ForceNew (IAM has no region)",
  },
  "aws:iam/rolePolicy:RolePolicy": { paths: ["name", "namePrefix", "role"], advice: "", source: "iam/role_policy.go: name, name_prefix, role ForceNew" },
  "aws:eks/nodeGroup:NodeGroup": {
    paths: [
      "clusterName",
      "nodeGroupName",
      "nodeGroupNamePrefix",
      "nodeRoleArn",
      "subnetIds",
      "amiType",
      "capacityType",
      "diskSize",
      "instanceTypes",
      "remoteAccess",
      "launchTemplate.id",
      "launchTemplate.name",
      "region",
    ],
    advice: "",
    source: "eks/node_group.go: ForceNew attributes (launch template version, release version, version, labels, taints and scaling update in place)",
  },
  "aws:eks/addon:Addon": { paths: ["clusterName", "addonName", "region"], advice: "", source: "eks/addon.go: cluster_name, addon_name ForceNew" },
  "aws:eks/accessEntry:AccessEntry": {
    paths: ["clusterName", "principalArn", "type", "region"],
    advice: "",
    source: "eks/access_entry.go: cluster_name, principal_arn, type ForceNew",
  },
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": {
    paths: ["clusterName", "principalArn", "policyArn", "accessScope", "region"],
    advice: "",
    source: "eks/access_policy_association.go: cluster_name, principal_arn, policy_arn, access_scope ForceNew",
  },
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": {
    paths: ["clusterName", "namespace", "serviceAccount", "region"],
    advice: "",
    source: "eks/pod_identity_association.go: RequiresReplace on cluster_name, namespace, service_account",
  },
  "aws:ec2/vpc:Vpc": {
    paths: ["cidrBlock", "ipv4IpamPoolId", "ipv4NetmaskLength", "instanceTenancy", "region"],
    advice: "everything in the VPC is recreated with it: keep the CIDR",
    source: "ec2/vpc_.go: cidr_block, ipv4_ipam_pool_id, ipv4_netmask_length ForceNew; instance_tenancy through its CustomizeDiff",
  },
  "aws:ec2/subnet:Subnet": {
    paths: ["vpcId", "cidrBlock", "availabilityZone", "availabilityZoneId", "ipv4IpamPoolId", "ipv4NetmaskLength", "ipv6Native", "outpostArn", "region"],
    advice: "",
    source: "ec2/vpc_subnet.go: ForceNew attributes",
  },
  "aws:ec2/launchTemplate:LaunchTemplate": {
    paths: ["name", "namePrefix", "region"],
    advice: "",
    source: "ec2/ec2_launch_template.go: name, name_prefix ForceNew; other changes make a new version",
  },
  "aws:sns/topic:Topic": { paths: ["name", "namePrefix", "fifoTopic", "region"], advice: "", source: "sns/topic.go: name, name_prefix, fifo_topic ForceNew" },
  // Not data itself (its snapshots outlive it: DLM deletes a policy's snapshots only by its retention
  // rule while it runs), but replaced it starts a new count: a replacement is only flagged, not lossy.
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": {
    paths: ["policyDetails.schedules[0].copyTags", "region"],
    advice: "the old policy's snapshots are no longer pruned by retention: delete them by hand once the new policy has its own",
    source: "dlm/lifecycle_policy.go: schedule copy_tags ForceNew; everything else goes through UpdateLifecyclePolicy",
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    paths: ["name", "region"],
    advice: "",
    source: "cloudwatch/metric_alarm.go: alarm_name (Pulumi input name) ForceNew",
  },
};

/** The per-bucket configuration resources all replace when they move to another bucket or region. */
const BUCKET_CONFIGURATION = [
  "aws:s3/bucketVersioning:BucketVersioning",
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
  "aws:s3/bucketPolicy:BucketPolicy",
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  "aws:s3/bucketLogging:BucketLogging",
];

/**
 * The EKS cluster is a component of @pulumi/eks (eks:index:Cluster, pulumi-eks v4.3.0); the inputs
 * below land on attributes of the aws_eks_cluster it creates that replace it (eks/cluster.go): name,
 * role_arn (serviceRole), kubernetes_network_config service CIDR and IP family, and the secrets
 * encryption key (EKS cannot turn envelope encryption off or move it to another key). Subnets and
 * endpoint access update in place; the component ignores changes to bootstrapSelfManagedAddons
 * (pulumi-eks v4.3.0 nodejs/eks/cluster/cluster.ts).
 */
const EKS_CLUSTER: RuleEntry = {
  paths: ["name", "serviceRole", "encryptionConfigKeyArn", "kubernetesServiceIpAddressRange", "ipFamily"],

  advice:
    "everything in the cluster is lost with it (workloads, volumes' bindings, secrets): keep its name and network, or build a new cluster beside it and migrate",
  source: "pulumi-eks v4.3.0 cluster inputs onto terraform-provider-aws internal/service/eks/cluster.go ForceNew attributes",
};

/**
 * Kubernetes: pulumi-kubernetes replaces an object when metadata.name or metadata.namespace
 * changes, or a path of its `forceNew` table changes (pulumi/pulumi-kubernetes v4.32.0
 * provider/pkg/provider/diff.go; unchanged through the snapshot's HEAD, read for 4.34.2). The API
 * server's own immutability rules (k8s.io/kubernetes pkg/apis/<group>/validation) agree or are
 * stricter: a StorageClass's reclaimPolicy and volumeBindingMode cannot be updated either.
 */
const K8S_IDENTITY = ["metadata.name", "metadata.namespace"];
const K8S: Readonly<Record<string, RuleEntry>> = {
  "kubernetes:apps/v1:StatefulSet": {
    paths: [...K8S_IDENTITY, "spec.podManagementPolicy", "spec.revisionHistoryLimit", "spec.selector", "spec.serviceName", "spec.volumeClaimTemplates"],
    advice:
      "to grow Redis volumes, set redisResizeFromGiB to their size now (the claims are grown first and the pods orphaned, not deleted; README, Resizing the Redis volumes); otherwise move the data first and acknowledge",
    source:
      "diff.go forceNew StatefulSet; ValidateStatefulSetUpdate allows only replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy, minReadySeconds",
  },
  "kubernetes:apps/v1:Deployment": { paths: [...K8S_IDENTITY, "spec.selector"], advice: "", source: "diff.go forceNew Deployment" },
  "kubernetes:apps/v1:DaemonSet": { paths: [...K8S_IDENTITY, "spec.selector"], advice: "", source: "diff.go forceNew DaemonSet" },
  "kubernetes:batch/v1:Job": {
    paths: [...K8S_IDENTITY, "spec.completions", "spec.parallelism", "spec.selector", "spec.template"],
    advice: "",
    source: "diff.go forceNew Job",
  },
  "kubernetes:core/v1:Service": { paths: [...K8S_IDENTITY, "spec.clusterIP"], advice: "", source: "diff.go forceNew Service" },
  "kubernetes:core/v1:PersistentVolumeClaim": {
    paths: [...K8S_IDENTITY, "spec.accessModes", "spec.selector", "spec.storageClassName", "spec.volumeName"],
    advice: "a claim's spec is immutable but for its size (grow only): keep it, or copy the volume first and acknowledge",
    source: "diff.go forceNew PersistentVolumeClaim; ValidatePersistentVolumeClaimUpdate",
  },
  "kubernetes:storage.k8s.io/v1:StorageClass": {
    paths: [...K8S_IDENTITY, "provisioner", "parameters", "reclaimPolicy", "volumeBindingMode"],
    advice:
      "existing claims keep volumes made with the old settings, and a protected class stops the deploy: make a new class beside it and move claims deliberately",
    source: "diff.go forceNew StorageClass (parameters, provisioner); ValidateStorageClassUpdate (reclaimPolicy, volumeBindingMode immutable)",
  },
  "kubernetes:core/v1:Namespace": {
    paths: ["metadata.name"],
    advice: "deleting a namespace deletes every object in it: keep its name",
    source: "Kubernetes: a namespace is deleted with its contents",
  },
  "kubernetes:core/v1:Secret": {
    paths: [...K8S_IDENTITY, "type", "data", "stringData"],
    lossless: ["data", "stringData"],
    advice: "pods reading the secret by name lose it while it is recreated: keep its name and type",
    source: "diff.go forceNew Secret: type, and data/stringData unless the provider sets enableSecretMutable",
  },
  "kubernetes:core/v1:ConfigMap": {
    paths: [...K8S_IDENTITY, "data", "binaryData"],
    advice: "",
    source: "diff.go forceNew ConfigMap: data/binaryData unless the provider sets enableConfigMapMutable",
  },
  "kubernetes:helm.sh/v3:Release": {
    paths: ["name", "namespace"],
    advice: "a release renamed or moved is uninstalled and installed again, with every object it owns: keep its name and namespace",
    source: "pulumi-kubernetes provider/pkg/provider/helm_release.go: name and namespace changes replace",
  },
};

/** The table's entry for a type, or undefined when it does not know it. */
function entryOf(type: string): RuleEntry | undefined {
  if (AWS[type]) return AWS[type];
  if (BUCKET_CONFIGURATION.includes(type))
    return {
      paths: ["bucket", "expectedBucketOwner", "region"],
      advice: "",
      source: "s3/bucket_*.go: bucket (and expected_bucket_owner where it exists) ForceNew or RequiresReplace",
    };
  if (type === "eks:index:Cluster") return EKS_CLUSTER;
  if (K8S[type]) return K8S[type];
  // Any other Kubernetes API object (custom resources included) is replaced when renamed or moved.
  if (/^kubernetes:[^:]+\/[^:]+:\w+$/.test(type) && !type.startsWith("kubernetes:helm.sh/"))
    return { paths: K8S_IDENTITY, advice: "", source: "pulumi-kubernetes: metadata.name/namespace changes replace" };
  return undefined;
}

/** The rule for a type, or undefined when the table does not know it (reported as "unknown"). */
export function replaceRuleOf(type: string): ReplaceRule | undefined {
  const entry = entryOf(type);
  return entry ? { ...entry, stateful: holdsData(type) } : undefined;
}

/** Whether a changed input path falls under a rule's path ("a.b" covers "a.b", "a.b.c" and "a.b[0]"). */
export function covers(rulePath: string, changedPath: string): boolean {
  return changedPath === rulePath || changedPath.startsWith(`${rulePath}.`) || changedPath.startsWith(`${rulePath}[`);
}

/** The changed paths that replace a resource of this type. */
export function replaceReasons(type: string, changedPaths: readonly string[]): string[] {
  const rule = replaceRuleOf(type);
  if (!rule) return [];
  return changedPaths.filter((p) => rule.paths.some((r) => covers(r, p)));
}

/** Whether replacing for these reasons loses data: a stateful type, and a reason that is not lossless. */
export function losesData(type: string, reasons: readonly string[]): boolean {
  const rule = replaceRuleOf(type);
  return !!rule?.stateful && reasons.some((p) => !(rule.lossless ?? []).some((l) => covers(l, p)));
}
