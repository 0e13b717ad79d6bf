/**
 * Backup and restore of the Redis Cluster, run for real: a cluster from the rendered config (3 masters,
 * 3 replicas), keys in every master's slots, the backup CronJob's dump script (redis-cli --rdb from the
 * replicas) and its upload script (with an `aws` stand-in on PATH that keeps the "bucket" in a local
 * directory and logs its calls), then the source cluster is torn down and the restore script loads
 * the files from that "bucket" into a fresh cluster of another shape (4 masters). Needs Debian's
 * redis-server (npm test installs it).
 */
import { execFile, execFileSync } from "node:child_process";
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOOTSTRAP_SCRIPT } from "../../components/redis/bootstrap-script";
import { PLAN_AWK } from "../../components/redis/topology";
import { BACKUP_DUMP_SCRIPT, BACKUP_UPLOAD_SCRIPT, redisBackupPrefix, type RedisBackupManifest } from "../../components/redis/backup-script";
import { renderRedisConf, START_SCRIPT } from "../../components/redis/redis-config";
import { RESTORE_SCRIPT } from "../../components/redis/restore-script";
import { byMaster, freePorts, RedisTestCluster } from "./harness";

const run = promisify(execFile);
const rendered = renderRedisConf({ memoryLimitGiB: 1, maxmemoryPolicy: "noeviction" });
const files = { conf: rendered.conf, startScript: START_SCRIPT, bootstrapScript: BOOTSTRAP_SCRIPT, topologyAwk: PLAN_AWK };
const PASSWORD = "test-password-b4c7";
const STRINGS = Array.from({ length: 4000 }, (_, i) => `user:${i}`);
const HASHES = Array.from({ length: 200 }, (_, i) => `profile:${i}`);
const valueOf = (key: string) => `v-${key}-${key.length}`;
const STAMP = "20261123T020000Z";
const BUCKET = "hm-test-data-us-west-2";
const PREFIX = redisBackupPrefix("snapshots/", "redis");

const dir = mkdtempSync(join(tmpdir(), "hm-redis-backup-"));
const backupDir = join(dir, "backup");
const bucketRoot = join(dir, "s3");
const awsLog = join(dir, "aws.log");
let source: RedisTestCluster;
let target: RedisTestCluster | undefined;

/** Runs a script with sh; never throws, returns the exit code and all output. */
async function sh(script: string, env: Record<string, string>): Promise<{ code: number; output: string }> {
  const path = join(dir, `script-${Math.random().toString(36).slice(2)}.sh`);
  writeFileSync(path, script);
  try {
    const { stdout, stderr } = await run("sh", [path], { env: { PATH: process.env["PATH"] ?? "/usr/bin:/bin", ...env }, maxBuffer: 64 * 2 ** 20 });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: `${e.stdout ?? ""}${e.stderr ?? ""}` };
  }
}

/**
 * An `aws` for the upload script: `s3 cp [--recursive] [--exclude NAME]`, `s3 ls` (prefixes as
 * "PRE name/", an object by its key; exit 1 when nothing matches) and `s3 rm --recursive`, on
 * FAKE_S3_ROOT/<bucket>/<key>; every call is appended to AWS_LOG.
 */
function installFakeAws(binDir: string): void {
  mkdirSync(binDir, { recursive: true });
  const script = `#!/bin/sh
echo "$*" >> "$AWS_LOG"
[ "$1" = s3 ] || exit 2
cmd="$2"; shift 2
recursive=no; exclude=""; args=""
while [ $# -gt 0 ]; do
  case "$1" in --recursive) recursive=yes ;; --no-progress|--quiet) ;; --exclude) exclude="$2"; shift ;; *) args="$args $1" ;; esac
  shift
done
set -- $args
path() { echo "$FAKE_S3_ROOT/\${1#s3://}"; }
case "$cmd" in
  cp)
    if [ "$recursive" = yes ]; then
      dst="$(path "$2")"; mkdir -p "$dst"
      for f in "$1"*; do n="\${f##*/}"; [ "$n" = "$exclude" ] || cp "$f" "$dst$n"; done
    else
      dst="$(path "$2")"; mkdir -p "\${dst%/*}"; cp "$1" "$dst"
    fi ;;
  ls)
    p="$(path "$1")"
    case "$p" in
      */) [ -d "$p" ] || exit 1; for d in "$p"*/; do [ -d "$d" ] || continue; d="\${d%/}"; echo "                           PRE \${d##*/}/"; done ;;
      *) [ -f "$p" ] || exit 1; echo "2026-11-23 02:00:00        100 \${p##*/}" ;;
    esac ;;
  rm) rm -rf "$(path "$1")" ;;
  *) exit 2 ;;
esac
`;
  writeFileSync(join(binDir, "aws"), script);
  chmodSync(join(binDir, "aws"), 0o755);
}

