/**
 * redis.conf and the container's start script for a Redis Cluster node, rendered from typed options.
 * The same text goes into the ConfigMap and into the tests that run it in a real redis-server.
 */
import { ComponentArgumentError } from "../lib/args";

export const MAXMEMORY_POLICIES = [
  "noeviction",
  "allkeys-lru",
  "allkeys-lfu",
  "volatile-lru",
  "volatile-lfu",
  "allkeys-random",
  "volatile-random",
  "volatile-ttl",
] as const;
export type MaxmemoryPolicy = (typeof MAXMEMORY_POLICIES)[number];

/**
 * Share of the container limit Redis may fill with data. An AOF rewrite forks, and pages written
 * while the child copies are duplicated (copy-on-write): under heavy writes that approaches the
 * dataset's size. The rest also holds client buffers, the replication backlog and fragmentation.
 */
export const DEFAULT_MAXMEMORY_RATIO = 0.6;
/** Above this share, a rewrite under load risks an OOM kill of the whole node. */
export const MAX_MAXMEMORY_RATIO = 0.75;

/** The client port and the cluster bus port of every node (the bus is the client port + 10000). */
export const REDIS_PORT = 6379;
export const REDIS_BUS_PORT = REDIS_PORT + 10000;

/** Redis Cluster needs this many masters for a majority to fail one over. */
export const REDIS_MIN_MASTERS = 3;

/** Data memory (bytes) of a node: maxmemoryGiB when set, else the default share of the container limit. */
export function maxmemoryBytesOf(memoryLimitGiB: number, maxmemoryGiB?: number): number {
  return maxmemoryGiB !== undefined ? Math.floor(maxmemoryGiB * 1024 ** 3) : Math.floor(memoryLimitGiB * 1024 ** 3 * DEFAULT_MAXMEMORY_RATIO);
}

/**
 * Why a node's volume is too small, or undefined: an AOF rewrite writes a new base file beside the
 * old one and its increments, so the volume needs twice the data memory.
 */
