/**
 * The two scripts of the Redis backup CronJob's pod, and the S3 layout they write.
 *
 * 1. BACKUP_DUMP_SCRIPT (init container, the Redis image: redis-cli and redis-check-rdb) reads the
 *    cluster's slot map from one node, and for each master with slots fetches an RDB with
 *    `redis-cli --rdb` from one of its replicas whose replication link is up (the master only when no
 *    replica is). `--rdb` asks the node for a full synchronisation as a replica would (redis-cli sends
 *    `REPLCONF rdb-only 1` then SYNC: redis/redis@7.0.15 src/redis-cli.c sendReplconf/sendSync/getRDB);
 *    the node serving it forks to produce the RDB ("the master starts a background saving process":
 *    redis.io docs, "Redis replication", How Redis replication works). Targeting a replica keeps that
 *    fork and its copy-on-write memory off the master, which keeps serving writes; no config changes
 *    and no `save` schedule are needed on the servers (they run with `save ""`). Each file is checked
 *    with redis-check-rdb, which prints the keys it read. A manifest.json records which slot ranges
 *    each file holds, from which node, and how many keys; the raw CLUSTER NODES output is kept beside.
 * 2. BACKUP_UPLOAD_SCRIPT (main container, the AWS CLI image) uploads the files under
 *    `<prefix><timestamp>/`, the manifest last (a backup without a manifest is incomplete), then keeps
 *    only the newest KEEP complete backups of the prefix and removes incomplete older ones.
 *
 * Each shard's RDB is a consistent point in time of that shard; the shards' points differ by the
 * seconds between fetches (Redis Cluster has no cross-shard snapshot).
 */

/** The data bucket prefix of one cluster's backups: under the bucket's snapshots/ prefix (its lifecycle and replication apply). */
export function redisBackupPrefix(snapshotPrefix: string, clusterName: string): string {
  const base = snapshotPrefix.endsWith("/") ? snapshotPrefix : `${snapshotPrefix}/`;
  return `${base}redis/${clusterName}/`;
}

/** The file name of a shard's RDB: its first slot range, such as "slots-0-5460.rdb". */
export function shardFileName(firstRange: readonly [number, number]): string {
  return `slots-${firstRange[0]}-${firstRange[1]}.rdb`;
}

/** What manifest.json holds (format 1). */
export interface RedisBackupManifest {
  readonly format: 1;
  readonly cluster: string;
  /** UTC, as in the key prefix: yyyymmddThhmmssZ. */
  readonly timestamp: string;
  readonly shards: readonly {
    readonly file: string;
    /** Node ID of the master that owned the slots. */
    readonly master: string;
    /** The node the RDB came from, host:port, and its role then. */
    readonly source: string;
    readonly role: "replica" | "master";
    readonly slots: readonly (readonly [number, number])[];
    /** Keys redis-check-rdb read from the file. */
    readonly keys: number;
  }[];
}

/**
 * Environment: REDIS_PASSWORD; SEED, one node as host:port; CLUSTER_NAME; BACKUP_DIR, where the
 * timestamped directory is written; TIMESTAMP, optional (default: now, UTC).
 * Exits non-zero, writing nothing complete, when not all 16384 slots are assigned or a slot is being
 * migrated (a file could then miss keys, or hold keys of another shard).
 */
