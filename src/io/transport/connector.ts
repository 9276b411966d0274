// The one way a script's connection leaves the I/O side. HTTP(S) (undici's `connect`, transport.ts), raw
// socket.tcp (and smtp, ftp and ssl.wrap over it, raw-sockets.ts), socket.udp (udp-sockets.ts) and
// socket.dns lookups all ask this class where to connect, so the policy, host mapping and tracing hold
// for every socket. Per connection:
//   policy on the target the script named (scheme, host name, port)
//   -> --connect-to (the operator's own mapping; its destination may be private)
//   -> lookup (once; an injected resolver in tests and embeddings)
//   -> policy on each address returned -> dial exactly those addresses -> trace.
// Resolving once and dialling the checked address leaves no DNS-rebinding window.
import dns from 'node:dns';
import net from 'node:net';
import { resolveConnectTo, type ConnectToRule } from './connect-to.js';
import { NetworkPolicy, PolicyBlockedError, type NetworkPolicyOptions, type PolicyTarget } from './network-policy.js';
import { parseIp } from './ip-address.js';
import { failedInHandshake, luaSocketError } from '../../channel/luasocket-errors.js';

export type AddressFamily = 'inet' | 'inet6';
export interface ResolvedAddress { address: string; family: AddressFamily }

/** A resolver with dns.promises.lookup's shape (`{ all: true }`): the default is exactly that. */
export type Lookup = (hostname: string, options: { all: true; family: 0 | 4 | 6 }) => Promise<{ address: string; family: number }[]>;

export interface ConnectorOptions {
  connectTo?: readonly ConnectToRule[];
  /** Absent: every destination is allowed (the CLI without --allow/--deny/--no-private). */
  policy?: NetworkPolicyOptions;
  lookup?: Lookup;
  /** curl -v style lines for --trace. */
  trace?: (line: string) => void;
}

/** Where one connection goes. */
export interface DialPlan {
  /** Checked addresses in the resolver's order; each is tried in turn, as LuaSocket's inet_tryconnect does. */
  addresses: ResolvedAddress[];
  port: number;
  /** The connect-to rule says the destination speaks plain HTTP even for https URLs (the bundled httpbin). */
  plaintext: boolean;
}

/** undici's connector function (lib/core/connect.js). */
export type ConnectFn = (opts: Record<string, unknown> & { hostname: string; port: string | number; protocol: string; servername?: string | null }, cb: (err: Error | null, socket: unknown) => void) => void;

/** Connect failures after which the next address of the same name is tried (LuaSocket tries every one). */
const NEXT_ADDRESS = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT']);

const defaultLookup: Lookup = (hostname, options) => dns.promises.lookup(hostname, { ...options, verbatim: true });

export class Connector {
  readonly policy: NetworkPolicy | null;
  private readonly rules: readonly ConnectToRule[];
  private readonly lookupFn: Lookup;

  /** Throws `bad network pattern '…'` for a policy it cannot read. */
  constructor(private readonly options: ConnectorOptions = {}) {
    this.policy = options.policy ? new NetworkPolicy(options.policy) : null;
    this.rules = options.connectTo ?? [];
    this.lookupFn = options.lookup ?? defaultLookup;
  }

  get trace(): ((line: string) => void) | undefined { return this.options.trace; }

  /**
   * host's addresses as LuaSocket's getaddrinfo loop sees them (a literal passes through), no policy:
   * for bind, and for what lookups and plan() build on.
   */
  async resolve(host: string, family?: AddressFamily): Promise<ResolvedAddress[]> {
    const literal = host.replace(/^\[(.*)\]$/, '$1');
    // net.isIP tries IPv4 first: an IPv4 literal never runs Node's IPv6 pattern, whose first use costs
    // 3-15 ms (V8 compiles the regular expression).
    const version = net.isIP(literal);
    if (version) {
      const f: AddressFamily = version === 6 ? 'inet6' : 'inet';
      // glibc's getaddrinfo answers a literal of the other family with EAI_ADDRFAMILY
      if (family && family !== f) throw Object.assign(new Error('Address family for hostname not supported'), { code: 'EAI_ADDRFAMILY' });
      return [{ address: literal, family: f }];
    }
    const found = await this.lookupFn(host, { all: true, family: family === 'inet6' ? 6 : family === 'inet' ? 4 : 0 });
    if (found.length === 0) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' });
    return found.map((a) => ({ address: a.address, family: a.family === 6 ? 'inet6' : 'inet' }));
  }

  /** socket.dns: a forward lookup, refused for names the policy would never connect to. */
  async lookupName(host: string, family?: AddressFamily): Promise<ResolvedAddress[]> {
    const reason = this.policy?.checkLookup(host);
    if (reason) throw this.blocked(reason);
    return this.resolve(host, family);
  }

  private blocked(reason: string): PolicyBlockedError {
    return new PolicyBlockedError(reason);
  }

