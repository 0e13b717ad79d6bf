/**
 * redis-benchmark against a server started from the rendered redis.conf (as a one-node cluster that
 * owns every slot, through the same start script) and against a server with stock settings, on this
 * machine, one run each. Prints requests per second and the ratio for SET and GET. Asserts nothing.
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { renderRedisConf, START_SCRIPT } from "../components/internal";

const REQUESTS = Number(process.env["BENCH_REDIS_REQUESTS"] ?? 300000);
const PASSWORD = "bench-password";
const dir = mkdtempSync(join(tmpdir(), "hm-redis-bench-"));

function waitForPing(port: number, password?: string): void {
  for (let i = 0; i < 100; i++) {
    try {
      const auth = password ? ["-a", password, "--no-auth-warning"] : [];
      const reply = execFileSync("redis-cli", [...auth, "-p", String(port), "ping"], { stdio: ["ignore", "pipe", "ignore"] });
      if (reply.toString().trim() === "PONG") return;
    } catch {
      // not up yet
    }
    execFileSync("sleep", ["0.1"]);
  }
  throw new Error(`redis on port ${port} did not start`);
}

function benchmark(port: number, password?: string): Record<string, number> {
  const auth = password ? ["-a", password] : [];
  const csv = execFileSync("redis-benchmark", [
    ...auth,
    "-p",
    String(port),
    "-t",
    "set,get",
    "-n",
    String(REQUESTS),
    "-c",
    "50",
    "-P",
    "16",
    "-r",
    "100000",
    "-d",
    "256",
    "--csv",
  ]).toString();
  return Object.fromEntries(
    csv
      .split("\n")
      .slice(1)
      .filter(Boolean)
      .map((line) => {
        const [test = "", rps = "0"] = line.split(",").map((f) => f.replaceAll('"', ""));
        return [test, Number(rps)];
      }),
  );
}

const servers: ChildProcess[] = [];
try {
  const { conf } = renderRedisConf({ memoryLimitGiB: 4 });
  writeFileSync(join(dir, "redis.conf"), conf);
  writeFileSync(join(dir, "start.sh"), START_SCRIPT);
  execFileSync("mkdir", ["-p", join(dir, "rendered"), join(dir, "stock")]);

  const renderedPort = 26379;
  servers.push(
    spawn("sh", [join(dir, "start.sh"), "--port", String(renderedPort), "--bind", "127.0.0.1", "--logfile", join(dir, "rendered.log")], {
      env: {
        PATH: process.env["PATH"] ?? "/usr/bin:/bin",
        REDIS_CONF: join(dir, "redis.conf"),
        REDIS_DATA: join(dir, "rendered"),
        POD_IP: "127.0.0.1",
        ANNOUNCE_HOSTNAME: "127.0.0.1",
        REDIS_PASSWORD: PASSWORD,
      },
      stdio: "ignore",
    }),
  );
  waitForPing(renderedPort, PASSWORD);
  execFileSync("redis-cli", ["-a", PASSWORD, "--no-auth-warning", "-p", String(renderedPort), "cluster", "addslotsrange", "0", "16383"]);
  for (
    let i = 0;
    i < 100 &&
    !execFileSync("redis-cli", ["-a", PASSWORD, "--no-auth-warning", "-p", String(renderedPort), "cluster", "info"])
      .toString()
      .includes("cluster_state:ok");
    i++
  )
    execFileSync("sleep", ["0.1"]);

  const stockPort = 26380;
  servers.push(
    spawn("redis-server", ["--port", String(stockPort), "--bind", "127.0.0.1", "--dir", join(dir, "stock"), "--logfile", join(dir, "stock.log")], {
      stdio: "ignore",
    }),
  );
  waitForPing(stockPort);

  const rendered = benchmark(renderedPort, PASSWORD);
  const stock = benchmark(stockPort);
  console.log(
    `redis-benchmark, ${REQUESTS} requests, 50 clients, pipeline 16, 256-byte values (${execFileSync("redis-server", ["--version"]).toString().split(" ")[2]})`,
  );
  console.log("           rendered config   stock settings   ratio");
  for (const test of ["SET", "GET"]) {
    console.log(
      `  ${test.padEnd(6)}  ${rendered[test]!.toFixed(0).padStart(12)} rps  ${stock[test]!.toFixed(0).padStart(12)} rps   ${(rendered[test]! / stock[test]!).toFixed(2)}`,
    );
  }
  console.log(
    "The rendered config appends every write to the AOF (fsync each second) and runs in cluster mode; stock settings keep data only in memory between RDB snapshots.",
  );
} finally {
  for (const s of servers) s.kill("SIGKILL");
}
