// `luahttp --allow/--deny/--no-private`: the network policy (src/io/transport/network-policy.ts) holds
// for every socket a script can open — socket.http and ssl.https (every redirect hop), socket.tcp,
// socket.udp, socket.dns, smtp, ftp, ssl.wrap, http.websocket — and a refused connection returns `nil, "blocked by
// policy (…)"` with nothing sent: a guard server counts every TCP connection and UDP datagram that
// reaches it. Without the flags the CLI stays open.
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { REPO_ROOT, runProcess } from '../oracle/lua-runner.js';
import { startProxyServer, type ProxyServer } from '../servers/proxy-server.js';

const BIN = path.join(REPO_ROOT, 'bin/luahttp.js');
const TIMEOUT_MS = 30_000;
const SERVER_LIFETIME_MS = 240_000;

/** Counts what arrives; any count above zero in a "blocked" test means bytes left luahttp. */
interface Guard { port: number; udpPort: number; connections: number; datagrams: number; close(): Promise<void> }

async function startGuard(): Promise<Guard> {
  const g = { connections: 0, datagrams: 0 } as Guard;
  const open = new Set<net.Socket>();
  const tcp = net.createServer((c) => {
    g.connections++;
    open.add(c);
    c.on('close', () => open.delete(c));
    c.on('error', () => {});
    c.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nguard');
  });
  const udp = dgram.createSocket('udp4');
  udp.on('message', () => { g.datagrams++; });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  g.port = (tcp.address() as AddressInfo).port;
  g.udpPort = udp.address().port;
  const lifetime = setTimeout(() => { void g.close(); }, SERVER_LIFETIME_MS);
  g.close = async () => {
    clearTimeout(lifetime);
    try { udp.close(); } catch { /* closed */ }
    for (const c of open) c.destroy();
    await new Promise<void>((r) => tcp.close(() => r()));
  };
  return g;
}

/** An HTTP server that answers /redirect?to=URL with a 302 and anything else with "ok <Host>". */
async function startRedirector(): Promise<{ port: number; requests: number; close(): Promise<void> }> {
  const s = { requests: 0 } as { port: number; requests: number; close(): Promise<void> };
  const server = http.createServer((req, res) => {
    s.requests++;
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/redirect') res.writeHead(302, { Location: u.searchParams.get('to') ?? '/' }).end();
    else res.end(`ok ${req.headers.host}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  s.port = (server.address() as AddressInfo).port;
  const lifetime = setTimeout(() => { void s.close(); }, SERVER_LIFETIME_MS);
  s.close = () => new Promise<void>((r) => { clearTimeout(lifetime); server.closeAllConnections(); server.close(() => r()); });
  return s;
}

let guard: Guard;
let site: Awaited<ReturnType<typeof startRedirector>>;
let proxy: ProxyServer;
beforeAll(async () => {
  [guard, site, proxy] = await Promise.all([startGuard(), startRedirector(), startProxyServer()]);
});
afterAll(async () => {
  await Promise.all([guard?.close(), site?.close(), proxy?.close()]);
});
beforeEach(() => {
  guard.connections = 0;
  guard.datagrams = 0;
  site.requests = 0;
  proxy.seen.length = 0;
});

/** The environment's proxies would change which check speaks first (tests here pick their own). */
const NO_PROXY_ENV = { http_proxy: '', https_proxy: '', all_proxy: '', HTTP_PROXY: '', HTTPS_PROXY: '', ALL_PROXY: '', no_proxy: '', NO_PROXY: '' };

async function luahttp(options: string[], lua: string): Promise<string[]> {
  const r = await runProcess(process.execPath, [BIN, ...options, '-e', lua], TIMEOUT_MS, { stdin: '', env: NO_PROXY_ENV });
  if (r.timedOut) throw new Error(`luahttp timed out\n${r.stderr}`);
  if (r.exitCode !== 0) throw new Error(`luahttp exited ${r.exitCode}\n${r.stderr}`);
  return r.stdout.toString('latin1').split('\n').filter(Boolean);
}

const q = (s: string): string => JSON.stringify(s);
/** Lua that prints `body, code` (or `nil, err`) of http.request(url), one line. */
const get = (url: string): string => `do local b, c = require("socket.http").request(${q(url)}) print(b, c) end`;

describe('without policy flags the CLI stays open', () => {
  test('loopback by literal, by name and by redirect; raw tcp and udp', async () => {
    const lines = await luahttp([], [
      get(`http://127.0.0.1:${guard.port}/`),
      get(`http://localhost:${site.port}/`),
      get(`http://127.0.0.1:${site.port}/redirect?to=${encodeURIComponent(`http://127.0.0.1:${guard.port}/`)}`),
      `do local c = require("socket").tcp() c:settimeout(5) print(c:connect("127.0.0.1", ${guard.port})) c:close() end`,
      `do local u = require("socket").udp() print(u:sendto("x", "127.0.0.1", ${guard.udpPort})) end`,
    ].join('\n'));
    expect(lines).toEqual(['guard\t200', `ok localhost:${site.port}\t200`, 'guard\t200', '1.0', '1.0']);
    expect(guard.connections).toBe(3);
    // The datagram is not awaited by anyone: its arrival is checked by the blocked tests' zero instead.
  });
});