  /** policy -> connect-to -> lookup -> policy on each address. Throws PolicyBlockedError or the lookup's error. */
  async plan(scheme: string, host: string, port: number, family?: AddressFamily, mapHosts = true): Promise<DialPlan> {
    const target: PolicyTarget = { scheme, host, port };
    const verdict = this.policy?.checkTarget(target);
    if (verdict?.blocked) throw this.blocked(verdict.blocked);
    const mapped: { host: string; port: number; plaintext?: boolean } = mapHosts ? resolveConnectTo(this.rules, host, port) : { host, port };
    const isMapped = mapped.host !== host || mapped.port !== port;
    const addresses = await this.resolve(mapped.host, family);
    let allowed = addresses;
    if (this.policy && verdict) {
      let firstReason: string | null = null;
      allowed = addresses.filter((a) => {
        // A --connect-to destination is the operator's choice: private ranges are fine there.
        const reason = this.policy!.checkAddress(a.address, target, verdict, isMapped ? true : undefined);
        firstReason ??= reason;
        return reason === null;
      });
      if (allowed.length === 0) throw this.blocked(firstReason!);
    }
    return { addresses: allowed, port: mapped.port, plaintext: mapped.plaintext ?? false };
  }

  /**
   * A target reached through a proxy: the proxy resolves it, so only what is known here is judged — the
   * scheme, the name, and an IP-literal host's address. A name admitted only by address entries cannot
   * be vouched for. Throws PolicyBlockedError.
   */
  checkViaProxy(scheme: string, host: string, port: number): void {
    if (!this.policy) return;
    const target: PolicyTarget = { scheme, host, port };
    const verdict = this.policy.checkTarget(target);
    if (verdict.blocked) throw this.blocked(verdict.blocked);
    const literal = parseIp(host);
    const reason = literal
      ? this.policy.checkAddress(host.replace(/^\[(.*)\]$/, '$1'), target, verdict)
      : verdict.allowedByName ? null : `host ${host} not in the allow list`;
    if (reason) throw this.blocked(reason);
  }

  /**
   * Node's `lookup` option (net.connect) that applies plan()'s checks (not its host mapping: the port is
   * already fixed): for connections undici opens itself (to a script-named proxy), where no connect
   * function of ours runs. Node skips `lookup` for IP literals: checkViaProxy judges those first.
   */
  netLookup(scheme: string, port: number): (hostname: string, options: { all?: boolean; family?: number }, cb: (err: Error | null, address: string | { address: string; family: number }[], family?: number) => void) => void {
    return (hostname, options, cb) => {
      this.plan(scheme, hostname, port, options.family === 6 ? 'inet6' : options.family === 4 ? 'inet' : undefined, false).then((p) => {
        const list = p.addresses.map((a) => ({ address: a.address, family: a.family === 'inet6' ? 6 : 4 }));
        if (options.all) cb(null, list); else cb(null, list[0]!.address, list[0]!.family);
      }, (e: Error) => cb(e, ''));
    };
  }

  /** undici's connector wrapped: every connection it opens goes through plan(), then to a checked address. */
  undiciConnect(base: ConnectFn): ConnectFn {
    return (opts, cb) => {
      const protocol = opts.protocol === 'https:' ? 'https:' : 'http:';
      const port = Number(opts.port || (protocol === 'https:' ? 443 : 80));
      const started = Date.now();
      const trace = this.options.trace;
      const done = (err: Error | null, socket: unknown, dialled?: string): void => {
        if (trace) {
          const s = socket as { remoteAddress?: string; remotePort?: number; alpnProtocol?: string | false; getProtocol?: () => string | null } | null;
          if (err) trace(`* connect to ${dialled ?? opts.hostname} port ${port} failed: ${luaSocketError(err)}`);
          else trace(`* Connected to ${opts.hostname} (${s?.remoteAddress}) port ${s?.remotePort} in ${Date.now() - started} ms${s?.getProtocol ? ` (${s.getProtocol()}, ALPN ${s.alpnProtocol || 'none'})` : ''}`);
        }
        cb(err, socket);
      };
      this.plan(protocol.slice(0, -1), opts.hostname, port).then((p) => {
        // The certificate must name the host of the URL, whatever address was dialled.
        const servername = opts.servername ?? (net.isIP(opts.hostname.replace(/^\[(.*)\]$/, '$1')) ? undefined : opts.hostname);
        const attempt = (i: number): void => {
          const a = p.addresses[i]!;
          base({ ...opts, hostname: a.address, port: String(p.port), servername, protocol: p.plaintext ? 'http:' : opts.protocol }, (err, socket) => {
            if (err && i + 1 < p.addresses.length && NEXT_ADDRESS.has((err as NodeJS.ErrnoException).code ?? '')) { attempt(i + 1); return; }
            // undici's connector answers once TLS is up: a failure it reports is one of connecting or of the handshake.
            done(err && failedInHandshake(err), socket, a.address);
          });
        };
        attempt(0);
      }, (e: Error) => done(e, null));
    };
  }
}
