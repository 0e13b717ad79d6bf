/**
 * The Redis Cluster for other Pulumi languages: RedisClusterArgs takes a kubernetes.Provider
 * instance, a list of resources and readonly arrays, which a package schema cannot carry (the
 * component provider's analyzer accepts plain values, Inputs, arrays, string-keyed maps, interfaces
 * and named enums, and refuses other unions: @pulumi/pulumi 3.270.0 provider/experimental/analyzer.js
 * analyzeType). These args are the schema-friendly subset; the provider and the resources to wait for
 * come from the resource options. Defaults and validation stay in RedisCluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { RedisCluster } from "../components/internal";
import type { MaxmemoryPolicy as ComponentMaxmemoryPolicy } from "../components/internal";
import type { RedisToleration } from "../components/internal";
import type { Engine as ComponentEngine } from "../components/index";
import { dependsOnList, kubernetesProviderOf } from "./options";

/** True when two unions hold the same members; used to keep the enums below equal to the component's. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/** Eviction policy at maxmemory. */
export const MaxmemoryPolicy = {
  NoEviction: "noeviction",
  AllkeysLru: "allkeys-lru",
  AllkeysLfu: "allkeys-lfu",
  VolatileLru: "volatile-lru",
  VolatileLfu: "volatile-lfu",
  AllkeysRandom: "allkeys-random",
  VolatileRandom: "volatile-random",
  VolatileTtl: "volatile-ttl",
} as const;
export type MaxmemoryPolicy = (typeof MaxmemoryPolicy)[keyof typeof MaxmemoryPolicy];

/** How a toleration matches a taint. */
export const Engine = { Valkey: "valkey", Redis: "redis" } as const;
export type Engine = (typeof Engine)[keyof typeof Engine];

export const TolerationOperator = { Equal: "Equal", Exists: "Exists" } as const;
export type TolerationOperator = (typeof TolerationOperator)[keyof typeof TolerationOperator];

/** Effect of a taint. */
export const TaintEffect = { NoSchedule: "NoSchedule", PreferNoSchedule: "PreferNoSchedule", NoExecute: "NoExecute" } as const;
export type TaintEffect = (typeof TaintEffect)[keyof typeof TaintEffect];

// Compile-time: the enums are exactly the component's unions (a new policy there fails the type-check here).
const enumsMatch: [
  Same<MaxmemoryPolicy, ComponentMaxmemoryPolicy>,
  Same<Engine, ComponentEngine>,
  Same<TolerationOperator, RedisToleration["operator"]>,
  Same<TaintEffect, NonNullable<RedisToleration["effect"]>>,
] = [true, true, true, true];
void enumsMatch;

/** A taint the Redis pods tolerate. */
export interface RedisClusterToleration {
  /** Taint key to tolerate (required: the component never tolerates every taint). */
  readonly key: string;
  readonly operator: TolerationOperator;
  /** Taint value; with Equal only. */
  readonly value?: string;
  /** Taint effect; every effect when absent. */
  readonly effect?: TaintEffect;
}

export interface RedisClusterZoneSubnet {
  /** Availability zone, e.g. "eu-west-1a". */
  readonly zone: string;
  /** IPv4 CIDR block of a subnet pods take addresses from. */
  readonly cidr: string;
}

export interface RedisClusterComponentArgs {
  /** Namespace of every object (created by the caller). */
  readonly namespace: string;
  /** Memory request and limit of each Redis container (GiB). */
  readonly memoryGiB: number;
  /** Persistent volume of each node (GiB): the append-only file and nodes.conf. */
  readonly storageGiB: number;
  /** StorageClass of the volumes: one of knownStorageClasses. */
  readonly storageClassName: string;
  /** StorageClasses the cluster has; a name outside them is refused. */
  readonly knownStorageClasses: string[];
  /** Kubernetes name prefix of every object (default "redis"). */
  readonly name?: string;
  /** Server: valkey (BSD 3-Clause) or redis (7.4+: RSALv2/SSPLv1) (default valkey). */
  readonly engine?: Engine;
  /** Subnets pods take addresses from, with their zones, for zone-aware replica pairing (default none: zones unknown). */
  readonly zoneSubnets?: RedisClusterZoneSubnet[];
  /** Masters (shards), at least 3 (default 3). */
  readonly masters?: number;
  /** Replicas of each master, 1 to 3 (default 1). */
  readonly replicasPerMaster?: number;
  /** CPU request and limit of each Redis container, in cores (default 2). */
  readonly cpu?: number;
  /** Data memory per node in GiB (default 60% of memoryGiB). */
  readonly maxmemoryGiB?: number;
  /** Eviction policy at maxmemory (default allkeys-lru). */
  readonly maxmemoryPolicy?: MaxmemoryPolicy;
  /** Label pods must carry (`<label>: "true"`) to reach Redis (default "redis-client"). */
  readonly clientLabel?: string;
  /** Namespace Prometheus scrapes from (default "monitoring"). */
  readonly monitoringNamespace?: string;
  /** Protect the StatefulSet, the password and its Secret against deletion and replacement (default false). */
  readonly protect?: boolean;
  /** Node labels the Redis pods must match, e.g. those of a dedicated node pool (default none). */
  readonly nodeSelector?: Record<string, string>;
  /** Taints the Redis pods tolerate, e.g. those of a dedicated node pool (default none). */
  readonly tolerations?: RedisClusterToleration[];
  /** While growing storageGiB: the size (GiB) the volumes have now; the claims are grown first and the StatefulSet replaced without deleting its pods (default none). */
  readonly resizeFromGiB?: number;
}

/**
 * A Redis Cluster (3 masters and 3 replicas by default) on the cluster of the Kubernetes provider in
 * the resource options. The resource option `dependsOn` (e.g. the prometheus-operator CRDs) is what
 * its ServiceMonitor waits for.
 */
export class RedisClusterComponent extends pulumi.ComponentResource {
  /** ClusterIP Service clients connect to. */
  public readonly serviceName: pulumi.Output<string>;
  /** Headless Service the nodes announce themselves through. */
  public readonly headlessServiceName: pulumi.Output<string>;
  /** Secret holding the password (key "password"). */
  public readonly passwordSecretName: pulumi.Output<string>;
  /** Data memory per node (bytes). */
  public readonly maxmemoryBytes: pulumi.Output<number>;

  constructor(name: string, args: RedisClusterComponentArgs, opts?: pulumi.ComponentResourceOptions) {
    super("highmem:index:RedisClusterComponent", name, {}, opts);
    const provider = kubernetesProviderOf(this, "RedisClusterComponent");
    const redis = new RedisCluster(
      name,
      {
        ...args,
        provider,
        monitoringDependsOn: dependsOnList(opts?.dependsOn),
      },
      { parent: this },
    );
    this.serviceName = pulumi.output(redis.serviceName);
    this.headlessServiceName = pulumi.output(redis.headlessServiceName);
    this.passwordSecretName = pulumi.output(redis.passwordSecretName);
    this.maxmemoryBytes = pulumi.output(redis.maxmemoryBytes);
    this.registerOutputs({
      serviceName: this.serviceName,
      headlessServiceName: this.headlessServiceName,
      passwordSecretName: this.passwordSecretName,
      maxmemoryBytes: this.maxmemoryBytes,
    });
  }
}
