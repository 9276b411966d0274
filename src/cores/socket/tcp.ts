// LuaSocket's TCP objects (socket.tcp/tcp4/tcp6/connect): userdata of classes tcp{master},
// tcp{client}, tcp{server}, checked like LuaSocket's auxiliar.c (wrong class → `bad argument #1 to
// 'receive' (tcp{client} expected)`), numbers pushed as floats as the C core does. Each wait is one
// operation on the I/O host (src/io/raw-sockets.ts) bounded by the socket's timeout: a blocking RPC,
// or inside luahttp's tasks a yielding one (src/vm/op-waiter.ts: the bodies below are generators for
// that). Received bytes come in batches and stay here, so `receive("*l")` loops rarely cross threads.
//
// `getfd()` is a per-VM handle number (lowest free number from 3, like a Unix fd), not an OS
// descriptor: it identifies the socket to socket.select and means nothing outside this VM.
import type { LuaApi, LuaCFunction, RawLua } from '../../vm/lua-api.js';
import { LuaType } from '../../vm/lua-api.js';
import type { SyncRpcClient } from '../../channel/sync-rpc.js';
import { op, type OpSteps, type OpWaiter } from '../../vm/op-waiter.js';
import { SocketClasses, type ClassExports } from './socket-classes.js';
import { LuaArgs } from './lua-args.js';
import { kernelBufferSize } from './buffer-sizes.js';
import { applySetTimeout, now, pushTimeouts, retryMs } from './timeouts.js';
import { EAI_SERVICE, resolveService } from './services.js';
import type { OpResult, SocketAddress, AddressFamily } from '../../io/raw-sockets.js';

/** C API entry points used only here (wasmoon exports them; lua-api.ts types the common ones). */
export type TcpClass = 'master' | 'client' | 'server';

export interface TcpObject {
  /** The host's key for this socket; a new one whenever the socket is (re)opened. */
  id: number;
  /** getfd(): -1 when there is no socket (tcp() before bind/connect, after close). */
  fd: number;
  cls: TcpClass;
  /** Chosen by tcp4/tcp6 or the first bind; null for tcp() (LuaSocket's AF_UNSPEC). */
  family: AddressFamily | null;
  block: number;
  total: number;
  start: number;
  buf: Uint8Array;
  pos: number;
  eof: boolean;
  error: string | null;
  received: number;
  sent: number;
  birthday: number;
  local?: SocketAddress;
  remote?: SocketAddress;
  bound: boolean;
  options: Map<string, unknown>;
  /** shutdown("receive"|"both") was called: reads never wait (Linux's recv returns 0 once the queue is empty). */
  readShut?: boolean;
  /** What a wait that timed out is called: LuaSocket's "timeout", LuaSec's "wantread"/"wantwrite" (ssl-core.ts). */
  timeoutText?: { recv: string; send: string };
}

export interface SocketIo {
  rpc: () => SyncRpcClient;
  /** How blocking calls wait: by RPC, or by yielding inside tasks. */
  waiter: OpWaiter;
}


const BOOLEAN_OPTIONS = new Set(['keepalive', 'reuseaddr', 'reuseport', 'tcp-nodelay', 'ipv6-v6only']);
const NUMBER_OPTIONS = new Set(['tcp-keepidle', 'tcp-keepcnt', 'tcp-keepintvl', 'recv-buffer-size', 'send-buffer-size', 'tcp-defer-accept', 'tcp-fastopen', 'tcp-fastopen-connect']);
const GET_OPTIONS = new Set(['keepalive', 'reuseaddr', 'reuseport', 'tcp-nodelay', 'tcp-keepidle', 'tcp-keepcnt', 'tcp-keepintvl', 'linger', 'error', 'recv-buffer-size', 'send-buffer-size']);
/** Integer options whose values Linux refuses with EINVAL outside these bounds (tcp_sock_set_keepidle…). */
const NUMBER_BOUNDS: Record<string, [number, number]> = {
  'tcp-keepidle': [1, 32767], 'tcp-keepintvl': [1, 32767], 'tcp-keepcnt': [1, 127],
  'tcp-fastopen': [0, Infinity], 'tcp-fastopen-connect': [0, 1],
};
/** The smallest SO_RCVBUF/SO_SNDBUF Linux keeps (SOCK_MIN_RCVBUF, SOCK_MIN_SNDBUF), after doubling. */
/** Linux defaults as LuaSocket reports them for a fresh socket (observed). */
const OPTION_DEFAULTS: Record<string, unknown> = {
  keepalive: false, reuseaddr: false, reuseport: false, 'tcp-nodelay': false,
  'tcp-keepidle': 7200, 'tcp-keepcnt': 9, 'tcp-keepintvl': 75,
  'recv-buffer-size': 131072, 'send-buffer-size': 16384,
};


