/**
 * The cluster's topology Jobs, as shell scripts run in the server image (Valkey or Redis: the client
 * binary comes from CLI_BIN, valkey-cli or redis-cli; every `--cluster` subcommand and flag used here
 * exists in both: redis/redis@7.0.15 and valkey-io/valkey@8.0.1 src/redis-cli.c, src/valkey-cli.c).
 *
 * BOOTSTRAP_SCRIPT (after the StatefulSet): forms the cluster, or brings a formed one to the asked
 * topology. It reads each node's zone (ZONE_CIDRS, below), plans roles with the zone-aware rule in
 * topology.awk (components/redis/topology.ts, PLAN_AWK) and then
 * - on a fresh cluster: creates it from the planned masters only, then attaches each replica to its
 *   planned master (CLUSTER MEET, CLUSTER REPLICATE), so no replica shares its master's zone;
 * - on a formed cluster: adds the new nodes (scale-out) as masters, moves slots onto the empty masters
 *   (`--cluster rebalance --cluster-use-empty-masters`), then attaches or re-attaches replicas;
 * - refuses a half-formed cluster (some slots unassigned) and a node that belongs to another cluster:
 *   those need a person and `--cluster fix`, never an automatic re-create that could drop data.
 * Running it again on a cluster at its topology changes nothing.
 *
 * DRAIN_SCRIPT (before the StatefulSet): when the cluster has members beyond NODES (the pods that
 * stay after a scale-in), empties them before their pods go: a master leaving hands its slots to a
 * replica that stays (CLUSTER FAILOVER, no data copied) while fewer than MASTERS masters stay, else
 * its slots move to the staying masters (`--cluster rebalance` with weight 0); staying masters beyond
 * MASTERS are emptied the same way (the bootstrap makes them replicas); then every leaving node is
 * removed (`--cluster del-node`: CLUSTER FORGET everywhere, CLUSTER RESET SOFT on it). A member
 * leaves when the name it announces (its address when it announces none) is not in NODES. Nothing
 * to do when no pod of NODES has a DNS name yet (first deploy), or every member stays (a scale-out:
 * the new pods do not exist yet and are not waited for).
 *
 * Environment: REDIS_PASSWORD; NODES, the staying nodes as "host:port" separated by spaces, pod 0
 * first; MASTERS; REPLICAS (replicas per master); CLI_BIN (default redis-cli); WAIT_SECONDS (how long to
 * wait for every node, default 300); ZONE_CIDRS, "cidr=zone" entries separated by spaces: a node's
 * zone is that of the subnet its address falls in (unknown when none; fewer than two known zones
 * means replicas may share their master's zone, which the script says); TOPOLOGY_AWK, the path of
 * the planning program (default: topology.awk beside the script).
 */

