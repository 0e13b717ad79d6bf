/**
 * The two topology Jobs of a RedisCluster, as Job specs: "drain" runs before the StatefulSet changes
 * (it empties the pods a scale-in removes), "bootstrap" after (it forms the cluster, joins new pods,
 * rebalances slots and pairs replicas across zones). Both run the scripts of bootstrap-script.ts from
 * the ConfigMap, in the engine's image, as clients of the cluster.
 *
 * Their names carry a hash of the topology (the staying nodes, masters, replicas, zone subnets) and of
 * the scripts: a Job's spec cannot change in place, so a new topology is a new Job that Pulumi
 * creates (and waits for) in place of the old one, and an unchanged topology runs nothing again.
 */
import { createHash } from "node:crypto";
import type * as k8s from "@pulumi/kubernetes/types/input";
import { BOOTSTRAP_SCRIPT, DRAIN_SCRIPT } from "./bootstrap-script";
import type { EngineBinaries } from "./engine";
import { placementFields, type RedisPlacement } from "./placement";
import { PLAN_AWK } from "./topology";

export interface TopologyJobOptions {
  readonly kind: "bootstrap" | "drain";
  /** The cluster's name (object prefix) and namespace. */
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly clientLabel: string;
  /** The nodes after this change, "host:port", pod 0 first. */
  readonly nodes: readonly string[];
  readonly masters: number;
  readonly replicasPerMaster: number;
  /** ZONE_CIDRS ("cidr=zone" separated by spaces). */
  readonly zoneCidrs: string;
  readonly engine: EngineBinaries;
  readonly passwordSecretName: string;
  readonly configMapName: string;
  readonly securityContext: k8s.core.v1.PodSecurityContext;
  readonly placement: RedisPlacement;
}

/** The hash in both Jobs' names: changes with the topology and with the scripts, nothing else. */
export function topologyHash(o: Pick<TopologyJobOptions, "nodes" | "masters" | "replicasPerMaster" | "zoneCidrs">): string {
  const topology = JSON.stringify([o.nodes, o.masters, o.replicasPerMaster, o.zoneCidrs]);
  return createHash("sha256")
    .update(topology + BOOTSTRAP_SCRIPT + DRAIN_SCRIPT + PLAN_AWK)
    .digest("hex")
    .slice(0, 10);
}

export function topologyJob(o: TopologyJobOptions): k8s.batch.v1.Job {
  return {
    metadata: { name: `${o.name}-${o.kind}-${topologyHash(o)}`, namespace: o.namespace, labels: { ...o.labels } },
    spec: {
      backoffLimit: 10,
      template: {
        // Not the servers' labels: the Services, the PodDisruptionBudget, anti-affinity and zone
        // spread select on those, and must not count (or route to) this short-lived client pod.
        metadata: { labels: { "app.kubernetes.io/name": `redis-cluster-${o.kind}`, "app.kubernetes.io/instance": o.name, [o.clientLabel]: "true" } },
        spec: {
          restartPolicy: "OnFailure",
          // valkey-cli against the server pods only: no Kubernetes API, no service account token (CIS EKS 4.1.6).
          automountServiceAccountToken: false,
          securityContext: o.securityContext,
          // Short-lived: it may run on any node the server pods may run on.
          ...placementFields(o.placement),
          containers: [
            {
              name: o.kind,
              image: o.engine.image,
              command: ["sh", `/etc/redis/${o.kind}.sh`],
              env: [
                { name: "NODES", value: o.nodes.join(" ") },
                { name: "MASTERS", value: String(o.masters) },
                { name: "REPLICAS", value: String(o.replicasPerMaster) },
                { name: "ZONE_CIDRS", value: o.zoneCidrs },
                { name: "CLI_BIN", value: o.engine.cli },
                { name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: o.passwordSecretName, key: "password" } } },
              ],
              resources: { requests: { cpu: "100m", memory: "64Mi" }, limits: { cpu: "100m", memory: "64Mi" } },
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              volumeMounts: [{ name: "config", mountPath: "/etc/redis", readOnly: true }],
            },
          ],
          volumes: [{ name: "config", configMap: { name: o.configMapName } }],
        },
      },
    },
  };
}
