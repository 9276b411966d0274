// The one transport every protocol module reaches the network through: undici agents (keep-alive
// pools), with host mapping, TLS policy and proxies applied here, so no module can bypass them.
import fs from 'node:fs';
import type { Dispatcher } from 'undici';
import type { ConnectToRule } from './transport/connect-to.js';
import { Connector, type ConnectFn, type Lookup } from './transport/connector.js';
import type { NetworkPolicyOptions } from './transport/network-policy.js';
import { parseIp } from './transport/ip-address.js';
import { adoptParser } from './llhttp/adopt-parser.js';
import { raiseBudgetForLlhttpCompile } from './llhttp/llhttp-compile-budget.js';
import { caContext, caList } from './transport/ca-store.js';
import { proxyFor, type ProxySettings } from './transport/proxy-config.js';
import type { TransportSettings } from '../runtime/io-link.js';

export interface TransportOptions extends ProxySettings {
  connectTo: ConnectToRule[];
  /** `--insecure`: no certificate or host name verification unless a request asks for it. */
  insecure?: boolean;
  /** `--http2`: offer h2 by ALPN on TLS connections (undici's allowH2). */
  http2?: boolean;
  /** `--trace`: receives curl -v style lines (connects here; request and response heads in HttpExchange). */
  trace?: (line: string) => void;
  /** `--compressed`: every request asks for and decodes gzip/deflate/br (see HttpExchange). */
  compressed?: boolean;
  /** Trust the operating system's CA store too (default true; `--no-system-ca`: false). */
  systemCa?: boolean;
  /**
   * The CLI's process-wide start-up patches (llhttp compiled with a raised tiering budget, a deferred
   * HTTP/2 client in undici's module cache). The library leaves globals alone; response parsing is
   * the same in both (llhttp/adopt-parser.ts, per connection).
   */
  startupPatches?: boolean;
  /** What scripts may connect to (transport/network-policy.ts); absent = anything. */
  policy?: NetworkPolicyOptions;
  /** The resolver every connection uses (default: dns.promises.lookup); embedders and tests inject one. */
  lookup?: Lookup;
  /** `--max-header-size`: the largest response head (status line and header lines) accepted. */
  maxHeaderSize?: number;
}

/**
 * LuaSocket reads a response head of any size (a 10 MB header line, 100,000 headers); undici's
 * default is Node's 16 KiB. The cap stays only against a server that never ends its head.
 */
export const DEFAULT_MAX_HEADER_SIZE = 256 * 1024 * 1024;

/** The TLS fields of a LuaSec request table, as http.lua normalises them. */
export interface TlsSettings {
  /** true = verify peer and host name; false = `verify = "none"`; absent = the transport's default. */
  verify?: boolean;
  cafile?: string;
  capath?: string;
  /** A client certificate (PEM file, chain allowed), its key (PEM file) and the key's password. */
  certificate?: string;
  key?: string;
  password?: string;
}

/** Where one request goes: the dispatcher, and origin/path/headers as that dispatcher needs them. */
export interface Route {
  dispatcher: Dispatcher;
  origin: string;
  path: string;
  headers: string[];
  /** The proxy used, for --trace. */
  proxy: string | null;
}

export interface RouteRequest {
  origin: string;
  path: string;
  headers: string[];
  /** LuaSocket's per-wait timeout (also the connect timeout); null = none. */
  timeoutMs: number | null;
  tls?: TlsSettings;
  /** A proxy the script named (string), none because http.lua already addressed it (null), or absent: the transport decides. */
  proxy?: string | null;
  /** The request needs a connection of its own, opened for it and closed after it (a body that cannot be sent twice). */
  fresh?: boolean;
}

// Only the parts of undici we use: loading the whole package costs 110–166 ms at start (ref/startup.md §5).
interface UndiciParts {
  Agent: new (opts: Record<string, unknown>) => Dispatcher;
  ProxyAgent: new (opts: Record<string, unknown>) => Dispatcher;
  Client: new (origin: string, opts: Record<string, unknown>) => Dispatcher;
  Pool: new (origin: string, opts: Record<string, unknown>) => Dispatcher;
  buildConnector: (opts: Record<string, unknown>) => ConnectFn;
}
let undiciParts: UndiciParts | undefined;

/**
 * undici's client.js loads its HTTP/2 client (and with it node:http2, ~6 ms of a one-GET script's
 * start-up) although only a connection that negotiated h2 (--http2) ever uses it. Its one export is
 * put in the module cache as a forwarder that loads the real module on first use.
 */