/** Shared helpers: the client, node addresses and zones. */
const COMMON = `set -eu
CLI="\${CLI_BIN:-redis-cli}"
cli() { "$CLI" --no-auth-warning -a "$REDIS_PASSWORD" "$@"; }
at() { n="$1"; shift; cli -h "\${n%:*}" -p "\${n##*:}" "$@" | tr -d '\\r'; }
field() { at "$1" cluster info | sed -n "s/^$2://p"; }
# The address a name has now (an address is its own answer), or nothing.
resolve() {
  case "$1" in *[!0-9.]*) getent hosts "$1" 2>/dev/null | awk 'NR == 1 { print $1 }' ;; *) echo "$1" ;; esac
}
# The zone of an IPv4 address: the first ZONE_CIDRS entry whose block holds it, or "-".
zone_of() {
  echo "$1 \${ZONE_CIDRS:-}" | awk '
    function num(a,   p) { split(a, p, "."); return ((p[1] * 256 + p[2]) * 256 + p[3]) * 256 + p[4] }
    { ip = num($1); for (i = 2; i <= NF; i++) { split($i, e, "="); split(e[1], c, "/"); size = 2 ^ (32 - c[2])
        if (int(ip / size) == int(num(c[1]) / size)) { print e[2]; exit } } print "-" }'
}
# Waits until every node of NODES answers PING; fills ADDR ("node ip:port" lines) and IDS ("node id").
ADDR=""; IDS=""
wait_all() {
  for node in $NODES; do
    host="\${node%:*}"; port="\${node##*:}"; waited=0
    until [ "$(cli -h "$host" -p "$port" ping 2>/dev/null | tr -d '\\r')" = "PONG" ]; do
      waited=$((waited + 1))
      if [ "$waited" -gt "\${WAIT_SECONDS:-300}" ]; then echo "$0: $node does not answer" >&2; exit 1; fi
      sleep 1
    done
    # CLUSTER MEET and --cluster take addresses; clients are given the announced hostnames.
    ip="$(resolve "$host")"
    ADDR="$ADDR$node \${ip:-$host}:$port
"
    IDS="$IDS$node $(at "$node" cluster myid)
"
  done
}
# Waits until every node of NODES knows as many nodes as the first one, at least $1: slot moves
# need every node to know the target (CLUSTER SETSLOT NODE), which gossip spreads in seconds.
converge() {
  waited=0
  while :; do
    want="$(field "$first" cluster_known_nodes)"; agreed=1
    [ "$want" -ge "$1" ] || agreed=0
    for node in $NODES; do [ "$(field "$node" cluster_known_nodes)" = "$want" ] || agreed=0; done
    [ "$agreed" = 0 ] || return 0
    waited=$((waited + 1)); [ "$waited" -le 60 ] || { echo "$0: nodes do not agree on the members" >&2; exit 1; }; sleep 1
  done
}
# Valkey 8 makes each CLUSTER SETSLOT wait for the target's replicas (NOREPLICAS otherwise,
# valkey-io/valkey@8.0.1 src/cluster_legacy.c): every replica must have synced before slots move.
synced() {
  for node in $NODES; do
    waited=0
    while at "$node" info replication | grep -q '^role:slave' && ! at "$node" info replication | grep -q '^master_link_status:up'; do
      waited=$((waited + 1)); [ "$waited" -le 300 ] || { echo "$0: $node has not synced with its master" >&2; exit 1; }; sleep 1
    done
  done
}
addr() { echo "$ADDR" | awk -v n="$1" '$1 == n { print $2; exit }'; }
id_of() { echo "$IDS" | awk -v n="$1" '$1 == n { print $2; exit }'; }
node_of_id() { echo "$IDS" | awk -v i="$1" '$2 == i { print $1; exit }'; }
first="\${NODES%% *}"
`;

