// Issue 10 §4: a server may close an idle kept-alive connection at any moment; a request sent on it
// just then gets nothing back. LuaSocket opens a connection per request and never sees this; luahttp
// pools connections, so it must not cost the script a request: a request that can be sent again (no
// body, or a body luahttp holds whole) is retried on another connection; one whose body streams is
// never put on a pooled connection.
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { luahttpRunArgs } from '../oracle/lua-runner.js';
import { makeTestCerts, type TestCerts } from '../servers/tls-certs.js';

interface StaleServer {
  server: http.Server;
  base: string;
  /** Requests that arrived on a connection which had carried an earlier one. */
  onReused: number;
  requests: number;
}

/**
 * A server whose connections expire `ms` after their first response: a timer closes the connection
 * then, and a request that arrives on it later is not answered (the connection is closed) — the
 * crossing of a server's idle close and a client's request, which a timer alone makes rare, every
 * time it happens. `timer: false` leaves only the latter.
 */
async function staleServer(ms: number, timer = true, tls?: TestCerts): Promise<StaleServer> {
  const expiry = new WeakMap<Socket, number>();
  const used = new WeakSet<Socket>();
  const server = tls ? https.createServer(tls.leaf('localhost')) : http.createServer();
  const s: StaleServer = { server, base: '', onReused: 0, requests: 0 };
  s.server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const socket = req.socket;
    if (Date.now() >= (expiry.get(socket) ?? Infinity)) { socket.destroy(); return; }
    s.requests++;
    if (used.has(socket)) s.onReused++;
    used.add(socket);
    let n = 0;
    req.on('data', (d: Buffer) => { n += d.length; });
    req.on('end', () => {
      res.end(`got ${n}`);
      if (!expiry.has(socket)) {
        expiry.set(socket, Date.now() + ms);
        if (timer) setTimeout(() => socket.destroy(), ms).unref();
      }
    });
  });
  await new Promise<void>((r) => s.server.listen(0, '127.0.0.1', r));
  s.base = `${tls ? 'https://localhost' : 'http://127.0.0.1'}:${(s.server.address() as AddressInfo).port}`;
  return s;
}

let servers: StaleServer[] = [];
let tlsServers: StaleServer[] = [];
let certs: TestCerts;

beforeAll(async () => {
  certs = makeTestCerts();
  servers = await Promise.all([staleServer(1), staleServer(5), staleServer(100), staleServer(5, false)]);
  tlsServers = await Promise.all([staleServer(5, true, certs), staleServer(20, false, certs)]);
});

afterAll(async () => {
  certs.remove();
  for (const s of [...servers, ...tlsServers]) {
    s.server.closeAllConnections();
    await new Promise((r) => s.server.close(r));
  }
});

test('5,000 sequential requests to servers closing each connection 1, 5 or 100 ms after a response: none fails', async () => {
  const r = await luahttpRunArgs('test/lua/unit/keepalive-stale.lua', ['mixed', '5000', ...servers.map((s) => s.base)], 120_000);
  expect(r.timedOut, r.stderr).toBe(false);
  expect(r.stdout.toString(), r.stderr.slice(0, 2000)).toBe('failures\t0\trequests\t5000\n');
  // The servers did close connections under requests that went out on them (else this proves nothing).
  expect(servers.reduce((n, s) => n + s.onReused, 0)).toBeGreaterThan(0);
}, 130_000);

test('a request whose body streams (more than luahttp gathers before sending) goes on a new connection', async () => {
  const s = servers[2]!; // 100 ms: its connections stay open across the uploads below
  const before = { requests: s.requests, onReused: s.onReused };
  const r = await luahttpRunArgs('test/lua/unit/keepalive-stale.lua', ['fresh-only', '20', s.base], 60_000);
  expect(r.stdout.toString(), r.stderr.slice(0, 2000)).toBe('failures\t0\trequests\t20\n');
  expect(s.requests - before.requests).toBe(20);
  expect(s.onReused - before.onReused).toBe(0);
}, 70_000);

test('ssl.https.request: 400 sequential requests to https servers that close connections soon after a response: none fails', async () => {
  const r = await luahttpRunArgs('test/lua/unit/keepalive-stale.lua', ['https', '400', certs.caFile, ...tlsServers.map((s) => s.base)], 60_000);
  expect(r.stdout.toString(), r.stderr.slice(0, 2000)).toBe('failures\t0\trequests\t400\n');
  expect(tlsServers.reduce((n, s) => n + s.onReused, 0)).toBeGreaterThan(0);
}, 70_000);
