/**
 * A team's namespace: Pod Security "restricted", a ResourceQuota and LimitRange sized from the team's
 * config, default-deny NetworkPolicies with opt-ins, a ServiceAccount for its workloads, EKS access
 * entries for its roles scoped to the namespace, and optionally a dataset volume claim.
 *
 * PriorityClasses are cluster-scoped and shared: see priority-classes.ts. The team's AWS identity
 * (WorkloadIdentity: a Pod Identity role for namespace + service account, with its data-bucket
 * prefixes) is composed from `dataAccess` and the outputs `namespaceName` and `serviceAccountName`.
 */
import * as pulumi from "@pulumi/pulumi";
import { AccessEntry } from "@pulumi/aws/eks/accessEntry";
import { AccessPolicyAssociation } from "@pulumi/aws/eks/accessPolicyAssociation";
import { LimitRange } from "@pulumi/kubernetes/core/v1/limitRange";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { PersistentVolumeClaim } from "@pulumi/kubernetes/core/v1/persistentVolumeClaim";
import { ResourceQuota } from "@pulumi/kubernetes/core/v1/resourceQuota";
import { ServiceAccount } from "@pulumi/kubernetes/core/v1/serviceAccount";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { requireThat, withDefaults } from "../lib/args";
import { ROLE_ARN } from "../cluster/cluster-rules";
import { HIGH_IOPS_STORAGE_CLASS } from "../storage/storage-classes";
import { MONITORING_NAMESPACE } from "../monitoring/monitoring-stack";
import { KEDA_NAMESPACE, VPA_NAMESPACE } from "../autoscaling/workload-autoscaling";
import { KYVERNO_NAMESPACE } from "../admission/kyverno-values";
import { limitRangeLimits, networkPolicySpecs, quotaHard, TEAM_QUOTA_DEFAULTS, type EgressOptIns, type TeamQuota } from "./team-policies";
import { PRIORITY_CLASSES } from "./priority-classes";
import { DATA_ACCESS_LEVELS, declaredPrefixProblem, type DataGrant } from "./data-access";
import { WorkloadIdentity } from "./workload-identity";
import { isDnsLabel } from "../lib/names";

/** Access a team has to a prefix of the data bucket (its WorkloadIdentity grants it). */
export type DataAccess = Required<DataGrant>;

/** Where the team's AWS identity comes from: the cluster, and the data bucket its prefixes are in. */
export interface TeamIdentitySettings {
  /** Physical name of the team's workload role (at most 64 characters). */
  readonly roleName: string;
  readonly clusterArn: pulumi.Input<string>;
  readonly accountId: pulumi.Input<string>;
  readonly bucketArn: pulumi.Input<string>;
  readonly bucketKeyArn: pulumi.Input<string>;
  readonly bucketRegion: string;
}

export interface TeamNamespaceArgs {
  readonly provider: KubernetesProvider;
  /** The EKS cluster (its access entries are created there). */
  readonly clusterName: pulumi.Input<string>;
  /** AWS partition of the cluster (access policy ARNs). */
  readonly partition: pulumi.Input<string>;
  /** Kubernetes minor of the cluster ("1.34"): the version Pod Security enforcement is pinned to. */
  readonly kubernetesVersion: string;
  /** The namespace (a DNS label): the team's name. */
  readonly namespace: string;
  /** What the team may hold (memory, cpu, storage, huge pages, object counts). */
  readonly quota: Pick<TeamQuota, "memoryGiB" | "cpu" | "storageGiB"> & Partial<TeamQuota>;
  /**
   * IAM roles whose principals edit the namespace (AmazonEKSEditPolicy, namespace scope).
   * @default []
   */
  readonly editorRoleArns?: readonly string[];
  /**
   * IAM roles whose principals view the namespace (AmazonEKSViewPolicy, namespace scope).
   * @default []
   */
  readonly viewerRoleArns?: readonly string[];
  /**
   * Roles that already have an access entry on the cluster (the admins, other teams): a principal
   * can be in one access entry only, so these are refused as team roles.
   * @default []
   */
  readonly reservedRoleArns?: readonly string[];
  /**
   * The ServiceAccount of the team's workloads (the one WorkloadIdentity associates with a role).
   * @default "workloads"
   */
  readonly serviceAccountName?: string;
  /**
   * Data bucket prefixes the team's workloads read or write. When there are any, the team gets a
   * WorkloadIdentity (a Pod Identity role for its ServiceAccount), which needs `identity`.
   * @default []
   */
  readonly dataAccess?: readonly DataAccess[];
  /**
   * The cluster and data bucket the team's WorkloadIdentity is for; required when `dataAccess` is not empty.
   * @default undefined
   */
  readonly identity?: TeamIdentitySettings;
  /**
   * The Redis servers the team's pods may reach; absent: no Redis egress.
   * @default undefined
   */
  readonly redis?: EgressOptIns["redis"];
  /**
   * HTTPS egress to addresses outside the private ranges, for S3 through the gateway endpoint.
   * @default true
   */
  readonly s3Egress?: boolean;
  /**
   * Namespace of Prometheus, admitted to scrape the team's pods.
   * @default "monitoring"
   */
  readonly monitoringNamespace?: string;
  /**
   * Size of the dataset volume claim `dataset` (GiB) on `datasetStorageClassName`; 0: none.
   * @default 0
   */
  readonly datasetGiB?: number;
  /**
   * StorageClass of the dataset claim.
   * @default "gp3-high-iops"
   */
  readonly datasetStorageClassName?: string;
  /**
   * Protect the dataset claim from deletion (prod).
   * @default false
   */
  readonly protect?: boolean;
  /** @default {} */
  readonly tags?: Readonly<Record<string, string>>;
}

