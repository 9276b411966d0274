// Raw UDP sockets for LuaSocket's core (socket.udp), held by the I/O host beside raw-sockets.ts.
// The VM names each socket by a handle from the same id space as TCP (so socket.select can wait on
// both); a node:dgram socket exists from the first bind/connect/send, as LuaSocket's lazy AF_UNSPEC
// socket does. Received datagrams queue here (bounded) and each receive takes one, truncated to the
// size asked for (the rest is discarded, as recv(2) does). ICMP errors on a connected socket
// (ECONNREFUSED) are kept and reported by the next send or receive, as Linux does.
import dgram from 'node:dgram';
import type { SocketAddress, OpResult } from './raw-sockets.js';
import { Connector, type AddressFamily } from './transport/connector.js';
import { luaSocketError } from '../channel/luasocket-errors.js';

/** Datagrams queued per socket before new ones are dropped (the kernel drops too when full). */
const QUEUE_LIMIT = 4096;

interface Datagram { data: Buffer; address: string; port: number }

interface UdpSocket {
  sock?: dgram.Socket;
  family?: AddressFamily;
  bound: boolean;
  connected: boolean;
  queue: Datagram[];
  /** A pending socket error (LuaSocket text), reported once by the next send/receive. */
  error: string | null;
  options: Map<string, unknown>;
  waiters: Set<() => void>;
}

export interface UdpReceived { data?: Uint8Array; address?: string; port?: number; error?: string }

const addressOf = (a: { address: string; port: number }): SocketAddress =>
  ({ address: a.address, port: a.port, family: a.address.includes(':') ? 'inet6' : 'inet' });

export class UdpSockets {
  private readonly sockets = new Map<number, UdpSocket>();

  /** onReadable(id): called when a datagram or error arrives (wakes a socket.select in raw-sockets.ts). */
  constructor(private readonly onReadable: (id: number) => void = () => {}, private readonly connector: Connector = new Connector()) {}

  private get(id: number): UdpSocket {
    let s = this.sockets.get(id);
    if (!s) {
      s = { bound: false, connected: false, queue: [], error: null, options: new Map(), waiters: new Set() };
      this.sockets.set(id, s);
    }
    return s;
  }

  /** For socket.select: a datagram or a pending error is waiting. */
  readable(id: number): boolean {
    const s = this.sockets.get(id);
    return s !== undefined && (s.queue.length > 0 || s.error !== null);
  }

  /** udp4()/udp6(): the socket exists (select sees it writable) before node:dgram needs one. */
  open(id: number): void {
    this.get(id);
  }

  has(id: number): boolean {
    return this.sockets.has(id);
  }

  private wake(id: number, s: UdpSocket): void {
    for (const w of [...s.waiters]) w();
    this.onReadable(id);
  }

  private create(id: number, s: UdpSocket, family: AddressFamily): dgram.Socket {
    if (s.sock) return s.sock;
    const sock = dgram.createSocket({ type: family === 'inet6' ? 'udp6' : 'udp4', reuseAddr: s.options.get('reuseaddr') === true, ipv6Only: s.options.get('ipv6-v6only') === true });
    s.family = family;
    sock.on('message', (data, rinfo) => {
      if (s.queue.length < QUEUE_LIMIT) s.queue.push({ data, address: rinfo.address, port: rinfo.port });
      this.wake(id, s);
    });
    sock.on('error', (e) => { s.error = luaSocketError(e); this.wake(id, s); });
    sock.on('listening', () => { s.bound = true; this.applyOptions(s); });
    s.sock = sock;
    return sock;
  }

  private applyOptions(s: UdpSocket): void {
    for (const [name, value] of s.options) this.apply(s, name, value);
  }

  private apply(s: UdpSocket, name: string, value: unknown): void {
    const sock = s.sock;
    if (!sock || !s.bound) return;
    try {
      if (name === 'broadcast') sock.setBroadcast(Boolean(value));
      else if (name === 'ip-multicast-ttl') sock.setMulticastTTL(value as number);
      else if (name === 'ip-multicast-loop' || name === 'ipv6-multicast-loop') sock.setMulticastLoopback(Boolean(value));
      else if (name === 'ip-multicast-if') sock.setMulticastInterface(value as string);
      else if (name === 'ipv6-unicast-hops') sock.setTTL(value as number);
      else if (name === 'ip-add-membership' || name === 'ipv6-add-membership') {
        const m = value as { multiaddr: string; interface: string };
        sock.addMembership(m.multiaddr, m.interface === '*' || m.interface === '0.0.0.0' ? undefined : m.interface);
      } else if (name === 'ip-drop-membership' || name === 'ipv6-drop-membership') {
        const m = value as { multiaddr: string; interface: string };
        sock.dropMembership(m.multiaddr, m.interface === '*' || m.interface === '0.0.0.0' ? undefined : m.interface);
      } else if (name === 'recv-buffer-size') sock.setRecvBufferSize(value as number);
      else if (name === 'send-buffer-size') sock.setSendBufferSize(value as number);
    } catch { /* remembered only (LuaSocket would report "setsockopt failed" for some) */ }
  }

  private names(s: UdpSocket): OpResult {
    const out: OpResult = { family: s.family };
    try { if (s.sock && s.bound) out.local = addressOf(s.sock.address()); } catch { /* not bound */ }
    try { if (s.sock && s.connected) out.remote = addressOf(s.sock.remoteAddress()); } catch { /* not connected */ }
    return out;
  }

