/**
 * Zone-aware pairing, scale-out and scale-in, run for real: redis-server processes from the rendered
 * redis.conf and start script, the rendered bootstrap and drain scripts with the topology planner
 * (topology.awk), each node on its own loopback address. Zones come the way the component gives them
 * to the Jobs: ZONE_CIDRS, a subnet per zone (here 127.0.11.0/24 is zone a, and so on), and a node's
 * zone is the subnet of its address, as a pod's is the subnet of its VPC address.
 *
 * Shared by redis-topology.test.ts and valkey-topology.test.ts, one engine each. Servers: Debian's redis-server 7.0 (bookworm, BSD licensed; `npm test` installs it), and Debian's
 * Valkey 8.0.1 when installed (bookworm-backports: `apt-get install -t bookworm-backports
 * valkey-server valkey-tools`; npm test does not install it): the suite runs once per server found,
 * each with its own client (redis-cli, valkey-cli), as the component's engine option picks them. The
 * Valkey suite is skipped, by name, where valkey-server is not installed. Moving slots takes Valkey
 * 8.0 longer than Redis 7.0 here (30 to 80 s against 2 to 15 s for 1366 slots, by load): each
 * CLUSTER SETSLOT waits for the replicas to take it first (valkey-io/valkey@8.0.1
 * src/cluster_legacy.c); hence the longer timeouts.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_SCRIPT, DRAIN_SCRIPT } from "../../components/redis/bootstrap-script";
import { renderRedisConf, START_SCRIPT } from "../../components/redis/redis-config";
import { PLAN_AWK } from "../../components/redis/topology";
import { byMaster, freePorts, RedisTestCluster, TEST_ENGINES, type ClusterNode, type TestEngine } from "./harness";

const rendered = renderRedisConf({ memoryLimitGiB: 1, maxmemoryPolicy: "noeviction" });
const ZONE_SUBNET = { a: "127.0.11", b: "127.0.12", c: "127.0.13" } as const;
type Zone = keyof typeof ZONE_SUBNET;
const ZONE_CIDRS = Object.entries(ZONE_SUBNET)
  .map(([zone, subnet]) => `${subnet}.0/24=zone-${zone}`)
  .join(" ");
/**
 * Each pod's zone by ordinal. The first six put two pods of a zone next to each other, so that a
 * pairing by ordinal (the first three masters, the next three their replicas) would put replicas
 * beside their masters; the two scale-out pods land in zones c and a.
 */
