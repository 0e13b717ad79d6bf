/**
 * Runs Redis Cluster nodes from the component's rendered config and start script on loopback ports,
 * with Debian's redis-server and redis-cli, and talks to them with redis-cli. Each node may have its
 * own loopback address (Linux routes all of 127.0.0.0/8 to lo) and announced hostname, resolved by a
 * hosts file the test rewrites, so that a test can move every node to a new address at once.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from "node:child_process";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/**
 * A server the suites run: Debian's redis-server 7.0 (bookworm, BSD licensed, installed by npm test)
 * and, where installed, Debian's Valkey 8.0 (bookworm-backports: `apt-get install -t
 * bookworm-backports valkey-server valkey-tools`). `available` is false when its server is not on PATH.
 */
export interface TestEngine {
  readonly name: "redis" | "valkey";
  readonly server: string;
  readonly cli: string;
  readonly available: boolean;
}

function engine(name: "redis" | "valkey"): TestEngine {
  const server = `${name}-server`;
  let available = true;
  try {
    execFileSync(server, ["--version"]);
  } catch {
    available = false;
  }
  return { name, server, cli: `${name}-cli`, available };
}

export const TEST_ENGINES: readonly TestEngine[] = [engine("redis"), engine("valkey")];
export const REDIS_ENGINE = TEST_ENGINES[0]!;

/** CRC16-XMODEM modulo 16384: the hash slot Redis Cluster assigns a key (no hash tags used here). */
export function keySlot(key: string): number {
  let crc = 0;
  for (const byte of Buffer.from(key)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

async function portIsFree(port: number, address: string): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer()
      .once("error", () => resolve(false))
      .once("listening", () => server.close(() => resolve(true)));
    server.listen(port, address);
  });
}

/**
 * A base port where base..base+count-1 and their bus ports (+10000) are free on every address. Both
 * stay below Linux's default ephemeral range (net.ipv4.ip_local_port_range, 32768-60999), where the
 * kernel hands out client ports: a bus port in that range can be taken by any outgoing connection of
 * a suite running beside this one between the check and the server's bind.
 */
export async function freePorts(count: number, addresses: readonly string[] = ["127.0.0.1"]): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 10000 + Math.floor(Math.random() * (32768 - 10000 - 10000 - count));
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if ((await Promise.all(addresses.flatMap((a) => ports.flatMap((p) => [portIsFree(p, a), portIsFree(p + 10000, a)])))).every(Boolean)) return ports;
  }
  throw new Error("no free loopback ports for the Redis test");
}

/**
 * Stands in for the image's resolver the way the start script finds it, first on PATH: a `getent`
 * that answers `getent hosts NAME` from a hosts file (as "ADDRESS  NAME", exit 2 when unknown, like
 * getent) and logs every question, so a test can show the script's own resolver line was used.
 */
export class HostsFileResolver {
  readonly binDir: string;
  readonly hostsFile: string;
  readonly logFile: string;

  constructor(dir: string) {
    this.binDir = join(dir, "bin");
    this.hostsFile = join(dir, "hosts");
    this.logFile = join(dir, "getent.log");
    mkdirSync(this.binDir, { recursive: true });
    writeFileSync(this.hostsFile, "");
    const getent = join(this.binDir, "getent");
    writeFileSync(
      getent,
      [
        "#!/bin/sh",
        `echo "$*" >> '${this.logFile}'`,
        '[ "$1" = hosts ] && [ $# -eq 2 ] || exit 1',
        `awk -v name="$2" '{ for (i = 2; i <= NF; i++) if ($i == name) { print $1 "  " name; found = 1; exit } } END { exit found ? 0 : 2 }' '${this.hostsFile}'`,
        "",
      ].join("\n"),
    );
    chmodSync(getent, 0o755);
  }

  /** Replaces the whole name-to-address table at once, as DNS would answer from now on. */
  publish(entries: ReadonlyMap<string, string>): void {
    writeFileSync(`${this.hostsFile}.new`, [...entries].map(([name, address]) => `${address} ${name}\n`).join(""));
    renameSync(`${this.hostsFile}.new`, this.hostsFile);
  }

  /** Every `getent` call so far, as its arguments. */
  questions(): string[] {
    return existsSync(this.logFile) ? readFileSync(this.logFile, "utf8").split("\n").filter(Boolean) : [];
  }
}