async function forks(cluster: RedisTestCluster, port: number): Promise<number> {
  return Number(/total_forks:(\d+)/.exec(await cluster.cli(port, "info", "stats"))?.[1] ?? NaN);
}

beforeAll(async () => {
  try {
    execFileSync("redis-server", ["--version"]);
  } catch {
    throw new Error("redis-server is not installed: run `npm test` (it installs Debian's redis-server) or `apt-get install redis-server`");
  }
  mkdirSync(join(dir, "a"));
  source = new RedisTestCluster(join(dir, "a"), await freePorts(6), PASSWORD, files);
  await Promise.all(source.ports.map((p) => source.start(p)));
  const formed = await source.bootstrap();
  if (formed.code !== 0) throw new Error(formed.output);
  const nodes = await source.nodes(source.ports[0]!);
  for (const [port, keys] of byMaster([...STRINGS, ...HASHES], nodes)) {
    const commands = keys.map((k) => (k.startsWith("profile:") ? `HSET ${k} name ${valueOf(k)} n ${k.length}` : `SET ${k} ${valueOf(k)}`));
    const replies = await source.pipe(port, [...commands, "WAIT 1 5000"]);
    if (Number(replies.at(-1)) < 1) throw new Error(`no replica acknowledged the writes on ${port}`);
  }
}, 90_000);

afterAll(() => {
  source?.stopAll();
  target?.stopAll();
});

