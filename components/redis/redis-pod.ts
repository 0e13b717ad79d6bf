/**
 * The pod of a Redis Cluster node: Redis and its exporter, Guaranteed QoS, restricted security
 * context, on-demand nodes only (a master must not live on spot), at most one pod per node, and the
 * pods spread evenly over zones; on top of that, the caller's node selector and tolerations.
 */
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { EngineBinaries } from "./engine";
import { placementFields, type RedisPlacement } from "./placement";
import { REDIS_BUS_PORT, REDIS_PORT } from "./redis-config";

export interface RedisPodOptions {
  readonly name: string;
  readonly namespace: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly headlessServiceName: string;
  readonly passwordSecretName: string;
  readonly configMapName: string;
  readonly memoryGiB: number;
  readonly cpu: number;
  /** The engine's image and binary names. */
  readonly engine: EngineBinaries;
  readonly exporterImage: string;
  /** Node selector and tolerations (validated by the caller). */
  readonly placement: RedisPlacement;
}

/** The exporter sidecar's requests (and limits): one place, read by the composition to size its pool. */
export const REDIS_EXPORTER_REQUEST = { cpuMilli: 50, memoryMiB: 64 } as const;
const exporterQuantity = { cpu: `${REDIS_EXPORTER_REQUEST.cpuMilli}m`, memory: `${REDIS_EXPORTER_REQUEST.memoryMiB}Mi` };

/** The server user and group of both official images (redis, valkey): uid 999, gid 1000. */
const REDIS_UID = 999;
const REDIS_GID = 1000;

const restricted = { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ["ALL"] } };

export function redisPodSpec(o: RedisPodOptions): k8s.core.v1.PodSpec & { securityContext: k8s.core.v1.PodSecurityContext } {
  const password = { name: "REDIS_PASSWORD", valueFrom: { secretKeyRef: { name: o.passwordSecretName, key: "password" } } };
  const redisCli = `${o.engine.cli} --no-auth-warning -a "$REDIS_PASSWORD"`;
  const quantity = { cpu: String(o.cpu), memory: `${o.memoryGiB}Gi` };
  return {
    securityContext: {
      runAsNonRoot: true,
      runAsUser: REDIS_UID,
      runAsGroup: REDIS_GID,
      fsGroup: REDIS_GID,
      fsGroupChangePolicy: "OnRootMismatch",
      seccompProfile: { type: "RuntimeDefault" },
    },
    terminationGracePeriodSeconds: 60,
    enableServiceLinks: false,
    affinity: {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchExpressions: [{ key: "karpenter.sh/capacity-type", operator: "In", values: ["on-demand"] }] }],
        },
      },
      podAntiAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: "kubernetes.io/hostname", labelSelector: { matchLabels: { ...o.labels } } }],
      },
    },
    topologySpreadConstraints: [
      { maxSkew: 1, topologyKey: "topology.kubernetes.io/zone", whenUnsatisfiable: "DoNotSchedule", labelSelector: { matchLabels: { ...o.labels } } },
    ],
    ...placementFields(o.placement),
    // The server and its exporter never call the Kubernetes API: no service account token (CIS EKS 4.1.6).
    automountServiceAccountToken: false,
    containers: [
      {
        name: "redis",
        image: o.engine.image,
        command: ["sh", "/etc/redis/start.sh"],
        env: [
          { name: "POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
          { name: "POD_NAME", valueFrom: { fieldRef: { fieldPath: "metadata.name" } } },
          { name: "ANNOUNCE_HOSTNAME", value: `$(POD_NAME).${o.headlessServiceName}.${o.namespace}.svc.cluster.local` },
          password,
          { name: "REDIS_CONF", value: "/etc/redis/redis.conf" },
          { name: "REDIS_DATA", value: "/data" },
          { name: "SERVER_BIN", value: o.engine.server },
          { name: "CLI_BIN", value: o.engine.cli },
        ],
        ports: [
          { name: "redis", containerPort: REDIS_PORT },
          { name: "bus", containerPort: REDIS_BUS_PORT },
        ],
        resources: { requests: quantity, limits: quantity },
        securityContext: restricted,
        // Loading a large append-only file takes minutes: the startup probe allows ten.
        startupProbe: { tcpSocket: { port: "redis" }, periodSeconds: 10, failureThreshold: 60 },
        readinessProbe: { exec: { command: ["sh", "-c", `${redisCli} ping | grep -q PONG`] }, periodSeconds: 10, timeoutSeconds: 5 },
        livenessProbe: { tcpSocket: { port: "redis" }, periodSeconds: 15, failureThreshold: 5 },
        volumeMounts: [
          { name: "data", mountPath: "/data" },
          { name: "config", mountPath: "/etc/redis", readOnly: true },
          { name: "tmp", mountPath: "/tmp" },
        ],
      },
      {
        name: "exporter",
        image: o.exporterImage,
        env: [{ name: "REDIS_ADDR", value: `redis://localhost:${REDIS_PORT}` }, password],
        ports: [{ name: "metrics", containerPort: 9121 }],
        resources: { requests: exporterQuantity, limits: exporterQuantity },
        securityContext: restricted,
        readinessProbe: { httpGet: { path: "/health", port: "metrics" }, periodSeconds: 15 },
        livenessProbe: { httpGet: { path: "/health", port: "metrics" }, periodSeconds: 30 },
      },
    ],
    volumes: [
      { name: "config", configMap: { name: o.configMapName, defaultMode: 0o555 } },
      { name: "tmp", emptyDir: { medium: "Memory", sizeLimit: "64Mi" } },
    ],
  };
}
