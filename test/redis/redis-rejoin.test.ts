/**
 * Every pod of the Redis Cluster rescheduled at once: all six nodes stop and come back with the same
 * volumes (data dirs) but new addresses, so every address in every nodes.conf is stale. Run for real
 * with the rendered redis.conf, start script and bootstrap script, each node on its own loopback
 * address and announcing a pod-like hostname that a hosts file resolves (through a `getent` first on
 * PATH, which is how the start script finds the image's resolver). Needs Debian's redis-server.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_SCRIPT } from "../../components/redis/bootstrap-script";
import { PLAN_AWK } from "../../components/redis/topology";
import { renderRedisConf, START_SCRIPT } from "../../components/redis/redis-config";
import { byMaster, freePorts, HostsFileResolver, RedisTestCluster, type ClusterNode } from "./harness";

const rendered = renderRedisConf({ memoryLimitGiB: 1, maxmemoryPolicy: "noeviction" });
const KEYS = Array.from({ length: 1500 }, (_, i) => `moved:${i}`);
const valueOf = (key: string) => `value-of-${key}`;
const hostname = (i: number) => `redis-${i}.redis-headless.data.svc.cluster.local`;
/** Three generations of pod addresses: formed, all moved, all moved again. */
const SUBNETS = ["127.0.0", "127.0.1", "127.0.2"] as const;
const addressIn = (subnet: string, i: number) => `${subnet}.${21 + i}`;
/** How long the cluster may take to re-form: three node timeouts. */
const REFORM_BOUND_MS = 3 * rendered.nodeTimeoutMs;

let cluster: RedisTestCluster;
let resolver: HostsFileResolver;
const idOf = new Map<number, string>();

function moveAll(subnet: string): Map<string, string> {
  const table = new Map<string, string>();
  cluster.ports.forEach((port, i) => {
    cluster.placement.set(port, { address: addressIn(subnet, i), hostname: hostname(i) });
    table.set(hostname(i), addressIn(subnet, i));
  });
  return table;
}

async function stopAll(): Promise<void> {
  await Promise.all(cluster.ports.map((p) => cluster.stop(p)));
}

/** Every node: state ok, the same six node IDs, all connected, three masters each with a replica. */
async function reformed(): Promise<boolean> {
  for (const port of cluster.ports) {
    if ((await cluster.info(port, "cluster_state").catch(() => "")) !== "ok") return false;
    const view = await cluster.nodes(port);
    if (view.length !== 6 || !view.every((n) => n.connected && !n.flags.includes("fail") && !n.flags.includes("fail?"))) return false;
    const masters = view.filter((n) => n.flags.includes("master"));
    const replicaOf = view.filter((n) => n.flags.includes("slave")).map((n) => n.masterId);
    if (masters.length !== 3 || !masters.every((m) => replicaOf.includes(m.id))) return false;
  }
  return true;
}

async function expectReformedWithData(subnet: string): Promise<void> {
  for (const port of cluster.ports) expect(await cluster.cli(port, "cluster", "myid")).toBe(idOf.get(port));
  const view: ClusterNode[] = await cluster.nodes(cluster.ports[0]!);
  expect(view.map((n) => n.id).sort()).toEqual([...idOf.values()].sort());
  expect(view.map((n) => `${n.hostname} ${n.address}`).sort()).toEqual(cluster.ports.map((_, i) => `${hostname(i)} ${addressIn(subnet, i)}`).sort());
  expect(await cluster.info(cluster.ports[0]!, "cluster_slots_assigned")).toBe("16384");
  for (const [port, keys] of byMaster(KEYS, view)) {
    expect(
      await cluster.pipe(
        port,
        keys.map((k) => `GET ${k}`),
      ),
    ).toEqual(keys.map(valueOf));
  }
}

