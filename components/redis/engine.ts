/**
 * Which server runs the cluster: Valkey (the default) or Redis. Both speak the same protocol and
 * cluster bus and read the same redis.conf directives used here; what differs is the image and the
 * names of the binaries, chosen here and passed to the scripts as SERVER_BIN and CLI_BIN.
 *
 * - Valkey's image (valkey-io/valkey-container@00a2b211 8.1/alpine/Dockerfile) installs
 *   /usr/local/bin/valkey-server and valkey-cli (`make install`, which by default also links the
 *   redis-* names: valkey-io/valkey README "USE_REDIS_SYMLINKS"; not relied on here), runs as user
 *   valkey, uid 999, gid 1000, like the Redis image, and is built FROM alpine:3.23 (getent from
 *   musl-utils, busybox awk and sh, as the scripts need).
 * - valkey-cli keeps every `--cluster` flag the scripts use, including --cluster-use-empty-masters
 *   beside its new --cluster-use-empty-primaries, and reads REDISCLI_AUTH (valkey-io/valkey@8.0.1
 *   src/valkey-cli.c); valkey-server keeps `masterauth` as an alias of `primaryauth` (src/config.c)
 *   and the nodes.conf line format the start script rewrites (src/cluster_legacy.c,
 *   "ip:port[@cport][,hostname][,aux=val]*"), and CLUSTER NODES still flags replicas "slave".
 */
import { REDIS_IMAGE, VALKEY_IMAGE } from "../versions";

export const ENGINES = ["valkey", "redis"] as const;
export type Engine = (typeof ENGINES)[number];

export interface EngineBinaries {
  readonly image: string;
  readonly server: string;
  readonly cli: string;
  /** The RDB checker the backup runs on each file (both projects build one beside the server). */
  readonly checkRdb: string;
}

export function engineBinaries(engine: Engine): EngineBinaries {
  return engine === "valkey"
    ? { image: VALKEY_IMAGE, server: "valkey-server", cli: "valkey-cli", checkRdb: "valkey-check-rdb" }
    : { image: REDIS_IMAGE, server: "redis-server", cli: "redis-cli", checkRdb: "redis-check-rdb" };
}