export const TEAM_NAMESPACE_DEFAULTS = {
  editorRoleArns: [] as readonly string[],
  viewerRoleArns: [] as readonly string[],
  reservedRoleArns: [] as readonly string[],
  serviceAccountName: "workloads",
  dataAccess: [] as readonly DataAccess[],
  s3Egress: true,
  monitoringNamespace: MONITORING_NAMESPACE,
  datasetGiB: 0,
  datasetStorageClassName: HIGH_IOPS_STORAGE_CLASS,
  protect: false,
  tags: {},
} satisfies Partial<TeamNamespaceArgs>;

/** Label every team namespace carries (value: the team); the admission policies select team namespaces by it. */
export const TEAM_NAMESPACE_LABEL = "highmem.io/team";

/** Name of the dataset claim in every team namespace (stable: a volume's identity). */
export const DATASET_CLAIM_NAME = "dataset";
/** Namespaces a team may not take: the platform's own and Kubernetes'. */
export const RESERVED_NAMESPACES = [
  "default",
  "kube-system",
  "kube-public",
  "kube-node-lease",
  "data",
  MONITORING_NAMESPACE,
  "karpenter",
  "capacity",
  KEDA_NAMESPACE,
  VPA_NAMESPACE,
  KYVERNO_NAMESPACE,
  // Where the Mountpoint CSI driver v2 runs its mount pods (awslabs/mountpoint-s3-csi-driver@v2.7.0,
  // pkg/podmounter/mppod/creator.go; see cluster/addons.ts).
  "mount-s3",
] as const;
/** A DNS label (RFC 1123), as Kubernetes requires of namespace names. */

const COMPONENT = "TeamNamespace";

