import * as pulumi from "@pulumi/pulumi";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import type { IEC2NodeClassSpec } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClassSpec" with { "resolution-mode": "import" };
import type { INodePoolSpec } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePoolSpec" with { "resolution-mode": "import" };
import { kubernetesRelease, SUPPORTED_KUBERNETES_VERSIONS } from "../versions";
import { requireThat } from "../lib/args";
import { gp3Problem } from "../storage/gp3-limits";
import { KUBELET_MEMORY_MIB } from "./capacity";
import { renderUserData } from "./node-tuning";

type Requirement = INodePoolSpec["template"]["spec"]["requirements"][number];
type Disruption = NonNullable<INodePoolSpec["disruption"]>;

// One list of taint effects for pools and tolerations alike (redis/placement.ts cites the API source).
import { TAINT_EFFECTS } from "../redis/placement";
export { TAINT_EFFECTS };
export interface Taint {
  readonly key: string;
  readonly value: string;
  readonly effect: (typeof TAINT_EFFECTS)[number];
}

/** What distinguishes one pool from another; see pool-kinds.ts for the kinds a stack declares. */
export interface NodePoolDefinition {
  /** Kubernetes name of the NodePool and its EC2NodeClass. */
  readonly poolName: string;
  /** Scheduling requirements: capacity type, architecture, instance types. */
  readonly requirements: readonly Requirement[];
  /** Labels every node of the pool carries. */
  readonly labels: Readonly<Record<string, string>>;
  /** Taints that keep other pods off the pool. */
  readonly taints: readonly Taint[];
  /** Higher weight is tried first. */
  readonly weight: number;
  /** The most the pool may hold, across all its nodes. */
  readonly limits: { readonly cpu: number; readonly memoryGiB: number };
  readonly disruption: Disruption;
  /** Nodes are replaced after this long (picks up new AMIs, bounds drift). */
  readonly expireAfter: string;
  /** A node being deleted waits at most this long for its pods to leave. */
  readonly terminationGracePeriod: string;
  /** Root volume size in GiB. */
  readonly rootVolumeGiB: number;
  /**
   * gp3 throughput of the root volume (MiB/s) at its 3,000 IOPS: at most 750 (0.25 MiB/s per IOPS,
   * components/storage/gp3-limits.ts GP3).
   * @default ROOT_VOLUME.throughputMiBps (250)
   */
  readonly rootVolumeThroughputMiBps?: number;
  /**
   * `RAID0`: the node class assembles the instance-store NVMe disks into a RAID0 (/dev/md/0 mounted at
   * /mnt/k8s-disks/0 on AL2023) and makes it the kubelet's and containerd's filesystem, so the node's
   * ephemeral storage is the NVMe (aws/karpenter-provider-aws v1.8.1
   * website/content/en/v1.8/concepts/nodeclasses.md, spec.instanceStorePolicy). A type without
   * instance store keeps its root volume. Unset: the disks are ignored.
   */
  readonly instanceStorePolicy?: "RAID0";
  /** Kernel tuning for large heaps; huge pages reserved per node in GiB (0: none). */
  readonly tuning: { readonly enabled: boolean; readonly hugePagesGiB: number };
}