beforeAll(async () => {
  try {
    execFileSync("redis-server", ["--version"]);
  } catch {
    throw new Error("redis-server is not installed: run `npm test` (it installs Debian's redis-server) or `apt-get install redis-server`");
  }
  const dir = mkdtempSync(join(tmpdir(), "hm-redis-rejoin-"));
  resolver = new HostsFileResolver(dir);
  const ports = await freePorts(6, Array.from({ length: 6 }, (_, i) => SUBNETS.map((s) => addressIn(s, i))).flat());
  cluster = new RedisTestCluster(
    dir,
    ports,
    "test-password-rejoin",
    { conf: rendered.conf, startScript: START_SCRIPT, bootstrapScript: BOOTSTRAP_SCRIPT, topologyAwk: PLAN_AWK },
    resolver,
  );
  resolver.publish(moveAll(SUBNETS[0]));
  await Promise.all(cluster.ports.map((p) => cluster.start(p)));
  const formed = await cluster.bootstrap();
  if (formed.code !== 0) throw new Error(`bootstrap failed:\n${formed.output}`);
  for (const port of cluster.ports) idOf.set(port, await cluster.cli(port, "cluster", "myid"));
  for (const [port, keys] of byMaster(KEYS, await cluster.nodes(cluster.ports[0]!))) {
    const replies = await cluster.pipe(port, [...keys.map((k) => `SET ${k} ${valueOf(k)}`), "WAIT 1 5000"]);
    if (!replies.slice(0, -1).every((r) => r === "OK") || !(Number(replies.at(-1)) >= 1))
      throw new Error(`writes to ${port} not acknowledged by a replica: ${replies.at(-1)}`);
  }
}, 60_000);

afterAll(() => cluster?.stopAll());

describe("a Redis Cluster whose pods all move at once", () => {
  it("re-forms when every node restarts on a new address, each keeping its ID, its data and its replica", async () => {
    await stopAll();
    resolver.publish(moveAll(SUBNETS[1]));
    const asked = resolver.questions().length;
    await Promise.all(cluster.ports.map((p) => cluster.start(p)));
    const tookMs = await cluster.waitFor(reformed, REFORM_BOUND_MS, `the cluster to re-form on ${SUBNETS[1]}.x within ${REFORM_BOUND_MS} ms`);
    await expectReformedWithData(SUBNETS[1]);
    // The start script resolved its peers' announced names through its own resolver line (getent hosts).
    const questions = resolver.questions().slice(asked);
    for (let i = 0; i < 6; i++) expect(questions).toContain(`hosts ${hostname(i)}`);
    console.log(`re-formed on new addresses in ${tookMs} ms`);
  }, 60_000);

  it("re-forms when the names resolve only after the nodes started, by meeting the peers again", async () => {
    await stopAll();
    moveAll(SUBNETS[2]);
    resolver.publish(new Map()); // No pod has a DNS record yet: nodes.conf can only be left as it is.
    await Promise.all(cluster.ports.map((p) => cluster.start(p)));
    for (const port of cluster.ports) {
      const moved = readFileSync(join(cluster.dataDir(port), "nodes.conf"), "utf8")
        .split("\n")
        .filter((l) => l.includes(` ${SUBNETS[2]}.`));
      expect(moved).toHaveLength(1); // only its own line, from POD_IP
      expect(moved[0]).toContain("myself");
    }
    resolver.publish(moveAll(SUBNETS[2]));
    const tookMs = await cluster.waitFor(reformed, REFORM_BOUND_MS, `the cluster to re-form on ${SUBNETS[2]}.x within ${REFORM_BOUND_MS} ms`);
    await expectReformedWithData(SUBNETS[2]);
    const log = cluster.ports.map((p) => readFileSync(join(cluster.dir, `start-${p}.log`), "utf8")).join("");
    expect(log).toMatch(/CLUSTER MEET 127\.0\.2\.\d+ \d+ \d+/);
    console.log(`re-formed after the names resolved in ${tookMs} ms`);
  }, 60_000);
});