const ZONE_OF_POD: readonly Zone[] = ["a", "a", "b", "b", "c", "c", "c", "a"];
const KEYS = Array.from({ length: 4000 }, (_, i) => `topology:${i}`);
const valueOf = (key: string) => `value-of-${key}`;
function suite(engine: TestEngine): void {
  let cluster: RedisTestCluster;

  const zoneOfAddress = (address: string) => (Object.entries(ZONE_SUBNET).find(([, s]) => address.startsWith(`${s}.`)) ?? ["?"])[0];
  const pods = (count: number) => cluster.ports.slice(0, count);

  /** Every replica's master is in another zone; returns the view for further checks. */
  async function expectTopology(viaPort: number, masters: number, nodeCount: number): Promise<ClusterNode[]> {
    const view = await cluster.nodes(viaPort);
    expect(view).toHaveLength(nodeCount);
    const withSlots = view.filter((n) => n.flags.includes("master") && n.slots.length > 0);
    expect(withSlots).toHaveLength(masters);
    expect(view.filter((n) => n.flags.includes("master"))).toHaveLength(masters);
    for (const replica of view.filter((n) => n.flags.includes("slave"))) {
      const master = view.find((n) => n.id === replica.masterId)!;
      expect(zoneOfAddress(replica.address), `replica ${replica.address}:${replica.port} of ${master.address}:${master.port}`).not.toBe(
        zoneOfAddress(master.address),
      );
    }
    for (const m of withSlots) expect(view.filter((n) => n.masterId === m.id && n.connected)).toHaveLength(1);
    expect(await cluster.info(viaPort, "cluster_slots_assigned")).toBe("16384");
    expect(await cluster.info(viaPort, "cluster_state")).toBe("ok");
    return view;
  }

  async function expectEveryKey(viaPort: number): Promise<void> {
    for (const [port, keys] of byMaster(KEYS, await cluster.nodes(viaPort))) {
      const values = await cluster.pipe(
        port,
        keys.map((k) => `GET ${k}`),
      );
      expect(values).toEqual(keys.map(valueOf));
    }
  }

  beforeAll(async () => {
    const address = (i: number) => `${ZONE_SUBNET[ZONE_OF_POD[i]!]}.${20 + i}`;
    const ports = await freePorts(
      ZONE_OF_POD.length,
      ZONE_OF_POD.map((_, i) => address(i)),
    );
    cluster = new RedisTestCluster(
      mkdtempSync(join(tmpdir(), "hm-redis-topology-")),
      ports,
      "test-password-topology",
      {
        conf: rendered.conf,
        startScript: START_SCRIPT,
        bootstrapScript: BOOTSTRAP_SCRIPT,
        drainScript: DRAIN_SCRIPT,
        topologyAwk: PLAN_AWK,
      },
      undefined,
      engine,
    );
    ports.forEach((port, i) => cluster.placement.set(port, { address: address(i), hostname: address(i) }));
    await Promise.all(pods(6).map((p) => cluster.start(p)));
  }, 60_000);

  afterAll(() => cluster?.stopAll());

  describe(`a cluster's topology across zones (${engine.server})`, () => {
    it("is formed with every replica in another zone than its master, masters one per zone", async () => {
      const result = await cluster.bootstrap({ ports: pods(6), masters: 3, zoneCidrs: ZONE_CIDRS });
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain("3 zones known; after this run 0 replicas share their master's zone");
      const view = await expectTopology(cluster.ports[0]!, 3, 6);
      expect(
        view
          .filter((n) => n.flags.includes("master"))
          .map((n) => zoneOfAddress(n.address))
          .sort(),
      ).toEqual(["a", "b", "c"]);
      for (const [port, keys] of byMaster(KEYS, view)) {
        const replies = await cluster.pipe(port, [...keys.map((k) => `SET ${k} ${valueOf(k)}`), "WAIT 1 5000"]);
        expect(replies.slice(0, -1).every((r) => r === "OK")).toBe(true);
      }
    }, 120_000);

    it("scales out from 3 to 4 masters: the new pods join, take a share of the slots, every key stays readable", async () => {
      // The drain Job runs first, before the StatefulSet grows: the new pods do not exist yet.
      const drained = await cluster.drain({ ports: pods(8), masters: 4, zoneCidrs: ZONE_CIDRS });
      expect(drained.code, drained.output).toBe(0);
      expect(drained.output).toContain("drain: every member stays; nothing to drain");
      await Promise.all([6, 7].map((i) => cluster.start(cluster.ports[i]!)));
      const result = await cluster.bootstrap({ ports: pods(8), masters: 4, zoneCidrs: ZONE_CIDRS });
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain("after this run 0 replicas share their master's zone");
      const view = await expectTopology(cluster.ports[0]!, 4, 8);
      // The new master holds about a quarter of the slots (rebalance leaves up to 2% imbalance).
      const newMaster = view.find((n) => n.flags.includes("master") && [6, 7].some((i) => n.port === cluster.ports[i]))!;
      const owned = newMaster.slots.reduce((s, [from, to]) => s + to - from + 1, 0);
      expect(owned).toBeGreaterThan(16384 / 4 - 16384 * 0.03);
      await expectEveryKey(cluster.ports[0]!);
      const again = await cluster.bootstrap({ ports: pods(8), masters: 4, zoneCidrs: ZONE_CIDRS });
      expect(again.code, again.output).toBe(0);
      expect(again.output).toContain("nothing to do");
    }, 300_000);

    it("scales in from 4 to 3 masters: the drain empties and removes the leaving pods first, every key stays readable", async () => {
      // Both leaving pods masters, as failovers can leave them: pod 6 follows a staying master and
      // takes over from it. The drain must then hand pod 6's slots back by failover (only two
      // masters would stay) and move pod 7's slots (it has no staying replica).
      const [p6, p7] = [cluster.ports[6]!, cluster.ports[7]!];
      const before = await cluster.nodes(cluster.ports[0]!);
      const staying = before.find((n) => n.flags.includes("master") && n.slots.length > 0 && n.port !== p7 && zoneOfAddress(n.address) !== "c")!;
      await cluster.cli(p6, "cluster", "replicate", staying.id);
      await cluster.waitFor(async () => (await cluster.cli(p6, "info", "replication")).includes("master_link_status:up"), 30_000, "pod 6 to sync");
      await cluster.cli(p6, "cluster", "failover");
      // Every node must see the swap (gossip) before the drain looks: pod 6 a master, the old one its replica.
      const swapped = async (port: number) => {
        const view = await cluster.nodes(port);
        const six = view.find((n) => n.port === p6)!;
        const old = view.find((n) => n.id === staying.id)!;
        return six.flags.includes("master") && old.flags.includes("slave") && old.masterId === six.id;
      };
      await cluster.waitFor(async () => (await Promise.all(pods(8).map(swapped))).every(Boolean), 60_000, "pod 6 to take over, as every node sees it");
      expect((await cluster.nodes(cluster.ports[0]!)).filter((n) => [p6, p7].includes(n.port) && n.slots.length > 0)).toHaveLength(2);

      const drained = await cluster.drain({ ports: pods(6), masters: 3, zoneCidrs: ZONE_CIDRS });
      expect(drained.code, drained.output).toBe(0);
      expect(drained.output).toMatch(/drain: \S+ takes over the slots of leaving master \S+ \(CLUSTER FAILOVER\)/);
      expect(drained.output).toMatch(/drain: moving every slot off \S+=0\n/);
      const leaving = [6, 7].map((i) => cluster.ports[i]!);
      const after = await cluster.nodes(cluster.ports[0]!);
      expect(after).toHaveLength(6);
      expect(after.map((n) => n.port)).not.toEqual(expect.arrayContaining([leaving[0]]));
      expect(after.filter((n) => n.flags.includes("master") && n.slots.length > 0)).toHaveLength(3);
      expect(await cluster.info(cluster.ports[0]!, "cluster_slots_assigned")).toBe("16384");
      await expectEveryKey(cluster.ports[0]!);
      // Now the StatefulSet shrinks: the two pods go, then the bootstrap re-pairs what stays.
      await Promise.all(leaving.map((p) => cluster.stop(p)));
      const result = await cluster.bootstrap({ ports: pods(6), masters: 3, zoneCidrs: ZONE_CIDRS });
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain("after this run 0 replicas share their master's zone");
      await expectTopology(cluster.ports[0]!, 3, 6);
      await expectEveryKey(cluster.ports[0]!);
      const again = await cluster.drain({ ports: pods(6), masters: 3, zoneCidrs: ZONE_CIDRS });
      expect(again.output).toContain("nothing to drain");
    }, 300_000);
  });
}

/**
 * Declares the suite for one engine (a file per engine, so that the two run side by side): Redis
 * must be installed (npm test installs it); Valkey is skipped, by name, where it is not.
 */
export function topologySuite(name: TestEngine["name"]): void {
  const engine = TEST_ENGINES.find((e) => e.name === name)!;
  if (name === "redis" && !engine.available) {
    throw new Error("redis-server is not installed: run `npm test` (it installs Debian's redis-server) or `apt-get install redis-server`");
  }
  if (engine.available) suite(engine);
  else describe.skip(`a cluster's topology across zones (${engine.server}: not installed on this machine)`, () => it("runs", () => undefined));
}