  /** The local address to bind (no policy: nothing is sent), or the checked peer of a connect/sendto. */
  private async resolve(host: string, port: number, family: AddressFamily | undefined, passive: boolean): Promise<{ address: string; family: AddressFamily }> {
    if (passive) {
      if (host === '*') return { address: family === 'inet6' ? '::' : '0.0.0.0', family: family ?? 'inet' };
      return (await this.connector.resolve(host, family))[0]!;
    }
    // --connect-to is curl's, for TCP: datagrams go where the script says.
    return (await this.connector.plan('udp', host, port, family, false)).addresses[0]!;
  }

  /** setsockname(host, port): LuaSocket's inet_trybind. */
  async bind(id: number, host: string, port: number, family: AddressFamily | undefined): Promise<OpResult> {
    const s = this.get(id);
    let a: { address: string; family: AddressFamily };
    try { a = await this.resolve(host, port, s.family ?? family, true); } catch (e) { return { error: luaSocketError(e) }; }
    if (s.bound || s.connected) return { error: 'Invalid argument' };
    const sock = this.create(id, s, a.family);
    const err = await new Promise<string | null>((resolve) => {
      const onError = (e: Error): void => resolve(luaSocketError(e));
      sock.once('error', onError);
      sock.bind({ address: a.address, port, exclusive: true }, () => { sock.off('error', onError); resolve(null); });
    });
    if (err) { s.error = null; return { error: err }; }
    s.bound = true;
    this.applyOptions(s);
    return this.names(s);
  }

  /** setpeername(host, port): LuaSocket's inet_tryconnect (binds an unbound socket first, as connect(2) does). */
  async connect(id: number, host: string, port: number, family: AddressFamily | undefined): Promise<OpResult> {
    const s = this.get(id);
    let a: { address: string; family: AddressFamily };
    try { a = await this.resolve(host, port, s.family ?? family, false); } catch (e) { return { error: luaSocketError(e) }; }
    const sock = this.create(id, s, a.family);
    if (s.connected) { try { sock.disconnect(); } catch { /* already */ } s.connected = false; }
    s.error = null;
    const err = await new Promise<string | null>((resolve) => {
      const onError = (e: Error): void => resolve(luaSocketError(e));
      sock.once('error', onError);
      sock.connect(port, a.address, () => { sock.off('error', onError); resolve(null); });
    });
    if (err) { s.error = null; return { error: err }; }
    s.bound = true;
    s.connected = true;
    // Datagrams from other peers queued before connecting would not pass a connected socket's filter.
    s.queue = [];
    return this.names(s);
  }

  /** setpeername("*"): back to unconnected. */
  disconnect(id: number): void {
    const s = this.sockets.get(id);
    if (!s?.sock || !s.connected) return;
    try { s.sock.disconnect(); } catch { /* not connected */ }
    s.connected = false;
  }

  /** send (host undefined: to the connected peer) or sendto; an unbound socket gets a free port first. */
  async send(id: number, data: Uint8Array, host: string | undefined, port: number | undefined, family: AddressFamily | undefined): Promise<OpResult & { sent?: number }> {
    const s = this.get(id);
    if (s.error) { const error = s.error; s.error = null; return { error }; }
    let sock = s.sock;
    if (host !== undefined) {
      let a: { address: string; family: AddressFamily };
      try { a = await this.resolve(host, port!, s.family ?? family, false); } catch (e) { return { error: luaSocketError(e) }; }
      sock = this.create(id, s, a.family);
      host = a.address;
    }
    if (!sock) return { error: 'refused' };
    const target = sock;
    const err = await new Promise<string | null>((resolve) => {
      const cb = (e: Error | null): void => resolve(e ? luaSocketError(e) : null);
      try {
        if (host === undefined) target.send(data, cb); else target.send(data, port, host, cb);
      } catch (e) { resolve(luaSocketError(e)); }
    });
    if (err) return { error: err };
    s.bound = true;
    return { ...this.names(s), sent: data.length };
  }

  /** One datagram (at most size bytes of it), waiting up to waitMs (-1: forever). */
  async recv(id: number, size: number, waitMs: number): Promise<UdpReceived> {
    const s = this.sockets.get(id);
    if (!s) return { data: new Uint8Array(0) };
    if (s.queue.length === 0 && s.error === null && waitMs !== 0) {
      await new Promise<void>((resolve) => {
        let timer: NodeJS.Timeout | undefined;
        const check = (): void => {
          if (s.queue.length === 0 && s.error === null) return;
          if (timer) clearTimeout(timer);
          s.waiters.delete(check);
          resolve();
        };
        s.waiters.add(check);
        if (waitMs > 0) timer = setTimeout(() => { s.waiters.delete(check); resolve(); }, waitMs);
      });
    }
    if (s.error !== null) { const error = s.error; s.error = null; return { error }; }
    const d = s.queue.shift();
    if (!d) return { error: 'timeout' };
    const data = new Uint8Array(d.data.subarray(0, Math.max(0, size)));
    return { data, address: d.address, port: d.port };
  }

  setOption(id: number, name: string, value: unknown): void {
    const s = this.get(id);
    s.options.set(name, value);
    this.apply(s, name, value);
  }

  close(id: number): void {
    const s = this.sockets.get(id);
    if (!s) return;
    this.sockets.delete(id);
    try { s.sock?.close(); } catch { /* already closed */ }
    for (const w of [...s.waiters]) w();
  }

  closeAll(): void {
    for (const id of [...this.sockets.keys()]) this.close(id);
  }
}
