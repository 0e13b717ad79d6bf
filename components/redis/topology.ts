/**
 * Zone-aware roles of a Redis/Valkey Cluster: which nodes are masters and which master each replica
 * follows, so that no replica shares an availability zone with its master when the zones allow it.
 *
 * `planTopology` is the rule, pure and exported; `PLAN_AWK` is the same rule as an awk program,
 * which the bootstrap Job runs (the server images have a POSIX shell and busybox awk, not Node).
 * test/redis/topology.test.ts runs both on the same inputs and requires the same answers.
 *
 * The rule:
 * 1. Masters that hold slots stay masters; a replica keeps its master when that master stays, is in
 *    another zone (or fewer than 2 zones are known), and has fewer than `replicasPerMaster` kept.
 * 2. Missing masters are taken from the new nodes and empty masters (never from a replica), one
 *    at a time from the zone with the fewest masters (ties: the zone with more free nodes, then by
 *    name), the first free node of that zone in input order.
 * 3. Free nodes fill the masters' open replica places. While both remain, the zone with the largest
 *    load (free nodes plus open places, ties by name) is served first: one of its free nodes goes to
 *    an open place in another zone, or one of its places takes a free node from another zone, each
 *    time from the other zone with the largest load; within a zone, the master with the most open
 *    places (ties: input order). This keeps a solution whenever one exists (no zone's load exceeds
 *    the open places), because the largest load always falls.
 * 4. What cannot be paired across zones is paired anyway (its old master first, else the master
 *    with the most open places) and counted in `sameZone`; nodes beyond every place follow the
 *    master with the fewest replicas.
 */

export interface TopologyNode {
  /** The node's address as the bootstrap knows it ("host:port"); unique. */
  readonly node: string;
  /** Its availability zone; "" when unknown. */
  readonly zone: string;
  /** "master": holds slots; "replica": follows `master`; "free": new, or an empty master. */
  readonly state: "master" | "replica" | "free";
  /** The master a replica follows now (a `node` value). */
  readonly master?: string;
}

