// A small loopback forward proxy that records what it saw: absolute-form requests are forwarded
// (to 127.0.0.1/localhost only), CONNECT opens a tunnel. Modes: 'refuse' answers CONNECT with 403,
// 'garbage' answers everything with bytes that are not HTTP. Sockets and server have bounded lifetimes.
import http from 'node:http';
import net from 'node:net';

export interface ProxyRecord {
  method: string;
  /** The request target as sent: absolute URL, or host:port for CONNECT. */
  target: string;
  host?: string;
  proxyAuthorization?: string;
}

export interface ProxyServer {
  url: string;
  port: number;
  seen: ProxyRecord[];
  close(): Promise<void>;
}

const SOCKET_LIFETIME_MS = 20_000;
const SERVER_LIFETIME_MS = 120_000;

function loopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host === '[::1]';
}

export async function startProxyServer(mode: 'forward' | 'refuse' | 'garbage' = 'forward'): Promise<ProxyServer> {
  const seen: ProxyRecord[] = [];
  const sockets = new Set<net.Socket>();
  const record = (req: http.IncomingMessage): void => {
    seen.push({ method: req.method ?? '', target: req.url ?? '', host: req.headers.host, proxyAuthorization: req.headers['proxy-authorization'] });
  };
  const server = http.createServer((req, res) => {
    record(req);
    let target: URL;
    try { target = new URL(req.url ?? ''); } catch { res.writeHead(400, { 'Content-Length': 0 }); res.end(); return; }
    if (target.protocol !== 'http:' || !loopback(target.hostname)) { res.writeHead(403, { 'Content-Length': 0 }); res.end(); return; }
    const headers = { ...req.headers };
    delete headers['proxy-authorization'];
    delete headers['proxy-connection'];
    const up = http.request({ host: target.hostname, port: target.port || 80, method: req.method, path: target.pathname + target.search, headers }, (r) => {
      // What the proxy saw, for scripts to print (they cannot read `seen`).
      res.writeHead(r.statusCode ?? 502, { ...r.headers, 'x-proxy-saw': `${req.method} ${req.url} auth=${req.headers['proxy-authorization'] ?? 'none'}` });
      r.pipe(res);
    });
    up.on('error', () => { res.writeHead(502, { 'Content-Length': 0 }); res.end(); });
    req.pipe(up);
  });
  server.on('connect', (req: http.IncomingMessage, client: net.Socket, head: Buffer) => {
    record(req);
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.setTimeout(SOCKET_LIFETIME_MS, () => client.destroy());
    const [host, port] = (req.url ?? '').split(/:(?=\d+$)/);
    if (mode === 'refuse' || !host || !loopback(host)) { client.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n'); return; }
    const up = net.connect(Number(port), host.replace(/^\[|\]$/g, ''), () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.setTimeout(SOCKET_LIFETIME_MS, () => s.destroy());
    if (mode === 'garbage') { s.on('error', () => {}); s.once('data', () => s.end('\x00\x01garbage that is not HTTP\r\n\r\n')); }
  });
  if (mode === 'garbage') {
    // Reply before node:http parses anything: the connection listener above answers.
    server.removeAllListeners('request');
    server.removeAllListeners('connect');
    server.on('connect', () => {});
  }
  const port = await new Promise<number>((r) => server.listen(0, '127.0.0.1', () => r((server.address() as net.AddressInfo).port)));
  const lifetime = setTimeout(() => server.close(), SERVER_LIFETIME_MS);
  lifetime.unref();
  return {
    url: `http://127.0.0.1:${port}`, port, seen,
    async close() {
      clearTimeout(lifetime);
      for (const s of sockets) s.destroy();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