export function redisStorageProblem(memoryLimitGiB: number, storageGiB: number, maxmemoryGiB?: number): string | undefined {
  const neededGiB = Math.ceil((2 * maxmemoryBytesOf(memoryLimitGiB, maxmemoryGiB)) / 1024 ** 3);
  if (Number.isInteger(storageGiB) && storageGiB >= neededGiB) return undefined;
  return `must be at least ${neededGiB} GiB for ${memoryLimitGiB} GiB Redis containers: twice their data memory, for the append-only file during a rewrite`;
}

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
  const maxmemoryBytes = maxmemoryBytesOf(o.memoryLimitGiB, o.maxmemoryGiB);
  if (o.maxmemoryGiB !== undefined && (o.maxmemoryGiB > o.memoryLimitGiB * MAX_MAXMEMORY_RATIO || o.maxmemoryGiB <= 0)) {
    throw new ComponentArgumentError(
      COMPONENT,
      "maxmemoryGiB",
      o.maxmemoryGiB,
      `must be above 0 and at most ${MAX_MAXMEMORY_RATIO * 100}% of the ${o.memoryLimitGiB} GiB container limit (${o.memoryLimitGiB * MAX_MAXMEMORY_RATIO} GiB): an AOF rewrite forks, and copy-on-write pages need the rest`,
    );
  }
  const policy = o.maxmemoryPolicy ?? "allkeys-lru";
  if (!MAXMEMORY_POLICIES.includes(policy))
    throw new ComponentArgumentError(COMPONENT, "maxmemoryPolicy", policy, `must be one of ${MAXMEMORY_POLICIES.join(", ")}`);
  const nodeTimeoutMs = o.nodeTimeoutMs ?? 5000;
  if (!Number.isInteger(nodeTimeoutMs) || nodeTimeoutMs < 1000 || nodeTimeoutMs > 60000) {
    throw new ComponentArgumentError(COMPONENT, "nodeTimeoutMs", nodeTimeoutMs, "must be a whole number of milliseconds from 1000 to 60000");
  }
  const conf = [
    "# Rendered by the RedisCluster component (components/redis/redis-config.ts); do not edit in place.",
    "bind * -::*",
    `port ${REDIS_PORT}`,
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
 * The container's entrypoint. nodes.conf on the volume keeps the node's identity (its ID, slots and
 * peers) across restarts, but a rescheduled pod gets a new IP, and when every pod moves at once (a
 * node pool replaced, all six pods rescheduled together) every address in every nodes.conf is stale:
 * no node can reach any other and the cluster never re-forms. Each peer's line also carries the
 * hostname it announced, its stable pod DNS name, so the script:
 *
 * 1. before Redis starts, writes POD_IP into the `myself` line and, for every peer whose announced
 *    hostname resolves, the peer's current address into its line (a stale or missing answer is
 *    harmless: Redis drops an address whose node answers with another ID);
 * 2. when nodes.conf had peers, starts a helper in the background that waits for Redis to load its
 *    data, then once a second resolves every peer's hostname again and, where the address differs
 *    from the one Redis has, sends CLUSTER MEET to it; Redis then adopts the new address for the
 *    known node ID, and gossip carries it to the others. It stops once cluster_state is ok and every
 *    peer is connected, when Redis exits, or after 600 rounds (a peer gone for good). It catches the
 *    names that resolve only after Redis started (pods scheduled later, DNS published late).
 * 3. execs redis-server with the rendered config, the pod's stable DNS name as announced hostname
 *    and the password from the environment; extra arguments are passed on to redis-server.
 *
 * Names resolve through `getent hosts` as found on PATH (the bootstrap Job uses it too). The official
 * image is built FROM alpine (docker-library/redis@e9204996 7.4-rc/alpine/Dockerfile), whose
 * minirootfs installs libc-utils (alpinelinux/aports scripts/mkimg.minirootfs.sh), which depends on
 * musl-utils (main/libc-dev/APKBUILD), which installs /usr/bin/getent (main/musl/APKBUILD, utils());
 * its `hosts` asks for AAAA, then A records, through /etc/hosts and resolv.conf with its search
 * domains (main/musl/getent.c), and prints "ADDRESS  NAME". Tests put a getent that reads a hosts
 * file first on PATH; nothing else changes.
 * Before all that, with SERVER_BIN valkey-server, it refuses data whose RDB file (the AOF base or a
 * dump) has format 12: Redis 7.4 writes it (redis/redis@7.4.1 src/rdb.h RDB_VERSION 12), Valkey 8
 * reads 11 at most (valkey-io/valkey@8.0.1 src/rdb.h RDB_VERSION 11), so switching a Redis 7.4
 * cluster's engine to valkey would otherwise crash-loop each pod on load.
 * Environment: ANNOUNCE_HOSTNAME, REDIS_PASSWORD, POD_IP; SERVER_BIN and CLI_BIN, the engine's
 * binaries (default redis-server, redis-cli); REDIS_CONF, REDIS_DATA, REDIS_PORT with
 * the pod's values as defaults. The helper becomes a child of redis-server through exec; when it has
 * exited, Redis reaps it during its next fork and logs "detected child with unmatched pid", then
 * carries on (redis/redis@7.0.15 src/server.c checkChildrenDone).
 *
 * Formats (redis/redis@7.0.15 src/cluster.c clusterGenNodeDescription and clusterLoadConfig;
 * @7.2.0 src/cluster.c; @7.4.1 src/cluster_legacy.c): a nodes.conf line is
 * `<id> <ip>:<port>@<cport>[,<hostname>[,<aux>=<v>]...] <flags> ...`; 7.2 and 7.4 write the `,` and
 * aux fields (shard-id) even without a hostname; CLUSTER NODES shows `<ip>:<port>@<cport>[,<hostname>]`.
 * CLUSTER MEET takes an IP address only (clusterStartHandshake), and a handshake that reaches a
 * known node ID updates that node's address (clusterProcessPacket, "Handshake: we already know
 * node ..."; nodeUpdateAddressIfNeeded, which also re-points a replica at its moved master).
 */