/** Where a node runs: its loopback address (the pod IP) and the hostname it announces. */
export interface NodePlacement {
  readonly address: string;
  readonly hostname: string;
}

export interface ClusterNode {
  readonly id: string;
  readonly address: string;
  readonly hostname: string;
  readonly port: number;
  readonly flags: string[];
  readonly masterId: string | null;
  readonly slots: [number, number][];
  readonly connected: boolean;
}

/** What a topology Job run is given: the staying nodes, MASTERS, REPLICAS and ZONE_CIDRS. */
export interface TopologyRun {
  readonly ports?: readonly number[];
  readonly masters?: number;
  readonly replicas?: number;
  readonly zoneCidrs?: string;
}

export class RedisTestCluster {
  readonly processes = new Map<number, ChildProcess>();
  /** Each node's address and hostname; a node not placed runs on 127.0.0.1 and announces that. */
  readonly placement = new Map<number, NodePlacement>();

  constructor(
    readonly dir: string,
    readonly ports: readonly number[],
    readonly password: string,
    files: { conf: string; startScript: string; bootstrapScript: string; drainScript?: string; topologyAwk?: string },
    readonly resolver?: HostsFileResolver,
    readonly engine: TestEngine = REDIS_ENGINE,
  ) {
    writeFileSync(join(dir, "redis.conf"), files.conf);
    writeFileSync(join(dir, "start.sh"), files.startScript);
    writeFileSync(join(dir, "bootstrap.sh"), files.bootstrapScript);
    writeFileSync(join(dir, "drain.sh"), files.drainScript ?? "exit 1\n");
    writeFileSync(join(dir, "topology.awk"), files.topologyAwk ?? "");
  }

  dataDir(port: number): string {
    return join(this.dir, `node-${port}`);
  }

  addressOf(port: number): string {
    return this.placement.get(port)?.address ?? "127.0.0.1";
  }

  private get path(): string {
    const path = process.env["PATH"] ?? "/usr/bin:/bin";
    return this.resolver ? `${this.resolver.binDir}:${path}` : path;
  }

  /**
   * Starts a node the way the StatefulSet's container does: the start script, with the node's
   * address as POD_IP and bind address. The script's own output goes to start-<port>.log.
   */
  async start(port: number): Promise<void> {
    mkdirSync(this.dataDir(port), { recursive: true });
    const address = this.addressOf(port);
    const output = openSync(join(this.dir, `start-${port}.log`), "a");
    // Outgoing bus and replication connections leave from the node's own address, as from a pod's IP
    // (for any 127/8 destination Linux would pick 127.0.0.1). bind-source-addr: redis/redis@7.0.15 src/config.c.
    const args = ["--port", String(port), "--bind", address, "--bind-source-addr", address, "--logfile", join(this.dir, `redis-${port}.log`)];
    const child = spawn("sh", [join(this.dir, "start.sh"), ...args], {
      env: {
        PATH: this.path,
        REDIS_CONF: join(this.dir, "redis.conf"),
        REDIS_DATA: this.dataDir(port),
        REDIS_PORT: String(port),
        POD_IP: address,
        ANNOUNCE_HOSTNAME: this.placement.get(port)?.hostname ?? address,
        REDIS_PASSWORD: this.password,
        SERVER_BIN: this.engine.server,
        CLI_BIN: this.engine.cli,
      },
      stdio: ["ignore", output, output],
    });
    closeSync(output);
    this.processes.set(port, child);
    await this.waitFor(async () => (await this.cli(port, "ping").catch(() => "")) === "PONG", 10_000, `node ${port} to answer`);
  }

  kill(port: number): void {
    this.processes.get(port)?.kill("SIGKILL");
    this.processes.delete(port);
  }