function concat(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let off = 0;
  for (const p of parts) { out.set(p, off); off += p.length; }
  return out;
}

export class TcpObjects {
  /** getfd() number → object (TCP or UDP: one handle space, like Unix fds), for socket.select. */
  readonly byFd = new Map<number, { id: number; fd: number }>();
  private nextId = 1;
  private readonly m: RawLua & ClassExports;
  private readonly args: LuaArgs;
  private readonly classes: SocketClasses<TcpObject>;

  constructor(private readonly api: LuaApi, private readonly io: SocketIo) {
    this.m = api.m as RawLua & ClassExports;
    this.args = new LuaArgs(api);
    this.classes = new SocketClasses<TcpObject>(api, {
      family: 'tcp',
      classes: ['master', 'client', 'server'],
      methods: () => this.methods(),
      // tcp.c adds no tcp class to select{able} (only udp.c does); socket.select goes by getfd/dirty.
      selectable: () => false,
      collect: (o) => this.closeObject(o),
    });
    io.waiter.onAbandon((msgs) => this.closeAbandoned(msgs, 'sock.', (o) => this.closeObject(o as TcpObject)));
  }

  /**
   * Closes the sockets that cancelled tasks were waiting on when the main chunk ended (shared with
   * udp.ts): their operations end on the host, and the connections (or listening ports) are released.
   */
  closeAbandoned(msgs: { op: string; id?: unknown; newId?: unknown }[], prefix: string, close: (o: { id: number; fd: number }) => void): void {
    const ids = new Set(msgs.filter((m) => m.op.startsWith(prefix)).flatMap((m) => [m.id, m.newId]));
    for (const o of [...this.byFd.values()]) if (ids.has(o.id)) close(o);
  }

  /** An operation that never waits (close, listen, options): always one blocking round trip. */
  call<T>(msg: { op: string } & Record<string, unknown>, transfer: ArrayBuffer[] = []): T {
    return this.io.rpc().call<T>(msg, transfer);
  }

  /** Registers what to close when waits are abandoned (udp.ts). */
  onAbandon(f: (msgs: { op: string; id?: unknown; newId?: unknown }[]) => void): void {
    this.io.waiter.onAbandon(f);
  }

  /** A C function whose body may wait for the I/O host (see src/vm/op-waiter.ts). */
  waiting(body: (L: number) => OpSteps): LuaCFunction {
    return this.io.waiter.cfunction(body);
  }

  /** A fresh host id and the lowest free handle number for o (shared with udp.ts). */
  allocFd(o: { id: number; fd: number }): void {
    let fd = 3;
    while (this.byFd.has(fd)) fd++;
    o.fd = fd;
    o.id = this.nextId++;
    this.byFd.set(fd, o);
  }

  freeFd(o: { id: number; fd: number }): void {
    if (this.byFd.get(o.fd) === o) this.byFd.delete(o.fd);
    o.fd = -1;
  }

  setFd(o: { id: number; fd: number }, fd: number): void {
    this.freeFd(o);
    o.fd = fd;
    if (fd >= 0) this.byFd.set(fd, o);
  }

  newObject(cls: TcpClass, family: AddressFamily | null): TcpObject {
    return {
      id: 0, fd: -1, cls, family, block: -1, total: -1, start: 0, buf: new Uint8Array(0), pos: 0, eof: false, error: null,
      received: 0, sent: 0, birthday: now(), bound: false, options: new Map(),
    };
  }