export const BACKUP_DUMP_SCRIPT = `#!/bin/sh
set -eu
export REDISCLI_AUTH="$REDIS_PASSWORD"
cli() { "\${CLI_BIN:-redis-cli}" --no-auth-warning "$@" | tr -d '\\r'; }
seed_host="\${SEED%:*}"; seed_port="\${SEED##*:}"
stamp="\${TIMESTAMP:-$(date -u +%Y%m%dT%H%M%SZ)}"
out="$BACKUP_DIR/$stamp"

assigned="$(cli -h "$seed_host" -p "$seed_port" cluster info | sed -n 's/^cluster_slots_assigned://p')"
if [ "$assigned" != 16384 ]; then echo "backup: only \${assigned:-no} of 16384 slots are assigned; not backing up a partial cluster" >&2; exit 1; fi
nodes="$(cli -h "$seed_host" -p "$seed_port" cluster nodes)"
if echo "$nodes" | grep -q '\\[[0-9]*-[<>]-'; then echo "backup: a slot is being migrated; try again after it finishes" >&2; exit 1; fi
mkdir -p "$out.partial"
echo "$nodes" > "$out.partial/cluster-nodes.txt"

# host:port of a CLUSTER NODES address field ip:port@cport[,hostname[,...]]: the hostname when announced.
endpoint() { a="$1"; hp="\${a%%,*}"; hp="\${hp%@*}"; case "$a" in *,*) h="\${a#*,}"; h="\${h%%,*}"; [ -n "$h" ] && hp="$h:\${hp##*:}" ;; esac; echo "$hp"; }
link_up() { [ "$(cli -h "\${1%:*}" -p "\${1##*:}" info replication | sed -n 's/^master_link_status://p')" = up ]; }

shards=""
for master in $(echo "$nodes" | awk '$3 ~ /master/ && $3 !~ /fail/ && NF > 8 { print $1 }'); do
  line="$(echo "$nodes" | awk -v id="$master" '$1 == id')"
  ranges="$(echo "$line" | awk '{ for (i = 9; i <= NF; i++) if ($i ~ /^[0-9]+(-[0-9]+)?$/) { n = split($i, r, "-"); printf "%s-%s ", r[1], (n == 2 ? r[2] : r[1]) } }')"
  first="\${ranges%% *}"
  file="slots-$first.rdb"
  source=""; role=replica
  for replica in $(echo "$nodes" | awk -v id="$master" '$4 == id && $3 !~ /fail/ && $8 == "connected" { print $2 }'); do
    candidate="$(endpoint "$replica")"
    if link_up "$candidate"; then source="$candidate"; break; fi
  done
  if [ -z "$source" ]; then
    source="$(endpoint "$(echo "$line" | awk '{ print $2 }')")"; role=master
    echo "backup: no replica of $master has its link up; fetching from the master $source (it forks)" >&2
  fi
  echo "backup: slots $ranges from $role $source -> $file"
  "\${CLI_BIN:-redis-cli}" --no-auth-warning -h "\${source%:*}" -p "\${source##*:}" --rdb "$out.partial/$file" > /dev/null
  checked="$("\${CHECK_RDB_BIN:-redis-check-rdb}" "$out.partial/$file" 2>&1)" || { echo "$checked" >&2; echo "backup: $file failed redis-check-rdb" >&2; exit 1; }
  keys="$(echo "$checked" | sed -n 's/.*\\[info\\] \\([0-9]*\\) keys read.*/\\1/p' | tail -n 1)"
  slots="$(echo "$ranges" | awk '{ for (i = 1; i <= NF; i++) { split($i, r, "-"); printf "%s[%s,%s]", (i > 1 ? "," : ""), r[1], r[2] } }')"
  shards="$shards\${shards:+,}{\\"file\\":\\"$file\\",\\"master\\":\\"$master\\",\\"source\\":\\"$source\\",\\"role\\":\\"$role\\",\\"slots\\":[$slots],\\"keys\\":\${keys:-0}}"
done
printf '{"format":1,"cluster":"%s","timestamp":"%s","shards":[%s]}\\n' "$CLUSTER_NAME" "$stamp" "$shards" > "$out.partial/manifest.json"
mv "$out.partial" "$out"
echo "backup: $out complete"
`;

/**
 * Environment: BUCKET; PREFIX (ends with "/"); BACKUP_DIR, holding the dump script's directories;
 * KEEP, how many complete backups the prefix keeps. `aws s3` on PATH. The bucket's default
 * encryption (SSE-KMS with its key) applies to every object; nothing here names a key.
 */
export const BACKUP_UPLOAD_SCRIPT = `#!/bin/sh
set -eu
dest="s3://$BUCKET/$PREFIX"
uploaded=""
for dir in "$BACKUP_DIR"/*; do
  stamp="\${dir##*/}"
  case "$stamp" in *.partial|'*') continue ;; esac
  [ -f "$dir/manifest.json" ] || continue
  aws s3 cp --recursive --no-progress --exclude manifest.json "$dir/" "$dest$stamp/"
  aws s3 cp --no-progress "$dir/manifest.json" "$dest$stamp/manifest.json"
  echo "upload: $dest$stamp/ complete"
  uploaded="$stamp"
done
if [ -z "$uploaded" ]; then echo "upload: no complete backup in $BACKUP_DIR" >&2; exit 1; fi

# Retention: the newest KEEP complete backups stay; older ones, and incomplete ones other than this
# run's, are removed (versioned bucket: their noncurrent versions expire by the bucket's lifecycle).
kept=0
for stamp in $(aws s3 ls "$dest" | sed -n 's#^ *PRE \\(.*\\)/$#\\1#p' | sort -r); do
  if [ -n "$(aws s3 ls "$dest$stamp/manifest.json" 2>/dev/null || true)" ]; then
    kept=$((kept + 1))
    [ "$kept" -gt "$KEEP" ] || continue
  elif [ "$stamp" = "$uploaded" ]; then
    continue
  fi
  echo "upload: removing $dest$stamp/"
  aws s3 rm --recursive --quiet "$dest$stamp/"
done
`;
