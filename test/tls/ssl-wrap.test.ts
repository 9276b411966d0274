// luahttp's own behaviour of LuaSec's ssl module and client certificates, where it deliberately
// differs from LuaSec 1.2 (verification on by default, host names checked, a failed handshake stays
// failed, ALPN mismatch is fatal) or where native LuaSec cannot run the same script (no CA store of
// its own). What LuaSec does instead is said in each test name; the shared behaviour is the
// differential corpus (test/tls/lua/ssl-wrap-*.lua).
import fs from 'node:fs';
import https from 'node:https';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import tlsMod from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LUAHTTP_NODE, runProcess, type RunResult } from '../oracle/lua-runner.js';
import { startTlsServers, type TlsServers } from '../servers/tls-server.js';

const RUN_MS = 30_000;
let tls: TlsServers;
let tmp: string;
/** https server that requires a client certificate signed by the test CA and answers with its CN. */
let mtls: https.Server;
let mtlsUrl: string;

beforeAll(async () => {
  tls = await startTlsServers();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-ssl-wrap-'));
  mtls = https.createServer({ ...tls.certs.leaf('localhost'), ca: fs.readFileSync(tls.certs.caFile), requestCert: true, rejectUnauthorized: true }, (req, res) => {
    const peer = (req.socket as tlsMod.TLSSocket).getPeerCertificate();
    res.end(`client ${peer.subject?.CN}\n`);
  });
  mtls.on('connection', (s: net.Socket) => s.setTimeout(20_000, () => s.destroy()));
  await new Promise<void>((r) => mtls.listen(0, '127.0.0.1', r));
  mtlsUrl = `https://localhost:${(mtls.address() as net.AddressInfo).port}`;
}, 60_000);
afterAll(async () => {
  mtls?.closeAllConnections();
  await Promise.all([tls?.close(), new Promise<void>((r) => (mtls ? mtls.close(() => r()) : r()))]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/** No proxy or extra CA from the machine running the tests. */
const CLEAN_ENV = {
  NODE_EXTRA_CA_CERTS: '',
  ...Object.fromEntries(['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy'].flatMap((n) => [[n, ''], [n.toUpperCase(), '']])),
};

function luahttp(code: string, opts: { flags?: string[]; env?: Record<string, string> } = {}): Promise<RunResult> {
  const script = path.join(tmp, `s${Math.random().toString(36).slice(2)}.lua`);
  fs.writeFileSync(script, code);
  const p = (u: string): string => new URL(u).port;
  return runProcess(LUAHTTP_NODE, ['bin/luahttp.js', ...(opts.flags ?? []), script,
    p(tls.goodUrl), p(tls.otherUrl), p(tls.expiredUrl), p(tls.plainUrl), tls.certs.caFile, tls.certs.dir], RUN_MS, { env: { ...CLEAN_ENV, ...opts.env } });
}

/** A Lua prelude: wrap(portarg, params [, sni]) → handshake results, the connection closed after. */
const PRELUDE = `
local good, other, expired, plain, cafile, dir = ...
local socket, ssl = require("socket"), require("ssl")
local function wrap(port, params, sni, timeout)
  local t = socket.tcp()
  t:settimeout(5)
  assert(t:connect("127.0.0.1", tonumber(port)))
  local c = assert(ssl.wrap(t, params))
  if sni then c:sni(sni) end
  c:settimeout(timeout or 5)
  return c
end
local function handshake(...)
  local c = wrap(...)
  local r = table.pack(c:dohandshake())
  c:close()
  return table.unpack(r, 1, r.n)
end
`;

describe('ssl.wrap: TLS policy', () => {
  test('a client verifies the peer by default (LuaSec: verify = "none" unless the context says "peer")', async () => {
    const r = await luahttp(`${PRELUDE}
      print(handshake(good, { mode = "client", protocol = "any" }, "localhost"))
      print(handshake(good, { mode = "client", protocol = "any", verify = "peer", cafile = cafile }, "localhost"))`);
    expect(r.stdout.toString(), r.stderr).toBe('false\tcertificate verify failed (unable to verify the first certificate)\ntrue\n');
  });
  test('verify = "none" turns it off; getpeerverification() then says why the chain is not trusted', async () => {
    const r = await luahttp(`${PRELUDE}
      local c = wrap(good, { mode = "client", protocol = "any", verify = "none" })
      print(c:dohandshake())
      print(c:getpeerverification())
      print(c:getpeercertificate():subject()[1].value)`);
    expect(r.stdout.toString(), r.stderr).toBe('true\nfalse\tunable to verify the first certificate\nlocalhost\n');
  });
  test('the host name is checked against sni(), else the connected host (LuaSec checks no names)', async () => {
    const r = await luahttp(`${PRELUDE}
      local P = { mode = "client", protocol = "any", verify = "peer", cafile = cafile }
      print(handshake(other, P))
      print(handshake(other, P, "localhost"))
      print(handshake(other, P, "other.example"))
      print(handshake(good, P))`);
    expect(r.stdout.toString(), r.stderr).toBe([
      'false\tcertificate verify failed (hostname mismatch)', 'false\tcertificate verify failed (hostname mismatch)', 'true', 'true', ''].join('\n'));
  });
  test('an expired certificate fails with the reason; a CA in NODE_EXTRA_CA_CERTS is trusted', async () => {
    const code = `${PRELUDE}
      print(handshake(expired, { mode = "client", protocol = "any" }, "localhost"))
      print(handshake(good, { mode = "client", protocol = "any" }, "localhost"))`;
    const r = await luahttp(code, { env: { NODE_EXTRA_CA_CERTS: tls.certs.caFile } });
    expect(r.stdout.toString(), r.stderr).toBe('false\tcertificate verify failed (certificate has expired)\ntrue\n');
  });
  test('--insecure turns default verification off; a context\'s own verify = "peer" still verifies', async () => {
    const r = await luahttp(`${PRELUDE}
      print(handshake(expired, { mode = "client", protocol = "any" }))
      print(handshake(expired, { mode = "client", protocol = "any", verify = "peer", cafile = cafile }))`, { flags: ['--insecure'] });
    expect(r.stdout.toString(), r.stderr).toBe('true\nfalse\tcertificate verify failed (certificate has expired)\n');
  });
  test('a missing cafile fails newcontext (LuaSec: "error loading CA locations ((null))")', async () => {
    const r = await luahttp(`${PRELUDE} print(ssl.newcontext { mode = "client", protocol = "any", cafile = "/nonexistent/ca.pem" })`);
    expect(r.stdout.toString(), r.stderr).toBe('nil\terror loading CA locations (No such file or directory)\n');
  });
});

describe('ssl.wrap: handshakes that cannot finish', () => {
  test('a silent server: each dohandshake() waits its timeout, then "wantread"; closing ends it', async () => {
    const silent = (await import('node:net')).createServer((s) => { s.on('error', () => {}); s.setTimeout(10_000, () => s.destroy()); });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    try {
      const r = await luahttp(`${PRELUDE}
        local c = wrap(${(silent.address() as net.AddressInfo).port}, { mode = "client", protocol = "any", verify = "none" }, nil, 0.3)
        local t0 = socket.gettime()
        print(c:dohandshake())
        print(c:dohandshake())
        print(c:want(), socket.gettime() - t0 >= 0.5)
        c:close()
        print(c:dohandshake())`);
      expect(r.stdout.toString(), r.stderr).toBe('false\twantread\nfalse\twantread\nread\ttrue\nfalse\tclosed\n');
    } finally {
      silent.close();
    }
  });
  test('a failed handshake stays failed (LuaSec 1.2 answers the second dohandshake() with true)', async () => {
    const r = await luahttp(`${PRELUDE}
      local c = wrap(plain, { mode = "client", protocol = "any", verify = "none" })
      print(c:dohandshake())
      print(c:dohandshake())
      print(c:send("x"))`);
    expect(r.stdout.toString(), r.stderr).toBe('false\twrong version number\nfalse\twrong version number\nnil\tclosed\t0.0\n');
  });
  test('ALPN without a common protocol fails the handshake (LuaSec: it completes without ALPN)', async () => {
    const r = await luahttp(`${PRELUDE}
      print(handshake(good, { mode = "client", protocol = "any", verify = "peer", cafile = cafile, alpn = { "h2" } }, "localhost"))
      print(handshake(good, { mode = "client", protocol = "any", verify = "peer", cafile = cafile, alpn = { "h2", "http/1.1" } }, "localhost"))`);
    expect(r.stdout.toString(), r.stderr).toBe('false\ttlsv1 alert no application protocol\ntrue\n');
  });
  test('server-side sni(names, true) refuses other names (LuaSec: "callback failed" / "tlsv1 unrecognized name")', async () => {
    const r = await luahttp(`${PRELUDE}
      local srv = assert(socket.bind("127.0.0.1", 0))
      local _, port = srv:getsockname()
      local cl = socket.tcp()
      cl:settimeout(5)
      assert(cl:connect("127.0.0.1", tonumber(port)))
      srv:settimeout(5)
      local sc = assert(srv:accept())
      local other = assert(ssl.newcontext { mode = "server", protocol = "any", certificate = dir .. "/other.pem", key = dir .. "/other.key" })
      local s = assert(ssl.wrap(sc, { mode = "server", protocol = "any", certificate = dir .. "/localhost.pem", key = dir .. "/localhost.key" }))
      s:sni({ ["other.example"] = other }, true)
      local c = assert(ssl.wrap(cl, { mode = "client", protocol = "any", verify = "peer", cafile = cafile }))
      c:sni("localhost")
      c:settimeout(0)
      print(c:dohandshake())
      s:settimeout(5)
      print(s:dohandshake())
      c:settimeout(5)
      print(c:dohandshake())`);
    expect(r.stdout.toString(), r.stderr).toBe('false\twantread\nfalse\tunrecognized name\nfalse\tunexpected eof while reading\n');
  });
  test('protocol = "tlsv1_2" and options = {"no_tlsv1_3"} pin TLS 1.2', async () => {
    const r = await luahttp(`${PRELUDE}
      for _, p in ipairs { { protocol = "tlsv1_2" }, { protocol = "any", options = { "all", "no_tlsv1_3" } }, { protocol = "any" } } do
        local c = wrap(good, { mode = "client", protocol = p.protocol, options = p.options, verify = "peer", cafile = cafile }, "localhost")
        assert(c:dohandshake())
        print(c:info("protocol"))
        c:close()
      end`);
    expect(r.stdout.toString(), r.stderr).toBe('TLSv1.2\nTLSv1.2\nTLSv1.3\n');
  });
});

describe('ssl.https client certificates (certificate, key, password)', () => {
  const request = (extra: string): string => `
    local cafile, dir = select(5, ...)
    local t = {}
    local r, c = require("ssl.https").request { url = ${JSON.stringify(`${'MTLS'}/`)}, sink = require("ltn12").sink.table(t), cafile = cafile ${extra} }
    print(r, c, table.concat(t))`;
  const run = (extra: string): Promise<RunResult> => luahttp(request(extra).replace('MTLS', mtlsUrl));
  test('a client certificate and key from PEM files', async () => {
    const r = await run(', certificate = dir .. "/client.pem", key = dir .. "/client.key"');
    expect(r.stdout.toString(), r.stderr).toBe('1\t200\tclient client\n\n');
  });
  test('an encrypted key with its password, as a string or a function', async () => {
    const r1 = await run(', certificate = dir .. "/client.pem", key = dir .. "/client-enc.key", password = "s3cret"');
    expect(r1.stdout.toString(), r1.stderr).toBe('1\t200\tclient client\n\n');
    const r2 = await run(', certificate = dir .. "/client.pem", key = dir .. "/client-enc.key", password = function() return "s3cret" end');
    expect(r2.stdout.toString(), r2.stderr).toBe('1\t200\tclient client\n\n');
  });
  test('without one the server refuses: nil, msg, no hang; a missing file is a LuaSec-shaped error', async () => {
    const r = await run('');
    expect(r.stdout.toString(), r.stderr).toMatch(/^nil\t(tlsv13 alert certificate required|closed)\t\n$/);
    const r2 = await run(', certificate = dir .. "/nope.pem", key = dir .. "/client.key"');
    expect(r2.stdout.toString(), r2.stderr).toBe('nil\terror loading certificate (No such file or directory)\t\n');
  });
});
