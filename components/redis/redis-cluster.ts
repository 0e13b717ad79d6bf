import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { RandomPassword } from "@pulumi/random/randomPassword";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { StatefulSet } from "@pulumi/kubernetes/apps/v1/statefulSet";
import { Job } from "@pulumi/kubernetes/batch/v1/job";
import { ConfigMap } from "@pulumi/kubernetes/core/v1/configMap";
import { Secret } from "@pulumi/kubernetes/core/v1/secret";
import { Service } from "@pulumi/kubernetes/core/v1/service";
import { NetworkPolicy } from "@pulumi/kubernetes/networking/v1/networkPolicy";
import { PodDisruptionBudget } from "@pulumi/kubernetes/policy/v1/podDisruptionBudget";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { REDIS_EXPORTER_IMAGE } from "../versions";
import { requireThat, withDefaults } from "../lib/args";
import { BOOTSTRAP_SCRIPT, DRAIN_SCRIPT } from "./bootstrap-script";
import { topologyJob } from "./topology-jobs";
import { ENGINES, engineBinaries, type Engine } from "./engine";
import { PLAN_AWK } from "./topology";
import { zoneCidrsOf, type ZoneSubnet } from "./zones";
import { validatePlacement, type RedisToleration } from "./placement";
import { REDIS_BUS_PORT, REDIS_MIN_MASTERS, REDIS_PORT, redisStorageProblem, renderRedisConf, START_SCRIPT, type MaxmemoryPolicy } from "./redis-config";
import { redisPodSpec } from "./redis-pod";
import { DELETION_PROPAGATION_ANNOTATION, growClaims, ORPHAN, resizeProblem } from "./resize";

export interface RedisClusterArgs {
  /** Namespace of every object (created by the caller). */
  readonly namespace: string;
  readonly provider: KubernetesProvider;
  /** Memory request and limit of each Redis container (GiB). */
  readonly memoryGiB: number;
  /** Persistent volume of each node (GiB): the append-only file and nodes.conf. */
  readonly storageGiB: number;
  /** StorageClass of the volumes: one of `knownStorageClasses`. */
  readonly storageClassName: string;
  /** StorageClasses the cluster has; a name outside them is refused. */
  readonly knownStorageClasses: readonly string[];
  /**
   * Kubernetes name prefix of every object.
   * @default "redis"
   */
  readonly name?: string;
  /**
   * The server: "valkey" (BSD 3-Clause, the Linux Foundation fork) or "redis" (7.4 and later are
   * RSALv2/SSPLv1). Changing it on a running cluster replaces the images pod by pod; see the README.
   * @default "valkey"
   */
  readonly engine?: Engine;
  /**
   * The subnets pods take their addresses from, each with its availability zone (with the VPC CNI a
   * pod's address comes from its node's subnet, and a subnet lies in one zone). The topology Jobs
   * read a node's zone from its address and keep every replica out of its master's zone. Empty: zones
   * unknown, and the Jobs say so.
   * @default []
   */
  readonly zoneSubnets?: readonly ZoneSubnet[];
  /**
   * Masters (shards); Redis Cluster needs at least 3 for a majority to fail one over. Raising it adds
   * pods that the bootstrap Job joins and gives slots; lowering it first moves the slots off the pods
   * that go (the drain Job), then shrinks the StatefulSet.
   * @default 3
   */
  readonly masters?: number;
  /**
   * Replicas of each master.
   * @default 1
   */
  readonly replicasPerMaster?: number;
  /**
   * CPU request and limit of each Redis container (cores).
   * @default 2
   */
  readonly cpu?: number;
  /**
   * Data memory per node (GiB).
   * @default 60% of memoryGiB
   */
  readonly maxmemoryGiB?: number;
  /**
   * Eviction policy at maxmemory.
   * @default "allkeys-lru"
   */
  readonly maxmemoryPolicy?: MaxmemoryPolicy;
  /**
   * Label pods must carry to reach Redis (`<label>: "true"`); the NetworkPolicy admits only them.
   * @default "redis-client"
   */
  readonly clientLabel?: string;
  /**
   * Namespace Prometheus scrapes from.
   * @default "monitoring"
   */
  readonly monitoringNamespace?: string;
  /**
   * Resources the ServiceMonitor must wait for (the prometheus-operator CRDs).
   * @default []
   */
  readonly monitoringDependsOn?: pulumi.Input<pulumi.Resource>[];
  /**
   * Protect what holds or unlocks the data (StatefulSet, password, its Secret) against deletion and
   * replacement. Services, the ConfigMap and the bootstrap Job stay replaceable.
   * @default false
   */
  readonly protect?: boolean;
  /**
   * Node labels the Redis pods and the bootstrap Job's pod must match, e.g. those of a dedicated
   * node pool. Comes on top of the component's own rules, which stay: on-demand capacity only, one
   * Redis pod per node, even spread over zones.
   * @default {}
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /**
   * Taints the Redis pods and the bootstrap Job's pod tolerate, e.g. those of a dedicated node pool.
   * Each needs a key; operator Equal or Exists; effect NoSchedule, PreferNoSchedule, NoExecute or
   * absent (every effect).
   * @default []
   */
  readonly tolerations?: readonly RedisToleration[];
  /**
   * The size the pods' volumes have now (GiB), set while raising `storageGiB`: every existing claim
   * is grown to `storageGiB` first (a PersistentVolumeClaimPatch each), then the StatefulSet, whose
   * claim template cannot change in place, is replaced; it orphans its pods on deletion, so they and
   * their claims stay. Its protection is lifted for that update. Remove it once the resize is done.
   * @default undefined (no resize)
   */
  readonly resizeFromGiB?: number;
}

