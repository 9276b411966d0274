// Raw TCP sockets for LuaSocket's core (socket.tcp), held by the I/O host. The VM names each socket
// by a handle; every blocking call of the script is one operation here that waits at most the
// script's timeout. Received bytes are buffered here (bounded: the net.Socket is paused above
// RECV_HIGH_WATER) and handed over in one batch per call, so a `*l` loop costs an RPC per batch, not
// per line. Where a connect goes (policy, --connect-to, lookup) is the transport's Connector's call,
// exactly as for HTTP.
import net from 'node:net';
import { Connector, type AddressFamily } from './transport/connector.js';
import { luaSocketError } from '../channel/luasocket-errors.js';
import { startTls, type HandshakeInfo, type TlsContextSpec } from './tls-upgrade.js';

/** Bytes buffered per socket before reading pauses (the kernel then applies TCP flow control). */
const RECV_HIGH_WATER = 1024 * 1024;
/** Unsent bytes per socket before send waits for 'drain' (Node buffers writes without limit). */
const SEND_HIGH_WATER = 1024 * 1024;

export type { AddressFamily };
export interface SocketAddress { address: string; port: number; family: AddressFamily }

/** What the VM learns after connect/bind/accept: names are cached VM-side (getsockname costs no RPC). */
export interface SocketNames { local?: SocketAddress; remote?: SocketAddress; family?: AddressFamily }
export interface OpResult extends SocketNames { error?: string }

type Waiter = () => void;

interface HostSocket {
  kind: 'idle' | 'connecting' | 'client' | 'server';
  sock?: net.Socket;
  server?: net.Server;
  /** Accepted connections not yet taken by accept(). */
  pending: net.Socket[];
  listening: boolean;
  chunks: Buffer[];
  buffered: number;
  eof: boolean;
  /** A failure (mapped to LuaSocket's text); reading reports it after the buffered bytes. */
  error: string | null;
  /** The connect attempt's outcome, reported by the next connect() call (non-blocking connects). */
  connectError: string | null;
  /** getoption("error") took connectError (reading SO_ERROR clears it): the next connect() says "closed". */
  connectErrorTaken?: boolean;
  /** shutdown("receive"): incoming bytes are dropped and reads see end of stream. */
  readShut: boolean;
  linger0: boolean;
  keepalive: boolean;
  waiters: Set<Waiter>;
  names: SocketNames;
  /** The host name connect() was given (before --connect-to): what a TLS peer certificate must name. */
  host?: string;
  /** Removes attach()'s listeners (ssl.wrap moves the connection under TLS). */
  detach?: () => void;
  /** ssl.wrap: the handshake's outcome once settled. */
  tls?: { settled: boolean; info?: HandshakeInfo; error?: string; socket?: net.Socket | null; reported?: boolean; uncleanEnd?: () => boolean };
}

function familyOf(address: string): AddressFamily {
  return net.isIPv6(address) ? 'inet6' : 'inet';
}

function addressOf(a: { address?: string; port?: number; family?: string } | undefined | null): SocketAddress | undefined {
  if (!a || a.address === undefined) return undefined;
  return { address: a.address, port: a.port ?? 0, family: familyOf(a.address) };
}

export class RawSockets {
  private readonly sockets = new Map<number, HostSocket>();
  /** Readiness of sockets this class does not own (UDP, udp-sockets.ts), for select. */
  externalReadable: (id: number) => boolean = () => false;
  externalWritable: (id: number) => boolean = () => false;

  constructor(readonly connector: Connector = new Connector(), private readonly insecure = false, private readonly systemCa = true) {}

  /** Wakes a select waiting on id (a UDP socket got a datagram). */
  wakeId(id: number): void {
    const s = this.sockets.get(id);
    if (s) this.wake(s);
  }

  private get(id: number): HostSocket {
    let s = this.sockets.get(id);
    if (!s) {
      s = { kind: 'idle', pending: [], listening: false, chunks: [], buffered: 0, eof: false, error: null, connectError: null, readShut: false, linger0: false, keepalive: false, waiters: new Set(), names: {} };
      this.sockets.set(id, s);
    }
    return s;
  }

  private wake(s: HostSocket): void {
    for (const w of [...s.waiters]) w();
  }

