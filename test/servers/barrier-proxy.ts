// A loopback TCP front that proves connections were open together, for any protocol (raw lines, SMTP,
// FTP's control connection, TLS): it accepts connections but joins none to the target server until
// `n` are open at once; then all of them are joined (the bytes a client sent meanwhile go first). A
// connection still waiting after `giveUpMs` is reset, so a client that opens one connection at a time
// fails visibly instead of hanging. No timing is measured: `peak()` is the most waiting at once.
import net from 'node:net';

export interface BarrierProxy {
  port: number;
  /** The most connections waiting at the barrier at the same time since the last reset. */
  peak: () => number;
  reset: () => void;
  close: () => Promise<void>;
}

const SOCKET_LIFETIME_MS = 30_000;

export async function startBarrierProxy(targetPort: number, n: number, giveUpMs = 5_000): Promise<BarrierProxy> {
  let peak = 0;
  let waiting: { sock: net.Socket; early: Buffer[]; onData: (d: Buffer) => void }[] = [];
  const sockets = new Set<net.Socket>();
  const track = (s: net.Socket): void => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
    s.setTimeout(SOCKET_LIFETIME_MS, () => s.destroy());
  };
  const join = (c: (typeof waiting)[number]): void => {
    const upstream = net.connect(targetPort, '127.0.0.1');
    track(upstream);
    c.sock.off('data', c.onData);
    for (const d of c.early) upstream.write(d);
    c.sock.pipe(upstream);
    upstream.pipe(c.sock);
    upstream.on('close', () => c.sock.destroy());
    c.sock.on('close', () => upstream.destroy());
  };
  const server = net.createServer((sock) => {
    track(sock);
    const early: Buffer[] = [];
    const entry = { sock, early, onData: (d: Buffer) => { early.push(d); } };
    sock.on('data', entry.onData);
    waiting.push(entry);
    sock.on('close', () => { waiting = waiting.filter((w) => w !== entry); });
    peak = Math.max(peak, waiting.length);
    if (waiting.length >= n) {
      const group = waiting;
      waiting = [];
      for (const c of group) join(c);
      return;
    }
    setTimeout(() => { if (waiting.includes(entry)) sock.resetAndDestroy(); }, giveUpMs).unref();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    peak: () => peak,
    reset: () => { peak = 0; },
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