export const REDIS_CLUSTER_DEFAULTS = {
  name: "redis",
  engine: "valkey" as Engine,
  zoneSubnets: [] as readonly ZoneSubnet[],
  masters: 3,
  replicasPerMaster: 1,
  cpu: 2,
  maxmemoryPolicy: "allkeys-lru" as MaxmemoryPolicy,
  clientLabel: "redis-client",
  monitoringNamespace: "monitoring",
  monitoringDependsOn: [] as pulumi.Input<pulumi.Resource>[],
  protect: false,
  nodeSelector: {} as Readonly<Record<string, string>>,
  tolerations: [] as readonly RedisToleration[],
} satisfies Partial<RedisClusterArgs>;

const COMPONENT = "RedisCluster";

/**
 * A Redis Cluster (3 masters and 3 replicas by default) as a StatefulSet with a volume per pod.
 * Each node keeps its identity in nodes.conf on its volume and announces its stable pod DNS name.
 * An idempotent Job forms the cluster once; an exporter sidecar and a ServiceMonitor expose metrics.
 */
export class RedisCluster extends pulumi.ComponentResource {
  readonly serviceName: string;
  readonly headlessServiceName: string;
  readonly passwordSecretName: string;
  /** Where clients connect: the Service's cluster DNS name and the Redis port. */
  readonly endpoint: string;
  /** The password Secret as "<namespace>/<name>". */
  readonly passwordSecretRef: string;
  readonly maxmemoryBytes: number;
  /** Labels of the Redis server pods (for clients' egress NetworkPolicies). */
  readonly podLabels: Readonly<Record<string, string>>;
  /** The pod label (value "true") the servers' NetworkPolicy admits clients by. */
  readonly clientLabel: string;
  /** The client port. */
  readonly port = REDIS_PORT;
  readonly statefulSet: StatefulSet;

