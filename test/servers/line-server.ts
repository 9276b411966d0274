// What the loopback SMTP and FTP servers share: a TCP server on 127.0.0.1 whose connections and
// own life are bounded, and a reader that turns a socket's bytes into awaited lines and blocks.
// Every wait ends: with the data, or with null when the peer closes, the wait times out or the
// connection's lifetime is over.
import net from 'node:net';

export interface LineServer {
  port: number;
  close(): Promise<void>;
}

export interface LineServerOptions {
  host?: string;
  /** Hard cap on one connection. */
  socketLifetimeMs?: number;
  /** Hard cap on the whole server, so a forgotten server cannot keep a test process alive. */
  serverLifetimeMs?: number;
}

/** Bytes of one socket, read on demand; `received` keeps everything that arrived (the transcript). */
export class SocketReader {
  private buf = Buffer.alloc(0);
  private ended = false;
  private wake: (() => void) | null = null;
  readonly received: Buffer[] = [];

  constructor(sock: net.Socket, private readonly waitMs = 15_000) {
    sock.on('data', (d: Buffer) => {
      this.received.push(d);
      this.buf = Buffer.concat([this.buf, d]);
      this.notify();
    });
    const end = () => {
      this.ended = true;
      this.notify();
    };
    sock.on('end', end);
    sock.on('close', end);
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Resolves when more bytes arrive, the stream ends, or waitMs passes (then false). */
  private more(): Promise<boolean> {
    if (this.ended) return Promise.resolve(false);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.wake = null;
        resolve(false);
      }, this.waitMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve(true);
      };
    });
  }

  /** The bytes up to `marker` (removed with it), or null if it never comes. */
  async until(marker: string): Promise<Buffer | null> {
    const m = Buffer.from(marker, 'latin1');
    for (;;) {
      const at = this.buf.indexOf(m);
      if (at >= 0) {
        const out = this.buf.subarray(0, at);
        this.buf = this.buf.subarray(at + m.length);
        return out;
      }
      if (!(await this.more())) return null;
    }
  }

  /** One line without its LF (and CR before it), latin1; null at the end of the stream. */
  async line(): Promise<string | null> {
    const raw = await this.until('\n');
    if (raw === null) return null;
    return raw.toString('latin1').replace(/\r$/, '');
  }

  /** Everything up to the end of the stream. */
  async rest(): Promise<Buffer> {
    while (await this.more());
    const out = this.buf;
    this.buf = Buffer.alloc(0);
    return out;
  }

  transcript(): Buffer {
    return Buffer.concat(this.received);
  }
}

/** Writes latin1 text unless the socket is gone. */
export function write(sock: net.Socket, text: string | Buffer): void {
  if (!sock.destroyed) sock.write(typeof text === 'string' ? Buffer.from(text, 'latin1') : text);
}

/**
 * Listens on 127.0.0.1:0 and runs `session` for each connection; the connection is destroyed when
 * the session returns, throws, or outlives socketLifetimeMs. `track` registers helper sockets and
 * servers (FTP data connections) so close() ends them too.
 */
export function startLineServer(
  session: (sock: net.Socket, reader: SocketReader, track: Tracker) => Promise<void>,
  opts: LineServerOptions = {},
): Promise<LineServer> {
  const socketLifetimeMs = opts.socketLifetimeMs ?? 20_000;
  const serverLifetimeMs = opts.serverLifetimeMs ?? 30 * 60_000;
  const host = opts.host ?? '127.0.0.1';
  const tracker = new Tracker(socketLifetimeMs);
  const server = net.createServer((sock) => {
    tracker.socket(sock);
    const reader = new SocketReader(sock);
    session(sock, reader, tracker)
      .catch(() => {})
      .finally(() => sock.end(() => sock.destroy()));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      const close = (): Promise<void> => {
        clearTimeout(serverTimer);
        tracker.closeAll();
        return new Promise((done) => server.close(() => done()));
      };
      const serverTimer = setTimeout(() => void close(), serverLifetimeMs);
      serverTimer.unref();
      resolve({ port, close });
    });
  });
}

/** Sockets and listeners with a bounded life, all ended by closeAll(). */
export class Tracker {
  private readonly sockets = new Set<net.Socket>();
  private readonly servers = new Set<net.Server>();

  constructor(private readonly lifetimeMs: number) {}

  socket(sock: net.Socket): net.Socket {
    this.sockets.add(sock);
    const timer = setTimeout(() => sock.destroy(), this.lifetimeMs);
    timer.unref();
    sock.on('error', () => {});
    sock.on('close', () => {
      clearTimeout(timer);
      this.sockets.delete(sock);
    });
    return sock;
  }

  server(srv: net.Server): net.Server {
    this.servers.add(srv);
    const timer = setTimeout(() => srv.close(), this.lifetimeMs);
    timer.unref();
    srv.on('error', () => {});
    srv.on('close', () => {
      clearTimeout(timer);
      this.servers.delete(srv);
    });
    return srv;
  }

  closeAll(): void {
    for (const s of this.sockets) s.destroy();
    for (const s of this.servers) s.close();
    this.sockets.clear();
    this.servers.clear();
  }
}
