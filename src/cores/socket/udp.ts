// LuaSocket's UDP objects (socket.udp/udp4/udp6): userdata of classes udp{unconnected} and
// udp{connected}, checked like LuaSocket's auxiliar.c, numbers pushed as floats as the C core does.
// Each wait is one operation on the I/O host (src/io/udp-sockets.ts; a blocking RPC, or yielding
// inside luahttp's tasks: src/vm/op-waiter.ts), which owns the
// node:dgram socket and queues datagrams. Handles (getfd) come from the TCP table in tcp.ts, so
// socket.select waits on TCP and UDP objects alike. As in udp.c: udp() creates its socket on first
// use (getfd -1 until then), dirty() is always false, receive's default size is 8192, and a
// closed socket receives "" and sends "refused".
import net from 'node:net';
import type { LuaApi, LuaCFunction, RawLua } from '../../vm/lua-api.js';
import { LuaType } from '../../vm/lua-api.js';
import type { OpResult, SocketAddress, AddressFamily } from '../../io/raw-sockets.js';
import type { TcpObjects } from './tcp.js';
import { SocketClasses, type ClassExports } from './socket-classes.js';
import { LuaArgs } from './lua-args.js';
import { kernelBufferSize } from './buffer-sizes.js';
import { applySetTimeout, now, pushTimeouts, retryMs } from './timeouts.js';
import { EAI_SERVICE, resolveService } from './services.js';
import { op, type OpSteps } from '../../vm/op-waiter.js';

type UdpClass = 'unconnected' | 'connected';

interface UdpObject {
  key: number;
  /** The host's key for the socket (0 before the first one exists). */
  id: number;
  fd: number;
  cls: UdpClass;
  family: AddressFamily | null;
  block: number;
  total: number;
  start: number;
  local?: SocketAddress;
  remote?: SocketAddress;
  bound: boolean;
  options: Map<string, unknown>;
  /** Joined multicast groups, `<group>|<interface>`, so a second join or a stray leave fails as in Linux. */
  memberships?: Set<string>;
}

/** UDP_DATAGRAMSIZE in LuaSocket 3.1.0: receive's default (and socket._DATAGRAMSIZE). */
export const UDP_DATAGRAMSIZE = 8192;
/** sendto's getaddrinfo errors are gai_strerror's own texts (udp.c's LUA_GAI_STRERROR). */
const GAI_NONAME = 'Name or service not known';
const GAI_ADDRFAMILY = 'Address family for hostname not supported';
/** gai_strerror(EAI_SERVICE): sendto's text for a negative numeric port. */
const GAI_SERVICE = 'Servname not supported for ai_socktype';

const BOOLEAN_OPTIONS = new Set(['dontroute', 'broadcast', 'reuseaddr', 'reuseport', 'ip-multicast-loop', 'ipv6-multicast-loop', 'ipv6-v6only']);
const NUMBER_OPTIONS = new Set(['ip-multicast-ttl', 'ipv6-unicast-hops', 'ipv6-multicast-hops', 'recv-buffer-size', 'send-buffer-size']);
const MEMBERSHIP_OPTIONS = new Set(['ip-add-membership', 'ip-drop-membership', 'ipv6-add-membership', 'ipv6-drop-membership']);
const GET_OPTIONS = new Set(['dontroute', 'broadcast', 'reuseaddr', 'reuseport', 'ip-multicast-if', 'ip-multicast-loop', 'error',
  'ipv6-unicast-hops', 'ipv6-multicast-hops', 'ipv6-multicast-loop', 'ipv6-v6only', 'recv-buffer-size', 'send-buffer-size']);
/** Integer options Linux refuses (EINVAL) outside these bounds; -1 restores the default. */
const NUMBER_BOUNDS: Record<string, [number, number]> = {
  'ip-multicast-ttl': [-1, 255], 'ipv6-unicast-hops': [-1, 255], 'ipv6-multicast-hops': [-1, 255],
};
/** What -1 means for those (Linux: IP_DEFAULT_MULTICAST_TTL, the route's hop limit, IPV6_DEFAULT_MCASTHOPS). */
const NUMBER_RESETS: Record<string, number> = { 'ip-multicast-ttl': 1, 'ipv6-unicast-hops': 64, 'ipv6-multicast-hops': 1 };
/** The smallest SO_RCVBUF/SO_SNDBUF Linux keeps (SOCK_MIN_RCVBUF, SOCK_MIN_SNDBUF), after doubling. */
/** Linux defaults as LuaSocket reports them for a fresh UDP socket (observed). */
const OPTION_DEFAULTS: Record<string, unknown> = {
  dontroute: false, broadcast: false, reuseaddr: false, reuseport: false, 'ip-multicast-if': '0.0.0.0', 'ip-multicast-loop': true,
  'ipv6-unicast-hops': 64, 'ipv6-multicast-hops': 1, 'ipv6-multicast-loop': true, 'ipv6-v6only': false,
  'recv-buffer-size': 212992, 'send-buffer-size': 212992,
};