describe('--no-private', () => {
  test('every spelling of a loopback or metadata address is refused, and nothing reaches it', async () => {
    const p = guard.port;
    const lines = await luahttp(['--no-private'], [
      get(`http://127.0.0.1:${p}/`),
      get(`http://a.com@127.0.0.1:${p}/`),
      get(`http://a.com:80@127.0.0.1:${p}/`),
      get(`http://0x7f000001:${p}/`),
      get(`http://2130706433:${p}/`),
      get(`http://[::ffff:127.0.0.1]:${p}/`),
      get(`http://[::1]:${p}/`),
      get(`http://localhost:${p}/`),
      get('http://169.254.169.254/latest/meta-data/'),
      get(`https://127.0.0.1:${p}/`),
      `do local b, c = require("ssl.https").request(${q(`https://127.0.0.1:${p}/`)}) print(b, c) end`,
    ].join('\n'));
    expect(lines).toEqual([
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'nil\tblocked by policy (IPv4-mapped address ::ffff:127.0.0.1)',
      'nil\tblocked by policy (loopback address ::1)',
      expect.stringMatching(/^nil\tblocked by policy \(loopback address (127\.0\.0\.1|::1)\)$/),
      'nil\tblocked by policy (link-local address 169.254.169.254)',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
    ]);
    expect(guard.connections).toBe(0);
  });

  test('a redirect to a private address is refused at that hop (the first hop was allowed by --connect-to)', async () => {
    const to = (u: string): string => `http://public.example/redirect?to=${encodeURIComponent(u)}`;
    const lines = await luahttp(['--no-private', '--connect-to', `public.example:80:127.0.0.1:${site.port}`], [
      get('http://public.example/hello'),
      get(to(`http://127.0.0.1:${guard.port}/`)),
      get(to(`http://localhost:${guard.port}/`)),
      get(to('http://169.254.169.254/')),
    ].join('\n'));
    expect(lines[0]).toBe('ok public.example\t200');
    expect(lines[1]).toBe('nil\tblocked by policy (loopback address 127.0.0.1)');
    expect(lines[2]).toMatch(/^nil\tblocked by policy \(loopback address (127\.0\.0\.1|::1)\)$/);
    expect(lines[3]).toBe('nil\tblocked by policy (link-local address 169.254.169.254)');
    expect(site.requests).toBe(4);
    expect(guard.connections).toBe(0);
  });

  test('raw socket.tcp, socket.udp, ssl.wrap, smtp and ftp are refused the same way', async () => {
    const p = guard.port;
    const lines = await luahttp(['--no-private'], [
      `local socket = require("socket")`,
      `do local c = socket.tcp() c:settimeout(5) print(c:connect("127.0.0.1", ${p})) end`,
      `do local c = socket.tcp() c:settimeout(5) print(c:connect("localhost", ${p})) end`,
      `do print(socket.connect("0x7f000001", ${p})) end`,
      `do local u = socket.udp() print(u:setpeername("127.0.0.1", ${guard.udpPort})) end`,
      `do local u = socket.udp() print(u:sendto("x", "127.0.0.1", ${guard.udpPort})) end`,
      `do local u = socket.udp() print(u:sendto("x", "::ffff:127.0.0.1", ${guard.udpPort})) end`,
      // LuaSec's client flow: the TCP connect is where it stops; the wrap then has no connection.
      `do local ssl = require("ssl") local c = socket.tcp() c:settimeout(5)
          print(c:connect("127.0.0.1", ${p}))
          local s = ssl.wrap(c, { mode = "client", protocol = "any", verify = "none" })
          print(s:dohandshake()) end`,
      `do print(require("socket.smtp").send { from = "<a@example.com>", rcpt = "<b@example.com>", server = "127.0.0.1", port = ${p},
          source = require("socket.smtp").message { body = "hi" } }) end`,
      `do print(require("socket.ftp").get(${q(`ftp://127.0.0.1:${p}/file.txt`)})) end`,
      // lua-http's websockets ride on socket.tcp (and ssl.wrap for wss://).
      `do print(require("http.websocket").new_from_uri(${q(`ws://127.0.0.1:${p}/`)}):connect(5)) end`,
      `do print(require("http.websocket").new_from_uri(${q(`wss://localhost:${p}/`)}):connect(5)) end`,
    ].join('\n'));
    expect(lines).toEqual([
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      expect.stringMatching(/^nil\tblocked by policy \(loopback address (127\.0\.0\.1|::1)\)$/),
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'nil\tblocked by policy (IPv4-mapped address ::ffff:127.0.0.1)',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'false\tclosed',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'nil\tflush: blocked by policy (loopback address 127.0.0.1)\tnil',
      expect.stringMatching(/^nil\tflush: blocked by policy \(loopback address (127\.0\.0\.1|::1)\)\tnil$/),
    ]);
    expect(guard.connections).toBe(0);
    expect(guard.datagrams).toBe(0);
  });

  test('a proxy the script names is a destination like any other; the operator\'s --proxy is trusted', async () => {
    const viaScript = (url: string, proxyUrl: string): string => `do local b, c = require("socket.http").request { url = ${q(url)}, proxy = ${q(proxyUrl)},
      sink = require("ltn12").sink.table({}) } print(b, c) end`;
    const byName = proxy.url.replace('127.0.0.1', 'localhost');
    const blocked = await luahttp(['--no-private'], [
      viaScript('http://public.example/', proxy.url),
      viaScript('https://public.example/', proxy.url),
      viaScript('http://public.example/', byName),
      viaScript('https://public.example/', byName),
    ].join('\n'));
    expect(blocked).toEqual([
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      expect.stringMatching(/^nil\tblocked by policy \(loopback address (127\.0\.0\.1|::1)\)$/),
      expect.stringMatching(/^nil\tblocked by policy \(loopback address (127\.0\.0\.1|::1)\)$/),
    ]);
    expect(proxy.seen).toEqual([]);
    // The operator's proxy is reached (it refuses non-loopback targets with 403); the URL it is asked
    // for is still judged: a private literal never gets to the proxy.
    const lines = await luahttp(['--no-private', '--proxy', proxy.url], [
      get('http://public.example/'),
      get('https://public.example/'),
      get(`http://127.0.0.1:${site.port}/`),
      get(`https://127.0.0.1:${site.port}/`),
    ].join('\n'));
    expect(lines).toEqual([
      '\t403',
      'nil\tproxy CONNECT failed (status 403)',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
      'nil\tblocked by policy (loopback address 127.0.0.1)',
    ]);
    expect(proxy.seen.map((r) => `${r.method} ${r.target}`)).toEqual(['GET http://public.example:80/', 'CONNECT public.example:443']);
  });

  test('--connect-to destinations are the operator\'s own and stay reachable', async () => {
    const lines = await luahttp(['--no-private', '--connect-to', `api.example:443:127.0.0.1:${site.port}`, '--connect-to', `api.example:80:127.0.0.1:${site.port}`], [
      get('http://api.example/'),
      `do local c = require("socket").tcp() c:settimeout(5) print(c:connect("api.example", 80)) c:close() end`,
    ].join('\n'));
    expect(lines).toEqual(['ok api.example\t200', '1.0']);
  });
});