export const START_SCRIPT = `#!/bin/sh
set -eu
conf="\${REDIS_CONF:-/etc/redis/redis.conf}"
data="\${REDIS_DATA:-/data}"
port="\${REDIS_PORT:-${REDIS_PORT}}"
nodes="$data/nodes.conf"

# The address a name has now, or nothing.
resolve() { getent hosts "$1" 2>/dev/null | awk 'NR == 1 && $1 ~ /^[0-9A-Fa-f.:]+$/ { print $1 }'; }
# The announced hostname in ip:port@cport[,hostname[,aux=value]...], or nothing.
hostname_of() { case "$1" in *,*) h="\${1#*,}"; echo "\${h%%,*}" ;; esac; }

# Valkey 8 reads RDB format 11 at most; Redis 7.4 writes format 12 (the append-only file's base):
# such data cannot be loaded by an image swap, only copied key by key into a new cluster.
server_bin="\${SERVER_BIN:-redis-server}"
if [ "\${server_bin##*/}" = valkey-server ]; then
  for base in "$data"/appendonlydir/*.base.rdb "$data"/dump.rdb; do
    if [ -f "$base" ] && [ "$(head -c 9 "$base")" = REDIS0012 ]; then
      echo "start.sh: $base was written by Redis 7.4 or later (RDB format 12), which Valkey 8 cannot load; keep engine redis for this cluster and migrate as the README says" >&2
      exit 1
    fi
  done
fi

peers=0
if [ -f "$nodes" ]; then
  moves=""
  for entry in $(awk '$1 != "vars" && $3 !~ /myself/ { print $1 "=" $2 }' "$nodes"); do
    host="$(hostname_of "\${entry#*=}")"
    [ -n "$host" ] || continue
    peers=$((peers + 1))
    ip="$(resolve "$host")"
    [ -z "$ip" ] || moves="$moves \${entry%%=*}=$ip"
  done
  awk -v myself="\${POD_IP:-}" -v moves="$moves" '
    BEGIN { n = split(moves, m, " "); for (i = 1; i <= n; i++) { split(m[i], kv, "="); to[kv[1]] = kv[2] } }
    $1 != "vars" && $3 ~ /myself/ && myself != "" { to[$1] = myself }
    ($1 in to) && $2 ~ /:[1-9][0-9]*@/ { sub(/^[^@]*:/, to[$1] ":", $2) }
    { print }' "$nodes" > "$nodes.new"
  sync
  mv "$nodes.new" "$nodes"
fi

rejoin() {
  set +e
  export REDISCLI_AUTH="$REDIS_PASSWORD"
  cli() { "\${CLI_BIN:-redis-cli}" -h "\${POD_IP:-127.0.0.1}" -p "$port" "$@" 2>/dev/null | tr -d '\\r'; }
  round=0
  until kill -0 "$server" 2>/dev/null && [ "$(cli ping)" = PONG ]; do
    round=$((round + 1))
    if [ "$round" -gt 900 ] || ! kill -0 "$server" 2>/dev/null; then return 0; fi
    sleep 1
  done
  round=0
  while [ "$round" -lt 600 ] && kill -0 "$server" 2>/dev/null; do
    view="$(cli cluster nodes)"
    if [ "$(cli cluster info | sed -n 's/^cluster_state://p')" = ok ] && [ -n "$view" ] && ! echo "$view" | grep -q ' disconnected'; then
      echo "start.sh: cluster state ok, every peer connected" >&2
      return 0
    fi
    for addr in $(echo "$view" | awk '$3 !~ /myself/ { print $2 }'); do
      host="$(hostname_of "$addr")"
      [ -n "$host" ] || continue
      ip="$(resolve "$host")"
      hostport="\${addr%%,*}"; old="\${hostport%:*}"; p="\${hostport##*:}"; cport="\${p#*@}"; p="\${p%@*}"
      if [ -n "$ip" ] && [ "$ip" != "$old" ]; then
        if [ "$p" = 0 ]; then p="$port"; cport=$((port + 10000)); fi
        echo "start.sh: $host is at $ip (Redis has \${old:-no address}): CLUSTER MEET $ip $p $cport" >&2
        cli cluster meet "$ip" "$p" "$cport" > /dev/null
      fi
    done
    round=$((round + 1))
    sleep 1
  done
}

server=$$
if [ "$peers" -gt 0 ]; then rejoin & fi
exec "$server_bin" "$conf" --dir "$data" --port "$port" \\
  --cluster-announce-hostname "$ANNOUNCE_HOSTNAME" \\
  --requirepass "$REDIS_PASSWORD" --masterauth "$REDIS_PASSWORD" "$@"
`;
