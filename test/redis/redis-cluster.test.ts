/**
 * The Redis Cluster as the component renders it, run for real: six redis-server processes from the
 * rendered redis.conf and start script, formed by the rendered bootstrap script, then a master is
 * killed and restarted. Runs once per server found: Debian's redis-server 7.0 (npm test installs it)
 * and Debian's Valkey 8.0.1 where installed (bookworm-backports), each with its own client.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_SCRIPT } from "../../components/redis/bootstrap-script";
import { PLAN_AWK } from "../../components/redis/topology";
import { renderRedisConf, START_SCRIPT } from "../../components/redis/redis-config";
import { byMaster, freePorts, keySlot, RedisTestCluster, TEST_ENGINES, type ClusterNode, type TestEngine } from "./harness";

const rendered = renderRedisConf({ memoryLimitGiB: 1, maxmemoryPolicy: "noeviction" });
const KEYS = Array.from({ length: 3000 }, (_, i) => `key:${i}`);
const valueOf = (key: string) => `value-of-${key}`;
function suite(engine: TestEngine): void {
  let cluster: RedisTestCluster;

  beforeAll(async () => {
    cluster = new RedisTestCluster(
      mkdtempSync(join(tmpdir(), "hm-redis-")),
      await freePorts(6),
      "test-password-7f3a",
      {
        conf: rendered.conf,
        startScript: START_SCRIPT,
        bootstrapScript: BOOTSTRAP_SCRIPT,
        topologyAwk: PLAN_AWK,
      },
      undefined,
      engine,
    );
    await Promise.all(cluster.ports.map((p) => cluster.start(p)));
  }, 60_000);

  afterAll(() => cluster?.stopAll());

  describe(`a Redis Cluster from the rendered config (${engine.server})`, () => {
    let nodesAfterBootstrap: ClusterNode[];

    it("is formed by the bootstrap script: 3 masters with one replica each, all 16384 slots, state ok", async () => {
      const result = await cluster.bootstrap();
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain("cluster formed, state ok");
      nodesAfterBootstrap = await cluster.nodes(cluster.ports[0]!);
      const masters = nodesAfterBootstrap.filter((n) => n.flags.includes("master"));
      expect(masters).toHaveLength(3);
      expect(
        nodesAfterBootstrap
          .filter((n) => n.flags.includes("slave"))
          .map((n) => n.masterId)
          .sort(),
      ).toEqual(masters.map((m) => m.id).sort());
      expect(await cluster.info(cluster.ports[0]!, "cluster_slots_assigned")).toBe("16384");
      expect(await cluster.cli(cluster.ports[0]!, "config", "get", "maxmemory")).toBe(`maxmemory\n${rendered.maxmemoryBytes}`);
      expect(await cluster.cli(cluster.ports[0]!, "config", "get", "appendfsync")).toBe("appendfsync\neverysec");
    }, 60_000);

    it("refuses clients without the password", async () => {
      const reply = execFileSync(engine.cli, ["-p", String(cluster.ports[0]), "get", "x"]).toString();
      expect(reply).toMatch(/NOAUTH/);
    });

    let killedPort = 0;
    let killedId = "";
    let promotedId = "";

    it("keeps every write acknowledged by a replica when a master dies, promoting its replica before the failover deadline", async () => {
      const nodes = await cluster.nodes(cluster.ports[0]!);
      for (const [port, keys] of byMaster(KEYS, nodes)) {
        const replies = await cluster.pipe(port, [...keys.map((k) => `SET ${k} ${valueOf(k)}`), "WAIT 1 5000"]);
        expect(replies.slice(0, -1).every((r) => r === "OK")).toBe(true);
        expect(Number(replies.at(-1))).toBeGreaterThanOrEqual(1);
      }
      const victim = nodes.find((n) => n.flags.includes("master") && n.slots.some(([from, to]) => keySlot(KEYS[0]!) >= from && keySlot(KEYS[0]!) <= to))!;
      const replica = nodes.find((n) => n.masterId === victim.id)!;
      killedPort = victim.port;
      killedId = victim.id;
      promotedId = replica.id;
      const observer = cluster.ports.find((p) => p !== victim.port && p !== replica.port)!;

      cluster.kill(victim.port);
      // Failover starts once the master has been unreachable for cluster-node-timeout; the replica's
      // election then waits 500-1000 ms. Twice the timeout is the deadline.
      await cluster.waitFor(
        async () => {
          const view = await cluster.nodes(observer);
          return view.find((n) => n.id === promotedId)!.flags.includes("master") && (await cluster.info(observer, "cluster_state")) === "ok";
        },
        2 * rendered.nodeTimeoutMs,
        "the replica's promotion",
      );

      const after = await cluster.nodes(observer);
      for (const [port, keys] of byMaster(KEYS, after)) {
        const values = await cluster.pipe(
          port,
          keys.map((k) => `GET ${k}`),
        );
        expect(values).toEqual(keys.map(valueOf));
      }
    }, 60_000);

    it("takes the killed node back with its old identity, even when its pod address changed, as a replica of the new master", async () => {
      // A rescheduled pod gets a new IP while nodes.conf on its volume still has the old one.
      const nodesConf = join(cluster.dataDir(killedPort), "nodes.conf");
      writeFileSync(nodesConf, readFileSync(nodesConf, "utf8").replace(/^(\S+ )127\.0\.0\.1(:\d+@\d+.*myself)/m, "$110.9.9.9$2"));
      await cluster.start(killedPort);
      expect(await cluster.cli(killedPort, "cluster", "myid")).toBe(killedId);
      await cluster.waitFor(
        async () => {
          const view = await cluster.nodes(cluster.ports.find((p) => p !== killedPort)!);
          const back = view.find((n) => n.id === killedId)!;
          return back.flags.includes("slave") && back.masterId === promotedId && back.connected;
        },
        20_000,
        "the old master to rejoin as a replica",
      );
      expect(await cluster.cli(killedPort, "get", KEYS[0]!).catch((e: Error) => e.message)).toMatch(/MOVED/);
    }, 60_000);

    it("is left as it is when the bootstrap runs again", async () => {
      const before = (await cluster.nodes(cluster.ports[1]!)).map((n) => `${n.id} ${n.flags.join(",")} ${n.masterId}`).sort();
      const result = await cluster.bootstrap();
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain("cluster already formed (6 nodes, state ok); nothing to do");
      const after = (await cluster.nodes(cluster.ports[1]!)).map((n) => `${n.id} ${n.flags.join(",")} ${n.masterId}`).sort();
      expect(after).toEqual(before);
    }, 60_000);
  });
}

if (!TEST_ENGINES.find((e) => e.name === "redis")!.available) {
  throw new Error("redis-server is not installed: run `npm test` (it installs Debian's redis-server) or `apt-get install redis-server`");
}
for (const engine of TEST_ENGINES) {
  if (engine.available) suite(engine);
  else describe.skip(`a Redis Cluster from the rendered config (${engine.server}: not installed on this machine)`, () => it("runs", () => undefined));
}
