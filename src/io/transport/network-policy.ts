// What a script may connect to: the embedding API's `network` option (minus connectTo/proxy/insecure,
// which are transport settings) and the CLI's --allow/--deny/--no-private. Plain data, so it crosses to
// the I/O thread. The connector (connector.ts) asks this module twice per connection: about the target
// the script named (scheme, host, port) before anything is resolved, and about each address the
// resolver returned before that very address is dialled.
import { formatIp, inCidr, parseCidr, parseIp, specialRange, type CidrBlock } from './ip-address.js';
import { policyBlocked } from '../../channel/luasocket-errors.js';

export interface NetworkPolicyOptions {
  /**
   * Hosts a script may reach; absent or empty = any (still subject to `deny` and `privateNetworks`).
   * Entries: `*`, `example.com` (that name only), `*.example.com` (its subdomains), an IP literal, a
   * CIDR block (`10.0.0.0/8`, `fd00::/8`), each optionally with `:port` (`[::1]:443`, `[fd00::/8]:443`).
   * An address or CIDR entry also admits the private addresses it covers; a name entry does not (DNS
   * could point it anywhere).
   */
  allow?: string[];
  /** Hosts never reached, same entry syntax; deny wins over allow. */
  deny?: string[];
  /**
   * Loopback, private (RFC 1918), link-local (169.254/16, fe80::/10), CGNAT (100.64/10), unique local
   * (fc00::/7), multicast, unspecified, reserved and every IPv4-mapped address: `true` allows them.
   * Absent means false: a policy object is safe by default. (The CLI passes no policy at all unless
   * --allow/--deny/--no-private is given, so it stays open.)
   */
  privateNetworks?: boolean;
  /** Schemes a script may use: `http`, `https`, `tcp` (socket.tcp, and smtp/ftp/ssl.wrap over it), `udp`. Absent = all. */
  schemes?: string[];
}

/** A connection the script asked for, before host mapping or resolution. */
export interface PolicyTarget {
  scheme: string;
  host: string;
  port: number;
}

type HostPattern =
  | { kind: 'any'; port: number | null }
  | { kind: 'name'; name: string; port: number | null }
  | { kind: 'subdomains'; suffix: string; port: number | null }
  | { kind: 'address'; block: CidrBlock; port: number | null };

/** Lower case, no brackets, no trailing dot: the form patterns are matched against. */
export function normalizeHost(host: string): string {
  return host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
}

const NAME = /^[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?(\.[a-z0-9_]([a-z0-9_-]*[a-z0-9_])?)*$/;

/** Parses one allow/deny entry; throws `bad network pattern '…'` for anything else. */
export function parseHostPattern(entry: string): HostPattern {
  const bad = (): Error => new Error(`bad network pattern '${entry}'`);
  const s = entry.trim().toLowerCase();
  let host = s;
  let portText: string | undefined;
  const bracketed = /^\[([^\]]+)\](\/\d+)?(?::(\d+))?$/.exec(s);
  if (bracketed) {
    host = bracketed[1]! + (bracketed[2] ?? '');
    portText = bracketed[3];
    if (!parseCidr(host)) throw bad();
  } else if (s.split(':').length <= 2) {
    // One colon at most: name:port or a.b.c.d/n:port (a bare IPv6 literal has several and no port)
    const m = /^(.*):(\d+)$/.exec(s);
    if (m) { host = m[1]!; portText = m[2]; } else if (s.includes(':')) throw bad();
  }
  let port: number | null = null;
  if (portText !== undefined) {
    port = Number(portText);
    if (!(port >= 1 && port <= 65535)) throw bad();
  }
  if (host === '*') return { kind: 'any', port };
  const block = parseCidr(host);
  if (block) return { kind: 'address', block, port };
  if (host.startsWith('*.') && NAME.test(host.slice(2))) return { kind: 'subdomains', suffix: host.slice(1), port };
  const name = host.replace(/\.$/, '');
  if (NAME.test(name) && !/^[\d.]+$/.test(name)) return { kind: 'name', name, port };
  throw bad();
}

const portMatches = (p: HostPattern, port: number): boolean => p.port === null || p.port === port;

function nameMatches(p: HostPattern, host: string, port: number): boolean {
  if (!portMatches(p, port)) return false;
  if (p.kind === 'any') return true;
  if (p.kind === 'name') return host === p.name;
  if (p.kind === 'subdomains') return host.endsWith(p.suffix) && host.length > p.suffix.length;
  return false;
}

