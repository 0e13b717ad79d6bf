/**
 * Restores one backup (BACKUP_DUMP_SCRIPT's manifest.json and RDB files, downloaded from S3) into a
 * running, formed and empty Redis Cluster, such as the one a new stack's bootstrap Job has just
 * formed. For each shard file, one after the other, it starts a temporary standalone redis-server
 * (cluster mode off, no AOF, loopback only) that loads the file, then moves every key into the
 * cluster with `redis-cli --cluster import ... --cluster-replace`, which sends each key with MIGRATE
 * to the master that owns its slot in the target cluster (redis/redis@7.0.15 src/redis-cli.c
 * clusterManagerCommandImport; it passes the target's password to MIGRATE as AUTH). The target's slot
 * layout may differ from the source's (another number of masters): keys go where their slot is now.
 *
 * Why not start the new masters from the RDB files: the servers run with `appendonly yes`, and a
 * server with the append-only file enabled loads only that file at startup and ignores dump.rdb
 * (redis.io docs, "Redis persistence", "How I can switch to AOF, if I'm currently using dump.rdb
 * snapshots?"); doing so would need a second start mode of the StatefulSet. The import path needs
 * none and works against the cluster as the platform deploys it.
 *
 * Checks, in order: the manifest's slot ranges cover 0-16383 exactly once; the target cluster has all
 * 16384 slots assigned, state ok and no keys (ALLOW_NONEMPTY=yes merges into a cluster that has
 * some); after each import the temporary server holds no key (every key moved).
 *
 * Environment: REDIS_PASSWORD (the target's); TARGET, one node as host:port; RESTORE_DIR, holding
 * manifest.json and the files; WORK_DIR, writable scratch; SOURCE_PORT (default 6390).
 */
export const RESTORE_SCRIPT = `#!/bin/sh
set -eu
# The password goes to the target only (the temporary server has none and listens on loopback).
cli() { REDISCLI_AUTH="$REDIS_PASSWORD" "\${CLI_BIN:-redis-cli}" --no-auth-warning "$@" | tr -d '\\r'; }
target_host="\${TARGET%:*}"; target_port="\${TARGET##*:}"
manifest="$RESTORE_DIR/manifest.json"
port="\${SOURCE_PORT:-6390}"
[ -f "$manifest" ] || { echo "restore: no $manifest (an incomplete backup has none)" >&2; exit 1; }

# One line per shard: file, slot ranges as a-b a-b ..., keys.
shards="$(tr '{' '\\n' < "$manifest" | sed -n 's/^"file":"\\([^"]*\\)".*"slots":\\[\\(.*\\)\\],"keys":\\([0-9]*\\)}.*/\\1 \\2 \\3/p' \\
  | sed 's/\\],\\[/ /g; s/\\[//g; s/\\]//g' | awk '{ printf "%s", $1; for (i = 2; i < NF; i++) { gsub(",", "-", $i); printf " %s", $i } print " " $NF }')"
[ -n "$shards" ] || { echo "restore: $manifest lists no shard" >&2; exit 1; }
coverage="$(echo "$shards" | awk '{ for (i = 2; i < NF; i++) { split($i, r, "-"); for (s = r[1]; s <= r[2]; s++) seen[s]++ } }
  END { for (s = 0; s < 16384; s++) { if (!(s in seen)) missing++; else if (seen[s] > 1) twice++ } print missing + 0, twice + 0 }')"
if [ "$coverage" != "0 0" ]; then echo "restore: the manifest's slots are not 0-16383 exactly once (missing, twice: $coverage)" >&2; exit 1; fi

info() { cli -h "$target_host" -p "$target_port" cluster info | sed -n "s/^$1://p"; }
if [ "$(info cluster_state)" != ok ] || [ "$(info cluster_slots_assigned)" != 16384 ]; then
  echo "restore: the target cluster is not formed (state $(info cluster_state), $(info cluster_slots_assigned) slots)" >&2; exit 1
fi
masters="$(cli -h "$target_host" -p "$target_port" cluster nodes | awk '$3 ~ /master/ && NF > 8 { a = $2; sub(/[@,].*/, "", a); print a }')"
total() { n=0; for m in $masters; do n=$((n + $(cli -h "\${m%:*}" -p "\${m##*:}" dbsize))); done; echo "$n"; }
if [ "$(total)" != 0 ] && [ "\${ALLOW_NONEMPTY:-no}" != yes ]; then
  echo "restore: the target cluster holds keys; restore into an empty cluster, or set ALLOW_NONEMPTY=yes to merge (backed-up keys win)" >&2; exit 1
fi

echo "$shards" | while read -r file rest; do
  expected="\${rest##* }"
  work="$WORK_DIR/restore-$port"
  rm -rf "$work"; mkdir -p "$work"
  cp "$RESTORE_DIR/$file" "$work/$file"
  "\${SERVER_BIN:-redis-server}" --port "$port" --bind 127.0.0.1 --dir "$work" --dbfilename "$file" --appendonly no --save '' \\
    --cluster-enabled no --protected-mode yes --logfile "$work/server.log" --daemonize yes
  waited=0
  until [ "$("\${CLI_BIN:-redis-cli}" -p "$port" ping 2>/dev/null)" = PONG ] && [ "$("\${CLI_BIN:-redis-cli}" -p "$port" info persistence | tr -d '\\r' | sed -n 's/^loading://p')" = 0 ]; do
    waited=$((waited + 1))
    if [ "$waited" -gt "\${LOAD_SECONDS:-3600}" ]; then echo "restore: $file did not load" >&2; cat "$work/server.log" >&2; exit 1; fi
    sleep 1
  done
  loaded="$("\${CLI_BIN:-redis-cli}" -p "$port" dbsize)"
  echo "restore: $file loaded $loaded keys (the backup read $expected; keys expired since are dropped)"
  if [ "$loaded" != 0 ]; then
    REDISCLI_AUTH="$REDIS_PASSWORD" "\${CLI_BIN:-redis-cli}" --no-auth-warning --cluster import "$TARGET" --cluster-from "127.0.0.1:$port" --cluster-replace > "$work/import.log" 2>&1 \\
      || { tail -n 20 "$work/import.log" >&2; echo "restore: import of $file failed" >&2; exit 1; }
  fi
  left="$("\${CLI_BIN:-redis-cli}" -p "$port" dbsize)"
  "\${CLI_BIN:-redis-cli}" -p "$port" shutdown nosave > /dev/null 2>&1 || true
  if [ "$left" != 0 ]; then echo "restore: $left keys of $file were not moved" >&2; exit 1; fi
  rm -rf "$work"
done
echo "restore: done; the cluster holds $(total) keys, state $(info cluster_state)"
`;