describe("Redis backup to the data bucket and restore into a new cluster (real servers)", () => {
  let manifest: RedisBackupManifest;

  it("dumps one RDB per master from its replica, checked, with a manifest of the slot ranges; no master forks", async () => {
    const masters = (await source.nodes(source.ports[0]!)).filter((n) => n.flags.includes("master")).map((n) => n.port);
    const before = await Promise.all(masters.map((p) => forks(source, p)));
    const result = await sh(BACKUP_DUMP_SCRIPT, {
      REDIS_PASSWORD: PASSWORD,
      SEED: `127.0.0.1:${source.ports[0]}`,
      CLUSTER_NAME: "redis",
      BACKUP_DIR: backupDir,
      TIMESTAMP: STAMP,
    });
    expect(result.code, result.output).toBe(0);
    expect(await Promise.all(masters.map((p) => forks(source, p)))).toEqual(before);

    manifest = JSON.parse(readFileSync(join(backupDir, STAMP, "manifest.json"), "utf8")) as RedisBackupManifest;
    expect(manifest).toMatchObject({ format: 1, cluster: "redis", timestamp: STAMP });
    expect(manifest.shards).toHaveLength(3);
    expect(manifest.shards.every((s) => s.role === "replica")).toBe(true);
    const slots = manifest.shards
      .flatMap((s) => s.slots.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i)))
      .sort((a, b) => a - b);
    expect(slots).toEqual(Array.from({ length: 16384 }, (_, i) => i));
    expect(manifest.shards.reduce((sum, s) => sum + s.keys, 0)).toBe(STRINGS.length + HASHES.length);
    for (const s of manifest.shards) expect(existsSync(join(backupDir, STAMP, s.file))).toBe(true);
    expect(readFileSync(join(backupDir, STAMP, "cluster-nodes.txt"), "utf8")).toContain("myself");
  }, 60_000);

  it("refuses to dump a cluster whose slots are not all assigned", async () => {
    const lone = new RedisTestCluster(mkdtempSync(join(dir, "lone-")), await freePorts(1), PASSWORD, files);
    try {
      await lone.start(lone.ports[0]!);
      const result = await sh(BACKUP_DUMP_SCRIPT, {
        REDIS_PASSWORD: PASSWORD,
        SEED: `127.0.0.1:${lone.ports[0]}`,
        CLUSTER_NAME: "redis",
        BACKUP_DIR: join(dir, "lone-backup"),
      });
      expect(result.code).not.toBe(0);
      expect(result.output).toContain("only 0 of 16384 slots are assigned");
      expect(existsSync(join(dir, "lone-backup"))).toBe(false);
    } finally {
      lone.stopAll();
    }
  }, 30_000);

  it("uploads under snapshots/redis/<cluster>/<timestamp>/, the manifest last, and keeps the newest KEEP complete backups", async () => {
    const bin = join(dir, "fake-bin");
    installFakeAws(bin);
    const existing = join(bucketRoot, BUCKET, PREFIX);
    for (const old of ["20261120T020000Z", "20261121T020000Z", "20261122T020000Z"]) {
      mkdirSync(join(existing, old), { recursive: true });
      writeFileSync(join(existing, old, "manifest.json"), "{}");
    }
    mkdirSync(join(existing, "20261122T140000Z"), { recursive: true }); // an upload that died before its manifest
    writeFileSync(join(existing, "20261122T140000Z", "slots-0-5460.rdb"), "partial");

    const result = await sh(BACKUP_UPLOAD_SCRIPT, {
      PATH: `${bin}:${process.env["PATH"] ?? "/usr/bin:/bin"}`,
      AWS_LOG: awsLog,
      FAKE_S3_ROOT: bucketRoot,
      BUCKET,
      PREFIX,
      BACKUP_DIR: backupDir,
      KEEP: "2",
    });
    expect(result.code, result.output).toBe(0);
    expect(readdirSync(existing).sort()).toEqual(["20261122T020000Z", STAMP]);
    expect(readdirSync(join(existing, STAMP)).sort()).toEqual(["cluster-nodes.txt", "manifest.json", ...manifest.shards.map((s) => s.file)].sort());
    const calls = readFileSync(awsLog, "utf8").trim().split("\n");
    const uploads = calls.filter((c) => c.startsWith("s3 cp"));
    expect(uploads).toEqual([
      `s3 cp --recursive --no-progress --exclude manifest.json ${backupDir}/${STAMP}/ s3://${BUCKET}/${PREFIX}${STAMP}/`,
      `s3 cp --no-progress ${backupDir}/${STAMP}/manifest.json s3://${BUCKET}/${PREFIX}${STAMP}/manifest.json`,
    ]);
    expect(calls.filter((c) => c.startsWith("s3 rm")).sort()).toEqual(
      ["20261120T020000Z", "20261121T020000Z", "20261122T140000Z"].map((s) => `s3 rm --recursive --quiet s3://${BUCKET}/${PREFIX}${s}/`),
    );
  }, 30_000);

  it("restores every key into a fresh cluster of another shape (4 masters), which reports state ok with all 16384 slots", async () => {
    source.stopAll();
    mkdirSync(join(dir, "b"));
    target = new RedisTestCluster(join(dir, "b"), await freePorts(8), PASSWORD, files);
    const t = target;
    await Promise.all(t.ports.map((p) => t.start(p)));
    const formed = await t.bootstrap({ masters: 4 });
    expect(formed.code, formed.output).toBe(0);

    const restored = join(bucketRoot, BUCKET, PREFIX, STAMP);
    const [sourcePort] = await freePorts(1);
    const result = await sh(RESTORE_SCRIPT, {
      REDIS_PASSWORD: PASSWORD,
      TARGET: `127.0.0.1:${t.ports[0]}`,
      RESTORE_DIR: restored,
      WORK_DIR: join(dir, "restore-work"),
      SOURCE_PORT: String(sourcePort),
    });
    expect(result.code, result.output).toBe(0);
    expect(result.output).toContain(`the cluster holds ${STRINGS.length + HASHES.length} keys, state ok`);

    const nodes = await t.nodes(t.ports[0]!);
    expect(nodes.filter((n) => n.flags.includes("master"))).toHaveLength(4);
    expect(await t.info(t.ports[0]!, "cluster_state")).toBe("ok");
    expect(await t.info(t.ports[0]!, "cluster_slots_assigned")).toBe("16384");
    expect(await t.info(t.ports[0]!, "cluster_slots_ok")).toBe("16384");
    for (const [port, keys] of byMaster(STRINGS, nodes)) {
      expect(
        await t.pipe(
          port,
          keys.map((k) => `GET ${k}`),
        ),
      ).toEqual(keys.map(valueOf));
    }
    for (const [port, keys] of byMaster(HASHES, nodes)) {
      expect(
        await t.pipe(
          port,
          keys.map((k) => `HGET ${k} name`),
        ),
      ).toEqual(keys.map(valueOf));
    }
  }, 120_000);

  it("refuses to restore into a cluster that holds keys, and a manifest whose slots are not all covered", async () => {
    const t = target!;
    const restored = join(bucketRoot, BUCKET, PREFIX, STAMP);
    const env = {
      REDIS_PASSWORD: PASSWORD,
      TARGET: `127.0.0.1:${t.ports[0]}`,
      WORK_DIR: join(dir, "restore-work"),
      SOURCE_PORT: String((await freePorts(1))[0]),
    };
    const again = await sh(RESTORE_SCRIPT, { ...env, RESTORE_DIR: restored });
    expect(again.code).not.toBe(0);
    expect(again.output).toContain("the target cluster holds keys");

    const partial = join(dir, "partial");
    cpSync(restored, partial, { recursive: true });
    const m = JSON.parse(readFileSync(join(partial, "manifest.json"), "utf8")) as RedisBackupManifest;
    writeFileSync(join(partial, "manifest.json"), JSON.stringify({ ...m, shards: m.shards.slice(1) }));
    const short = await sh(RESTORE_SCRIPT, { ...env, RESTORE_DIR: partial, ALLOW_NONEMPTY: "yes" });
    expect(short.code).not.toBe(0);
    expect(short.output).toMatch(/not 0-16383 exactly once \(missing, twice: [1-9]\d* 0\)/);
  }, 60_000);
});