/** glibc's inet_aton as LuaSocket uses it for IPv4 option values: `a.b.c.d`, `a.b.c`, `a.b`, `a`, each part
 *  decimal, octal (leading 0) or hex (0x), anything after a blank ignored; null if invalid. */
function inetAton(text: string): string | null {
  const parts = text.split(/[ \t\n\v\f\r]/, 1)[0]!.split('.');
  if (parts.length > 4) return null;
  const nums: number[] = [];
  for (const p of parts) {
    const m = /^(0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*)$/.exec(p);
    if (!m) return null;
    nums.push(/^0[xX]/.test(p) ? (p.length > 2 ? parseInt(p.slice(2), 16) : 0) : p.length > 1 && p[0] === '0' ? parseInt(p, 8) : Number(p));
  }
  const last = nums.pop()!;
  if (nums.some((n) => n > 255) || last >= 2 ** (8 * (4 - nums.length))) return null;
  let v = last;
  nums.forEach((n, i) => { v += n * 2 ** (8 * (3 - i)); });
  return [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
}

function isIpv4Multicast(dotted: string): boolean {
  const first = Number(dotted.split('.')[0]);
  return first >= 224 && first <= 239;
}

export class UdpObjects {
  private nextKey = 1;
  private readonly m: RawLua & ClassExports;
  private readonly args: LuaArgs;
  private readonly classes: SocketClasses<UdpObject>;

  constructor(private readonly api: LuaApi, private readonly tcp: TcpObjects) {
    this.m = api.m as RawLua & ClassExports;
    this.args = new LuaArgs(api);
    this.classes = new SocketClasses<UdpObject>(api, {
      family: 'udp',
      classes: ['connected', 'unconnected'],
      methods: () => this.methods(),
      selectable: () => true,
      collect: (o) => this.closeObject(o),
    });
    tcp.onAbandon((msgs) => tcp.closeAbandoned(msgs, 'udp.', (o) => this.closeObject(o as UdpObject)));
  }

  private call<T>(msg: { op: string } & Record<string, unknown>, transfer: ArrayBuffer[] = []): T {
    return this.tcp.call<T>(msg, transfer);
  }

  private push(L: number, o: UdpObject): void {
    this.classes.push(L, o.key, o);
  }

  private check(L: number, classes: readonly UdpClass[], expected: string): UdpObject {
    return this.classes.check(L, classes, expected);
  }

  private setClass(L: number, o: UdpObject, cls: UdpClass): void {
    this.classes.setClass(L, o, cls);
  }

  private closeObject(o: UdpObject): void {
    if (o.fd < 0) return;
    this.call({ op: 'udp.close', id: o.id });
    this.tcp.freeFd(o);
    o.bound = false;
    o.local = undefined;
    o.remote = undefined;
  }

  /** The socket exists from here on (LuaSocket's inet_trycreate on first use). */
  private ensureFd(o: UdpObject): void {
    if (o.fd >= 0) return;
    this.tcp.allocFd(o);
    o.bound = false;
    o.local = undefined;
    o.remote = undefined;
  }


  private one(L: number): number {
    this.api.pushNumber(L, 1);
    return 1;
  }






  /** The port argument as getaddrinfo reads it for SOCK_DGRAM (services.ts); -1 = EAI_SERVICE. */
  private portOf(s: string): number {
    const r = resolveService(s, 'udp');
    return 'port' in r ? r.port : -1;
  }

  private applyNames(o: UdpObject, r: OpResult): void {
    if (r.local) { o.local = r.local; o.bound = true; }
    if (r.remote) o.remote = r.remote;
    if (r.family) o.family ??= r.family;
  }


  create(L: number, family: AddressFamily | null): number {
    const o: UdpObject = { key: this.nextKey++, id: 0, fd: -1, cls: 'unconnected', family, block: -1, total: -1, start: 0, bound: false, options: new Map() };
    if (family) { this.ensureFd(o); this.call({ op: 'udp.open', id: o.id }); }
    this.push(L, o);
    return 1;
  }

  /** receive/receivefrom: one datagram, or the error ("timeout", "connection refused", …). */
  private *recv(L: number, o: UdpObject): OpSteps<{ data?: Uint8Array; address?: string; port?: number; error?: string }> {
    const n = this.args.optNumber(L, 2, UDP_DATAGRAMSIZE);
    const size = n >= 0 ? Math.trunc(n) : 0;
    o.start = now();
    if (o.fd < 0) return { data: new Uint8Array(0) }; // recv on no socket is IO_CLOSED: an empty datagram
    return yield* op({ op: 'udp.recv', id: o.id, size, waitMs: retryMs(o) });
  }

  private methods(): Record<string, LuaCFunction> {
    const { api } = this;
    const ANY: readonly UdpClass[] = ['connected', 'unconnected'];
    // Bodies that may wait for the host are generators (src/vm/op-waiter.ts).
    const waiting = (body: (this: UdpObjects, L: number) => OpSteps): LuaCFunction => this.tcp.waiting(body.bind(this));
    return {
      /** send(dgram): connected only → bytes sent (float) | nil, err. */
      send: waiting(function* (L) {
        const o = this.check(L, ['connected'], 'udp{connected}');
        const data = api.checkBytes(L, 2);
        o.start = now();
        if (o.fd < 0) return this.args.fail(L, 'refused');
        const copy = data.slice();
        const r = yield* op<OpResult & { sent?: number }>({ op: 'udp.send', id: o.id, data: copy, family: o.family }, [copy.buffer as ArrayBuffer]);
        if (r.error) return this.args.fail(L, r.error);
        api.pushNumber(L, r.sent ?? data.length);
        return 1;
      }),
      /** sendto(dgram, ip, port): numeric addresses only, as LuaSocket (AI_NUMERICHOST). */
      sendto: waiting(function* (L) {
        const o = this.check(L, ['unconnected'], 'udp{unconnected}');
        const data = api.checkBytes(L, 2);
        const ip = this.args.checkString(L, 3);
        // AI_NUMERICSERV too: a service name is EAI_NONAME; getaddrinfo checks the service first
        const service = resolveService(this.args.checkString(L, 4), 'udp', true);
        if ('error' in service) return this.args.fail(L, service.error === 'noname' ? GAI_NONAME : GAI_SERVICE);
        const port = service.port;
        const ipFamily = net.isIPv4(ip) ? 'inet' : net.isIPv6(ip) ? 'inet6' : null;
        if (ipFamily === null) return this.args.fail(L, GAI_NONAME);
        if (o.family && o.family !== ipFamily) return this.args.fail(L, GAI_ADDRFAMILY);
        o.start = now();
        if (o.fd < 0) {
          if (o.family) return this.args.fail(L, 'refused'); // closed
          o.family = ipFamily;
          this.ensureFd(o);
        }
        // sendto(2) refuses port 0 with EINVAL once the socket exists, as in udp.c
        if (port === 0) return this.args.fail(L, 'Invalid argument');
        const copy = data.slice();
        const r = yield* op<OpResult & { sent?: number }>({ op: 'udp.send', id: o.id, data: copy, host: ip, port, family: o.family }, [copy.buffer as ArrayBuffer]);
        if (r.error) return this.args.fail(L, r.error);
        this.applyNames(o, r);
        api.pushNumber(L, r.sent ?? data.length);
        return 1;
      }),
      /** receive([size]): any class → dgram | nil, err. */
      receive: waiting(function* (L) {
        const o = this.check(L, ANY, 'udp{any}');
        const r = yield* this.recv(L, o);
        if (r.error) return this.args.fail(L, r.error);
        api.pushBytes(L, r.data ?? new Uint8Array(0));
        return 1;
      }),
      /** receivefrom([size]): unconnected only → dgram, ip, port (integer) | nil, err. */
      receivefrom: waiting(function* (L) {
        const o = this.check(L, ['unconnected'], 'udp{unconnected}');
        const r = yield* this.recv(L, o);
        if (r.error) return this.args.fail(L, r.error);
        // No sender (no socket): getnameinfo on an empty address fails as LuaSocket's does.
        if (r.address === undefined) return this.args.fail(L, 'ai_family not supported');
        api.pushBytes(L, r.data ?? new Uint8Array(0));
        api.pushText(L, r.address);
        api.pushInteger(L, r.port ?? 0);
        return 3;
      }),
      getfamily: (L) => {
        const o = this.check(L, ANY, 'udp{any}');
        api.pushText(L, o.family === 'inet6' ? 'inet6' : 'inet4');
        return 1;
      },
      getfd: (L) => {
        const o = this.check(L, ANY, 'udp{any}');
        api.pushNumber(L, o.fd);
        return 1;
      },
      /** setfd(n): renumbers the handle socket.select knows the object by (no OS descriptor exists). */
      setfd: (L) => {
        const o = this.check(L, ANY, 'udp{any}');
        this.tcp.setFd(o, Math.trunc(this.args.checkNumber(L, 2)));
        return 0;
      },
      dirty: (L) => {
        this.check(L, ANY, 'udp{any}');
        api.pushBoolean(L, false);
        return 1;
      },
      getpeername: (L) => {
        const o = this.check(L, ['connected'], 'udp{connected}');
        if (o.fd < 0) return this.args.fail(L, 'Bad file descriptor');
        if (!o.remote) return this.args.fail(L, 'Transport endpoint is not connected');
        return this.args.pushName(L, o.remote, false);
      },
      getsockname: (L) => {
        const o = this.check(L, ANY, 'udp{any}');
        if (o.fd < 0) return this.args.fail(L, 'Bad file descriptor');
        return this.args.pushName(L, o.local ?? { address: o.family === 'inet6' ? '::' : '0.0.0.0', port: 0, family: o.family ?? 'inet' }, true);
      },
      setoption: (L) => {
        const o = this.check(L, ANY, 'udp{any}');
        const name = this.args.checkString(L, 2);
        let value: unknown;
        if (BOOLEAN_OPTIONS.has(name)) {
          value = this.args.optionBoolean(L, 3);
        } else if (NUMBER_OPTIONS.has(name)) {
          const n = this.args.optionInt(L, 3);
          const bounds = NUMBER_BOUNDS[name];
          if (o.fd >= 0 && bounds && (n < bounds[0] || n > bounds[1])) return this.args.fail(L, 'setsockopt failed');
          value = kernelBufferSize(name, n) ?? (n === -1 && name in NUMBER_RESETS ? NUMBER_RESETS[name] : n);
        } else if (name === 'ip-multicast-if') {
          // opt_set_ip_multicast_if: "*" or whatever inet_aton reads; getoption answers in dotted form
          const text = this.args.checkString(L, 3);
          value = (text === '*' ? '0.0.0.0' : inetAton(text)) ?? api.argError(L, 3, 'ip expected');
        } else if (MEMBERSHIP_OPTIONS.has(name)) {
          // opt_ip_setmembership / opt_ip6_setmembership: field checks as LuaSocket words them
          const v6 = name.startsWith('ipv6-');
          this.args.checkTable(L, 3);
          const t = api.getField(L, 3, 'multiaddr');
          if (t !== LuaType.String && t !== LuaType.Number) api.argError(L, 3, "string 'multiaddr' field expected");
          const multiaddr = api.toText(L, -1)!;
          const parsed = v6 ? (net.isIPv6(multiaddr) ? multiaddr : null) : inetAton(multiaddr);
          if (parsed === null) return api.argError(L, 3, "invalid 'multiaddr' ip address");
          let iface: string;
          const it = api.getField(L, 3, 'interface');
          if (v6) {
            // an interface index; nil = the default route's interface
            if (it !== LuaType.Nil && !this.m._lua_isnumber(L, -1)) api.argError(L, -1, "number 'interface' field expected");
            iface = it === LuaType.Nil ? '0' : String(Math.trunc(api.toNumber(L, -1)));
          } else {
            if (it !== LuaType.String && it !== LuaType.Number) api.argError(L, 3, "string 'interface' field expected");
            const text = api.toText(L, -1)!;
            const addr = text === '*' ? '0.0.0.0' : inetAton(text);
            iface = addr ?? api.argError(L, 3, "invalid 'interface' ip address");
          }
          this.m._lua_settop(L, -3);
          value = { multiaddr: parsed, interface: v6 ? '*' : iface === '0.0.0.0' ? '*' : iface };
          // The kernel refuses a group that is not multicast, a second join of the same group on the same
          // interface (EADDRINUSE) and leaving a group not joined (EADDRNOTAVAIL); an unbound socket joins too.
          if (o.fd >= 0) {
            const key = `${parsed}|${iface}`;
            const multicast = v6 ? parsed.toLowerCase().startsWith('ff') : isIpv4Multicast(parsed);
            const joined = o.memberships ?? (o.memberships = new Set());
            const adding = name.endsWith('add-membership');
            if (!multicast || (v6 && o.family !== 'inet6') || (adding ? joined.has(key) : !joined.has(key))) {
              return this.args.fail(L, 'setsockopt failed');
            }
            if (adding) joined.add(key); else joined.delete(key);
          }
        } else {
          return api.argError(L, 2, `unsupported option \`${name}'`);
        }
        const v6 = name.startsWith('ipv6-');
        // IPv4-level options are accepted by Linux on AF_INET6 sockets too (dual-stack); IPv6 ones need one
        if (o.fd < 0 || (v6 && o.family !== 'inet6')) return this.args.fail(L, 'setsockopt failed');
        o.options.set(name, value);
        this.call({ op: 'udp.setoption', id: o.id, name, value });
        return this.one(L);
      },
      getoption: (L) => {
        const o = this.check(L, ANY, 'udp{any}');
        const name = this.args.checkString(L, 2);
        if (!GET_OPTIONS.has(name)) return api.argError(L, 2, `unsupported option \`${name}'`);
        if (o.fd < 0 || (name.startsWith('ipv6-') && o.family !== 'inet6')) return this.args.fail(L, 'getsockopt failed');
        if (name === 'error') { api.pushNil(L); return 1; }
        const v = o.options.get(name) ?? OPTION_DEFAULTS[name];
        if (typeof v === 'boolean') api.pushBoolean(L, v);
        else if (typeof v === 'string') api.pushText(L, v);
        else api.pushNumber(L, v as number);
        return 1;
      },
      settimeout: (L) => {
        applySetTimeout(api, this.args, L, this.check(L, ANY, 'udp{any}'));
        return this.one(L);
      },
      gettimeout: (L) => {
        return pushTimeouts(api, L, this.check(L, ANY, 'udp{any}'));
      },
      /** setpeername(addr, port) → udp{connected}; setpeername("*") → udp{unconnected}. */
      setpeername: waiting(function* (L) {
        const o = this.check(L, ANY, 'udp{any}');
        const address = this.args.checkString(L, 2);
        if (address === '*') {
          if (o.fd >= 0) this.call({ op: 'udp.disconnect', id: o.id });
          o.remote = undefined;
          this.setClass(L, o, 'unconnected');
          return this.one(L);
        }
        const port = this.portOf(this.args.checkString(L, 3));
        if (port < 0) return this.args.fail(L, EAI_SERVICE);
        // Linux "connects" a UDP socket to port 0 (getpeername then says ENOTCONN); node:dgram refuses
        // the port, so this is a deliberate difference (README), reported as sendto(2) reports port 0.
        if (port === 0) return this.args.fail(L, 'Invalid argument');
        o.start = now();
        this.ensureFd(o);
        const r = yield* op<OpResult>({ op: 'udp.connect', id: o.id, host: address, port, family: o.family });
        if (r.error) return this.args.fail(L, r.error);
        this.applyNames(o, r);
        this.setClass(L, o, 'connected');
        return this.one(L);
      }),
      setsockname: waiting(function* (L) {
        const o = this.check(L, ['unconnected'], 'udp{unconnected}');
        const address = this.args.checkString(L, 2);
        const port = this.portOf(this.args.checkString(L, 3));
        if (port < 0) return this.args.fail(L, EAI_SERVICE);
        this.ensureFd(o);
        const r = yield* op<OpResult>({ op: 'udp.bind', id: o.id, host: address, port, family: o.family });
        if (r.error) return this.args.fail(L, r.error);
        this.applyNames(o, r);
        return this.one(L);
      }),
      close: (L) => {
        const o = this.check(L, ANY, 'udp{any}');
        this.closeObject(o);
        return this.one(L);
      },
    };
  }

  /** The core functions: udp, udp4, udp6. */
  coreFunctions(): Record<string, LuaCFunction> {
    return {
      udp: (L) => this.create(L, null),
      udp4: (L) => this.create(L, 'inet'),
      udp6: (L) => this.create(L, 'inet6'),
    };
  }
}