  /** Pushes a new userdata for o, with its class metatable. */
  push(L: number, o: TcpObject): void {
    if (o.id === 0) o.id = this.nextId++;
    this.classes.push(L, o.id, o);
  }

  /** The object at arg 1 if its class is one of `classes`; else LuaSocket's argument error. */
  check(L: number, classes: readonly TcpClass[], expected: string): TcpObject {
    return this.classes.check(L, classes, expected);
  }

  private setClass(L: number, o: TcpObject, cls: TcpClass): void {
    this.classes.setClass(L, o, cls);
  }

  closeObject(o: TcpObject): void {
    if (o.fd < 0) return;
    this.call({ op: 'sock.close', id: o.id });
    this.freeFd(o);
  }



  private applyNames(o: TcpObject, r: OpResult): void {
    if (r.local) o.local = r.local;
    if (r.remote) o.remote = r.remote;
  }

  /** LuaSocket's buffer_get: ensures unread bytes, or says why there are none (null = has bytes). */
  private *fill(o: TcpObject): OpSteps<string | null> {
    if (o.pos < o.buf.length) return null;
    if (o.fd < 0) return 'closed';
    if (o.eof) return o.error ?? 'closed';
    const r = yield* op<{ data?: Uint8Array; closed?: boolean; error?: string }>({ op: 'sock.recv', id: o.id, waitMs: o.readShut ? 0 : retryMs(o) });
    if (r.data && r.data.length) {
      // Another task reading the same socket may have filled the buffer while this one waited.
      if (o.pos < o.buf.length) o.buf = concat([o.buf.subarray(o.pos), r.data]); else o.buf = r.data;
      o.pos = 0;
    }
    if (r.closed) { o.eof = true; o.error = r.error ?? null; }
    if (o.pos < o.buf.length) return null;
    if (o.eof) return o.error ?? 'closed';
    return o.readShut ? 'closed' : (o.timeoutText?.recv ?? 'timeout');
  }

  private take(o: TcpObject, n: number, parts: Uint8Array[]): void {
    if (n <= 0) return;
    parts.push(o.buf.subarray(o.pos, o.pos + n));
    o.pos += n;
    o.received += n;
  }

  private *recvLine(o: TcpObject, parts: Uint8Array[]): OpSteps<string | null> {
    for (;;) {
      const err = o.pos < o.buf.length ? null : yield* this.fill(o);
      if (err) return err;
      const { buf, pos } = o;
      const lf = buf.indexOf(10, pos);
      const stop = lf < 0 ? buf.length : lf;
      let piece = buf.subarray(pos, stop);
      // LuaSocket drops every CR of a line, not only the one before LF.
      if (piece.indexOf(13) >= 0) piece = piece.filter((b) => b !== 13);
      if (piece.length) parts.push(piece);
      o.received += (lf < 0 ? stop : lf + 1) - pos;
      o.pos = lf < 0 ? stop : lf + 1;
      if (lf >= 0) return null;
    }
  }

  private *recvAll(o: TcpObject, parts: Uint8Array[]): OpSteps<string | null> {
    let total = 0;
    for (;;) {
      const err = yield* this.fill(o);
      if (err) return err === 'closed' && total > 0 ? null : err;
      const n = o.buf.length - o.pos;
      total += n;
      this.take(o, n, parts);
    }
  }

  private *recvRaw(o: TcpObject, wanted: number, parts: Uint8Array[]): OpSteps<string | null> {
    let total = 0;
    for (;;) {
      const err = o.pos < o.buf.length ? null : yield* this.fill(o);
      const n = Math.min(o.buf.length - o.pos, wanted - total);
      this.take(o, n, parts);
      total += n;
      if (total >= wanted || err) return err;
    }
  }





