// IP literals as bytes, CIDR blocks, and the address ranges a sandboxed script must not reach. The
// network policy (network-policy.ts) classifies the address actually dialled, so every spelling of an
// address (`0x7f000001`, `[::ffff:127.0.0.1]`, `0177.0.0.1`) is judged by the bytes the resolver made
// of it, never by its text.
import net from 'node:net';

/** 4 bytes (IPv4) or 16 (IPv6). */
export type IpBytes = Uint8Array;

/** Parses a dotted-quad or IPv6 literal (brackets and a zone id `%eth0` allowed); null if it is neither. */
export function parseIp(text: string): IpBytes | null {
  let s = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (net.isIPv4(s)) return new Uint8Array(s.split('.').map(Number));
  if (!net.isIPv6(s)) return null;
  const out = new Uint8Array(16);
  let tail: number[] = [];
  // An embedded dotted quad (::ffff:1.2.3.4) is the last 32 bits.
  const lastColon = s.lastIndexOf(':');
  if (s.slice(lastColon + 1).includes('.')) {
    tail = s.slice(lastColon + 1).split('.').map(Number);
    s = `${s.slice(0, lastColon + 1)}0:0`;
  }
  const [head, rest] = s.includes('::') ? s.split('::') as [string, string] : [s, null];
  const groups = (part: string): number[] => (part === '' ? [] : part.split(':').map((g) => parseInt(g, 16)));
  const left = groups(head);
  const right = rest === null ? [] : groups(rest);
  const words = [...left, ...new Array<number>(8 - left.length - right.length).fill(0), ...right];
  words.forEach((w, i) => { out[2 * i] = w >> 8; out[2 * i + 1] = w & 0xff; });
  if (tail.length === 4) out.set(tail, 12);
  return out;
}

/** The text form Node uses (dotted quad, or IPv6 compressed by net.SocketAddress). */
export function formatIp(b: IpBytes): string {
  if (b.length === 4) return b.join('.');
  const words: string[] = [];
  for (let i = 0; i < 16; i += 2) words.push(((b[i]! << 8) | b[i + 1]!).toString(16));
  return new net.SocketAddress({ address: words.join(':'), family: 'ipv6' }).address;
}

export interface CidrBlock { base: IpBytes; prefix: number }

/** `10.0.0.0/8`, `fd00::/8`, or a single address (a /32 or /128). */
export function parseCidr(text: string): CidrBlock | null {
  const slash = text.indexOf('/');
  const base = parseIp(slash < 0 ? text : text.slice(0, slash));
  if (!base) return null;
  const bits = base.length * 8;
  if (slash < 0) return { base, prefix: bits };
  const p = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(p) || Number(p) > bits) return null;
  return { base, prefix: Number(p) };
}

/** The IPv4 address an IPv6 one carries in its last 32 bits, for the prefixes listed. */
function embeddedIpv4(b: IpBytes, prefixBytes: number[]): IpBytes | null {
  for (let i = 0; i < 12; i++) if (b[i] !== prefixBytes[i]) return null;
  return b.subarray(12, 16);
}
const MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

export function inCidr(address: IpBytes, block: CidrBlock): boolean {
  let a = address;
  // A mapped address (::ffff:10.1.2.3) is dialled as the IPv4 address: IPv4 blocks match it too.
  if (a.length === 16 && block.base.length === 4) a = embeddedIpv4(a, MAPPED_PREFIX) ?? a;
  if (a.length !== block.base.length) return false;
  let bits = block.prefix;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if ((a[i]! & mask) !== (block.base[i]! & mask)) return false;
  }
  return true;
}

/** Ranges that are not the public internet, with the name a policy message gives them (RFC 6890 and friends). */
const SPECIAL_RANGES: [string, string][] = [
  ['0.0.0.0/8', 'unspecified'], // Linux dials 0.0.0.0 as this host
  ['10.0.0.0/8', 'private'],
  ['100.64.0.0/10', 'CGNAT'],
  ['127.0.0.0/8', 'loopback'],
  ['169.254.0.0/16', 'link-local'], // cloud metadata services live at 169.254.169.254
  ['172.16.0.0/12', 'private'],
  ['192.0.0.0/24', 'reserved'],
  ['192.168.0.0/16', 'private'],
  ['198.18.0.0/15', 'benchmarking'],
  ['224.0.0.0/4', 'multicast'],
  ['240.0.0.0/4', 'reserved'], // and 255.255.255.255, broadcast
  ['::/128', 'unspecified'],
  ['::1/128', 'loopback'],
  ['::ffff:0:0/96', 'IPv4-mapped'],
  ['::/96', 'IPv4-compatible'],
  ['64:ff9b:1::/48', 'NAT64 local-use'],
  ['fc00::/7', 'unique local'],
  ['fe80::/10', 'link-local'],
  ['fec0::/10', 'site-local'],
  ['ff00::/8', 'multicast'],
];
// Parsed on first use: net.isIPv6's first call cost ~5 ms of every script's start (the CLI loads this
// module to check --allow/--deny), and only a network policy asks.
let specialBlocks: [CidrBlock, string][] | undefined;

/** NAT64 (64:ff9b::/96) and 6to4 (2002::/16) reach the IPv4 address they embed. */
function translatedIpv4(b: IpBytes): IpBytes | null {
  if (b.length !== 16) return null;
  const nat64 = embeddedIpv4(b, [0, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0]);
  if (nat64) return nat64;
  if (b[0] === 0x20 && b[1] === 0x02) return b.subarray(2, 6);
  return null;
}

/**
 * The kind of non-public range an address is in ("loopback", "private", "IPv4-mapped"…), or null for a
 * public address. Every IPv4-mapped address counts: nothing public needs that spelling.
 */
export function specialRange(address: IpBytes): string | null {
  specialBlocks ??= SPECIAL_RANGES.map(([c, name]) => [parseCidr(c)!, name]);
  for (const [block, name] of specialBlocks) {
    // IPv4 blocks must not match mapped addresses here: those are reported as IPv4-mapped.
    if (block.base.length === address.length && inCidr(address, block)) return name;
  }
  const v4 = translatedIpv4(address);
  if (v4) {
    const inner = specialRange(v4);
    if (inner) return `${inner} via ${address[0] === 0x20 ? '6to4' : 'NAT64'}`;
  }
  return null;
}