describe('--allow and --deny', () => {
  const mapped = (host: string): string[] => ['--connect-to', `${host}:80:127.0.0.1:${site.port}`];

  test('an allow list admits its names and refuses the rest, for http and raw tcp alike', async () => {
    const lines = await luahttp(['--allow', 'api.example,*.cdn.example', ...mapped('api.example'), ...mapped('img.cdn.example'), ...mapped('other.example'), ...mapped('cdn.example')], [
      get('http://api.example/'),
      get('http://img.cdn.example/'),
      get('http://other.example/'),
      get('http://cdn.example/'),
      get('http://api.example/redirect?to=http%3A%2F%2Fother.example%2F'),
      `do local c = require("socket").tcp() c:settimeout(5) print(c:connect("other.example", 80)) end`,
      `do print(require("socket").dns.toip("other.example")) end`,
      `do print(require("socket").dns.getaddrinfo("elsewhere.example")) end`,
    ].join('\n'));
    expect(lines).toEqual([
      'ok api.example\t200',
      'ok img.cdn.example\t200',
      'nil\tblocked by policy (host other.example not in the allow list)',
      'nil\tblocked by policy (host cdn.example not in the allow list)',
      'nil\tblocked by policy (host other.example not in the allow list)',
      'nil\tblocked by policy (host other.example not in the allow list)',
      'nil\tblocked by policy (host other.example not in the allow list)',
      'nil\tblocked by policy (host elsewhere.example not in the allow list)',
    ]);
  });

  test('deny by name, by name and port, and by CIDR; an address entry admits a private block under --no-private', async () => {
    const lines = await luahttp(['--deny', 'evil.example', '--deny', `api.example:81,10.0.0.0/8`, '--allow', '*', ...mapped('evil.example'), ...mapped('api.example')], [
      get('http://evil.example/'),
      get('http://api.example/'),
      get('http://api.example:81/'),
      get('http://10.1.2.3/'),
      `do print(require("socket").dns.toip("evil.example")) end`,
    ].join('\n'));
    expect(lines).toEqual([
      'nil\tblocked by policy (host evil.example denied)',
      'ok api.example\t200',
      'nil\tblocked by policy (host api.example denied)',
      'nil\tblocked by policy (address 10.1.2.3 denied)',
      'nil\tblocked by policy (host evil.example denied)',
    ]);
    const admitted = await luahttp(['--no-private', '--allow', `127.0.0.1:${site.port}`], [get(`http://127.0.0.1:${site.port}/`), get(`http://127.0.0.1:${guard.port}/`)].join('\n'));
    expect(admitted).toEqual([`ok 127.0.0.1:${site.port}\t200`, `nil\tblocked by policy (host 127.0.0.1 not in the allow list)`]);
    expect(guard.connections).toBe(0);
  });

  test('a pattern that cannot be read fails at start with a usage error', async () => {
    const r = await runProcess(process.execPath, [BIN, '--allow', 'good.example,bad example:http', '-e', 'print(1)'], TIMEOUT_MS, { stdin: '' });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain("--allow: bad network pattern 'example:http'");
    expect(r.stdout.toString()).toBe('');
  });
});
