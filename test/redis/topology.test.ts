/**
 * The zone-aware pairing rule (components/redis/topology.ts): the TypeScript function and the awk
 * program the bootstrap Job runs give the same answers, and the answers keep every replica out of
 * its master's zone whenever the zones allow it. Runs the awk on PATH (the image has busybox awk).
 */
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { PLAN_AWK, planTopology, type TopologyNode, type TopologyPlan } from "../../components/redis/topology";

function runAwk(nodes: readonly TopologyNode[], masters: number, replicas: number): TopologyPlan {
  const input = nodes.map((n) => `${n.node} ${n.zone || "-"} ${n.state} ${n.master ?? "-"}`).join("\n") + "\n";
  const out = execFileSync("awk", ["-v", `M=${masters}`, "-v", `R=${replicas}`, PLAN_AWK], { input })
    .toString()
    .trim()
    .split("\n");
  const summary = out.find((l) => l.startsWith("summary "))!.split(" ");
  return {
    newMasters: out.filter((l) => l.startsWith("master ")).map((l) => l.split(" ")[1]!),
    replicate: out.filter((l) => l.startsWith("replicate ")).map((l) => [l.split(" ")[1]!, l.split(" ")[2]!] as const),
    zones: Number(summary[1]),
    sameZone: Number(summary[2]),
  };
}

/** A small deterministic generator (mulberry32), so that a failure names a reproducible seed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const ZONES = ["eu-west-1a", "eu-west-1b", "eu-west-1c", "eu-west-1d"];

/** A fresh cluster: every node new, zones drawn from the first `zoneCount` zones (or unknown). */
function fresh(rand: () => number, masters: number, replicas: number, zoneCount: number): TopologyNode[] {
  return Array.from({ length: masters * (1 + replicas) }, (_, i) => ({
    node: `10.0.0.${i + 1}:6379`,
    zone: zoneCount === 0 ? "" : ZONES[Math.floor(rand() * zoneCount)]!,
    state: "free" as const,
  }));
}

/** Roles after applying a plan, as the next run's input (a formed cluster). */
function apply(nodes: readonly TopologyNode[], plan: TopologyPlan): TopologyNode[] {
  const masters = new Set([...nodes.filter((n) => n.state === "master").map((n) => n.node), ...plan.newMasters]);
  const follows = new Map(nodes.filter((n) => n.master !== undefined).map((n) => [n.node, n.master!]));
  for (const [r, m] of plan.replicate) follows.set(r, m);
  return nodes.map((n) =>
    masters.has(n.node) ? { node: n.node, zone: n.zone, state: "master" } : { node: n.node, zone: n.zone, state: "replica", master: follows.get(n.node)! },
  );
}

/** Whether any pairing keeps replicas out of their masters' zones: no zone's load exceeds the places. */
function feasible(nodes: readonly TopologyNode[], replicas: number): boolean {
  const places = nodes.filter((n) => n.state === "master").length * replicas;
  const zones = new Set(nodes.map((n) => n.zone));
  if (zones.size < 2 || zones.has("")) return false;
  return [...zones].every((z) => nodes.filter((n) => n.zone === z).reduce((s, n) => s + (n.state === "master" ? replicas : 1), 0) <= places);
}

describe("planTopology", () => {
  it("agrees with the bootstrap's awk program on 300 random clusters, fresh, scaled out and re-paired", () => {
    const rand = random(18);
    for (let c = 0; c < 300; c++) {
      const masters = 3 + Math.floor(rand() * 4);
      const replicas = 1 + Math.floor(rand() * 2);
      let nodes = fresh(rand, masters, replicas, Math.floor(rand() * 5));
      let plan = planTopology(nodes, masters, replicas);
      expect(runAwk(nodes, masters, replicas), `case ${c}, fresh`).toEqual(plan);
      nodes = apply(nodes, plan);
      // Scale out by one or two masters: new nodes join free.
      const more = 1 + Math.floor(rand() * 2);
      const extra = fresh(rand, more, replicas, 3).map((n, i) => ({ ...n, node: `10.0.1.${i + 1}:6379` }));
      nodes = [...nodes, ...extra];
      plan = planTopology(nodes, masters + more, replicas);
      expect(runAwk(nodes, masters + more, replicas), `case ${c}, scaled out`).toEqual(plan);
    }
  });

  it("keeps every replica out of its master's zone exactly when the zones allow it, with the masters asked for", () => {
    const rand = random(7);
    for (let c = 0; c < 500; c++) {
      const masters = 3 + Math.floor(rand() * 4);
      const replicas = 1 + Math.floor(rand() * 3);
      const nodes = fresh(rand, masters, replicas, 1 + Math.floor(rand() * 4));
      const plan = planTopology(nodes, masters, replicas);
      expect(plan.newMasters).toHaveLength(masters);
      const after = apply(nodes, plan);
      const zoneOf = new Map(nodes.map((n) => [n.node, n.zone]));
      const same = after.filter((n) => n.state === "replica" && zoneOf.get(n.master!) === n.zone).length;
      expect(plan.sameZone, `case ${c}`).toBe(same);
      expect(same === 0, `case ${c}: ${JSON.stringify(after)}`).toBe(feasible(after, replicas));
      // Each master gets exactly its replicas.
      for (const m of after.filter((n) => n.state === "master")) expect(after.filter((n) => n.master === m.node)).toHaveLength(replicas);
    }
  });

  it("spreads the masters over the zones: no zone holds two more masters than another that had a free node", () => {
    const nodes: TopologyNode[] = ["a", "a", "a", "b", "b", "b", "c", "c", "c"].map((z, i) => ({ node: `n${i}`, zone: z, state: "free" }));
    const plan = planTopology(nodes, 3, 2);
    expect(plan.newMasters.map((m) => nodes.find((n) => n.node === m)!.zone).sort()).toEqual(["a", "b", "c"]);
    expect(plan.sameZone).toBe(0);
  });

  it("moves a replica that shares its master's zone, and leaves a cross-zone pair alone", () => {
    const nodes: TopologyNode[] = [
      { node: "m1", zone: "a", state: "master" },
      { node: "m2", zone: "b", state: "master" },
      { node: "m3", zone: "c", state: "master" },
      { node: "r1", zone: "a", state: "replica", master: "m1" },
      { node: "r2", zone: "c", state: "replica", master: "m2" },
      { node: "r3", zone: "b", state: "replica", master: "m1" },
    ];
    const plan = planTopology(nodes, 3, 1);
    expect(plan.replicate.map(([r]) => r)).not.toContain("r2");
    expect(plan.sameZone).toBe(0);
    expect(runAwk(nodes, 3, 1)).toEqual(plan);
  });

  it("says how many pairs share a zone when fewer than two zones are known", () => {
    const nodes = fresh(random(1), 3, 1, 1);
    const plan = planTopology(nodes, 3, 1);
    expect(plan.zones).toBe(1);
    expect(plan.sameZone).toBe(3);
    expect(planTopology(fresh(random(1), 3, 1, 0), 3, 1)).toMatchObject({ zones: 0, sameZone: 0 });
  });
});