/** Every argument problem, in order; the constructor throws the first. Pure, for tests and config. */
function validate(a: ReturnType<typeof resolve>): void {
  const check = (ok: boolean, arg: string, value: unknown, allowed: string) => requireThat(ok, COMPONENT, arg, value, allowed);
  check(isDnsLabel(a.namespace), "namespace", a.namespace, "must be a DNS label: lowercase letters, digits and hyphens, at most 63");
  check(
    !(RESERVED_NAMESPACES as readonly string[]).includes(a.namespace),
    "namespace",
    a.namespace,
    `must not be one of the platform's: ${RESERVED_NAMESPACES.join(", ")}`,
  );
  check(/^\d+\.\d+$/.test(a.kubernetesVersion), "kubernetesVersion", a.kubernetesVersion, 'must be a Kubernetes minor such as "1.34"');
  for (const key of ["memoryGiB", "cpu", "storageGiB"] as const)
    check(Number.isInteger(a.quota[key]) && a.quota[key] > 0, `quota.${key}`, a.quota[key], "must be a whole number above 0");
  for (const key of ["hugePagesGiB", "pods", "persistentVolumeClaims", "services", "configMaps", "secrets"] as const)
    check(Number.isInteger(a.quota[key]) && a.quota[key] >= 0, `quota.${key}`, a.quota[key], "must be a whole number of 0 or more");
  check(a.quota.hugePagesGiB <= a.quota.memoryGiB, "quota.hugePagesGiB", a.quota.hugePagesGiB, `must be at most quota.memoryGiB (${a.quota.memoryGiB})`);
  check(isDnsLabel(a.serviceAccountName), "serviceAccountName", a.serviceAccountName, "must be a DNS label");
  const roles = [...a.editorRoleArns, ...a.viewerRoleArns];
  for (const arn of roles) check(ROLE_ARN.test(arn), "editorRoleArns/viewerRoleArns", arn, "must be IAM role ARNs (arn:aws:iam::<account>:role/<name>)");
  const twice = roles.filter((r, i) => roles.indexOf(r) !== i);
  // EKS user guide, grant-k8s-access.adoc: "An IAM principal can't be included in more than one access entry."
  check(twice.length === 0, "editorRoleArns/viewerRoleArns", twice, "must name each role once: a principal can be in one access entry only");
  const taken = roles.filter((r) => a.reservedRoleArns.includes(r));
  check(taken.length === 0, "editorRoleArns/viewerRoleArns", taken, "must not be a role that already has an access entry (an admin or another team's)");
  const prefixes = a.dataAccess.map((d) => d.prefix);
  for (const d of a.dataAccess) {
    const problem = declaredPrefixProblem(d.prefix);
    check(problem === undefined, "dataAccess.prefix", d.prefix, problem ?? "");
    check((DATA_ACCESS_LEVELS as readonly string[]).includes(d.access), "dataAccess.access", d.access, `must be one of ${DATA_ACCESS_LEVELS.join(", ")}`);
  }
  check(new Set(prefixes).size === prefixes.length, "dataAccess", prefixes, "must name each prefix once");
  check(
    a.dataAccess.length === 0 || a.identity !== undefined,
    "identity",
    a.identity,
    "must be given when dataAccess names prefixes: the team's workload role is made for that cluster and bucket",
  );
  check(Number.isInteger(a.datasetGiB) && a.datasetGiB >= 0, "datasetGiB", a.datasetGiB, "must be a whole number of 0 (no claim) or more");
  check(a.datasetGiB <= a.quota.storageGiB, "datasetGiB", a.datasetGiB, `must fit the team's storage quota (quota.storageGiB = ${a.quota.storageGiB})`);
  check(
    a.datasetGiB === 0 || a.quota.persistentVolumeClaims >= 1,
    "quota.persistentVolumeClaims",
    a.quota.persistentVolumeClaims,
    "must be at least 1 with a dataset claim",
  );
}

function resolve(args: TeamNamespaceArgs) {
  const a = withDefaults(TEAM_NAMESPACE_DEFAULTS, args);
  const quota: TeamQuota = withDefaults(TEAM_QUOTA_DEFAULTS, a.quota);
  return { ...a, quota };
}

/** Checks a team's args as the constructor does, without declaring anything (throws ComponentArgumentError). */
export function validateTeamNamespaceArgs(args: TeamNamespaceArgs): void {
  validate(resolve(args));
}

export class TeamNamespace extends pulumi.ComponentResource {
  readonly namespaceName: string;
  readonly serviceAccountName: string;
  /** The team's data bucket prefixes, for WorkloadIdentity. */
  readonly dataAccess: readonly DataAccess[];
  /** The team's Pod Identity role and association, when it has data bucket prefixes. */
  readonly identity?: WorkloadIdentity;
  /** The dataset claim's name when the team has one. */
  readonly datasetClaimName?: string;
  /** Priority class of the team's batch workloads, and of its services. */
  readonly priorityClassNames = { workload: PRIORITY_CLASSES.workload.name, service: PRIORITY_CLASSES.service.name };
  readonly namespace: Namespace;

