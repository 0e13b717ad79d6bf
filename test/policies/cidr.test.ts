/**
 * The public-coverage function behind the network rules: exact on known sets, and invariant under
 * any way of cutting a range into pieces (property-style, over seeded random splits).
 */
import { describe, expect, it } from "vitest";
import { parseCidr, PUBLIC_SIZE, publicCoverage, WORLD_OPEN_THRESHOLD, worldOpen, type Family } from "../../policies/rules/cidr";
import { ingressOf, worldExposures } from "../../policies/rules/network";
import type { RuleResource } from "../../policies/rules/types";

/** mulberry32: a small seeded generator, so that a failure replays. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };
function format(family: Family, value: bigint, prefix: number): string {
  if (family === 4) return `${[24n, 16n, 8n, 0n].map((s) => (value >> s) & 255n).join(".")}/${prefix}`;
  const groups = [112n, 96n, 80n, 64n, 48n, 32n, 16n, 0n].map((s) => ((value >> s) & 0xffffn).toString(16));
  return `${groups.join(":")}/${prefix}`;
}
/** Cuts a block into random pieces: each piece is kept whole or halved again, down to maxDepth levels. */
function split(next: () => number, family: Family, start: bigint, prefix: number, depth: number): string[] {
  if (depth === 0 || prefix === BITS[family] || next() < 0.3) return [format(family, start, prefix)];
  const half = 1n << BigInt(BITS[family] - prefix - 1);
  return [...split(next, family, start, prefix + 1, depth - 1), ...split(next, family, start + half, prefix + 1, depth - 1)];
}
function randomBlock(next: () => number, family: Family): { start: bigint; prefix: number } {
  const prefix = family === 4 ? Math.floor(next() * 17) : Math.floor(next() * 40);
  let value = 0n;
  for (let i = 0; i < BITS[family] / 16; i++) value = (value << 16n) | BigInt(Math.floor(next() * 65536));
  if (family === 6 && next() < 0.7) value = (value & ((1n << 125n) - 1n)) | (1n << 125n); // mostly inside 2000::/3
  const size = 1n << BigInt(BITS[family] - prefix);
  return { start: value - (value % size), prefix };
}

