// The library's network policy (createRuntime({ network })): hostile scripts against the default, which
// blocks private addresses, and against allow/deny/schemes. Every refusal is LuaSocket's `nil, msg`
// and sends nothing: a guard server counts the TCP connections and UDP datagrams that reach it.
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { createRuntime } from './library.js';
import type { Runtime } from '../../src/index.js';

let guard: net.Server;
const open = new Set<net.Socket>();
let guardPort = 0;
let connections = 0;
let udp: dgram.Socket;
let udpPort = 0;
let datagrams = 0;
let site: http.Server;
let sitePort = 0;

beforeAll(async () => {
  guard = net.createServer((c) => { connections++; open.add(c); c.on('close', () => open.delete(c)); c.on('error', () => {}); c.end('HTTP/1.1 200 OK\r\nContent-Length: 5\r\nConnection: close\r\n\r\nguard'); });
  udp = dgram.createSocket('udp4').on('message', () => { datagrams++; });
  site = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    if (u.pathname === '/redirect') res.writeHead(302, { Location: u.searchParams.get('to') ?? '/' }).end();
    else res.end(`ok ${req.headers.host}`);
  });
  await Promise.all([
    new Promise<void>((r) => guard.listen(0, '127.0.0.1', r)),
    new Promise<void>((r) => udp.bind(0, '127.0.0.1', r)),
    new Promise<void>((r) => site.listen(0, '127.0.0.1', r)),
  ]);
  guardPort = (guard.address() as AddressInfo).port;
  udpPort = udp.address().port;
  sitePort = (site.address() as AddressInfo).port;
});
afterAll(async () => {
  udp.close();
  site.closeAllConnections();
  for (const c of open) c.destroy();
  await Promise.all([new Promise((r) => guard.close(r)), new Promise((r) => site.close(r))]);
});
beforeEach(() => { connections = 0; datagrams = 0; });

/** A script that returns one `tostring(a) .. " " .. tostring(b)` line per attempt. */
const attempts = (...lines: string[]): string => `
  local socket, http = require("socket"), require("socket.http")
  local out = {}
  local function show(a, b) out[#out + 1] = tostring(a) .. " " .. tostring(b) end
  ${lines.join('\n  ')}
  return table.concat(out, "\\n")`;

describe('the library default (no private networks)', () => {
  let rt: Runtime;
  beforeAll(async () => {
    // public.example is reached through the app's own mapping; everything else is the script's doing.
    rt = await createRuntime({ network: { connectTo: [`public.example:80:127.0.0.1:${sitePort}`] } });
  });
  afterAll(async () => { await rt.close(); });

  test('every spelling of a loopback or metadata address, by literal, name or redirect', async () => {
    const [text] = await rt.run(attempts(
      'show(http.request("http://127.0.0.1:" .. ... .. "/"))',
      'show(http.request("http://a.com@127.0.0.1:" .. ... .. "/"))',
      'show(http.request("http://0x7f000001:" .. ... .. "/"))',
      'show(http.request("http://[::ffff:127.0.0.1]:" .. ... .. "/"))',
      'show(http.request("http://169.254.169.254/latest/meta-data/"))',
      'show(http.request("https://127.0.0.1:" .. ... .. "/"))',
      'show(http.request("http://public.example/"))',
      'show(http.request("http://public.example/redirect?to=http%3A%2F%2F127.0.0.1%3A" .. ... .. "%2F"))',
    ), { args: [guardPort] }) as [string];
    expect(text.split('\n')).toEqual([
      'nil blocked by policy (loopback address 127.0.0.1)',
      'nil blocked by policy (loopback address 127.0.0.1)',
      'nil blocked by policy (loopback address 127.0.0.1)',
      'nil blocked by policy (IPv4-mapped address ::ffff:127.0.0.1)',
      'nil blocked by policy (link-local address 169.254.169.254)',
      'nil blocked by policy (loopback address 127.0.0.1)',
      'ok public.example 200',
      'nil blocked by policy (loopback address 127.0.0.1)',
    ]);
    expect(connections).toBe(0);
  });

  test('raw tcp, udp and ssl.wrap', async () => {
    const [text] = await rt.run(attempts(
      'do local c = socket.tcp() c:settimeout(5) show(c:connect("127.0.0.1", (...))) end',
      'do local c = socket.tcp() c:settimeout(5) show(c:connect("localhost", (...))) end',
      'do local u = socket.udp() show(u:sendto("x", "127.0.0.1", select(2, ...))) end',
      'do local u = socket.udp() show(u:setpeername("127.0.0.1", select(2, ...))) end',
      `do local c = socket.tcp() c:settimeout(5) c:connect("127.0.0.1", (...))
        local s = require("ssl").wrap(c, { mode = "client", protocol = "any" }) show(s:dohandshake()) end`,
    ), { args: [guardPort, udpPort] }) as [string];
    const lines = text.split('\n');
    expect(lines[0]).toBe('nil blocked by policy (loopback address 127.0.0.1)');
    expect(lines[1]).toMatch(/^nil blocked by policy \(loopback address (127\.0\.0\.1|::1)\)$/);
    expect(lines.slice(2)).toEqual(['nil blocked by policy (loopback address 127.0.0.1)', 'nil blocked by policy (loopback address 127.0.0.1)', 'false closed']);
    expect(connections).toBe(0);
    expect(datagrams).toBe(0);
  });
});

