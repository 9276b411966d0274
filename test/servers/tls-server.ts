// Loopback HTTPS servers for the TLS tests: one per test leaf certificate, plus servers that fail
// the handshake (plain HTTP on a port the tests use as https, a socket closed on accept). Routes:
// /echo (method, URL, headers as text), /redirect-http?to=URL (302 to a plain-http URL),
// /redirect-rel (302 to /echo, relative), /gzip and /br and /deflate (compressed "hello ×100"),
// /slow (one byte per second, forever). Every socket and the servers have bounded lifetimes.
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import zlib from 'node:zlib';
import { makeTestCerts, type TestCerts } from './tls-certs.js';

export interface TlsServers {
  certs: TestCerts;
  /** https://localhost:PORT with a leaf for localhost/127.0.0.1 signed by the test CA. */
  goodUrl: string;
  /** A leaf for other.example only (host name mismatch on localhost). */
  otherUrl: string;
  expiredUrl: string;
  /** Plain HTTP: a TLS ClientHello gets an HTTP 400 back. */
  plainUrl: string;
  /** Closes every connection after the ClientHello (handshake cut). */
  closeUrl: string;
  /** Plain HTTP server with the same routes (for http→https redirects). */
  httpUrl: string;
  /** TLS (leaf for localhost): answers the first bytes with "HTTP/1.0 200 OK" and a short body, then
   *  closes the TCP connection without close_notify (a peer that just goes away). */
  noNotifyUrl: string;
  close(): Promise<void>;
}

const SOCKET_LIFETIME_MS = 20_000;
const SERVER_LIFETIME_MS = 120_000;
const HELLO = Buffer.from('hello '.repeat(100));

function routes(base: () => string): http.RequestListener {
  return (req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    // /set-cookie and /echo also answer under any directory (cookie scripts need nested request paths).
    const route = u.pathname.endsWith('/set-cookie') ? '/set-cookie' : u.pathname.endsWith('/echo') ? '/echo' : u.pathname;
    switch (route) {
      case '/echo': {
        const body = `${req.method} ${req.url}\n${Object.entries(req.headers).filter(([k]) => k !== 'connection').map(([k, v]) => `${k}: ${v}`).sort().join('\n')}\n`;
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body) });
        res.end(body);
        return;
      }
      case '/set-cookie':
        // One Set-Cookie field per `c` parameter (cookie scripts: Secure cookies over https vs http).
        res.writeHead(200, { 'Set-Cookie': u.searchParams.getAll('c'), 'Content-Length': 0 });
        res.end();
        return;
      case '/redirect-http':
        res.writeHead(302, { Location: u.searchParams.get('to') ?? '/', 'Content-Length': 0 });
        res.end();
        return;
      case '/redirect-https':
        res.writeHead(u.searchParams.get('code') ? Number(u.searchParams.get('code')) : 302, { Location: u.searchParams.get('to') ?? '/', 'Content-Length': 0 });
        res.end();
        return;
      case '/redirect-rel':
        res.writeHead(302, { Location: '/echo?from=rel', 'Content-Length': 0 });
        res.end();
        return;
      case '/gzip': case '/br': case '/deflate': case '/deflate-raw': {
        const coding = u.pathname.slice(1);
        const body = coding === 'gzip' ? zlib.gzipSync(HELLO) : coding === 'br' ? zlib.brotliCompressSync(HELLO)
          : coding === 'deflate' ? zlib.deflateSync(HELLO) : zlib.deflateRawSync(HELLO);
        res.writeHead(200, { 'Content-Encoding': coding === 'deflate-raw' ? 'deflate' : coding, 'Content-Length': body.length, 'X-Accept-Encoding': String(req.headers['accept-encoding'] ?? '') });
        res.end(body);
        return;
      }
      case '/slow': {
        res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': 1000 });
        const timer = setInterval(() => res.write('x'), 1000);
        res.on('close', () => clearInterval(timer));
        return;
      }
      default:
        res.writeHead(404, { 'Content-Length': 9 });
        res.end('not found');
        void base;
    }
  };
}

function bound(server: net.Server): void {
  server.on('connection', (s: net.Socket) => { s.setTimeout(SOCKET_LIFETIME_MS, () => s.destroy()); });
}

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

export async function startTlsServers(): Promise<TlsServers> {
  const certs = makeTestCerts();
  const servers: net.Server[] = [];
  let httpBase = '';
  const mk = async (leaf: 'localhost' | 'other' | 'expired'): Promise<string> => {
    const s = https.createServer({ ...certs.leaf(leaf), ALPNProtocols: ['http/1.1'] }, routes(() => httpBase));
    bound(s);
    servers.push(s);
    return `https://localhost:${await listen(s)}`;
  };
  const goodUrl = await mk('localhost');
  const otherUrl = await mk('other');
  const expiredUrl = await mk('expired');
  const plain = http.createServer(routes(() => httpBase));
  bound(plain);
  servers.push(plain);
  const plainPort = await listen(plain);
  httpBase = `http://127.0.0.1:${plainPort}`;
  // Reads the ClientHello, then FIN (not RST: destroying with unread data would reset, and a reset
  // is reported differently — "closed").
  const closer = net.createServer((s) => { s.on('error', () => {}); s.once('data', () => s.end()); });
  servers.push(closer);
  const closePort = await listen(closer);
  const noNotify = tls.createServer({ ...certs.leaf('localhost') }, (s) => {
    s.on('error', () => {});
    // destroy() closes the connection without TLS's close_notify (end() would send one).
    s.once('data', () => s.write('HTTP/1.0 200 OK\r\n\r\nno close_notify follows', () => s.destroy()));
  });
  bound(noNotify);
  servers.push(noNotify);
  const noNotifyPort = await listen(noNotify);
  const lifetime = setTimeout(() => { for (const s of servers) s.close(); }, SERVER_LIFETIME_MS);
  lifetime.unref();
  return {
    certs, goodUrl, otherUrl, expiredUrl,
    plainUrl: `https://127.0.0.1:${plainPort}`,
    closeUrl: `https://127.0.0.1:${closePort}`,
    httpUrl: httpBase,
    noNotifyUrl: `https://localhost:${noNotifyPort}`,
    async close() {
      clearTimeout(lifetime);
      await Promise.all(servers.map((s) => new Promise<void>((r) => {
        (s as http.Server).closeAllConnections?.();
        s.close(() => r());
      })));
      certs.remove();
    },
  };
}