export const BOOTSTRAP_SCRIPT = `#!/bin/sh
${COMMON}
plan_awk="\${TOPOLOGY_AWK:-$(dirname "$0")/topology.awk}"
wait_all
count=$(echo $NODES | wc -w)

assigned="$(field "$first" cluster_slots_assigned)"
view=""
if [ "$assigned" = "16384" ]; then
  view="$(at "$first" cluster nodes)"
elif [ "$assigned" = "0" ]; then
  for node in $NODES; do
    if [ "$(field "$node" cluster_slots_assigned)" != "0" ] || [ "$(at "$node" dbsize)" != "0" ]; then
      echo "bootstrap: $node holds slots or keys but the cluster is incomplete; refusing to re-create it. Repair with $CLI --cluster fix" >&2
      exit 1
    fi
  done
else
  echo "bootstrap: only $assigned of 16384 slots are assigned; refusing to change the cluster. Repair with $CLI --cluster fix" >&2
  exit 1
fi

# Each node as the planner reads it: node, zone, master|replica|free, the node it follows.
input=""
for node in $NODES; do
  id="$(id_of "$node")"; zone="$(zone_of "$(addr "$node" | sed 's/:[0-9]*$//')")"
  line="$(echo "$view" | awk -v id="$id" '$1 == id')"
  if [ -z "$line" ]; then
    if [ -n "$view" ] && { [ "$(field "$node" cluster_known_nodes)" != "1" ] || [ "$(at "$node" dbsize)" != "0" ]; }; then
      echo "bootstrap: $node is not in the cluster but knows other nodes or holds keys; refusing to add it. Reset it (CLUSTER RESET) if it is meant to join empty" >&2
      exit 1
    fi
    input="$input$node $zone free -
"
    continue
  fi
  set -- $line
  case "$3" in
    *slave*|*replica*) input="$input$node $zone replica $(node_of_id "$4")
" ;;
    *) if [ $# -gt 8 ]; then role=master; else role=free; fi; input="$input$node $zone $role -
" ;;
  esac
done
plan="$(printf '%s' "$input" | awk -v M="$MASTERS" -v R="$REPLICAS" -f "$plan_awk")"
set -- $(echo "$plan" | awk '$1 == "summary" { print $2, $3 }')
echo "bootstrap: $1 zones known; after this run $2 replicas share their master's zone"
if [ "$1" -lt 2 ]; then echo "bootstrap: fewer than 2 zones known (ZONE_CIDRS): replicas cannot be kept out of their master's zone" >&2; fi

masters="$(echo "$plan" | awk '$1 == "master" { print $2 }')"
replicate="$(echo "$plan" | awk '$1 == "replicate" { print $2 "=" $3 }')"
if [ -z "$masters" ] && [ -z "$replicate" ] && [ -n "$view" ]; then
  echo "bootstrap: cluster already formed ($(field "$first" cluster_known_nodes) nodes, state $(field "$first" cluster_state)); nothing to do"
  exit 0
fi

if [ -z "$view" ]; then
  addresses=""
  for m in $masters; do addresses="$addresses $(addr "$m")"; done
  echo "bootstrap: forming the cluster from masters$addresses"
  # shellcheck disable=SC2086
  cli --cluster create $addresses --cluster-replicas 0 --cluster-yes
  first="$(echo "$masters" | head -n 1)"
else
  for m in $masters; do
    if ! at "$first" cluster nodes | grep -q "^$(id_of "$m") "; then
      echo "bootstrap: adding $m as a master"
      cli --cluster add-node "$(addr "$m")" "$(addr "$first")"
    fi
  done
fi

for pair in $replicate; do
  r="\${pair%%=*}"; m="\${pair#*=}"; mid="$(id_of "$m")"
  if ! at "$r" cluster nodes | grep -q "^$mid "; then
    entry="$(addr "$first")"
    at "$r" cluster meet "\${entry%:*}" "\${entry##*:}" > /dev/null
    waited=0
    until at "$r" cluster nodes | grep -q "^$mid "; do
      waited=$((waited + 1)); [ "$waited" -le 60 ] || { echo "bootstrap: $r does not learn of $m" >&2; exit 1; }; sleep 1
    done
  fi
  echo "bootstrap: $r replicates $m"
  at "$r" cluster replicate "$mid" > /dev/null
done

converge "$count"
synced
if [ -n "$view" ] && at "$first" cluster nodes | awk '$3 ~ /master/ && $3 !~ /fail/ && NF <= 8 { found = 1 } END { exit !found }'; then
  echo "bootstrap: moving slots onto the empty masters"
  cli --cluster rebalance "$(addr "$first")" --cluster-use-empty-masters --cluster-yes
fi

# Done only when every node reports ok, MASTERS masters hold slots and every replica is attached.
settled() {
  for node in $NODES; do [ "$(field "$node" cluster_state)" = "ok" ] || return 1; done
  nodes="$(at "$first" cluster nodes)"
  [ "$(echo "$nodes" | awk '$3 ~ /master/ && NF > 8' | wc -l)" -eq "$MASTERS" ] &&
    [ "$(echo "$nodes" | awk '$3 ~ /slave|replica/ && $8 == "connected"' | wc -l)" -eq $((count - MASTERS)) ]
}
waited=0
until settled; do
  waited=$((waited + 1))
  if [ "$waited" -gt 120 ]; then echo "bootstrap: cluster did not settle (state ok, $MASTERS masters with slots, $((count - MASTERS)) replicas attached)" >&2; exit 1; fi
  sleep 1
done
echo "bootstrap: cluster formed, state ok"
`;