export interface TopologyPlan {
  /** Free nodes that become masters, in order. */
  readonly newMasters: readonly string[];
  /** Replicas to attach, or re-attach, as [replica, master], in order. */
  readonly replicate: readonly (readonly [string, string])[];
  /** Replicas left (or placed) in their master's zone. */
  readonly sameZone: number;
  /** Distinct known zones. */
  readonly zones: number;
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function planTopology(nodes: readonly TopologyNode[], masters: number, replicasPerMaster: number): TopologyPlan {
  const zoneOf = new Map(nodes.map((n) => [n.node, n.zone]));
  const stateOf = new Map(nodes.map((n) => [n.node, n.state]));
  const zoneNames = [...new Set(nodes.map((n) => n.zone).filter((z) => z !== ""))].sort(byName);
  const zoned = zoneNames.length >= 2;
  const masterList = nodes.filter((n) => n.state === "master").map((n) => n.node);
  const isMaster = new Set(masterList);
  const kept = new Map<string, number>(masterList.map((m) => [m, 0]));
  const follows = new Map<string, string>();
  const free: string[] = [];
  for (const n of nodes) {
    if (n.state === "master") continue;
    const m = n.master;
    if (n.state === "replica" && m !== undefined && isMaster.has(m) && (kept.get(m) ?? 0) < replicasPerMaster && (!zoned || zoneOf.get(m) !== n.zone)) {
      kept.set(m, (kept.get(m) ?? 0) + 1);
      follows.set(n.node, m);
    } else free.push(n.node);
  }
  const allZones = [...new Set(nodes.map((n) => n.zone))].sort(byName);
  const count = (list: readonly string[], z: string) => list.filter((x) => zoneOf.get(x) === z).length;
  const newMasters: string[] = [];
  // Only new nodes and empty masters may become masters: a replica cannot drop its data and lead.
  const candidates = () => free.filter((x) => stateOf.get(x) === "free");
  while (masterList.length < masters && candidates().length > 0) {
    let best = "";
    let bestMasters = Infinity;
    let bestFree = -1;
    for (const z of allZones) {
      const f = count(candidates(), z);
      if (f === 0) continue;
      const m = count(masterList, z);
      if (m < bestMasters || (m === bestMasters && f > bestFree)) [best, bestMasters, bestFree] = [z, m, f];
    }
    const chosen = candidates().find((x) => zoneOf.get(x) === best)!;
    free.splice(free.indexOf(chosen), 1);
    masterList.push(chosen);
    kept.set(chosen, 0);
    newMasters.push(chosen);
  }
  const open = new Map(masterList.map((m) => [m, Math.max(0, replicasPerMaster - (kept.get(m) ?? 0))]));
  const openIn = (z: string) => masterList.filter((m) => zoneOf.get(m) === z).reduce((s, m) => s + open.get(m)!, 0);
  const load = (z: string) => count(free, z) + openIn(z);
  const mostOpen = (pred: (m: string) => boolean) => {
    let best: string | undefined;
    for (const m of masterList) if (pred(m) && open.get(m)! > 0 && (best === undefined || open.get(m)! > open.get(best)!)) best = m;
    return best;
  };
  const replicate: [string, string][] = [];
  const assign = (r: string, m: string) => {
    free.splice(free.indexOf(r), 1);
    open.set(m, open.get(m)! - 1);
    follows.set(r, m);
    replicate.push([r, m]);
  };
  const maxLoad = (pred: (z: string) => boolean) => {
    let best: string | undefined;
    for (const z of allZones) if (pred(z) && load(z) > 0 && (best === undefined || load(z) > load(best))) best = z;
    return best;
  };
  while (zoned && free.length > 0 && masterList.some((m) => open.get(m)! > 0)) {
    const z1 = maxLoad(() => true)!;
    if (count(free, z1) > 0) {
      const z2 = maxLoad((z) => z !== z1 && openIn(z) > 0);
      if (z2 === undefined) break;
      assign(
        free.find((x) => zoneOf.get(x) === z1)!,
        mostOpen((m) => zoneOf.get(m) === z2)!,
      );
    } else {
      const z2 = maxLoad((z) => z !== z1 && count(free, z) > 0);
      if (z2 === undefined) break;
      assign(
        free.find((x) => zoneOf.get(x) === z2)!,
        mostOpen((m) => zoneOf.get(m) === z1)!,
      );
    }
  }
  const previous = new Map(nodes.filter((n) => n.state === "replica" && n.master !== undefined).map((n) => [n.node, n.master!]));
  for (const r of [...free]) {
    const old = previous.get(r);
    const m = old !== undefined && (open.get(old) ?? 0) > 0 ? old : mostOpen(() => true);
    if (m === undefined) break;
    assign(r, m);
  }
  for (const r of [...free]) {
    if (masterList.length === 0) break;
    const replicasOf = (m: string) => [...follows.values()].filter((x) => x === m).length;
    let m = masterList[0]!;
    for (const c of masterList) if (replicasOf(c) < replicasOf(m)) m = c;
    assign(r, m);
  }
  const sameZone = [...follows].filter(([r, m]) => zoneOf.get(r) !== "" && zoneOf.get(r) === zoneOf.get(m)).length;
  return {
    newMasters,
    replicate: replicate.filter(([r, m]) => previous.get(r) !== m),
    sameZone,
    zones: zoneNames.length,
  };
}

/**
 * `planTopology` as an awk program, for the bootstrap Job. Input lines: `node zone state master`,
 * with "-" for an unknown zone or no master; variables M (masters) and R (replicas per master).
 * Output lines: `master NODE`, `replicate NODE MASTER`, then `summary ZONES SAME_ZONE`.
 * Written for POSIX awk (busybox awk in the Alpine images, mawk or gawk elsewhere).
 */
export const PLAN_AWK = `
function freeIn(z,   j, c) { c = 0; for (j = 1; j <= nf; j++) if (!used[fl[j]] && zone[fl[j]] == z) c++; return c }
function candidatesIn(z,   j, c) { c = 0; for (j = 1; j <= nf; j++) if (!used[fl[j]] && state[fl[j]] == "free" && zone[fl[j]] == z) c++; return c }
function openIn(z,   j, c) { c = 0; for (j = 1; j <= nm; j++) if (zone[ml[j]] == z) c += open[ml[j]]; return c }
function load(z) { return freeIn(z) + openIn(z) }
function freeLeft(   j) { for (j = 1; j <= nf; j++) if (!used[fl[j]]) return 1; return 0 }
function anyOpen(   j) { for (j = 1; j <= nm; j++) if (open[ml[j]] > 0) return 1; return 0 }
function firstFree(z,   j) { for (j = 1; j <= nf; j++) if (!used[fl[j]] && zone[fl[j]] == z) return fl[j]; return "" }
function mostOpen(z, any,   j, x, b) {
  b = ""
  for (j = 1; j <= nm; j++) { x = ml[j]; if ((any || zone[x] == z) && open[x] > 0 && (b == "" || open[x] > open[b])) b = x }
  return b
}
function maxLoad(ex, need,   k, z, b, l, bl) {
  b = ""; bl = 0
  for (k = 1; k <= na; k++) {
    z = allz[k]
    if (z == ex || (need == "open" && openIn(z) == 0) || (need == "free" && freeIn(z) == 0)) continue
    l = load(z)
    if (l > 0 && (b == "" || l > bl)) { b = z; bl = l }
  }
  return b
}
function replicasOf(m,   x, c) { c = 0; for (x in fol) if (fol[x] == m) c++; return c }
function assign(r, m) { used[r] = 1; open[m]--; fol[r] = m; if (prev[r] != m) print "replicate " r " " m }
NF >= 3 { n++; node[n] = $1; zone[$1] = $2; state[$1] = $3; prev[$1] = ($4 == "" || $4 == "-") ? "" : $4 }
END {
  for (i = 1; i <= n; i++) {
    z = zone[node[i]]
    if (z != "-" && !(z in known)) { known[z] = 1; nz++ }
    if (!(z in seen)) { seen[z] = 1; na++; allz[na] = z }
  }
  for (i = 2; i <= na; i++) { z = allz[i]; for (j = i - 1; j >= 1 && allz[j] > z; j--) allz[j + 1] = allz[j]; allz[j + 1] = z }
  zoned = nz >= 2
  for (i = 1; i <= n; i++) if (state[node[i]] == "master") { nm++; ml[nm] = node[i]; isMaster[node[i]] = 1; kept[node[i]] = 0 }
  for (i = 1; i <= n; i++) {
    x = node[i]; m = prev[x]
    if (state[x] == "master") continue
    if (state[x] == "replica" && m != "" && (m in isMaster) && kept[m] < R && (!zoned || zone[m] != zone[x])) { kept[m]++; fol[x] = m }
    else { nf++; fl[nf] = x }
  }
  while (nm < M + 0) {
    best = ""; bm = -1; bf = -1
    for (k = 1; k <= na; k++) {
      z = allz[k]; f = candidatesIn(z)
      if (f == 0) continue
      c = 0; for (j = 1; j <= nm; j++) if (zone[ml[j]] == z) c++
      if (bm < 0 || c < bm || (c == bm && f > bf)) { best = z; bm = c; bf = f }
    }
    if (bm < 0) break
    for (j = 1; j <= nf; j++) { x = fl[j]; if (!used[x] && state[x] == "free" && zone[x] == best) break }
    used[x] = 1; nm++; ml[nm] = x; isMaster[x] = 1; kept[x] = 0
    print "master " x
  }
  for (j = 1; j <= nm; j++) { open[ml[j]] = R - kept[ml[j]]; if (open[ml[j]] < 0) open[ml[j]] = 0 }
  while (zoned && freeLeft() && anyOpen()) {
    z1 = maxLoad("", "")
    if (freeIn(z1) > 0) { z2 = maxLoad(z1, "open"); if (z2 == "") break; assign(firstFree(z1), mostOpen(z2, 0)) }
    else { z2 = maxLoad(z1, "free"); if (z2 == "") break; assign(firstFree(z2), mostOpen(z1, 0)) }
  }
  for (j = 1; j <= nf; j++) {
    r = fl[j]
    if (used[r]) continue
    old = prev[r]
    if (old != "" && (old in open) && open[old] > 0) m = old; else m = mostOpen("", 1)
    if (m == "") break
    assign(r, m)
  }
  for (j = 1; j <= nf; j++) {
    r = fl[j]
    if (used[r] || nm == 0) continue
    b = ml[1]; for (k = 1; k <= nm; k++) if (replicasOf(ml[k]) < replicasOf(b)) b = ml[k]
    assign(r, b)
  }
  same = 0; for (x in fol) if (zone[x] != "-" && zone[x] == zone[fol[x]]) same++
  print "summary " nz + 0 " " same
}
`;
