/**
 * Runs Redis Cluster nodes from the component's rendered config and start script on loopback ports,
 * with Debian's redis-server and redis-cli, and talks to them with redis-cli.
 */
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

/** CRC16-XMODEM modulo 16384: the hash slot Redis Cluster assigns a key (no hash tags used here). */
export function keySlot(key: string): number {
  let crc = 0;
  for (const byte of Buffer.from(key)) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc % 16384;
}

async function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer().once("error", () => resolve(false)).once("listening", () => server.close(() => resolve(true)));
    server.listen(port, "127.0.0.1");
  });
}

/** A base port where base..base+count-1 and their bus ports (+10000) are free. */
export async function freePorts(count: number): Promise<number[]> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const base = 20000 + Math.floor(Math.random() * 9000);
    const ports = Array.from({ length: count }, (_, i) => base + i);
    if ((await Promise.all(ports.flatMap((p) => [portIsFree(p), portIsFree(p + 10000)]))).every(Boolean)) return ports;
  }
  throw new Error("no free loopback ports for the Redis test");
}

export interface ClusterNode {
  readonly id: string;
  readonly port: number;
  readonly flags: string[];
  readonly masterId: string | null;
  readonly slots: [number, number][];
  readonly connected: boolean;
}

export class RedisTestCluster {
  readonly processes = new Map<number, ChildProcess>();

  constructor(
    readonly dir: string,
    readonly ports: readonly number[],
    readonly password: string,
    files: { conf: string; startScript: string; bootstrapScript: string },
  ) {
    writeFileSync(join(dir, "redis.conf"), files.conf);
    writeFileSync(join(dir, "start.sh"), files.startScript);
    writeFileSync(join(dir, "bootstrap.sh"), files.bootstrapScript);
  }

  dataDir(port: number): string {
    return join(this.dir, `node-${port}`);
  }

  /** Starts a node the way the StatefulSet's container does: the start script, with loopback overrides. */
  async start(port: number): Promise<void> {
    mkdirSync(this.dataDir(port), { recursive: true });
    const child = spawn("sh", [join(this.dir, "start.sh"), "--port", String(port), "--bind", "127.0.0.1", "--logfile", join(this.dir, `redis-${port}.log`)], {
      env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", REDIS_CONF: join(this.dir, "redis.conf"), REDIS_DATA: this.dataDir(port), POD_IP: "127.0.0.1", ANNOUNCE_HOSTNAME: "127.0.0.1", REDIS_PASSWORD: this.password },
      stdio: "ignore",
    });
    this.processes.set(port, child);
    await this.waitFor(async () => (await this.cli(port, "ping").catch(() => "")) === "PONG", 10_000, `node ${port} to answer`);
  }

  kill(port: number): void {
    this.processes.get(port)?.kill("SIGKILL");
    this.processes.delete(port);
  }

  stopAll(): void {
    for (const port of [...this.processes.keys()]) this.kill(port);
  }

  async cli(port: number, ...args: string[]): Promise<string> {
    const { stdout } = await run("redis-cli", ["--no-auth-warning", "-a", this.password, "-p", String(port), ...args]);
    return stdout.trim();
  }

  /** Sends commands on one connection (so that WAIT covers the writes before it); returns one reply per line. */
  async pipe(port: number, commands: readonly string[]): Promise<string[]> {
    return new Promise((resolve, reject) => {
      const child = spawn("redis-cli", ["--no-auth-warning", "-a", this.password, "-p", String(port)], { stdio: ["pipe", "pipe", "inherit"] });
      let out = "";
      child.stdout.on("data", (d: Buffer) => (out += d.toString()));
      child.on("error", reject);
      child.on("close", (code) => (code === 0 ? resolve(out.trim().split("\n")) : reject(new Error(`redis-cli exited ${code}`))));
      child.stdin.end(commands.join("\n") + "\n");
    });
  }

  async bootstrap(): Promise<{ code: number; output: string }> {
    try {
      const { stdout, stderr } = await run("sh", [join(this.dir, "bootstrap.sh")], {
        env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", REDIS_PASSWORD: this.password, NODES: this.ports.map((p) => `127.0.0.1:${p}`).join(" "), REPLICAS: "1", WAIT_SECONDS: "30" },
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
    return text.split("\n").filter(Boolean).map((line) => {
      const [id = "", address = "", flags = "", master = "", , , , linkState = "", ...slots] = line.split(" ");
      return {
        id,
        port: Number(/:(\d+)@/.exec(address)?.[1]),
        flags: flags.split(","),
        masterId: master === "-" ? null : master,
        connected: linkState === "connected",
        slots: slots.filter((s) => /^\d+(-\d+)?$/.test(s)).map((s) => {
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
