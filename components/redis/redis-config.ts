/**
 * redis.conf and the container's start script for a Redis Cluster node, rendered from typed options.
 * The same text goes into the ConfigMap and into the tests that run it in a real redis-server.
 */
import { ComponentArgumentError } from "../lib/args";

export const MAXMEMORY_POLICIES = ["noeviction", "allkeys-lru", "allkeys-lfu", "volatile-lru", "volatile-lfu", "allkeys-random", "volatile-random", "volatile-ttl"] as const;
export type MaxmemoryPolicy = (typeof MAXMEMORY_POLICIES)[number];

/**
 * Share of the container limit Redis may fill with data. An AOF rewrite forks, and pages written
 * while the child copies are duplicated (copy-on-write): under heavy writes that approaches the
 * dataset's size. The rest also holds client buffers, the replication backlog and fragmentation.
 */
export const DEFAULT_MAXMEMORY_RATIO = 0.6;
/** Above this share, a rewrite under load risks an OOM kill of the whole node. */
export const MAX_MAXMEMORY_RATIO = 0.75;

export interface RedisConfigOptions {
  /** Memory limit of the Redis container (GiB). */
  readonly memoryLimitGiB: number;
  /**
   * Data memory (GiB); at most 75% of the limit.
   * @default 60% of memoryLimitGiB
   */
  readonly maxmemoryGiB?: number;
  /**
   * What Redis does at maxmemory: evict (a cache) or refuse writes (a store).
   * @default "allkeys-lru"
   */
  readonly maxmemoryPolicy?: MaxmemoryPolicy;
  /**
   * Milliseconds without an answer after which a master is failed over.
   * @default 5000
   */
  readonly nodeTimeoutMs?: number;
}

export interface RenderedRedisConfig {
  readonly conf: string;
  readonly maxmemoryBytes: number;
  readonly nodeTimeoutMs: number;
}

const COMPONENT = "RedisCluster";

export function renderRedisConf(o: RedisConfigOptions): RenderedRedisConfig {
  if (!(o.memoryLimitGiB >= 1)) throw new ComponentArgumentError(COMPONENT, "memoryGiB", o.memoryLimitGiB, "must be at least 1 GiB");
  const limitBytes = o.memoryLimitGiB * 1024 ** 3;
  const maxmemoryBytes = o.maxmemoryGiB !== undefined ? Math.floor(o.maxmemoryGiB * 1024 ** 3) : Math.floor(limitBytes * DEFAULT_MAXMEMORY_RATIO);
  if (o.maxmemoryGiB !== undefined && (o.maxmemoryGiB > o.memoryLimitGiB * MAX_MAXMEMORY_RATIO || o.maxmemoryGiB <= 0)) {
    throw new ComponentArgumentError(COMPONENT, "maxmemoryGiB", o.maxmemoryGiB,
      `must be above 0 and at most ${MAX_MAXMEMORY_RATIO * 100}% of the ${o.memoryLimitGiB} GiB container limit (${o.memoryLimitGiB * MAX_MAXMEMORY_RATIO} GiB): an AOF rewrite forks, and copy-on-write pages need the rest`);
  }
  const policy = o.maxmemoryPolicy ?? "allkeys-lru";
  if (!MAXMEMORY_POLICIES.includes(policy)) throw new ComponentArgumentError(COMPONENT, "maxmemoryPolicy", policy, `must be one of ${MAXMEMORY_POLICIES.join(", ")}`);
  const nodeTimeoutMs = o.nodeTimeoutMs ?? 5000;
  if (!Number.isInteger(nodeTimeoutMs) || nodeTimeoutMs < 1000 || nodeTimeoutMs > 60000) {
    throw new ComponentArgumentError(COMPONENT, "nodeTimeoutMs", nodeTimeoutMs, "must be a whole number of milliseconds from 1000 to 60000");
  }
  const conf = [
    "# Rendered by the RedisCluster component (components/redis/redis-config.ts); do not edit in place.",
    "bind * -::*",
    "port 6379",
    "protected-mode yes",
    "# The data directory (the persistent volume) is set by the start script: --dir.",
    "",
    "# Cluster: identity and slot map live in nodes.conf on the persistent volume.",
    "cluster-enabled yes",
    "cluster-config-file nodes.conf",
    `cluster-node-timeout ${nodeTimeoutMs}`,
    "cluster-preferred-endpoint-type hostname",
    "cluster-allow-replica-migration yes",
    "",
    "# Durability: append-only file, fsync every second; no RDB snapshots (one fork at a time).",
    "appendonly yes",
    "appendfsync everysec",
    "aof-use-rdb-preamble yes",
    "auto-aof-rewrite-percentage 100",
    "auto-aof-rewrite-min-size 256mb",
    'save ""',
    "",
    `# Memory: ${(maxmemoryBytes / 1024 ** 3).toFixed(2)} GiB of data in a ${o.memoryLimitGiB} GiB container; the rest is`,
    "# headroom for fork copy-on-write during AOF rewrites, client buffers and the replication backlog.",
    `maxmemory ${maxmemoryBytes}`,
    `maxmemory-policy ${policy}`,
    "repl-backlog-size 256mb",
    "tcp-keepalive 60",
    "",
  ].join("\n");
  return { conf, maxmemoryBytes, nodeTimeoutMs };
}

/**
 * The container's entrypoint. nodes.conf keeps the node's identity across restarts, but a
 * rescheduled pod gets a new IP while the file's "myself" line still carries the old one; peers would
 * then never find it. The script puts the current IP there, then starts Redis with the rendered
 * config, the pod's stable DNS name as announced hostname, and the password from the environment.
 * Extra arguments are passed on to redis-server.
 */
export const START_SCRIPT = `#!/bin/sh
set -eu
conf="\${REDIS_CONF:-/etc/redis/redis.conf}"
data="\${REDIS_DATA:-/data}"
if [ -f "$data/nodes.conf" ] && [ -n "\${POD_IP:-}" ]; then
  sed -i -E "/myself/ s/ [0-9a-fA-F.:]+:([0-9]+)@([0-9]+)/ \${POD_IP}:\\\\1@\\\\2/" "$data/nodes.conf"
fi
exec redis-server "$conf" --dir "$data" \\
  --cluster-announce-hostname "$ANNOUNCE_HOSTNAME" \\
  --requirepass "$REDIS_PASSWORD" --masterauth "$REDIS_PASSWORD" "$@"
`;