describe("public address coverage", () => {
  it("counts the public IPv4 space as 2^32 minus the special-purpose and multicast ranges", () => {
    // 0/8, 10/8, 127/8: 3 x 2^24; 100.64/10: 2^22; 169.254/16, 192.168/16: 2 x 2^16; 172.16/12: 2^20;
    // four /24s; 198.18/15: 2^17; 224/4 and 240/4: 2 x 2^28.
    const excluded = 3 * 2 ** 24 + 2 ** 22 + 2 * 2 ** 16 + 2 ** 20 + 4 * 256 + 2 ** 17 + 2 * 2 ** 28;
    expect(PUBLIC_SIZE[4]).toBe(BigInt(2 ** 32 - excluded));
    expect(PUBLIC_SIZE[6]).toBe((1n << 125n) - (1n << 96n) - (1n << 108n));
  });

  it.each([
    [["0.0.0.0/0"], 4, "all"],
    [["0.0.0.0/1", "128.0.0.0/1"], 4, "all"],
    [["::/0"], 6, "all"],
    [["::/1", "8000::/1"], 6, "all"],
    [["2000::/3"], 6, "all"],
    [["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "224.0.0.0/3"], 4, "none"],
    [["fc00::/7", "fe80::/10", "ff00::/8", "::1/128", "2001:db8::/32"], 6, "none"],
  ] as const)("%j covers %s of IPv%s: %s", (cidrs, family, expected) => {
    const c = publicCoverage(cidrs);
    expect(c.addresses[family]).toBe(expected === "all" ? PUBLIC_SIZE[family] : 0n);
  });

  it("parses addresses, prefixes and compressed IPv6; rejects what is not a block", () => {
    expect(parseCidr("44.1.2.3/8")).toEqual({ family: 4, start: 44n << 24n, end: 45n << 24n });
    expect(parseCidr("8.8.8.8")).toEqual({ family: 4, start: 0x08080808n, end: 0x08080809n });
    expect(parseCidr("2600::/12")?.start).toBe(0x26n << 120n);
    expect(parseCidr("::ffff:1.2.3.4/128")?.start).toBe((0xffffn << 32n) | 0x01020304n);
    for (const bad of ["", "1.2.3/8", "1.2.3.256/32", "1.2.3.4/33", "::/129", "1::2::3/64", "10.0.0.0/8/1", "2001:db8:::/48", "x"])
      expect(parseCidr(bad), bad).toBeUndefined();
    expect(publicCoverage(["nonsense", "8.8.8.0/24"]).invalid).toEqual(["nonsense"]);
  });

  it("gives any random cutting of a block, shuffled, with repeats and overlaps, the block's own coverage", () => {
    const next = random(19);
    for (let round = 0; round < 300; round++) {
      const family: Family = round % 2 === 0 ? 4 : 6;
      const { start, prefix } = randomBlock(next, family);
      const whole = publicCoverage([format(family, start, prefix)]);
      const pieces = split(next, family, start, prefix, 10);
      const shuffled = [...pieces, ...pieces.filter(() => next() < 0.2)].sort(() => next() - 0.5);
      const covered = publicCoverage(shuffled);
      expect(covered.addresses[family], `${format(family, start, prefix)} as ${shuffled.length} pieces`).toBe(whole.addresses[family]);
      // Adding a sub-block of the range changes nothing; coverage never exceeds the family's public space.
      expect(publicCoverage([...shuffled, pieces[0]!]).addresses[family]).toBe(whole.addresses[family]);
      expect(covered.addresses[family] <= PUBLIC_SIZE[family]).toBe(true);
    }
  });

  it("is bounded by the sum of its parts and by the largest part (union, not sum)", () => {
    const next = random(7);
    for (let round = 0; round < 100; round++) {
      const family: Family = round % 2 === 0 ? 4 : 6;
      const a = randomBlock(next, family);
      const b = randomBlock(next, family);
      const [ca, cb] = [a, b].map((x) => publicCoverage([format(family, x.start, x.prefix)]).addresses[family]);
      const both = publicCoverage([format(family, a.start, a.prefix), format(family, b.start, b.prefix)]).addresses[family];
      expect(both <= ca! + cb! && both >= (ca! > cb! ? ca! : cb!)).toBe(true);
    }
  });

  it("calls a set world-open from a /8 of public IPv4 or a /16 of IPv6, however it is cut", () => {
    expect(WORLD_OPEN_THRESHOLD).toEqual({ 4: 1n << 24n, 6: 1n << 112n });
    expect(worldOpen(["44.0.0.0/8"])).toHaveLength(1);
    expect(worldOpen(["44.0.0.0/9", "44.128.0.0/9"])).toHaveLength(1);
    expect(worldOpen(["44.0.0.0/9"])).toEqual([]);
    expect(worldOpen(["10.0.0.0/8", "203.0.113.0/24", "198.51.100.7/32"])).toEqual([]);
    expect(worldOpen(["2600::/16"])).toHaveLength(1);
    expect(worldOpen(["2600::/17"])).toEqual([]);
    expect(worldOpen(["0.0.0.0/1", "128.0.0.0/1", "::/1", "8000::/1"])).toHaveLength(2);
  });
});

const rule = (type: string, inputs: Record<string, unknown>): RuleResource => ({
  urn: `urn:x::${type}::r`,
  type,
  name: "r",
  inputs,
  protect: false,
  deleteBeforeReplace: false,
});
const exposed = (r: RuleResource) => worldExposures(ingressOf(r)).map((e) => `${e.protocol} ${e.from}-${e.to}`);

describe("security group exposure by port and protocol", () => {
  it("treats protocol -1 as every port of every protocol, and ports of -1 as all", () => {
    expect(exposed(rule("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", { ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" }))).toEqual([
      "tcp 0-65535",
      "udp 0-65535",
      "other 0-65535",
    ]);
    expect(
      exposed(rule("aws:ec2/securityGroupRule:SecurityGroupRule", { type: "ingress", protocol: "6", fromPort: -1, toPort: -1, cidrBlocks: ["0.0.0.0/0"] })),
    ).toEqual(["tcp 0-65535"]);
    expect(exposed(rule("aws:ec2/securityGroupRule:SecurityGroupRule", { type: "egress", protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }))).toEqual([]);
  });

  it("splits ports where inline rules meet and joins their CIDR blocks per piece", () => {
    const sg = rule("aws:ec2/securityGroup:SecurityGroup", {
      ingress: [
        { protocol: "tcp", fromPort: 20, toPort: 30, cidrBlocks: ["0.0.0.0/1"] },
        { protocol: "tcp", fromPort: 25, toPort: 40, ipv6CidrBlocks: ["::/0"], cidrBlocks: ["128.0.0.0/1"] },
        { protocol: "udp", fromPort: 53, toPort: 53, cidrBlocks: ["10.0.0.0/8"] },
      ],
    });
    const e = worldExposures(ingressOf(sg)).map((x) => `${x.protocol} ${x.from}-${x.to} ${x.reasons.length}`);
    expect(e).toEqual(["tcp 20-24 1", "tcp 25-30 2", "tcp 31-40 2"]);
  });
});
