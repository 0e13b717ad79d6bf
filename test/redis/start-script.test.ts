/**
 * The start script's nodes.conf rewrite, run by sh against the nodes.conf format the production image
 * (Redis 7.4) writes, which Debian's 7.0 server here does not: `ip:port@cport,hostname,shard-id=...`,
 * and `ip:port@cport,,shard-id=...` without a hostname (redis/redis@7.4.1 src/cluster_legacy.c,
 * clusterGenNodeDescription). redis-server and getent are stand-ins first on PATH.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { START_SCRIPT } from "../../components/redis/redis-config";
import { HostsFileResolver } from "./harness";

const ID = (c: string) => c.repeat(40);
const SHARD = (c: string) => `shard-id=${c.repeat(40)}`;
const host = (i: number) => `redis-${i}.redis-headless.data.svc.cluster.local`;
const NODES_74 = [
  `${ID("a")} 127.0.1.10:6379@16379,${host(0)},${SHARD("1")} myself,master - 0 0 1 connected 0-5460`,
  `${ID("b")} 10.0.1.11:6379@16379,${host(1)},${SHARD("2")} master - 0 1700000000000 2 connected 5461-10922`,
  `${ID("c")} 10.0.1.12:6379@16379,${host(2)},${SHARD("3")} master - 0 1700000000000 3 connected 10923-16383`,
  `${ID("d")} 10.0.1.13:6379@16379,${host(3)},${SHARD("1")} slave ${ID("a")} 0 1700000000000 1 connected`,
  `${ID("e")} 10.0.1.14:6379@16379,,${SHARD("2")} slave ${ID("b")} 0 1700000000000 2 connected`,
  `${ID("f")} 10.0.1.15:6379@16379,${host(5)},${SHARD("3")} slave ${ID("c")} 0 1700000000000 3 connected`,
  "vars currentEpoch 3 lastVoteEpoch 0",
  "",
].join("\n");

function runStart(
  nodesConf: string | undefined,
  table: ReadonlyMap<string, string>,
): { dir: string; args: string[]; nodes: string; resolver: HostsFileResolver } {
  const dir = mkdtempSync(join(tmpdir(), "hm-redis-start-"));
  const data = join(dir, "data");
  mkdirSync(data);
  if (nodesConf !== undefined) writeFileSync(join(data, "nodes.conf"), nodesConf);
  const resolver = new HostsFileResolver(dir);
  resolver.publish(table);
  // Stands in for redis-server: records its arguments and exits (the background helper then stops too).
  writeFileSync(join(resolver.binDir, "redis-server"), `#!/bin/sh\nprintf '%s\\n' "$@" > '${join(dir, "args")}'\n`);
  chmodSync(join(resolver.binDir, "redis-server"), 0o755);
  writeFileSync(join(dir, "start.sh"), START_SCRIPT);
  // POD_IP is a loopback address: the helper's first ping is refused at once, and it stops as the
  // stand-in server is gone.
  execFileSync("sh", [join(dir, "start.sh"), "--extra", "1"], {
    env: {
      PATH: `${resolver.binDir}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
      REDIS_DATA: data,
      POD_IP: "127.0.2.10",
      ANNOUNCE_HOSTNAME: host(0),
      REDIS_PASSWORD: "pw",
    },
  });
  return {
    dir,
    args: readFileSync(join(dir, "args"), "utf8").trim().split("\n"),
    nodes: existsSync(join(data, "nodes.conf")) ? readFileSync(join(data, "nodes.conf"), "utf8") : "",
    resolver,
  };
}

describe("the start script", () => {
  it("moves itself to POD_IP and every peer whose hostname resolves to its new address, in the Redis 7.4 format", () => {
    const table = new Map([
      [host(1), "10.0.2.11"],
      [host(2), "10.0.2.12"],
      [host(5), "fd00::15"],
    ]);
    const { nodes, resolver } = runStart(NODES_74, table);
    const expected = NODES_74.replace("127.0.1.10:6379", "127.0.2.10:6379")
      .replace("10.0.1.11:6379", "10.0.2.11:6379")
      .replace("10.0.1.12:6379", "10.0.2.12:6379")
      .replace("10.0.1.15:6379", "fd00::15:6379");
    // host(3) has no answer yet and the fifth line announces no hostname: both stay as they were.
    expect(nodes).toBe(expected);
    expect(resolver.questions()).toEqual([1, 2, 3, 5].map((i) => `hosts ${host(i)}`));
  });

  it("starts redis-server with the config, the data dir, the announced hostname and the password, then the extra arguments", () => {
    const { args, nodes } = runStart(undefined, new Map());
    expect(nodes).toBe("");
    expect(args).toEqual([
      "/etc/redis/redis.conf",
      "--dir",
      expect.stringMatching(/data$/),
      "--port",
      "6379",
      "--cluster-announce-hostname",
      host(0),
      "--requirepass",
      "pw",
      "--masterauth",
      "pw",
      "--extra",
      "1",
    ]);
  });

  it("resolves names with the system's own getent when nothing stands in for it", () => {
    const resolve = /^resolve\(\) \{ getent hosts "\$1" .*\}$/m.exec(START_SCRIPT)?.[0];
    expect(resolve).toBeDefined();
    const answer = execFileSync("sh", ["-c", `${resolve}\nresolve localhost`], { env: { PATH: "/usr/bin:/bin" } })
      .toString()
      .trim();
    expect(["127.0.0.1", "::1"]).toContain(answer);
  });

  it("refuses, for Valkey, data that Redis 7.4 wrote (RDB format 12), and starts Valkey on format 11", () => {
    const attempt = (header: string) => {
      const dir = mkdtempSync(join(tmpdir(), "hm-valkey-start-"));
      mkdirSync(join(dir, "data", "appendonlydir"), { recursive: true });
      writeFileSync(join(dir, "data", "appendonlydir", "appendonly.aof.3.base.rdb"), `${header}\u00fa\u0009redis-ver`);
      mkdirSync(join(dir, "bin"));
      writeFileSync(join(dir, "bin", "valkey-server"), `#!/bin/sh\necho started > '${join(dir, "started")}'\n`);
      chmodSync(join(dir, "bin", "valkey-server"), 0o755);
      writeFileSync(join(dir, "start.sh"), START_SCRIPT);
      try {
        execFileSync("sh", [join(dir, "start.sh")], {
          env: {
            PATH: `${join(dir, "bin")}:/usr/bin:/bin`,
            REDIS_DATA: join(dir, "data"),
            SERVER_BIN: "valkey-server",
            ANNOUNCE_HOSTNAME: host(0),
            REDIS_PASSWORD: "pw",
          },
          stdio: "pipe",
        });
        return { code: 0, started: existsSync(join(dir, "started")), stderr: "" };
      } catch (e) {
        return { code: (e as { status: number }).status, started: existsSync(join(dir, "started")), stderr: String((e as { stderr: Buffer }).stderr) };
      }
    };
    const refused = attempt("REDIS0012");
    expect(refused).toMatchObject({ code: 1, started: false });
    expect(refused.stderr).toMatch(/RDB format 12\), which Valkey 8 cannot load; keep engine redis/);
    expect(attempt("REDIS0011")).toMatchObject({ code: 0, started: true });
  });
});