function deferHttp2Client(): void {
  const file = require.resolve('undici/lib/dispatcher/client-h2.js');
  if (require.cache[file]) return;
  const { Module } = require('node:module') as { Module: new (id: string) => NodeJS.Module };
  const stub = new Module(file);
  stub.filename = file;
  stub.loaded = true;
  let real: ((client: unknown, socket: unknown) => unknown) | undefined;
  stub.exports = function connectH2(client: unknown, socket: unknown): unknown {
    if (!real) {
      delete require.cache[file];
      real = require(file) as (client: unknown, socket: unknown) => unknown;
    }
    return real(client, socket);
  };
  require.cache[file] = stub;
}

function undici(startupPatches: boolean): UndiciParts {
  if (!undiciParts) {
    // Not undici's index: loading it installs a process-wide global dispatcher (Node's fetch uses it).
    if (startupPatches) deferHttp2Client();
    undiciParts = {
      Agent: require('undici/lib/dispatcher/agent'),
      buildConnector: require('undici/lib/core/connect'),
      get Client() { return require('undici/lib/dispatcher/client'); },
      get Pool() { return require('undici/lib/dispatcher/pool'); },
      get ProxyAgent() {
        // The tunnel is opened with dispatcher.connect(), which undici's index.js installs on the
        // prototype; we load undici piecemeal, so install just that one (only when a proxy is used).
        const Dispatcher = require('undici/lib/dispatcher/dispatcher');
        Dispatcher.prototype.connect ??= require('undici/lib/api/api-connect');
        return require('undici/lib/dispatcher/proxy-agent');
      },
    };
    if (startupPatches) raiseBudgetForLlhttpCompile();
  }
  return undiciParts;
}


/**
 * A connect function whose connections parse responses as LuaSocket reads them: undici builds a
 * connection's HTTP/1 parser inside the callback, so it is there to adopt when the callback returns.
 */
function adoptingParsers(connect: ConnectFn): ConnectFn {
  return (opts, cb) => connect(opts, (err, socket) => {
    cb(err, socket);
    if (!err && socket) adoptParser(socket);
  });
}

function decodedUserinfo(u: URL): string | null {
  if (!u.username && !u.password) return null;
  return Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString('base64');
}

export class Transport {
  /** Agents by connect timeout, TLS settings and proxy: undici fixes these per agent, LuaSocket per request. */
  private readonly agents = new Map<string, Dispatcher>();

  /** New connections made so far (--trace tells a reused connection by it not moving). */
  connects = 0;

  /** Where every script-caused connection goes through (raw sockets share it: io-worker.ts). */
  readonly connector: Connector;
  /** For the operator's own proxies (--proxy, *_proxy): host mapping and tracing, but no policy. */
  private readonly operatorConnector: Connector;

  /** Throws `bad network pattern '…'` for a policy it cannot read. */
  constructor(private readonly options: TransportOptions) {
    const shared = { connectTo: options.connectTo, lookup: options.lookup, trace: options.trace };
    this.connector = new Connector({ ...shared, policy: options.policy });
    this.operatorConnector = options.policy ? new Connector(shared) : this.connector;
  }

  get trace(): ((line: string) => void) | undefined { return this.options.trace; }
  get compressed(): boolean { return this.options.compressed ?? false; }
  get maxHeaderSize(): number { return this.options.maxHeaderSize ?? DEFAULT_MAX_HEADER_SIZE; }
  /** https connections may turn out HTTP/2 (`--http2`). */
  get http2(): boolean { return this.options.http2 ?? false; }

  private readonly origins = new Map<string, URL>();
  /** Parsed once per origin: URL parsing showed in the per-request profile. */
  private parseOrigin(origin: string): URL {
    let u = this.origins.get(origin);
    if (!u) {
      u = new URL(origin);
      if (this.origins.size < 1000) this.origins.set(origin, u);
    }
    return u;
  }

  /** Direct dispatchers of plain requests (no TLS fields, no proxy named) by origin and timeout:
   *  working this out again for every request of a loop showed in its profile (~10 µs). */
  private readonly directRoutes = new Map<string, Dispatcher | null>();