  constructor(name: string, args: TeamNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = resolve(args);
    validate(a);
    super("highmem:workloads:TeamNamespace", name, {}, opts);
    this.namespaceName = a.namespace;
    this.serviceAccountName = a.serviceAccountName;
    this.dataAccess = a.dataAccess;
    const k8s = { parent: this, provider: a.provider };

    // Pod Security Admission (kubernetes.io "Enforce Pod Security Standards with Namespace Labels";
    // versions are "latest" or a minor such as v1.34). Enforcement is pinned to the cluster's minor, so
    // that a control-plane upgrade does not change what is admitted until kubernetesVersion is raised
    // here too; audit and warn follow "latest", so that tighter checks show before they are enforced.
    const psa = (mode: string, version: string) => ({
      [`pod-security.kubernetes.io/${mode}`]: "restricted",
      [`pod-security.kubernetes.io/${mode}-version`]: version,
    });
    this.namespace = new Namespace(
      name,
      {
        metadata: {
          name: a.namespace,
          labels: { ...psa("enforce", `v${a.kubernetesVersion}`), ...psa("audit", "latest"), ...psa("warn", "latest"), [TEAM_NAMESPACE_LABEL]: a.namespace },
        },
      },
      k8s,
    );
    const inNs = { ...k8s, dependsOn: [this.namespace] };
    const meta = (objectName: string) => ({ name: objectName, namespace: a.namespace });

    new ResourceQuota(`${name}-quota`, { metadata: meta("team-quota"), spec: { hard: quotaHard(a.quota) } }, inNs);
    new LimitRange(`${name}-limits`, { metadata: meta("team-limits"), spec: { limits: limitRangeLimits(a.quota) } }, inNs);
    const policies = networkPolicySpecs({
      dnsNamespace: "kube-system",
      monitoringNamespace: a.monitoringNamespace,
      s3: a.s3Egress,
      ...(a.redis ? { redis: a.redis } : {}),
    });
    for (const [policyName, spec] of Object.entries(policies)) new NetworkPolicy(`${name}-${policyName}`, { metadata: meta(policyName), spec }, inNs);

    // Pod Identity credentials do not need the Kubernetes API token: EKS adds its own projected token
    // volume (eks-pod-identity-token, audience pods.eks.amazonaws.com) to pods of an associated service
    // account (EKS user guide, service-accounts.adoc, "How EKS Pod Identity Agent works with a Pod").
    const serviceAccount = new ServiceAccount(`${name}-workloads`, { metadata: meta(a.serviceAccountName), automountServiceAccountToken: false }, inNs);

    if (a.identity && a.dataAccess.length > 0) {
      const { roleName, clusterArn, accountId, bucketArn, bucketKeyArn, bucketRegion } = a.identity;
      this.identity = new WorkloadIdentity(
        `${name}-identity`,
        {
          roleName,
          clusterName: a.clusterName,
          clusterArn,
          accountId,
          // The namespace's own name as an Output: the association is made after the namespace exists.
          namespace: this.namespace.metadata.name,
          serviceAccount: a.serviceAccountName,
          bucketArn,
          bucketKeyArn,
          bucketRegion,
          grants: a.dataAccess,
          tags: { ...a.tags, team: a.namespace },
        },
        { parent: this, dependsOn: [serviceAccount] },
      );
    }

    // One access entry per role (a principal can have one per cluster), with an access policy scoped to
    // this namespace (EKS user guide, grant-k8s-access.adoc and access-policy-reference.adoc:
    // AmazonEKSEditPolicy, AmazonEKSViewPolicy; accessScope type "namespace"). The cluster's
    // authentication mode is API (cluster/eks-cluster.ts).
    const grant = (arn: string, i: number, role: "edit" | "view") => {
      const entry = new AccessEntry(
        `${name}-${role}-${i}`,
        { clusterName: a.clusterName, principalArn: arn, type: "STANDARD", tags: { ...a.tags, team: a.namespace } },
        { parent: this },
      );
      const policy = role === "edit" ? "AmazonEKSEditPolicy" : "AmazonEKSViewPolicy";
      new AccessPolicyAssociation(
        `${name}-${role}-${i}`,
        {
          clusterName: a.clusterName,
          principalArn: entry.principalArn,
          policyArn: pulumi.interpolate`arn:${a.partition}:eks::aws:cluster-access-policy/${policy}`,
          accessScope: { type: "namespace", namespaces: [a.namespace] },
        },
        { parent: this },
      );
    };
    a.editorRoleArns.forEach((arn, i) => grant(arn, i, "edit"));
    a.viewerRoleArns.forEach((arn, i) => grant(arn, i, "view"));

    if (a.datasetGiB > 0) {
      this.datasetClaimName = DATASET_CLAIM_NAME;
      // The class binds WaitForFirstConsumer: pulumi-kubernetes's await accepts Pending for such a class
      // (pulumi/pulumi-kubernetes provider/pkg/await/awaiters.go, untilCoreV1PersistentVolumeClaimReady).
      new PersistentVolumeClaim(
        `${name}-dataset`,
        {
          metadata: { ...meta(DATASET_CLAIM_NAME), labels: { "highmem.io/team": a.namespace, "app.kubernetes.io/component": "dataset" } },
          spec: { accessModes: ["ReadWriteOnce"], storageClassName: a.datasetStorageClassName, resources: { requests: { storage: `${a.datasetGiB}Gi` } } },
        },
        { ...inNs, protect: a.protect },
      );
    }
    this.registerOutputs({ namespaceName: this.namespaceName, serviceAccountName: this.serviceAccountName });
  }
}