  /** buffer_meth_send on an object already checked (TCP clients; LuaSec connections in ssl-core.ts). */
  *sendOn(L: number, o: TcpObject): OpSteps {
    const { api } = this;
    const data = api.checkBytes(L, 2);
    let start = Math.trunc(this.args.optNumber(L, 3, 1));
    let end = Math.trunc(this.args.optNumber(L, 4, -1));
    o.start = now();
    const size = data.length;
    if (start < 0) start = size + start + 1;
    if (end < 0) end = size + end + 1;
    if (start < 1) start = 1;
    if (end > size) end = size;
    let err: string | null = null;
    let sent = 0;
    if (start <= end) {
      if (o.fd < 0) err = 'closed';
      else {
        const chunk = data.slice(start - 1, end);
        const r = yield* op<{ error?: string }>({ op: 'sock.send', id: o.id, data: chunk, waitMs: retryMs(o) }, [chunk.buffer as ArrayBuffer]);
        err = r.error ?? null;
        // Node took every byte into its buffer; a timeout only means it has not drained yet.
        sent = !err || err === 'timeout' ? end - start + 1 : 0;
        if (err === 'timeout' && o.timeoutText) err = o.timeoutText.send;
      }
    }
    o.sent += sent;
    if (err) { api.pushNil(L); api.pushText(L, err); api.pushNumber(L, sent + start - 1); return 3; }
    api.pushNumber(L, sent + start - 1);
    api.pushNil(L);
    api.pushNil(L);
    return 3;
  }

  /** buffer_meth_receive on an object already checked. */
  *receiveOn(L: number, o: TcpObject): OpSteps {
    const { api } = this;
    let prefix: Uint8Array = new Uint8Array(0);
    if (api.type(L, 3) > LuaType.Nil) {
      const b = api.toBytes(L, 3);
      prefix = b ?? api.argError(L, 3, `string expected, got ${this.args.typeName(L, 3)}`);
    }
    o.start = now();
    const parts: Uint8Array[] = [prefix];
    let err: string | null = null;
    if (!this.m._lua_isnumber(L, 2)) {
      const p = this.args.optString(L, 2, '*l');
      if (p.startsWith('*l')) err = yield* this.recvLine(o, parts);
      else if (p.startsWith('*a')) err = yield* this.recvAll(o, parts);
      else api.argError(L, 2, 'invalid receive pattern');
    } else {
      const n = api.toNumber(L, 2);
      if (!(n >= 0)) api.argError(L, 2, 'invalid receive pattern');
      const wanted = Math.trunc(n);
      if (prefix.length === 0 || wanted > prefix.length) err = yield* this.recvRaw(o, wanted - prefix.length, parts);
    }
    const bytes = concat(parts);
    if (err) { api.pushNil(L); api.pushText(L, err); api.pushBytes(L, bytes); return 3; }
    api.pushBytes(L, bytes);
    api.pushNil(L);
    api.pushNil(L);
    return 3;
  }

  private checkOption(L: number, arg: number, dflt: string, options: string[]): string {
    const s = this.args.optString(L, arg, dflt);
    if (!options.includes(s)) this.api.argError(L, arg, `invalid option '${s}'`);
    return s;
  }

  /** socket.tcp()/tcp4()/tcp6(): a new master object. */
  create(L: number, family: AddressFamily | null): number {
    const o = this.newObject('master', family);
    if (family) this.allocFd(o);
    this.push(L, o);
    return 1;
  }

  private ensureFd(o: TcpObject): void {
    if (o.fd >= 0) return;
    this.allocFd(o);
    o.buf = new Uint8Array(0);
    o.pos = 0;
    o.eof = false;
    o.error = null;
    o.bound = false;
    o.local = undefined;
    o.remote = undefined;
    // Options set before the socket existed failed natively ("setsockopt failed"); nothing to replay.
  }

  /** The port argument as getaddrinfo reads it for SOCK_STREAM (services.ts); -1 = EAI_SERVICE. */
  private portOf(L: number, arg: number): number {
    const r = resolveService(this.args.checkString(L, arg), 'tcp');
    return 'port' in r ? r.port : -1;
  }