  /**
   * Stops a node as the kubelet does (SIGTERM: Redis flushes its append-only file) and waits for it
   * to exit. Redis ignores a SIGTERM that arrives while it writes its first AOF after a full sync
   * ("Writing initial AOF, can't exit"), so the signal is repeated every 500 ms; SIGKILL after 15 s.
   */
  async stop(port: number): Promise<void> {
    const child = this.processes.get(port);
    if (!child) return;
    this.processes.delete(port);
    if (child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const again = setInterval(() => child.kill("SIGTERM"), 500);
      const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
      child.once("exit", () => {
        clearInterval(again);
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }

  stopAll(): void {
    for (const port of [...this.processes.keys()]) this.kill(port);
  }

  async cli(port: number, ...args: string[]): Promise<string> {
    const { stdout } = await run(this.engine.cli, ["--no-auth-warning", "-a", this.password, "-h", this.addressOf(port), "-p", String(port), ...args]);
    return stdout.trim();
  }

  /** Sends commands on one connection (so that WAIT covers the writes before it); returns one reply per line. */
  async pipe(port: number, commands: readonly string[]): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.engine.cli, ["--no-auth-warning", "-a", this.password, "-h", this.addressOf(port), "-p", String(port)], {
        stdio: ["pipe", "pipe", "inherit"],
      });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(out.trim().split("\n")) : reject(new Error(`redis-cli exited ${code}`))));
      child.stdin.end(commands.join("\n") + "\n");
    });
  }

  /** "address:port" of a node, as the Jobs' NODES list names it. */
  nodeName(port: number): string {
    return `${this.addressOf(port)}:${port}`;
  }

  /**
   * Runs the bootstrap script as the Job does, over `ports` (default: every node) with MASTERS and
   * REPLICAS; `zoneCidrs` becomes ZONE_CIDRS ("cidr=zone" entries), as the component renders it.
   */
  async bootstrap(o: TopologyRun = {}): Promise<{ code: number; output: string }> {
    return this.runScript("bootstrap.sh", o);
  }

  /** Runs the drain script as the Job does before the StatefulSet shrinks to `ports`. */
  async drain(o: TopologyRun = {}): Promise<{ code: number; output: string }> {
    return this.runScript("drain.sh", o);
  }

  private async runScript(script: string, o: TopologyRun): Promise<{ code: number; output: string }> {
    try {
      const { stdout, stderr } = await run("sh", [join(this.dir, script)], {
        env: {
          PATH: this.path,
          REDIS_PASSWORD: this.password,
          NODES: (o.ports ?? this.ports).map((p) => this.nodeName(p)).join(" "),
          MASTERS: String(o.masters ?? 3),
          REPLICAS: String(o.replicas ?? 1),
          ZONE_CIDRS: o.zoneCidrs ?? "",
          CLI_BIN: this.engine.cli,
          WAIT_SECONDS: "30",
        },
      });
      return { code: 0, output: stdout + stderr };
    } catch (error) {
      const e = error as { code?: number; stdout?: string; stderr?: string };
      return { code: e.code ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
    }
  }

  /** The cluster as a live node sees it. */
  async nodes(viaPort: number): Promise<ClusterNode[]> {
    const text = await this.cli(viaPort, "cluster", "nodes");
    return text
      .split("\n")
      .filter(Boolean)
      .map((line) => {
        const [id = "", address = "", flags = "", master = "", , , , linkState = "", ...slots] = line.split(" ");
        const [, ip = "", port = "", hostname = ""] = /^(.*):(\d+)@\d+(?:,([^,]*))?/.exec(address) ?? [];
        return {
          id,
          address: ip,
          hostname,
          port: Number(port),
          flags: flags.split(","),
          masterId: master === "-" ? null : master,
          connected: linkState === "connected",
          slots: slots
            .filter((s) => /^\d+(-\d+)?$/.test(s))
            .map((s) => {
              const [from, to] = s.split("-").map(Number);
              return [from!, to ?? from!] as [number, number];
            }),
        };
      });
  }

  async info(port: number, field: string): Promise<string> {
    const text = await this.cli(port, "cluster", "info");
    return /^([^:]+):(.*)$/m.exec(text.split("\n").find((l) => l.startsWith(`${field}:`)) ?? "")?.[2]?.trim() ?? "";
  }

  async waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string): Promise<number> {
    const started = Date.now();
    while (Date.now() - started < timeoutMs) {
      if (await condition()) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
  }
}

/** Groups keys by the port of the master that owns their slot. */
export function byMaster(keys: readonly string[], nodes: readonly ClusterNode[]): Map<number, string[]> {
  const masters = nodes.filter((n) => n.flags.includes("master") && !n.flags.includes("fail") && n.slots.length > 0);
  const groups = new Map<number, string[]>();
  for (const key of keys) {
    const slot = keySlot(key);
    const owner = masters.find((m) => m.slots.some(([from, to]) => slot >= from && slot <= to));
    if (!owner) throw new Error(`no master owns slot ${slot}`);
    groups.set(owner.port, [...(groups.get(owner.port) ?? []), key]);
  }
  return groups;
}
