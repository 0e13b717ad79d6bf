/**
 * How much of the public internet a set of CIDR blocks opens to: the union of the blocks, minus
 * every range that is not globally reachable, per address family. Pure, so that rules, tests and
 * reports share one definition.
 *
 * Public IPv4 is everything outside the IANA IPv4 Special-Purpose Address Registry entries marked
 * "Globally Reachable: False" (https://www.iana.org/assignments/iana-ipv4-special-registry/, RFC 6890)
 * and outside multicast (224.0.0.0/4, RFC 5771). Public IPv6 is the global unicast space 2000::/3
 * (IANA IPv6 Address Space registry, RFC 4291 section 2.4) minus its two documentation prefixes
 * (2001:db8::/32, RFC 3849; 3fff::/20, RFC 9637): loopback, unique local (fc00::/7), link-local
 * (fe80::/10), multicast (ff00::/8) and the IPv4-mapped range all lie outside 2000::/3.
 */

export type Family = 4 | 6;
interface Interval {
  readonly start: bigint;
  /** Exclusive. */
  readonly end: bigint;
}
export interface ParsedCidr extends Interval {
  readonly family: Family;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

function ipv4(text: string): bigint | undefined {
  const parts = text.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return undefined;
  return parts.reduce((acc, p) => (acc << 8n) | BigInt(Number(p)), 0n);
}

function ipv6(text: string): bigint | undefined {
  let head = text;
  let tail4: bigint | undefined;
  const lastColon = text.lastIndexOf(":");
  if (text.slice(lastColon + 1).includes(".")) {
    tail4 = ipv4(text.slice(lastColon + 1));
    if (tail4 === undefined) return undefined;
    head = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = head.split("::");
  if (halves.length > 2) return undefined;
  const groups = (s: string) => (s === "" ? [] : s.split(":"));
  const left = groups(halves[0]!);
  const right = halves.length === 2 ? groups(halves[1]!) : [];
  const missing = 8 - left.length - right.length;
  if ((halves.length === 1 && missing !== 0) || (halves.length === 2 && missing < 1)) return undefined;
  const all = [...left, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...right];
  if (all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  const value = all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
  return tail4 === undefined ? value : (value & ~0xffffffffn) | tail4;
}

/** A CIDR block ("203.0.113.0/24", "2001:db8::/32"; a bare address is a /32 or /128), or undefined. */
export function parseCidr(text: string): ParsedCidr | undefined {
  const [address = "", prefixText, extra] = text.trim().split("/");
  if (extra !== undefined) return undefined;
  const family: Family = address.includes(":") ? 6 : 4;
  const value = family === 4 ? ipv4(address) : ipv6(address);
  const bits = BITS[family];
  const prefix = prefixText === undefined ? bits : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (value === undefined || !(prefix >= 0 && prefix <= bits)) return undefined;
  const size = 1n << BigInt(bits - prefix);
  const start = value - (value % size);
  return { family, start, end: start + size };
}

const block = (text: string): Interval => parseCidr(text)!;

/** Sorted, disjoint union of intervals. */
function merge(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  const out: Interval[] = [];
  for (const i of sorted) {
    const last = out[out.length - 1];
    if (last && i.start <= last.end) out[out.length - 1] = { start: last.start, end: i.end > last.end ? i.end : last.end };
    else out.push(i);
  }
  return out;
}

/** `from` minus every interval of `holes` (both sorted and disjoint after merge). */
function subtract(from: readonly Interval[], holes: readonly Interval[]): Interval[] {
  let rest = merge(from);
  for (const h of merge(holes)) {
    rest = rest.flatMap((r) => {
      if (h.end <= r.start || h.start >= r.end) return [r];
      const parts: Interval[] = [];
      if (h.start > r.start) parts.push({ start: r.start, end: h.start });
      if (h.end < r.end) parts.push({ start: h.end, end: r.end });
      return parts;
    });
  }
  return rest;
}

const NOT_PUBLIC_V4 = [
  "0.0.0.0/8", // "this network"
  "10.0.0.0/8", // RFC 1918
  "100.64.0.0/10", // shared address space (carrier-grade NAT)
  "127.0.0.0/8", // loopback
  "169.254.0.0/16", // link-local
  "172.16.0.0/12", // RFC 1918
  "192.0.0.0/24", // IETF protocol assignments
  "192.0.2.0/24", // TEST-NET-1
  "192.168.0.0/16", // RFC 1918
  "198.18.0.0/15", // benchmarking
  "198.51.100.0/24", // TEST-NET-2
  "203.0.113.0/24", // TEST-NET-3
  "224.0.0.0/4", // multicast
  "240.0.0.0/4", // reserved, and the limited broadcast address
].map(block);
const NOT_PUBLIC_V6 = ["2001:db8::/32", "3fff::/20"].map(block);

/** The public address space of each family, as sorted disjoint intervals. */
export const PUBLIC_SPACE: Readonly<Record<Family, readonly Interval[]>> = {
  4: subtract([block("0.0.0.0/0")], NOT_PUBLIC_V4),
  6: subtract([block("2000::/3")], NOT_PUBLIC_V6),
};

const total = (intervals: readonly Interval[]): bigint => intervals.reduce((n, i) => n + (i.end - i.start), 0n);
export const PUBLIC_SIZE: Readonly<Record<Family, bigint>> = { 4: total(PUBLIC_SPACE[4]), 6: total(PUBLIC_SPACE[6]) };

export interface PublicCoverage {
  /** Public addresses the union of the blocks covers, per family. */
  readonly addresses: Readonly<Record<Family, bigint>>;
  /** The same as a share (0..1) of the family's public space. */
  readonly share: Readonly<Record<Family, number>>;
  /** Entries that are not CIDR blocks (left out of the sums). */
  readonly invalid: readonly string[];
}

/** How much public address space the union of the given CIDR blocks covers, per family. */
export function publicCoverage(cidrs: readonly string[]): PublicCoverage {
  const parsed = cidrs.map((c) => ({ c, p: parseCidr(c) }));
  const coverage = (family: Family): bigint => {
    const union = merge(parsed.flatMap(({ p }) => (p && p.family === family ? [p] : [])));
    return total(subtract(PUBLIC_SPACE[family], subtract(PUBLIC_SPACE[family], union)));
  };
  const addresses = { 4: coverage(4), 6: coverage(6) };
  const share = (f: Family) => Number((addresses[f] * 1_000_000n) / PUBLIC_SIZE[f]) / 1_000_000;
  return { addresses, share: { 4: share(4), 6: share(6) }, invalid: parsed.filter(({ p }) => !p).map(({ c }) => c) };
}

/**
 * The most public address space a set may open to before it counts as "the internet": a /8 of IPv4
 * (2^24 addresses, about 0.45% of public IPv4) and a /16 of IPv6 (2^112, 1/8192 of 2000::/3). Each
 * is far more than one organisation's offices, VPN or CI egress need, and every way of writing the
 * whole internet in pieces (two /1 halves, 256 /8s, 0.0.0.0/0 minus the private ranges) exceeds it.
 * A set at or above it is world-open; an allow-list of real networks stays well below.
 */
export const WORLD_OPEN_THRESHOLD: Readonly<Record<Family, bigint>> = { 4: 1n << 24n, 6: 1n << 112n };

/** The families in which the blocks open to at least the threshold, with a readable reason each. */
export function worldOpen(cidrs: readonly string[]): string[] {
  const c = publicCoverage(cidrs);
  return ([4, 6] as const)
    .filter((f) => c.addresses[f] >= WORLD_OPEN_THRESHOLD[f])
    .map((f) => `IPv${f}: ${(c.share[f] * 100).toFixed(2)}% of public address space (limit: a /${f === 4 ? 8 : 16})`);
}