  private *doConnect(o: TcpObject, host: string, port: number): OpSteps<string | null> {
    if (port < 0) return EAI_SERVICE;
    this.ensureFd(o);
    const r = yield* op<OpResult>({
      op: 'sock.connect', id: o.id, host, port, family: o.family, waitMs: retryMs(o),
      bound: o.bound ? o.local : undefined, fixedFamily: o.family !== null,
    });
    this.applyNames(o, r);
    // tcp() is AF_UNSPEC until the socket is made: LuaSocket creates it with the connected address's family
    if (o.family === null && o.remote && !r.error) o.family = o.remote.family === 'inet6' ? 'inet6' : 'inet';
    return r.error ?? null;
  }

  /** socket.connect(address, port [, laddress [, lport [, family]]]): a connected client or nil, err. */
  *globalConnect(L: number): OpSteps {
    const { api } = this;
    const host = this.args.checkString(L, 1);
    const port = this.portOf(L, 2);
    const laddr = api.type(L, 3) <= LuaType.Nil ? null : this.args.checkString(L, 3);
    const lport = api.type(L, 4) <= LuaType.Nil ? 0 : this.portOf(L, 4);
    const family = this.checkOption(L, 5, 'unspec', ['unspec', 'inet', 'inet6']);
    const o = this.newObject('master', null);
    o.start = now();
    if (laddr !== null) {
      if (family !== 'unspec') o.family = family as AddressFamily;
      const err = yield* this.doBind(o, laddr, lport);
      if (err) { this.closeObject(o); return this.args.fail(L, err); }
    }
    const err = yield* this.doConnect(o, host, port);
    if (err) { this.closeObject(o); return this.args.fail(L, err); }
    o.cls = 'client';
    this.push(L, o);
    return 1;
  }

  private *doBind(o: TcpObject, host: string, port: number): OpSteps<string | null> {
    if (port < 0) return EAI_SERVICE;
    this.ensureFd(o);
    const r = yield* op<OpResult>({ op: 'sock.bind', id: o.id, host, port, family: o.family });
    if (r.error) return r.error;
    o.bound = true;
    o.family ??= r.family ?? 'inet';
    this.applyNames(o, r);
    return null;
  }

  private one(L: number): number {
    this.api.pushNumber(L, 1);
    return 1;
  }

  private *connectMethod(L: number): OpSteps {
    const o = this.check(L, ['master', 'client', 'server'], 'tcp{any}');
    const host = this.args.checkString(L, 2);
    const port = this.portOf(L, 3);
    o.start = now();
    const err = yield* this.doConnect(o, host, port);
    // LuaSocket sets the class even when connect fails ("due to non-blocking connects").
    this.setClass(L, o, 'client');
    return err ? this.args.fail(L, err) : this.one(L);
  }

  private *bindMethod(L: number): OpSteps {
    const o = this.check(L, ['master'], 'tcp{master}');
    const host = this.args.checkString(L, 2);
    const port = this.portOf(L, 3);
    const err = yield* this.doBind(o, host, port);
    return err ? this.args.fail(L, err) : this.one(L);
  }

  private *listenMethod(L: number): OpSteps {
    const o = this.check(L, ['master'], 'tcp{master}');
    if (!o.bound) {
      const err = yield* this.doBind(o, o.family === 'inet6' ? '::' : '0.0.0.0', 0);
      if (err) return this.args.fail(L, err);
    }
    const r = this.call<OpResult>({ op: 'sock.listen', id: o.id });
    if (r.error) return this.args.fail(L, r.error);
    this.setClass(L, o, 'server');
    return this.one(L);
  }

  private *acceptMethod(L: number): OpSteps {
    const o = this.check(L, ['server'], 'tcp{server}');
    o.start = now();
    const c = this.newObject('client', o.family);
    this.allocFd(c);
    const r = yield* op<OpResult>({ op: 'sock.accept', id: o.id, newId: c.id, waitMs: retryMs(o) });
    if (r.error) { this.freeFd(c); return this.args.fail(L, r.error); }
    this.applyNames(c, r);
    this.push(L, c);
    return 1;
  }