export interface KarpenterNodePoolArgs extends NodePoolDefinition {
  /** Name of the EKS cluster: subnets and security groups are discovered by its tag. */
  readonly clusterName: string;
  /** Role of the nodes (Karpenter makes the instance profile). */
  readonly nodeRoleName: pulumi.Input<string>;
  readonly provider: KubernetesProvider;
  /** The cluster's Kubernetes minor version: the AMI release is pinned per minor (versions.ts). */
  readonly kubernetesVersion: string;
  /**
   * Tags for the instances and volumes Karpenter launches.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

const COMPONENT = "KarpenterNodePool";
/** The root volume's gp3 performance unless a pool sets its throughput. */
export const ROOT_VOLUME = { iops: 3000, throughputMiBps: 250 } as const;
const DURATION = /^(\d+h)?(\d+m)?(\d+s)?$|^Never$/;
const KUBERNETES_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A label or taint key: an optional DNS prefix and a name of up to 63 characters. */
const LABEL_KEY = /^([a-z0-9]([-a-z0-9.]*[a-z0-9])?\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?$/;

export interface NodePoolProblem {
  readonly arg: string;
  readonly value: unknown;
  readonly message: string;
}

/** Why a definition cannot be a NodePool, one entry per broken rule; empty when it can. */
export function nodePoolProblems(d: NodePoolDefinition): NodePoolProblem[] {
  const problems: NodePoolProblem[] = [];
  const check = (ok: boolean, arg: string, value: unknown, message: string) => {
    if (!ok) problems.push({ arg, value, message });
  };
  check(KUBERNETES_NAME.test(d.poolName) && d.poolName.length <= 63, "poolName", d.poolName, "must be a Kubernetes name (lowercase letters, digits, hyphens)");
  check(d.limits.cpu > 0 && d.limits.memoryGiB > 0, "limits", d.limits, "must set positive cpu and memoryGiB: a pool without limits can spend without bound");
  check(
    DURATION.test(d.expireAfter) && DURATION.test(d.terminationGracePeriod),
    "expireAfter/terminationGracePeriod",
    [d.expireAfter, d.terminationGracePeriod],
    'must be durations such as "720h" or "30m"',
  );
  check(d.rootVolumeGiB >= 20 && d.rootVolumeGiB <= 16384, "rootVolumeGiB", d.rootVolumeGiB, "must be from 20 to 16384");
  const throughput = d.rootVolumeThroughputMiBps ?? ROOT_VOLUME.throughputMiBps;
  const gp3 = gp3Problem(ROOT_VOLUME.iops, throughput);
  check(gp3 === undefined, "rootVolumeThroughputMiBps", throughput, `must be a gp3 throughput for ${ROOT_VOLUME.iops} IOPS: ${gp3 ?? ""}`);
  check(
    (d.disruption.budgets ?? []).length > 0,
    "disruption.budgets",
    d.disruption.budgets,
    "must list at least one budget: without one, Karpenter may disrupt 10% of the pool at once",
  );
  for (const [key, value] of Object.entries(d.labels))
    check(
      LABEL_KEY.test(key) && LABEL_VALUE.test(value),
      "labels",
      { [key]: value },
      "must be a Kubernetes label: a key such as example.com/disk and a value of up to 63 letters, digits, '-', '_' or '.'",
    );
  for (const t of d.taints)
    check(
      LABEL_KEY.test(t.key) && LABEL_VALUE.test(t.value) && TAINT_EFFECTS.includes(t.effect),
      "taints",
      t,
      `must be a taint with a label-shaped key and value and an effect of ${TAINT_EFFECTS.join(", ")}`,
    );
  return problems;
}

/**
 * One Karpenter NodePool and the EC2NodeClass it launches with. Give it `dependsOn: [the
 * KarpenterController]` as a resource option: the CRDs, the controller and the node role's access
 * entry must all exist before the pool can launch a node that joins.
 */
export class KarpenterNodePool extends pulumi.ComponentResource {
  readonly poolName: string;

  constructor(name: string, args: KarpenterNodePoolArgs, opts?: pulumi.ComponentResourceOptions) {
    for (const p of nodePoolProblems(args)) requireThat(false, COMPONENT, p.arg, p.value, p.message);
    requireThat(
      SUPPORTED_KUBERNETES_VERSIONS.includes(args.kubernetesVersion),
      COMPONENT,
      "kubernetesVersion",
      args.kubernetesVersion,
      `must be one of ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}: the versions with a pinned AMI release`,
    );
    super("highmem:karpenter:KarpenterNodePool", name, {}, opts);
    this.poolName = args.poolName;
    const k8s = { parent: this, provider: args.provider };

    const discovery = { tags: { "karpenter.sh/discovery": args.clusterName } };
    // The role is an Output; everything else is checked against Karpenter's published types.
    const nodeClassSpec: Omit<IEC2NodeClassSpec, "role"> = {
      amiSelectorTerms: [{ alias: kubernetesRelease(args.kubernetesVersion).karpenterAmiAlias }],
      subnetSelectorTerms: [discovery],
      securityGroupSelectorTerms: [discovery],
      associatePublicIPAddress: false,
      metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [
        {
          deviceName: "/dev/xvda",
          rootVolume: true,
          ebs: {
            volumeSize: `${args.rootVolumeGiB}Gi`,
            volumeType: "gp3",
            iops: ROOT_VOLUME.iops,
            throughput: args.rootVolumeThroughputMiBps ?? ROOT_VOLUME.throughputMiBps,
            encrypted: true,
            deleteOnTermination: true,
          },
        },
      ],
      // No maxPods: unset, Karpenter uses the ENI-limited pod density of each type on AL2023
      // (aws/karpenter-provider-aws@v1.8.1 pkg/providers/instancetype/types.go pods()), which the VPC
      // CNI can give addresses to; a fixed 110 would schedule pods a small node cannot address.
      kubelet: {
        kubeReserved: { cpu: "250m", memory: `${KUBELET_MEMORY_MIB.kubeReserved}Mi`, "ephemeral-storage": "1Gi" },
        systemReserved: { cpu: "250m", memory: `${KUBELET_MEMORY_MIB.systemReserved}Mi`, "ephemeral-storage": "1Gi" },
        evictionHard: { "memory.available": `${KUBELET_MEMORY_MIB.evictionHard}Mi`, "nodefs.available": "10%", "nodefs.inodesFree": "5%" },
      },
      // The RAID0 carries the kubelet's and containerd's ephemeral storage; nodefs eviction above applies to it.
      ...(args.instanceStorePolicy ? { instanceStorePolicy: args.instanceStorePolicy } : {}),
      ...(args.tuning.enabled ? { userData: renderUserData({ hugePagesGiB: args.tuning.hugePagesGiB }) } : {}),
      tags: { ...args.tags, "karpenter.sh/nodepool-name": args.poolName },
    };
    const nodeClass = new CustomResource(
      `${name}-class`,
      {
        apiVersion: "karpenter.k8s.aws/v1",
        kind: "EC2NodeClass",
        metadata: { name: args.poolName },
        spec: { ...nodeClassSpec, role: args.nodeRoleName },
      },
      k8s,
    );

    const poolSpec: INodePoolSpec = {
      weight: args.weight,
      limits: { cpu: String(args.limits.cpu), memory: `${args.limits.memoryGiB}Gi` },
      disruption: args.disruption,
      template: {
        metadata: { labels: { ...args.labels } },
        spec: {
          nodeClassRef: { group: "karpenter.k8s.aws", kind: "EC2NodeClass", name: args.poolName },
          requirements: [...args.requirements],
          taints: args.taints.map((t) => ({ ...t })),
          expireAfter: args.expireAfter,
          terminationGracePeriod: args.terminationGracePeriod,
        },
      },
    };
    new CustomResource(
      `${name}-pool`,
      {
        apiVersion: "karpenter.sh/v1",
        kind: "NodePool",
        metadata: { name: args.poolName },
        spec: poolSpec,
      },
      { ...k8s, dependsOn: [nodeClass] },
    );
    this.registerOutputs({});
  }
}