function addressMatches(p: HostPattern, address: Uint8Array, port: number): boolean {
  return p.kind === 'address' && portMatches(p, port) && inCidr(address, p.block);
}

/** Raised by the connector when the policy refuses a connection; its message is what the script gets. */
export class PolicyBlockedError extends Error {
  readonly code = 'ELUAHTTP_POLICY';
  constructor(reason: string) { super(policyBlocked(reason)); }
}

/** The outcome of the check made before resolution. */
export interface TargetVerdict {
  /** Why the connection is refused (the reason inside "blocked by policy (…)"), or null. */
  blocked: string | null;
  /** An allow entry named this host (or there is no allow list): its addresses need no allow entry of their own. */
  allowedByName: boolean;
}

/** A compiled NetworkPolicyOptions. */
export class NetworkPolicy {
  private readonly allow: HostPattern[];
  private readonly deny: HostPattern[];
  private readonly schemes: Set<string> | null;
  private readonly privateNetworks: boolean;

  /** Throws `bad network pattern '…'` for an entry it cannot read, and for a malformed option. */
  constructor(options: NetworkPolicyOptions) {
    const list = (v: unknown, what: string): string[] => {
      if (v === undefined) return [];
      if (!Array.isArray(v) || v.some((e) => typeof e !== 'string')) throw new Error(`network.${what} must be an array of strings`);
      return v as string[];
    };
    this.allow = list(options.allow, 'allow').map(parseHostPattern);
    this.deny = list(options.deny, 'deny').map(parseHostPattern);
    this.schemes = options.schemes === undefined ? null : new Set(list(options.schemes, 'schemes').map((s) => s.toLowerCase().replace(/:$/, '')));
    if (options.privateNetworks !== undefined && typeof options.privateNetworks !== 'boolean') throw new Error('network.privateNetworks must be a boolean');
    this.privateNetworks = options.privateNetworks ?? false;
  }

  /** Scheme, denied names and the allow list by name; an IP-literal host is judged by checkAddress only. */
  checkTarget(t: PolicyTarget): TargetVerdict {
    const scheme = t.scheme.toLowerCase().replace(/:$/, '');
    if (this.schemes && !this.schemes.has(scheme)) return { blocked: `scheme ${scheme} not allowed`, allowedByName: false };
    const host = normalizeHost(t.host);
    const literal = parseIp(host) !== null;
    const byName = (p: HostPattern): boolean => (literal ? p.kind === 'any' && portMatches(p, t.port) : nameMatches(p, host, t.port));
    if (this.deny.some(byName)) return { blocked: `host ${host} denied`, allowedByName: false };
    return { blocked: null, allowedByName: this.allow.length === 0 || this.allow.some(byName) };
  }

  /**
   * One resolved address the connector is about to dial for target: denied blocks, the allow list, and
   * the private ranges (unless privateAllowed: the destination of the operator's own --connect-to rule).
   * Returns the reason it is refused, or null.
   */
  checkAddress(address: string, t: PolicyTarget, verdict: TargetVerdict, privateAllowed = this.privateNetworks): string | null {
    const bytes = parseIp(address);
    // The resolver gave something that is not an address: nothing to dial, nothing to allow.
    if (!bytes) return `address ${address} not understood`;
    const text = formatIp(bytes);
    if (this.deny.some((p) => addressMatches(p, bytes, t.port))) return `address ${text} denied`;
    const allowedByAddress = this.allow.some((p) => addressMatches(p, bytes, t.port));
    if (!verdict.allowedByName && !allowedByAddress) return `host ${normalizeHost(t.host)} not in the allow list`;
    if (!privateAllowed && !allowedByAddress) {
      const range = specialRange(bytes);
      if (range) return `${range} address ${text}`;
    }
    return null;
  }

  /**
   * A name lookup (socket.dns): refused for a host no connection could be made to by name (denied, or
   * outside an allow list that has only name entries). Lookups send nothing to the host itself, so the
   * private ranges do not apply.
   */
  checkLookup(host: string): string | null {
    const h = normalizeHost(host);
    if (parseIp(h)) return null;
    // Any port: a lookup is not a connection to one.
    const byName = (p: HostPattern): boolean => p.kind !== 'address' && nameMatches({ ...p, port: null }, h, 0);
    if (this.deny.some((p) => p.port === null && byName(p))) return `host ${h} denied`;
    if (this.allow.length && this.allow.every((p) => p.kind !== 'address') && !this.allow.some(byName)) return `host ${h} not in the allow list`;
    return null;
  }
}