  /** The dispatcher and request shape for one request: direct, via an HTTP proxy, or tunnelled with CONNECT. */
  route(req: RouteRequest): Route {
    if (req.tls !== undefined || req.proxy !== undefined || req.fresh) return this.decideRoute(req);
    const key = `${req.timeoutMs}|${req.origin}`;
    const dispatcher = this.directRoutes.get(key);
    if (dispatcher) return { dispatcher, origin: req.origin, path: req.path, headers: req.headers, proxy: null };
    const r = this.decideRoute(req);
    // null: this origin goes through a proxy, decided per request
    if (dispatcher === undefined && this.directRoutes.size < 1000) this.directRoutes.set(key, r.proxy === null ? r.dispatcher : null);
    return r;
  }

  private decideRoute(req: RouteRequest): Route {
    const target = this.parseOrigin(req.origin);
    const protocol = target.protocol === 'https:' ? 'https:' : 'http:';
    const port = Number(target.port || (protocol === 'https:' ? 443 : 80));
    const proxy = req.proxy === null ? null
      : req.proxy !== undefined ? req.proxy
        : proxyFor(this.options, protocol, target.hostname, port);
    const timeout = req.timeoutMs ?? 60_000;
    // Only a TLS connection (to the target, or to an https proxy) uses the CA list: building it (the
    // system store, a secure context) cost a plain-http script ~80 ms of its start on Node 22+.
    const tls = protocol === 'https:' || req.tls !== undefined || (!!proxy && /^https:/i.test(proxy));
    const tlsKey = tls ? this.tlsOptions(req.tls) : { rejectUnauthorized: !this.options.insecure };
    const fresh = req.fresh ?? false;
    if (!proxy) {
      // http.lua addressed the script's own proxy (absolute-form path): the connection to the proxy is
      // checked when it is made; the URL it is asked for is judged here.
      if (this.connector.policy && /^[a-z][a-z0-9+.-]*:\/\//i.test(req.path)) this.checkViaProxy(new URL(req.path));
      return { dispatcher: this.agent(timeout, tlsKey, fresh), origin: req.origin, path: req.path, headers: req.headers, proxy: null };
    }
    this.checkViaProxy(target);
    const p = new URL(proxy);
    // A proxy the script named is a destination like any other; the operator's are trusted.
    const byScript = req.proxy !== undefined;
    if (byScript && parseIp(p.hostname)) this.connector.checkViaProxy(p.protocol.slice(0, -1), p.hostname, Number(p.port || (p.protocol === 'https:' ? 443 : 80)));
    if (protocol === 'http:') {
      // A plain-http target: the request goes to the proxy in absolute form (as curl; LuaSocket's own
      // reqt.proxy form is built in http.lua and arrives here with proxy = null).
      const headers = [...req.headers];
      const auth = decodedUserinfo(p);
      if (auth && !headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'proxy-authorization')) headers.push('Proxy-Authorization', `Basic ${auth}`);
      return { dispatcher: this.agent(timeout, tlsKey, fresh, !byScript), origin: p.origin, path: req.origin + req.path, headers, proxy };
    }
    // https through a proxy: a CONNECT tunnel, TLS end to end; Proxy-Authorization goes in the CONNECT.
    const headers = req.headers.filter((_, i, a) => a[i - (i % 2)]!.toLowerCase() !== 'proxy-authorization');
    return { dispatcher: this.proxyAgent(proxy, timeout, tlsKey, fresh, byScript), origin: req.origin, path: req.path, headers, proxy };
  }

  /** A URL fetched by a proxy: the policy judges what it can without resolving (Connector.checkViaProxy). */
  private checkViaProxy(u: URL): void {
    const scheme = u.protocol.slice(0, -1);
    this.connector.checkViaProxy(scheme, u.hostname, Number(u.port || (scheme === 'https' ? 443 : 80)));
  }

  private tlsOptions(t: TlsSettings | undefined): Record<string, unknown> {
    const verify = t?.verify ?? !this.options.insecure;
    const o: Record<string, unknown> = { rejectUnauthorized: verify };
    const system = this.options.systemCa ?? true;
    const ca = verify ? caList(t?.cafile, t?.capath, system) : undefined;
    if (ca) {
      o.caKey = `${t?.cafile}|${t?.capath}|${system}`;
      // With a client certificate the context must hold it too: Node builds one per connection then.
      if (t?.certificate || t?.key) o.ca = ca; else o.secureContext = caContext(o.caKey as string, ca);
    }
    // LuaSec's client certificate fields. caKey picks the agent, so it names them too: connections made
    // with one certificate are never reused for a request that gives another (or none).
    if (t?.certificate || t?.key) {
      const read = (file: string, what: string): string => {
        try {
          return fs.readFileSync(file, 'latin1');
        } catch (e) {
          throw new Error(`error loading ${what} (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'No such file or directory' : (e as Error).message})`);
        }
      };
      if (t.certificate) o.cert = read(t.certificate, 'certificate');
      if (t.key) o.key = read(t.key, 'private key');
      if (t.password !== undefined) o.passphrase = t.password;
      o.caKey = `${o.caKey ?? ''}|cert:${t.certificate}|${t.key}|${t.password ?? ''}`;
    }
    return o;
  }