  constructor(name: string, args: RedisClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(REDIS_CLUSTER_DEFAULTS, args);
    requireThat(
      Number.isInteger(a.masters) && a.masters >= REDIS_MIN_MASTERS,
      COMPONENT,
      "masters",
      a.masters,
      `must be a whole number of at least ${REDIS_MIN_MASTERS}: with fewer, the masters cannot form a majority to fail one over`,
    );
    requireThat(
      Number.isInteger(a.replicasPerMaster) && a.replicasPerMaster >= 1 && a.replicasPerMaster <= 3,
      COMPONENT,
      "replicasPerMaster",
      a.replicasPerMaster,
      "must be 1, 2 or 3: a master without a replica loses its data with its node",
    );
    requireThat(
      a.knownStorageClasses.includes(a.storageClassName),
      COMPONENT,
      "storageClassName",
      a.storageClassName,
      `must be a StorageClass of the cluster: ${a.knownStorageClasses.join(", ")}`,
    );
    requireThat(a.cpu > 0, COMPONENT, "cpu", a.cpu, "must be above 0");
    requireThat(ENGINES.includes(a.engine), COMPONENT, "engine", a.engine, `must be one of ${ENGINES.join(", ")}`);
    const zoneCidrs = zoneCidrsOf(a.zoneSubnets);
    const engine = engineBinaries(a.engine);
    const placement = validatePlacement({ nodeSelector: a.nodeSelector, tolerations: a.tolerations });
    const rendered = renderRedisConf({
      memoryLimitGiB: a.memoryGiB,
      maxmemoryPolicy: a.maxmemoryPolicy,
      ...(a.maxmemoryGiB !== undefined ? { maxmemoryGiB: a.maxmemoryGiB } : {}),
    });
    const storage = redisStorageProblem(a.memoryGiB, a.storageGiB, a.maxmemoryGiB);
    requireThat(storage === undefined, COMPONENT, "storageGiB", a.storageGiB, storage ?? "");
    const resize = a.resizeFromGiB === undefined ? undefined : resizeProblem(a.resizeFromGiB, a.storageGiB);
    requireThat(resize === undefined, COMPONENT, "resizeFromGiB", a.resizeFromGiB, resize ?? "");
    super("highmem:redis:RedisCluster", name, {}, opts);

    const k8s = { parent: this, provider: a.provider };
    const labels = { "app.kubernetes.io/name": "redis-cluster", "app.kubernetes.io/instance": a.name };
    this.podLabels = labels;
    this.clientLabel = a.clientLabel;
    const podCount = a.masters * (1 + a.replicasPerMaster);
    this.serviceName = a.name;
    this.headlessServiceName = `${a.name}-headless`;
    this.passwordSecretName = `${a.name}-auth`;
    this.endpoint = `${this.serviceName}.${a.namespace}.svc.cluster.local:${REDIS_PORT}`;
    this.passwordSecretRef = `${a.namespace}/${this.passwordSecretName}`;
    this.maxmemoryBytes = rendered.maxmemoryBytes;
    const metadata = (objectName: string, extra: Record<string, string> = {}) => ({
      name: objectName,
      namespace: a.namespace,
      labels: { ...labels, ...extra },
    });

    const stateful = { protect: a.protect };
    const password = new RandomPassword(`${name}-password`, { length: 40, special: false }, { parent: this, ...stateful });
    const secret = new Secret(
      `${name}-auth`,
      { metadata: metadata(this.passwordSecretName), type: "Opaque", stringData: { password: password.result } },
      { ...k8s, ...stateful },
    );
    const config = new ConfigMap(
      `${name}-config`,
      {
        metadata: metadata(`${a.name}-config`),
        data: { "redis.conf": rendered.conf, "start.sh": START_SCRIPT, "bootstrap.sh": BOOTSTRAP_SCRIPT, "drain.sh": DRAIN_SCRIPT, "topology.awk": PLAN_AWK },
      },
      k8s,
    );

    const ports = [{ name: "redis", port: REDIS_PORT, targetPort: "redis" }];
    // Peers must find each other before they are ready (the cluster forms only once all answer).
    new Service(
      `${name}-headless`,
      {
        metadata: metadata(this.headlessServiceName),
        spec: {
          clusterIP: "None",
          publishNotReadyAddresses: true,
          selector: labels,
          ports: [...ports, { name: "bus", port: REDIS_BUS_PORT, targetPort: "bus" }],
        },
      },
      k8s,
    );
    new Service(
      `${name}-client`,
      {
        metadata: metadata(this.serviceName),
        spec: { type: "ClusterIP", selector: labels, ports: [...ports, { name: "metrics", port: 9121, targetPort: "metrics" }] },
      },
      k8s,
    );

    const podSpec = redisPodSpec({
      name: a.name,
      namespace: a.namespace,
      labels,
      headlessServiceName: this.headlessServiceName,
      passwordSecretName: this.passwordSecretName,
      configMapName: `${a.name}-config`,
      memoryGiB: a.memoryGiB,
      cpu: a.cpu,
      engine,
      exporterImage: REDIS_EXPORTER_IMAGE,
      placement,
    });
    // A resize grows the existing claims before the StatefulSet is replaced (see ./resize.ts).
    const grown =
      a.resizeFromGiB === undefined ? [] : growClaims(name, { namespace: a.namespace, statefulSetName: a.name, pods: podCount, storageGiB: a.storageGiB }, k8s);
    // The topology Jobs: drain (before the StatefulSet changes; empties the pods a scale-in removes)
    // and bootstrap (after; forms, grows and pairs the cluster). See topology-jobs.ts.
    const topology = {
      name: a.name,
      namespace: a.namespace,
      labels,
      clientLabel: a.clientLabel,
      nodes: Array.from({ length: podCount }, (_, i) => `${a.name}-${i}.${this.headlessServiceName}.${a.namespace}.svc.cluster.local:${REDIS_PORT}`),
      masters: a.masters,
      replicasPerMaster: a.replicasPerMaster,
      zoneCidrs,
      engine,
      passwordSecretName: this.passwordSecretName,
      configMapName: `${a.name}-config`,
      securityContext: podSpec.securityContext,
      placement,
    };
    const drain = new Job(`${name}-drain`, topologyJob({ ...topology, kind: "drain" }), { ...k8s, dependsOn: [secret, config] });
    this.statefulSet = new StatefulSet(
      `${name}-sts`,
      {
        // Deleted (replaced), it leaves its pods running and its claims bound: the new one adopts them.
        metadata: { ...metadata(a.name), annotations: { [DELETION_PROPAGATION_ANNOTATION]: ORPHAN } },
        spec: {
          serviceName: this.headlessServiceName,
          replicas: podCount,
          // All nodes start together: the cluster cannot form while half of them wait for the others.
          podManagementPolicy: "Parallel",
          updateStrategy: { type: "RollingUpdate" },
          persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
          selector: { matchLabels: labels },
          template: { metadata: { labels, annotations: { "highmem.io/config-checksum": checksum(rendered.conf + START_SCRIPT) } }, spec: podSpec },
          volumeClaimTemplates: [
            {
              metadata: { name: "data", labels },
              spec: { accessModes: ["ReadWriteOnce"], storageClassName: a.storageClassName, resources: { requests: { storage: `${a.storageGiB}Gi` } } },
            },
          ],
        },
      },
      { ...k8s, protect: a.protect && grown.length === 0, dependsOn: [secret, config, drain, ...grown] },
    );

    new PodDisruptionBudget(`${name}-pdb`, { metadata: metadata(a.name), spec: { maxUnavailable: 1, selector: { matchLabels: labels } } }, k8s);

    new NetworkPolicy(
      `${name}-netpol`,
      {
        metadata: metadata(a.name),
        spec: {
          podSelector: { matchLabels: labels },
          policyTypes: ["Ingress"],
          ingress: [
            {
              from: [{ podSelector: { matchLabels: labels } }],
              ports: [
                { port: REDIS_PORT, protocol: "TCP" },
                { port: REDIS_BUS_PORT, protocol: "TCP" },
              ],
            },
            { from: [{ namespaceSelector: {}, podSelector: { matchLabels: { [a.clientLabel]: "true" } } }], ports: [{ port: REDIS_PORT, protocol: "TCP" }] },
            {
              from: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": a.monitoringNamespace } } }],
              ports: [{ port: 9121, protocol: "TCP" }],
            },
          ],
        },
      },
      k8s,
    );

    new Job(`${name}-bootstrap`, topologyJob({ ...topology, kind: "bootstrap" }), { ...k8s, dependsOn: [this.statefulSet] });

    new CustomResource(
      `${name}-monitor`,
      {
        apiVersion: "monitoring.coreos.com/v1",
        kind: "ServiceMonitor",
        metadata: metadata(a.name),
        spec: { selector: { matchLabels: labels }, endpoints: [{ port: "metrics", interval: "30s" }], namespaceSelector: { matchNames: [a.namespace] } },
      },
      { ...k8s, dependsOn: a.monitoringDependsOn },
    );

    this.registerOutputs({});
  }
}

/** Rolls the pods when their configuration changes (a ConfigMap edit alone does not). */
function checksum(text: string): string {
  return createHash("sha256").update(text).digest("hex").slice(0, 16);
}
