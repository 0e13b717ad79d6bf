/**
 * The bootstrap Job's script: forms the cluster when it is not formed, does nothing when it is, and
 * refuses to touch a half-formed cluster (slots or keys present but not all slots assigned), which
 * needs a person and `redis-cli --cluster fix`, never an automatic re-create that could drop data.
 *
 * Environment: REDIS_PASSWORD; NODES, the nodes as "host:port" separated by spaces; REPLICAS,
 * replicas per master; WAIT_SECONDS, how long to wait for every node to answer.
 */
export const BOOTSTRAP_SCRIPT = `#!/bin/sh
set -eu
cli() { redis-cli --no-auth-warning -a "$REDIS_PASSWORD" "$@"; }
field() { cli -h "$1" -p "$2" cluster info | tr -d '\\r' | sed -n "s/^$3://p"; }

addresses=""
for node in $NODES; do
  host="\${node%:*}"; port="\${node##*:}"
  waited=0
  until [ "$(cli -h "$host" -p "$port" ping 2>/dev/null)" = "PONG" ]; do
    waited=$((waited + 1))
    if [ "$waited" -gt "\${WAIT_SECONDS:-300}" ]; then echo "bootstrap: $node does not answer" >&2; exit 1; fi
    sleep 1
  done
  # CLUSTER MEET takes addresses; clients are given the announced hostnames.
  ip="$(getent hosts "$host" | awk '{ print $1; exit }')"
  addresses="$addresses \${ip:-$host}:$port"
done

first="\${NODES%% *}"
assigned="$(field "\${first%:*}" "\${first##*:}" cluster_slots_assigned)"
if [ "$assigned" = "16384" ]; then
  echo "bootstrap: cluster already formed ($(field "\${first%:*}" "\${first##*:}" cluster_known_nodes) nodes, state $(field "\${first%:*}" "\${first##*:}" cluster_state)); nothing to do"
  exit 0
fi
for node in $NODES; do
  host="\${node%:*}"; port="\${node##*:}"
  if [ "$(field "$host" "$port" cluster_slots_assigned)" != "0" ] || [ "$(cli -h "$host" -p "$port" dbsize)" != "0" ]; then
    echo "bootstrap: $node holds slots or keys but the cluster is incomplete; refusing to re-create it. Repair with redis-cli --cluster fix" >&2
    exit 1
  fi
done

echo "bootstrap: forming the cluster from$addresses"
# shellcheck disable=SC2086
cli --cluster create $addresses --cluster-replicas "$REPLICAS" --cluster-yes
# Done only when every node reports ok and every replica is attached (roles spread by gossip).
count=$(echo $NODES | wc -w)
replicas=$((count / (REPLICAS + 1) * REPLICAS))
settled() {
  for node in $NODES; do
    [ "$(field "\${node%:*}" "\${node##*:}" cluster_state)" = "ok" ] || return 1
  done
  [ "$(cli -h "\${first%:*}" -p "\${first##*:}" cluster nodes | grep -c ' slave .* connected')" = "$replicas" ]
}
waited=0
until settled; do
  waited=$((waited + 1))
  if [ "$waited" -gt 120 ]; then echo "bootstrap: cluster did not settle (state ok, $replicas replicas attached)" >&2; exit 1; fi
  sleep 1
done
echo "bootstrap: cluster formed, state ok"
`;