describe('allow, deny and schemes', () => {
  test('an allow list with an address entry; a denied name does not even resolve', async () => {
    const rt = await createRuntime({ network: { allow: [`127.0.0.1:${sitePort}`, '*.example.com'], deny: ['secret.example.com'] } });
    try {
      const [text] = await rt.run(attempts(
        'show(http.request("http://127.0.0.1:" .. ... .. "/"))',
        'show(http.request("http://127.0.0.1:" .. select(2, ...) .. "/"))',
        'show(socket.dns.toip("secret.example.com"))',
      ), { args: [sitePort, guardPort] }) as [string];
      expect(text.split('\n')).toEqual([
        `ok 127.0.0.1:${sitePort} 200`,
        'nil blocked by policy (host 127.0.0.1 not in the allow list)',
        'nil blocked by policy (host secret.example.com denied)',
      ]);
      expect(connections).toBe(0);
    } finally {
      await rt.close();
    }
  });

  test('schemes: https only refuses http, raw tcp and udp', async () => {
    const rt = await createRuntime({ network: { schemes: ['https'], privateNetworks: true } });
    try {
      const [text] = await rt.run(attempts(
        'show(http.request("http://127.0.0.1:" .. ... .. "/"))',
        'do local c = socket.tcp() c:settimeout(5) show(c:connect("127.0.0.1", (...))) end',
        'do local u = socket.udp() show(u:sendto("x", "127.0.0.1", select(2, ...))) end',
        `show(require("socket.smtp").send { from = "<a@example.com>", rcpt = "<b@example.com>", server = "127.0.0.1", port = (...) })`,
      ), { args: [guardPort, udpPort] }) as [string];
      expect(text.split('\n')).toEqual([
        'nil blocked by policy (scheme http not allowed)',
        'nil blocked by policy (scheme tcp not allowed)',
        'nil blocked by policy (scheme udp not allowed)',
        'nil blocked by policy (scheme tcp not allowed)',
      ]);
      expect(connections).toBe(0);
      expect(datagrams).toBe(0);
    } finally {
      await rt.close();
    }
  });

  test('privateNetworks: true reaches loopback; a bad pattern fails createRuntime', async () => {
    const rt = await createRuntime({ network: { privateNetworks: true } });
    try {
      expect(await rt.run('return require("socket.http").request("http://127.0.0.1:" .. ... .. "/")', { args: [guardPort] })).toEqual(['guard', 200, expect.anything(), 'HTTP/1.1 200 OK']);
      expect(connections).toBe(1);
    } finally {
      await rt.close();
    }
    await expect(createRuntime({ network: { deny: ['not a host'] } })).rejects.toThrow("bad network pattern 'not a host'");
  });
});