  /**
   * fresh: a separate pool whose requests each open their own connection (HttpExchange sends them
   * with `reset`, so none is kept): a pooled connection may have been closed by the server.
   * operator: the connections go to the operator's own proxy (no policy; see operatorConnector).
   */
  private agent(timeout: number, tlsOpts: Record<string, unknown>, fresh: boolean, operator = false): Dispatcher {
    const { ca, caKey, ...rest } = tlsOpts;
    const key = `direct|${operator}|${timeout}|${rest.rejectUnauthorized}|${caKey ?? ''}${fresh ? '|fresh' : ''}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const { Agent, buildConnector } = undici(this.options.startupPatches ?? false);
      const http2 = this.options.http2 ?? false;
      const checked = (operator ? this.operatorConnector : this.connector).undiciConnect(buildConnector({ timeout, allowH2: http2, ...rest, ...(ca ? { ca } : {}) }) as ConnectFn);
      const connect: ConnectFn = adoptingParsers((opts, cb) => { this.connects++; checked(opts, cb); });
      agent = new Agent({ connect, strictContentLength: false, allowH2: http2, maxHeaderSize: this.maxHeaderSize });
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** byScript: the script named this proxy, so the connection to it is checked like any other. */
  private proxyAgent(proxy: string, timeout: number, tlsOpts: Record<string, unknown>, fresh: boolean, byScript: boolean): Dispatcher {
    const { ca, caKey, ...rest } = tlsOpts;
    const key = `proxy|${byScript}|${proxy}|${timeout}|${rest.rejectUnauthorized}|${caKey ?? ''}${fresh ? '|fresh' : ''}`;
    let agent = this.agents.get(key);
    if (!agent) {
      const { ProxyAgent, Client, Pool } = undici(this.options.startupPatches ?? false);
      const http2 = this.options.http2 ?? false;
      const p = new URL(proxy);
      const proxyPort = Number(p.port || (p.protocol === 'https:' ? 443 : 80));
      agent = new ProxyAgent({
        uri: proxy,
        // undici dials the proxy itself; Node's lookup hook is where the policy gets a say in it.
        proxyTls: { timeout, ...(byScript && this.connector.policy ? { lookup: this.connector.netLookup(p.protocol.slice(0, -1), proxyPort) } : {}) },
        requestTls: { timeout, ...rest, ...(ca ? { ca } : {}) },
        strictContentLength: false,
        allowH2: http2,
        maxHeaderSize: this.maxHeaderSize,
        // undici's own pools (its default), with connections through the proxy adopted like direct ones.
        factory: (origin: string, opts: Record<string, unknown>) => {
          const o = typeof opts.connect === 'function' ? { ...opts, connect: adoptingParsers(opts.connect as ConnectFn) } : opts;
          return opts.connections === 1 ? new Client(origin, o) : new Pool(origin, o);
        },
      });
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** Loads undici ahead of the first request (the host is idle while the VM boots). */
  warm(): void {
    undici(this.options.startupPatches ?? false);
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.destroy()));
    this.agents.clear();
    this.directRoutes.clear();
  }
}

/** TransportOptions from the CLI's plain settings (they cross to the host thread as data). */
export function transportOptions(connectTo: ConnectToRule[], s: TransportSettings = {}): TransportOptions {
  return {
    connectTo,
    insecure: s.insecure,
    proxy: s.proxy,
    noProxy: s.noProxy,
    compressed: s.compressed,
    http2: s.http2,
    systemCa: s.systemCa,
    startupPatches: true,
    policy: s.policy,
    maxHeaderSize: s.maxHeaderSize,
    // Straight to fd 2: the host thread's process.stderr is an async pipe through the main thread,
    // which may be blocked waiting for this very request.
    trace: s.trace ? (line) => { fs.writeSync(2, `${line}\n`); } : undefined,
  };
}