export const DRAIN_SCRIPT = `#!/bin/sh
${COMMON}
# The entry: the first node of NODES with an address. None has one on a first deploy; on a scale-out
# the new pods have none yet, so members are told apart by name, never by who answers.
entry=""
waited=0
while [ -z "$entry" ]; do
  for node in $NODES; do
    ip="$(resolve "\${node%:*}")"
    if [ -n "$ip" ]; then entry="$ip:\${node##*:}"; break; fi
  done
  [ -n "$entry" ] && break
  waited=$((waited + 1))
  if [ "$waited" -gt 30 ]; then echo "drain: no node has an address yet; nothing to drain"; exit 0; fi
  sleep 1
done
waited=0
until [ "$(at "$entry" ping 2>/dev/null)" = PONG ]; do
  waited=$((waited + 1))
  if [ "$waited" -gt "\${WAIT_SECONDS:-300}" ]; then echo "drain: $entry does not answer" >&2; exit 1; fi
  sleep 1
done
first="$entry"
if [ "$(field "$first" cluster_slots_assigned)" != "16384" ]; then echo "drain: the cluster is not formed; nothing to drain"; exit 0; fi

view() { at "$first" cluster nodes; }
# Every member as "id name:port address:port": the name it announces (its address when none).
members() {
  view | awk '{ n = split($2, part, ","); hp = part[1]; sub(/@.*/, "", hp); port = hp; sub(/.*:/, "", port)
    ip = hp; sub(/:[0-9]+$/, "", ip); name = (n > 1 && part[2] != "") ? part[2] : ip; print $1, name ":" port, ip ":" port }'
}
staying() {
  name="$(members | awk -v id="$1" '$1 == id { print $2 }')"
  case " $NODES " in *" $name "*) return 0 ;; *) return 1 ;; esac
}
address_of() { members | awk -v id="$1" '$1 == id { print $3 }'; }
leaving=""
for id in $(view | awk '{ print $1 }'); do staying "$id" || leaving="$leaving $id"; done
kept_masters() { view | awk '$3 ~ /master/ && NF > 8 { print $1 }' | while read -r id; do staying "$id" && echo "$id"; done; }
if [ -z "$leaving" ] && [ "$(kept_masters | wc -l)" -le "$MASTERS" ]; then echo "drain: every member stays; nothing to drain"; exit 0; fi
wait_all

# A leaving master with a staying replica hands over its slots by failover while masters are short.
for id in $leaving; do
  line="$(view | awk -v id="$id" '$1 == id')"
  case "$line" in *master*) ;; *) continue ;; esac
  [ "$(echo "$line" | awk '{ print NF }')" -gt 8 ] || continue
  [ "$(kept_masters | wc -l)" -lt "$MASTERS" ] || continue
  replica="$(view | awk -v id="$id" '$4 == id && $3 !~ /fail/ { print $1 }' | while read -r r; do staying "$r" && echo "$r"; done | head -n 1)"
  [ -n "$replica" ] || continue
  node="$(address_of "$replica")"
  echo "drain: $node takes over the slots of leaving master $id (CLUSTER FAILOVER)"
  # A manual failover needs the replica in sync, and gives up after a few seconds: wait, then retry.
  waited=0
  until at "$node" info replication | grep -q '^master_link_status:up'; do
    waited=$((waited + 1)); [ "$waited" -le 120 ] || { echo "drain: $node is not in sync with its master" >&2; exit 1; }; sleep 1
  done
  waited=0
  until view | awk -v id="$replica" '$1 == id && $3 ~ /master/ { found = 1 } END { exit !found }'; do
    [ $((waited % 15)) -ne 0 ] || at "$node" cluster failover > /dev/null
    waited=$((waited + 1)); [ "$waited" -le 90 ] || { echo "drain: failover to $node did not complete" >&2; exit 1; }; sleep 1
  done
done

# Masters to empty: the leaving ones that still hold slots, then staying ones beyond MASTERS.
weights=""
for id in $leaving; do
  view | awk -v id="$id" '$1 == id && $3 ~ /master/ && NF > 8 { found = 1 } END { exit !found }' && weights="$weights $id=0"
done
extra=$(($(kept_masters | wc -l) - MASTERS))
for id in $(kept_masters | tail -n "$(( extra > 0 ? extra : 0 ))"); do [ "$extra" -gt 0 ] && weights="$weights $id=0"; done
if [ -n "$weights" ]; then
  converge 1
  synced
  echo "drain: moving every slot off$weights"
  # shellcheck disable=SC2086
  cli --cluster rebalance "$first" --cluster-weight $weights --cluster-yes
fi

for id in $leaving; do
  echo "drain: removing $id from the cluster"
  cli --cluster del-node "$first" "$id"
done
waited=0
until [ "$(field "$first" cluster_state)" = "ok" ] && [ "$(field "$first" cluster_slots_assigned)" = "16384" ]; do
  waited=$((waited + 1)); [ "$waited" -le 120 ] || { echo "drain: cluster not ok after draining" >&2; exit 1; }; sleep 1
done
echo "drain: done; $(kept_masters | wc -l) masters hold every slot"
`;