  /** Waits until ready() holds or waitMs passes (-1: forever, 0: just test). */
  private waitUntil(socks: HostSocket[], ready: () => boolean, waitMs: number): Promise<boolean> {
    if (ready()) return Promise.resolve(true);
    if (waitMs === 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const done = (ok: boolean): void => {
        if (timer) clearTimeout(timer);
        for (const s of socks) s.waiters.delete(check);
        resolve(ok);
      };
      const check = (): void => { if (ready()) done(true); };
      for (const s of socks) s.waiters.add(check);
      if (waitMs > 0) timer = setTimeout(() => done(ready()), waitMs);
    });
  }

  /** Wires a connected net.Socket (ours or accepted) into s: buffering, end, errors. */
  private attach(s: HostSocket, sock: net.Socket): void {
    s.sock = sock;
    s.kind = 'client';
    const onData = (d: Buffer): void => {
      if (s.readShut) return;
      s.chunks.push(d);
      s.buffered += d.length;
      if (s.buffered >= RECV_HIGH_WATER) sock.pause();
      this.wake(s);
    };
    const onEnd = (): void => {
      // LuaSec (OpenSSL 3) reads a TLS peer's close without close_notify as an error, not as "closed".
      if (s.tls?.uncleanEnd?.()) s.error ??= 'unexpected eof while reading';
      s.eof = true;
      this.wake(s);
    };
    const onError = (e: Error): void => { s.error ??= luaSocketError(e); this.wake(s); };
    const onDrain = (): void => this.wake(s);
    sock.on('data', onData);
    sock.on('end', onEnd);
    sock.on('error', onError);
    sock.on('close', onEnd);
    sock.on('drain', onDrain);
    s.detach = () => {
      sock.off('data', onData).off('end', onEnd).off('error', onError).off('close', onEnd).off('drain', onDrain);
      sock.pause();
    };
    s.names = { ...s.names, local: addressOf(sock.address() as net.AddressInfo), remote: addressOf({ address: sock.remoteAddress, port: sock.remotePort }) };
  }

  /** connect(id, host, port): LuaSocket's inet_tryconnect — each resolved address in turn. */
  async connect(id: number, host: string, port: number, family: AddressFamily | undefined, waitMs: number, bound: SocketAddress | undefined, fixedFamily: boolean): Promise<OpResult> {
    const s = this.get(id);
    if (s.kind === 'client') {
      // A second connect after a non-blocking one succeeds in LuaSocket 3.1.0 (observed for tcp()
      // and tcp4()), which is what copas-style loops rely on.
      return { ...s.names };
    }
    if (s.kind === 'connecting') {
      const ok = await this.waitUntil([s], () => s.kind !== 'connecting', waitMs);
      if (!ok) return { error: fixedFamily ? 'Operation already in progress' : 'timeout' };
      return this.connectOutcome(s);
    }
    // The failure select() already saw is this connect's answer (connect(2) reports the pending error).
    if (s.kind === 'idle' && s.connectError !== null) return this.connectOutcome(s);
    if (s.connectErrorTaken) { s.connectErrorTaken = false; return { error: 'closed' }; }
    if (s.kind === 'server') return { error: 'already connected' };
    s.connectError = null;
    s.kind = 'connecting';
    s.host = host;
    void this.dial(s, host, port, family, bound);
    const ok = await this.waitUntil([s], () => s.kind !== 'connecting', waitMs);
    if (!ok) return { error: 'timeout' };
    return this.connectOutcome(s);
  }

  private connectOutcome(s: HostSocket): OpResult {
    if (s.kind === 'client') return { ...s.names };
    const error = s.connectError ?? 'closed';
    s.connectError = null;
    return { error };
  }

  private async dial(s: HostSocket, host: string, port: number, family: AddressFamily | undefined, bound: SocketAddress | undefined): Promise<void> {
    let error = 'connection refused';
    const trace = this.connector.trace;
    try {
      if (bound) await this.unbind(s);
      const plan = await this.connector.plan('tcp', host, port, family);
      for (const a of plan.addresses) {
        const sock = await new Promise<net.Socket | string>((resolve) => {
          const c = net.connect({ host: a.address, port: plan.port, allowHalfOpen: true, autoSelectFamily: false, localAddress: bound?.address, localPort: bound?.port || undefined });
          const onError = (e: Error): void => resolve(luaSocketError(e));
          c.once('error', onError);
          c.once('connect', () => { c.off('error', onError); resolve(c); });
        });
        if (s.kind !== 'connecting') { if (typeof sock !== 'string') sock.destroy(); return; } // closed meanwhile
        if (typeof sock === 'string') { error = sock; trace?.(`* tcp connect to ${a.address} port ${plan.port} failed: ${sock}`); continue; }
        trace?.(`* tcp connected to ${host} (${a.address}) port ${plan.port}`);
        if (s.keepalive) sock.setKeepAlive(true);
        this.attach(s, sock);
        s.names.family = a.family;
        this.wake(s);
        return;
      }
    } catch (e) {
      error = luaSocketError(e);
      trace?.(`* tcp connect to ${host} port ${port} failed: ${error}`);
    }
    if (s.kind !== 'connecting') return;
    s.kind = 'idle';
    s.connectError = error;
    // LuaSocket leaves a socket whose connect failed unconnected: reads see "closed".
    s.eof = true;
    this.wake(s);
  }

  /** getoption("error"): the pending error of a failed non-blocking connect, taken as reading SO_ERROR takes it. */
  takeError(id: number): { error?: string } {
    const s = this.sockets.get(id);
    if (!s || s.kind !== 'idle' || s.connectError === null) return {};
    const error = s.connectError;
    s.connectError = null;
    s.connectErrorTaken = true;
    return { error };
  }

  /** bind(id, host, port): Node cannot bind without listening, so the port is taken (and listened on) now. */
  async bind(id: number, host: string, port: number, family: AddressFamily | undefined): Promise<OpResult> {
    const s = this.get(id);
    if (s.kind !== 'idle' || s.server) return { error: 'Invalid argument' };
    let address: string;
    try {
      if (host === '*') address = family === 'inet6' ? '::' : '0.0.0.0';
      else address = (await this.connector.resolve(host, family))[0]!.address;
    } catch (e) {
      return { error: luaSocketError(e) };
    }
    const server = net.createServer({ allowHalfOpen: true, pauseOnConnect: false });
    const err = await new Promise<string | null>((resolve) => {
      server.once('error', (e) => resolve(luaSocketError(e)));
      server.listen({ host: address, port, backlog: 32, ipv6Only: family === 'inet6' && address === '::' }, () => resolve(null));
    });
    if (err) { server.close(); return { error: err }; }
    server.on('error', () => {});
    server.on('connection', (c: net.Socket) => {
      if (!this.sockets.has(id)) { c.destroy(); return; }
      s.pending.push(c);
      // Buffer from the first byte: the accepting side's handle is created only at accept().
      const early: Buffer[] = [];
      const onData = (d: Buffer): void => { early.push(d); };
      c.on('data', onData);
      c.on('error', () => {});
      (c as net.Socket & { early?: Buffer[]; onEarly?: (d: Buffer) => void }).early = early;
      (c as net.Socket & { onEarly?: (d: Buffer) => void }).onEarly = onData;
      this.wake(s);
    });
    s.server = server;
    const local = addressOf(server.address() as net.AddressInfo)!;
    s.names = { local, family: local.family };
    return { ...s.names };
  }

  private unbind(s: HostSocket): Promise<void> {
    const server = s.server;
    s.server = undefined;
    if (!server) return Promise.resolve();
    return new Promise((resolve) => server.close(() => resolve()));
  }

  listen(id: number): OpResult {
    const s = this.get(id);
    if (!s.server) return { error: 'Invalid argument' };
    s.kind = 'server';
    s.listening = true;
    return {};
  }

  async accept(id: number, newId: number, waitMs: number): Promise<OpResult> {
    const s = this.get(id);
    if (s.kind !== 'server') return { error: 'closed' };
    const ok = await this.waitUntil([s], () => s.pending.length > 0 || !this.sockets.has(id), waitMs);
    if (!ok || s.pending.length === 0) return { error: ok ? 'closed' : 'timeout' };
    const c = s.pending.shift() as net.Socket & { early?: Buffer[]; onEarly?: (d: Buffer) => void };
    const t = this.get(newId);
    c.off('data', c.onEarly!);
    for (const d of c.early ?? []) { t.chunks.push(d); t.buffered += d.length; }
    this.attach(t, c);
    if (c.readableEnded || c.destroyed) t.eof = true;
    t.names.family = s.names.family;
    return { ...t.names };
  }

  /**
   * ssl.wrap + dohandshake: the first call moves the connection under TLS (bytes received but not read
   * — here or VM-side, `unread` — are replayed into it); every call waits up to waitMs for the outcome.
   * Data afterwards flows through recv/send/select/close unchanged, decrypted.
   */
  async handshake(id: number, spec: TlsContextSpec, sni: string | null, unread: Uint8Array | null, waitMs: number): Promise<{ info?: HandshakeInfo; error?: string; pending?: 'read' | 'write' }> {
    const s = this.sockets.get(id);
    if (s && s.kind === 'connecting' && !s.tls) {
      // A non-blocking connect still in progress (the Programming in Lua dispatcher wraps right after
      // connect): LuaSec's ClientHello cannot be written yet, so OpenSSL answers "wantwrite" until the
      // connection is up; select() then reports the socket writable.
      const started = Date.now();
      if (!await this.waitUntil([s], () => s.kind !== 'connecting', waitMs)) return { pending: 'write' };
      if (waitMs > 0) waitMs = Math.max(0, waitMs - (Date.now() - started));
    }
    if (!s || (s.kind !== 'client' && !s.tls)) return { error: s?.connectError ?? 'closed' };
    if (!s.tls) {
      const raw = s.sock!;
      if (raw.destroyed || (s.eof && s.buffered === 0 && !unread?.length)) return { error: 'closed' };
      s.detach?.();
      const pending = [...(unread?.length ? [Buffer.from(unread)] : []), ...s.chunks];
      s.chunks = [];
      s.buffered = 0;
      s.sock = undefined;
      s.kind = 'connecting';
      const state: NonNullable<HostSocket['tls']> = { settled: false };
      s.tls = state;
      const hs = startTls(raw, pending, spec, sni ?? s.host ?? s.names.remote?.address ?? 'localhost', sni, this.insecure, this.systemCa);
      state.socket = hs.socket;
      state.uncleanEnd = hs.uncleanEnd;
      void hs.done.then((r) => {
        state.settled = true;
        state.info = r.info;
        state.error = r.error;
        if (r.info && hs.socket && this.sockets.get(id) === s) {
          this.attach(s, hs.socket);
        } else {
          hs.socket?.destroy();
          s.kind = 'client';
          s.eof = true;
        }
        this.wake(s);
      });
    }
    const state = s.tls;
    const ok = await this.waitUntil([s], () => state.settled, waitMs);
    if (!ok) return { pending: 'read' };
    state.reported = true;
    return state.error ? { error: state.error } : { info: state.info };
  }

  /** RFC 5705/8446 keying material of a TLS connection (LuaSec's exportkeyingmaterial); null when there is none. */
  exportKeyingMaterial(id: number, label: string, length: number, context: Uint8Array | null): Uint8Array | null {
    const s = this.sockets.get(id);
    const sock = s?.tls?.info ? s.sock as (net.Socket & { exportKeyingMaterial?: (n: number, l: string, c?: Buffer) => Buffer }) | undefined : undefined;
    if (!sock?.exportKeyingMaterial || sock.destroyed) return null;
    try {
      return new Uint8Array(sock.exportKeyingMaterial(length, label, context ? Buffer.from(context) : undefined));
    } catch {
      return null;
    }
  }

  /** Everything buffered, waiting up to waitMs for something (data, end of stream or an error). */
  async recv(id: number, waitMs: number): Promise<{ data?: Uint8Array; closed?: boolean; error?: string }> {
    const s = this.sockets.get(id);
    if (!s) return { closed: true };
    if (s.kind === 'connecting') await this.waitUntil([s], () => s.kind !== 'connecting', waitMs);
    if (s.kind !== 'client') return s.kind === 'connecting' ? {} : { closed: true };
    await this.waitUntil([s], () => s.buffered > 0 || s.eof || s.error !== null, waitMs);
    const out: { data?: Uint8Array; closed?: boolean; error?: string } = {};
    if (s.buffered > 0) {
      out.data = s.chunks.length === 1 ? new Uint8Array(s.chunks[0]!) : Buffer.concat(s.chunks, s.buffered);
      s.chunks = [];
      s.buffered = 0;
      if (s.sock?.isPaused() && !s.readShut) s.sock.resume();
    }
    if (s.error && s.error !== 'closed') { out.error = s.error; out.closed = true; }
    else if (s.eof || s.error) out.closed = true;
    return out;
  }

  async send(id: number, data: Uint8Array, waitMs: number): Promise<{ error?: string }> {
    const s = this.sockets.get(id);
    if (!s || s.kind !== 'client' || !s.sock) return { error: 'closed' };
    if (s.error) return { error: s.error };
    const sock = s.sock;
    if (sock.writableEnded || sock.destroyed) return { error: 'closed' };
    // Node reports a failed write (EPIPE/ECONNRESET after the peer reset) only asynchronously; LuaSocket's
    // send sees it at once. Waiting up to 1 ms for the write callback (one tick when non-blocking) lets
    // the error reach this send, as natively observed (2nd send after a peer close → "closed").
    let written = false;
    let writeError: string | null = null;
    sock.write(data, (e) => { written = true; if (e) writeError = luaSocketError(e); this.wake(s); });
    await this.waitUntil([s], () => written || s.error !== null, waitMs === 0 ? 0 : Math.min(waitMs < 0 ? Infinity : waitMs, 1));
    if (!written && waitMs === 0) await new Promise((r) => setImmediate(r));
    if (writeError) return { error: writeError };
    if (sock.writableLength > SEND_HIGH_WATER) {
      const ok = await this.waitUntil([s], () => sock.writableLength <= SEND_HIGH_WATER || s.error !== null || sock.destroyed, waitMs);
      if (!ok) return { error: 'timeout' };
    }
    return s.error ? { error: s.error } : {};
  }

  shutdown(id: number, how: string): void {
    const s = this.sockets.get(id);
    if (!s?.sock) return;
    if (how !== 'receive') s.sock.end();
    if (how !== 'send') {
      s.readShut = true;
      s.chunks = [];
      s.buffered = 0;
      s.eof = true;
      s.sock.resume();
      this.wake(s);
    }
  }

  /** Socket options Node can apply; the rest are remembered VM-side only (see tcp.ts). */
  setOption(id: number, name: string, value: unknown): void {
    const s = this.get(id);
    if (name === 'tcp-nodelay') s.sock?.setNoDelay(Boolean(value));
    else if (name === 'keepalive') { s.keepalive = Boolean(value); s.sock?.setKeepAlive(Boolean(value)); }
    else if (name === 'linger') {
      const v = value as { on?: boolean; timeout?: number };
      s.linger0 = Boolean(v.on) && (v.timeout ?? 0) === 0;
    }
  }

  close(id: number): void {
    const s = this.sockets.get(id);
    if (!s) return;
    this.sockets.delete(id);
    s.kind = 'idle';
    if (s.sock) {
      // close(2) sends what is queued, then FIN; SO_LINGER {on, 0} resets instead.
      // (A TLS socket has no TCP handle of its own to reset: it ends with close_notify.)
      if (s.linger0 && !s.tls) s.sock.resetAndDestroy(); else s.sock.destroySoon();
      s.sock.resume();
    }
    if (s.server) s.server.close();
    if (s.tls && !s.tls.settled) s.tls.socket?.destroy();
    for (const c of s.pending) c.destroy();
    this.wake(s);
  }

  /** select: which of recv are readable and which of send writable, waiting up to waitMs. */
  async select(recv: number[], send: number[], waitMs: number): Promise<{ recv: number[]; send: number[] }> {
    const readable = (id: number): boolean => {
      if (this.externalReadable(id)) return true;
      const s = this.sockets.get(id);
      if (!s) return false;
      if (s.kind === 'server') return s.pending.length > 0;
      // A handshake that settled since dohandshake() said "wantread": that call is what the script
      // waits for (OpenSSL's next step would find the peer's flight readable).
      if (s.tls?.settled && !s.tls.reported) return true;
      if (s.kind === 'client') return s.buffered > 0 || s.eof || s.error !== null;
      return s.tls?.settled === true;
    };
    const writable = (id: number): boolean => {
      if (this.externalWritable(id)) return true;
      const s = this.sockets.get(id);
      if (!s) return false;
      if (s.kind === 'client') return s.error !== null || !s.sock || s.sock.writableLength < SEND_HIGH_WATER;
      // A connect that failed is writable too (the next connect() reports the error), as in select(2).
      return s.kind === 'idle' && s.connectError !== null;
    };
    const result = () => ({ recv: recv.filter(readable), send: send.filter(writable) });
    const socks = [...recv, ...send].map((id) => this.get(id));
    await this.waitUntil(socks, () => { const r = result(); return r.recv.length + r.send.length > 0; }, waitMs);
    // Sockets select() created only to wait on are dropped again.
    for (const id of [...recv, ...send]) {
      const s = this.sockets.get(id)!;
      if (s.kind === 'idle' && !s.server && s.connectError === null && s.waiters.size === 0 && s.chunks.length === 0) this.sockets.delete(id);
    }
    return result();
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.sockets.keys()]) this.close(id);
  }
}
