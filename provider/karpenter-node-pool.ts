/**
 * A Karpenter node pool for other Pulumi languages. KarpenterNodePoolArgs extends NodePoolDefinition,
 * whose requirements, taints and disruption are readonly arrays and literal unions from Karpenter's
 * published types: a package schema cannot carry them (@pulumi/pulumi 3.270.0
 * provider/experimental/analyzer.js analyzeType refuses unions other than named enums, and arrays
 * other than Array<T>). Its args pick one of the platform's pools (pool-presets.ts, which sizes the
 * high-memory pools from the largest pod) and pass the rest through; defaults, sizing and validation
 * stay in the presets and in KarpenterNodePool.
 */
import * as pulumi from "@pulumi/pulumi";
import { ComponentArgumentError } from "../components/internal";
import type { Architecture } from "../components/internal";
import { KarpenterNodePool } from "../components/internal";
import type { NodePoolDefinition } from "../components/internal";
import { generalPool, highMemoryPool, statefulPool } from "../components/internal";
import { kubernetesProviderOf } from "./options";

const COMPONENT = "KarpenterNodePoolComponent";

/** Which of the platform's pools (components/karpenter/pool-presets.ts). */
export const NodePoolPreset = {
  /** Spot and on-demand c, m and r types for everything else. */
  General: "general",
  /** On-demand m and r types that never expire nodes, for workloads with volumes (Redis, Prometheus). */
  Stateful: "stateful",
  /** Spot types sized for the largest pod (needs highMemory). */
  HighMemorySpot: "high-memory-spot",
  /** On-demand fallback of the high-memory spot pool (needs highMemory). */
  HighMemoryOnDemand: "high-memory-on-demand",
} as const;
export type NodePoolPreset = (typeof NodePoolPreset)[keyof typeof NodePoolPreset];

/** CPU architecture the pool may launch. */
export const CpuArchitecture = { Amd64: "amd64", Arm64: "arm64" } as const;
export type CpuArchitecture = (typeof CpuArchitecture)[keyof typeof CpuArchitecture];
const architecturesMatch: [CpuArchitecture] extends [Architecture] ? ([Architecture] extends [CpuArchitecture] ? true : false) : false = true;
void architecturesMatch;

/** The most the pool may hold, across all its nodes. */
export interface NodePoolLimits {
  readonly cpu: number;
  readonly memoryGiB: number;
}

/** How a high-memory pool is sized. */
export interface HighMemorySizing {
  /** Memory request of the largest pod the pool must hold (GiB). */
  readonly largestPodMemoryGiB: number;
  /** Largest node the pool may launch (GiB). */
  readonly maxNodeMemoryGiB: number;
  /** Region whose prices rank the instance types. */
  readonly region: string;
  /** 2 MiB huge pages reserved per node (GiB); 0 for none. */
  readonly hugePagesGiB: number;
}

export interface KarpenterNodePoolComponentArgs {
  /** Which pool. */
  readonly preset: NodePoolPreset;
  /** Name of the EKS cluster: subnets and security groups are discovered by its tag. */
  readonly clusterName: string;
  /** Role of the nodes (Karpenter makes the instance profile). */
  readonly nodeRoleName: pulumi.Input<string>;
  /** The cluster's Kubernetes minor version, e.g. "1.33": the AMI release is pinned per minor. */
  readonly kubernetesVersion: string;
  /** Architectures the pool may launch. */
  readonly architectures: CpuArchitecture[];
  readonly limits: NodePoolLimits;
  /** Sizing of a high-memory pool; required by the high-memory presets, refused by the others. */
  readonly highMemory?: HighMemorySizing;
  /** Tags for the instances and volumes Karpenter launches. */
  readonly tags?: Record<string, string>;
}

/** The pool's definition from its preset; the preset functions size and describe it. */
function definitionOf(args: KarpenterNodePoolComponentArgs): NodePoolDefinition {
  const presets: readonly string[] = Object.values(NodePoolPreset);
  if (!presets.includes(args.preset)) throw new ComponentArgumentError(COMPONENT, "preset", args.preset, `must be one of ${presets.join(", ")}`);
  const architectures: readonly string[] = Object.values(CpuArchitecture);
  const unknown = args.architectures.filter((a) => !architectures.includes(a));
  if (args.architectures.length === 0 || unknown.length > 0)
    throw new ComponentArgumentError(COMPONENT, "architectures", args.architectures, `must list one or more of ${architectures.join(", ")}`);
  const highMemory = args.preset === "high-memory-spot" || args.preset === "high-memory-on-demand";
  if (highMemory !== (args.highMemory !== undefined)) {
    throw new ComponentArgumentError(
      COMPONENT,
      "highMemory",
      args.highMemory ?? null,
      highMemory ? `is required by preset ${args.preset}` : `applies to the high-memory presets only, not ${args.preset}`,
    );
  }
  const common = { architectures: args.architectures, limits: args.limits };
  switch (args.preset) {
    case "general":
      return generalPool(common);
    case "stateful":
      return statefulPool(common);
    case "high-memory-spot":
    case "high-memory-on-demand":
      if (args.highMemory === undefined) throw new Error("unreachable: highMemory checked above");
      return highMemoryPool(args.preset === "high-memory-spot" ? "spot" : "on-demand", { ...common, ...args.highMemory });
  }
}

/**
 * One of the platform's Karpenter pools (NodePool and EC2NodeClass) on the cluster of the Kubernetes
 * provider in the resource options. Give it `dependsOn` the Karpenter controller, as the TypeScript
 * component asks: the CRDs, the controller and the node role's access entry must exist first.
 */
export class KarpenterNodePoolComponent extends pulumi.ComponentResource {
  /** Kubernetes name of the NodePool and its EC2NodeClass (and the karpenter.sh/nodepool label of its nodes). */
  public readonly poolName: pulumi.Output<string>;
  /** Instance types the pool may launch, when the preset lists them (the high-memory pools). */
  public readonly instanceTypes: pulumi.Output<string[]>;

  constructor(name: string, args: KarpenterNodePoolComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    const definition = definitionOf(args);
    super("highmem:index:KarpenterNodePoolComponent", name, {}, opts);
    const pool = new KarpenterNodePool(
      name,
      {
        ...definition,
        clusterName: args.clusterName,
        nodeRoleName: args.nodeRoleName,
        kubernetesVersion: args.kubernetesVersion,
        provider: kubernetesProviderOf(this, COMPONENT),
        ...(args.tags !== undefined ? { tags: args.tags } : {}),
      },
      { parent: this },
    );
    this.poolName = pulumi.output(pool.poolName);
    const types = definition.requirements.find((r) => r.key === "node.kubernetes.io/instance-type" && r.operator === "In");
    this.instanceTypes = pulumi.output([...(types?.values ?? [])]);
    this.registerOutputs({ poolName: this.poolName, instanceTypes: this.instanceTypes });
  }
}
