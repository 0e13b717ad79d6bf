/** IPv4 CIDR blocks: the one parser the components and the stack's config validation share. */
const IPV4_CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses "a.b.c.d/n" into a 32-bit base address and prefix length, or undefined when malformed. */
export function parseIpv4Cidr(value: string): { base: number; prefix: number } | undefined {
  const m = IPV4_CIDR.exec(value);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const base = octets.reduce((acc, o) => acc * 256 + o, 0);
  const hostBits = 32 - prefix;
  // A CIDR block whose address has host bits set is almost always a typo (10.0.1.0/16).
  if (hostBits > 0 && base % 2 ** hostBits !== 0) return undefined;
  return { base, prefix };
}