  private methods(): Record<string, LuaCFunction> {
    const { api } = this;
    const ANY: readonly TcpClass[] = ['master', 'client', 'server'];
    const one = (L: number): number => { api.pushNumber(L, 1); return 1; };
    const connect = this.waiting((L) => this.connectMethod(L));
    const bind = this.waiting((L) => this.bindMethod(L));
    return {
      connect,
      setpeername: connect,
      bind,
      setsockname: bind,
      /** listen([backlog]): tcp{master} → tcp{server}; an unbound socket gets a free port first, as in Linux. */
      listen: this.waiting((L) => this.listenMethod(L)),
      /** accept(): next connection as tcp{client} (blocking timeouts, like LuaSocket) or nil, "timeout". */
      accept: this.waiting((L) => this.acceptMethod(L)),
      /** send(data [, i [, j]]) → lastindex, nil, nil | nil, err, lastindex (LuaSocket's buffer_meth_send). */
      send: this.waiting((L) => this.sendOn(L, this.check(L, ['client'], 'tcp{client}'))),
      /** receive([pattern [, prefix]]): "*l" (CRs dropped), "*a", or a byte count (buffer_meth_receive). */
      receive: this.waiting((L) => this.receiveOn(L, this.check(L, ['client'], 'tcp{client}'))),
      /** settimeout(t [, "b"|"t"|"r"]): nil or negative = no limit; 0 = never wait. */
      settimeout: (L) => {
        applySetTimeout(api, this.args, L, this.check(L, ANY, 'tcp{any}'));
        return one(L);
      },
      gettimeout: (L) => {
        return pushTimeouts(api, L, this.check(L, ANY, 'tcp{any}'));
      },
      close: (L) => {
        const o = this.check(L, ANY, 'tcp{any}');
        this.closeObject(o);
        return one(L);
      },
      shutdown: (L) => {
        const o = this.check(L, ['client'], 'tcp{client}');
        const how = this.checkOption(L, 2, 'both', ['receive', 'send', 'both']);
        // SHUT_RD on Linux TCP keeps queued and later bytes readable and only stops reads from
        // waiting; Node has no SHUT_RD, so it is done here rather than by dropping the input.
        if (how !== 'send') o.readShut = true;
        if (o.fd >= 0 && how !== 'receive') this.call({ op: 'sock.shutdown', id: o.id, how: 'send' });
        return one(L);
      },
      /** dirty(): bytes received but not yet read by the script (socket.select treats it as readable). */
      dirty: (L) => {
        const o = this.check(L, ANY, 'tcp{any}');
        api.pushBoolean(L, o.pos < o.buf.length);
        return 1;
      },
      getfd: (L) => {
        const o = this.check(L, ANY, 'tcp{any}');
        api.pushNumber(L, o.fd);
        return 1;
      },
      /** setfd(n): renumbers the handle socket.select knows the object by (no OS descriptor exists). */
      setfd: (L) => {
        const o = this.check(L, ANY, 'tcp{any}');
        this.setFd(o, Math.trunc(this.args.checkNumber(L, 2)));
        return 0;
      },
      getfamily: (L) => {
        const o = this.check(L, ANY, 'tcp{any}');
        api.pushText(L, o.family === 'inet6' ? 'inet6' : 'inet4');
        return 1;
      },
      getsockname: (L) => {
        const o = this.check(L, ANY, 'tcp{any}');
        if (o.fd < 0) return this.args.fail(L, 'Bad file descriptor');
        return this.args.pushName(L, o.local ?? { address: o.family === 'inet6' ? '::' : '0.0.0.0', port: 0, family: o.family ?? 'inet' }, true);
      },
      getpeername: (L) => {
        const o = this.check(L, ANY, 'tcp{any}');
        if (o.fd < 0) return this.args.fail(L, 'Bad file descriptor');
        if (!o.remote || o.cls !== 'client' || (o.eof && !o.local)) return this.args.fail(L, 'Transport endpoint is not connected');
        return this.args.pushName(L, o.remote, false);
      },
      getstats: (L) => {
        const o = this.check(L, ['client'], 'tcp{client}');
        api.pushNumber(L, o.received);
        api.pushNumber(L, o.sent);
        api.pushNumber(L, now() - o.birthday);
        return 3;
      },
      setstats: (L) => {
        const o = this.check(L, ['client'], 'tcp{client}');
        o.received = this.args.optNumber(L, 2, 0);
        o.sent = this.args.optNumber(L, 3, 0);
        o.birthday = now() - this.args.optNumber(L, 4, 0);
        return one(L);
      },
      /**
       * setoption(name, value): keepalive, tcp-nodelay and linger {on=true, timeout=0} (reset on close)
       * reach the Node socket; the others are checked, remembered and reported by getoption only.
       */
      setoption: (L) => {
        const o = this.check(L, ANY, 'tcp{any}');
        const name = this.args.checkString(L, 2);
        let value: unknown;
        if (BOOLEAN_OPTIONS.has(name)) {
          value = this.args.optionBoolean(L, 3);
        } else if (NUMBER_OPTIONS.has(name)) {
          const n = this.args.optionInt(L, 3);
          const bounds = NUMBER_BOUNDS[name];
          // TCP_FASTOPEN needs a CLOSE or LISTEN socket, TCP_FASTOPEN_CONNECT a CLOSE one (EINVAL otherwise)
          const badState = (name === 'tcp-fastopen' && o.cls === 'client') || (name === 'tcp-fastopen-connect' && o.cls !== 'master');
          if (o.fd >= 0 && (badState || (bounds && (n < bounds[0] || n > bounds[1])))) return this.args.fail(L, 'setsockopt failed');
          value = kernelBufferSize(name, n) ?? n;
        } else if (name === 'linger') {
          this.args.checkTable(L, 3);
          if (api.getField(L, 3, 'on') !== LuaType.Boolean) api.argError(L, 3, "boolean 'on' field expected");
          const on = api.toBoolean(L, -1);
          if (api.getField(L, 3, 'timeout') !== LuaType.Number) api.argError(L, 3, "number 'timeout' field expected");
          // Linux keeps the previous l_linger when l_onoff is 0
          const previous = (o.options.get('linger') as { timeout: number } | undefined)?.timeout ?? 0;
          value = { on, timeout: on ? Math.trunc(api.toNumber(L, -1)) : previous };
          this.m._lua_settop(L, -3);
        } else {
          return api.argError(L, 2, `unsupported option \`${name}'`);
        }
        if (o.fd < 0 || (name === 'ipv6-v6only' && o.family !== 'inet6')) return this.args.fail(L, 'setsockopt failed');
        o.options.set(name, value);
        if (name === 'keepalive' || name === 'tcp-nodelay' || name === 'linger') this.call({ op: 'sock.setoption', id: o.id, name, value });
        return one(L);
      },
      getoption: (L) => {
        const o = this.check(L, ANY, 'tcp{any}');
        const name = this.args.checkString(L, 2);
        if (!GET_OPTIONS.has(name)) return api.argError(L, 2, `unsupported option \`${name}'`);
        if (o.fd < 0) return this.args.fail(L, 'getsockopt failed');
        if (name === 'error') {
          // SO_ERROR: a failed non-blocking connect's error, once (nil when there is none).
          const r = o.id ? this.call<{ error?: string }>({ op: 'sock.takeerror', id: o.id }) : {};
          if (r.error) api.pushText(L, r.error); else api.pushNil(L);
          return 1;
        }
        const v = o.options.get(name) ?? OPTION_DEFAULTS[name];
        if (name === 'linger') {
          const l = (v as { on: boolean; timeout: number } | undefined) ?? { on: false, timeout: 0 };
          this.m._lua_createtable(L, 0, 2);
          api.pushBoolean(L, l.on);
          api.setField(L, -2, 'on');
          api.pushInteger(L, l.timeout);
          api.setField(L, -2, 'timeout');
          return 1;
        }
        if (typeof v === 'boolean') api.pushBoolean(L, v); else api.pushNumber(L, v as number);
        return 1;
      },
    };
  }

  /** The core functions: tcp, tcp4, tcp6, connect. */
  coreFunctions(): Record<string, LuaCFunction> {
    return {
      tcp: (L) => this.create(L, null),
      tcp4: (L) => this.create(L, 'inet'),
      tcp6: (L) => this.create(L, 'inet6'),
      connect: this.waiting((L) => this.globalConnect(L)),
    };
  }
}
