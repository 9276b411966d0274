// TLS, ssl.https, proxies, deadlines, compression and tracing against loopback servers started here.
// Two kinds of test:
// - differential: test/tls/lua/*.lua run under luahttp must print what native lua5.4 + LuaSocket 3.1.0
//   + LuaSec 1.2.0 printed (test/tls/lua/*.golden). The scripts trust the test CA explicitly
//   (verify = "peer" + cafile) or, for LuaSec's unverified defaults, luahttp gets the CA through
//   NODE_EXTRA_CA_CERTS. Re-record: LUAHTTP_RECORD_TLS=1 npx vitest run test/tls
// - luahttp-only behaviour (verification by default, CONNECT, *_proxy, --timeout, …) asserted directly.
import crypto from 'node:crypto';
import fs from 'node:fs';
import http2 from 'node:http2';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { normalizeOutput } from '../oracle/normalize.js';
import { LUAHTTP_NODE, REPO_ROOT, decodeGolden, encodeGolden, exitLabel, listScripts, runProcess, showBytes, type RunResult } from '../oracle/lua-runner.js';
import { startTlsServers, type TlsServers } from '../servers/tls-server.js';
import { startProxyServer, type ProxyServer } from '../servers/proxy-server.js';

const LUA_DIR = path.join(REPO_ROOT, 'test/tls/lua');
const RECORD = process.env.LUAHTTP_RECORD_TLS === '1';
const RUN_MS = 30_000;

let tls: TlsServers;
let proxy: ProxyServer;
let tmp: string;

beforeAll(async () => {
  tls = await startTlsServers();
  proxy = await startProxyServer();
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-tls-scripts-'));
}, 60_000);
afterAll(async () => {
  await Promise.all([tls?.close(), proxy?.close()]);
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * The test certificates are made afresh for every run, so what a script prints about them (digests,
 * validity dates, the CA's random serial) becomes a <token>; values computed here with node:crypto,
 * independently of luahttp's ssl module. A wrong value printed by either side is not replaced and
 * fails the comparison. Leaf values first: a leaf's date may equal the CA's to the second.
 */
function certTokens(stdout: Buffer): Buffer {
  let text = stdout.toString('latin1');
  const pems: [string, string][] = [
    ...(['localhost', 'other', 'expired', 'client'] as const).map((n): [string, string] => [n, tls.certs.leaf(n).cert.toString('latin1')]),
    ['ca', fs.readFileSync(tls.certs.caFile, 'latin1')],
  ];
  for (const [name, pem] of pems) {
    const x = new crypto.X509Certificate(pem);
    const pairs: [string, string][] = [
      [x.validFrom, 'notbefore'], [x.validTo, 'notafter'], [x.serialNumber, 'serial'],
      ...(['sha1', 'sha256', 'sha512'] as const).map((a): [string, string] => [crypto.createHash(a).update(x.raw).digest('hex'), a]),
    ];
    for (const [value, what] of pairs) {
      if (name !== 'ca' && what === 'serial') continue; // leaves have fixed serials (1000, 1001, …)
      text = text.split(value).join(`<${name}-${what}>`);
    }
  }
  return Buffer.from(text, 'latin1');
}

function scriptArgs(): string[] {
  return [tls.goodUrl, tls.otherUrl, tls.expiredUrl, tls.plainUrl, tls.closeUrl, tls.httpUrl, tls.certs.caFile, tls.certs.caPath, proxy.url, tls.noNotifyUrl];
}

/** A clean proxy environment, so the machine's *_proxy settings never reach a test. */
const NO_PROXY_ENV = Object.fromEntries(['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy'].flatMap((n) => [[n, ''], [n.toUpperCase(), '']]));

function luahttp(scriptOrCode: string, opts: { flags?: string[]; env?: Record<string, string>; args?: string[] } = {}): Promise<RunResult> {
  let script = scriptOrCode;
  if (!scriptOrCode.endsWith('.lua')) {
    script = path.join(tmp, `s${Math.random().toString(36).slice(2)}.lua`);
    fs.writeFileSync(script, scriptOrCode);
  }
  return runProcess(LUAHTTP_NODE, ['bin/luahttp.js', ...(opts.flags ?? []), script, ...(opts.args ?? scriptArgs())], RUN_MS,
    { env: { ...NO_PROXY_ENV, ...opts.env } });
}

describe('differential against LuaSec (loopback TLS)', () => {
  const scripts = listScripts(LUA_DIR);
  test.each(scripts)('%s', async (script) => {
    const golden = script.replace(/\.lua$/, '.golden');
    if (RECORD) {
      const r = await runProcess('lua5.4', [script, ...scriptArgs()], RUN_MS, { env: NO_PROXY_ENV });
      expect(r.exitCode, r.stderr).toBe(0);
      fs.writeFileSync(path.join(REPO_ROOT, golden), encodeGolden(exitLabel(r), certTokens(normalizeOutput(r.stdout))));
      return;
    }
    const want = decodeGolden(fs.readFileSync(path.join(REPO_ROOT, golden)));
    const r = await luahttp(script, { env: { NODE_EXTRA_CA_CERTS: tls.certs.caFile } });
    expect({ exit: exitLabel(r), stdout: showBytes(certTokens(normalizeOutput(r.stdout))) }, r.stderr)
      .toEqual({ exit: want.exit, stdout: showBytes(want.stdout) });
  }, RUN_MS + 5_000);
});

describe('LuaSec scripts run inside a luahttp task still match LuaSec (their waits yield there)', () => {
  const scripts = listScripts(LUA_DIR).filter((s) => /\/ssl-[^/]*\.lua$/.test(s));
  test.each(scripts)('%s', async (script) => {
    const want = decodeGolden(fs.readFileSync(path.join(REPO_ROOT, script.replace(/\.lua$/, '.golden'))));
    const r = await luahttp('test/lua/socket-tasks/in-a-task.lua', { args: [script, ...scriptArgs()], env: { NODE_EXTRA_CA_CERTS: tls.certs.caFile } });
    expect({ exit: exitLabel(r), stdout: showBytes(certTokens(normalizeOutput(r.stdout))) }, r.stderr)
      .toEqual({ exit: want.exit, stdout: showBytes(want.stdout) });
  }, RUN_MS + 5_000);
});

const GET = (u: string, extra = ''): string => `
local http = require("socket.http")
local ltn12 = require("ltn12")
local t = {}
local r, c, h, s = http.request { url = ${JSON.stringify(u)}, sink = ltn12.sink.table(t) ${extra} }
print(r, c, s)
print(table.concat(t):match("^[^\\n]*"))
`;

describe('TLS verification', () => {
  test('verifies the peer by default: self-signed CA is refused with a LuaSec-shaped message', async () => {
    const r = await luahttp(`
      local https = require("ssl.https")
      print(select("#", https.request(${JSON.stringify(tls.goodUrl)} .. "/echo")), https.request(${JSON.stringify(tls.goodUrl)} .. "/echo"))
      print(require("socket.http").request(${JSON.stringify(tls.goodUrl)} .. "/echo"))`);
    expect(r.stdout.toString()).toBe(
      '4\tnil\tcertificate verify failed (unable to verify the first certificate)\tnil\tnil\n'
      + 'nil\tcertificate verify failed (unable to verify the first certificate)\n');
  });
  test('verify = "none" in the request table turns verification off', async () => {
    const r = await luahttp(GET(`${tls.goodUrl}/echo?v=none`, ', verify = "none"'));
    expect(r.stdout.toString()).toBe('1\t200\tHTTP/1.1 200 OK\nGET /echo?v=none\n');
  });
  test('--insecure turns verification off, an explicit verify = "peer" still verifies', async () => {
    const r = await luahttp(`${GET(`${tls.expiredUrl}/echo`)}${GET(`${tls.expiredUrl}/echo`, ', verify = "peer"')}`, { flags: ['--insecure'] });
    expect(r.stdout.toString()).toBe('1\t200\tHTTP/1.1 200 OK\nGET /echo\nnil\tcertificate verify failed (certificate has expired)\tnil\n\n');
  });
  test('cafile and capath add the test CA', async () => {
    const r = await luahttp(`${GET(`${tls.goodUrl}/echo?ca=file`, `, cafile = ${JSON.stringify(tls.certs.caFile)}`)}${GET(`${tls.goodUrl}/echo?ca=path`, `, capath = ${JSON.stringify(tls.certs.caPath)}`)}`);
    expect(r.stdout.toString()).toBe('1\t200\tHTTP/1.1 200 OK\nGET /echo?ca=file\n1\t200\tHTTP/1.1 200 OK\nGET /echo?ca=path\n');
  });
  test('a leaf for another name fails the host name check (LuaSec checks no names)', async () => {
    const r = await luahttp(GET(`${tls.otherUrl}/echo`, `, cafile = ${JSON.stringify(tls.certs.caFile)}`));
    expect(r.stdout.toString()).toBe('nil\tcertificate verify failed (hostname mismatch)\tnil\n\n');
  });
  test('an expired leaf fails', async () => {
    const r = await luahttp(GET(`${tls.expiredUrl}/echo`, `, cafile = ${JSON.stringify(tls.certs.caFile)}`));
    expect(r.stdout.toString()).toBe('nil\tcertificate verify failed (certificate has expired)\tnil\n\n');
  });
  test('a missing cafile fails as LuaSec does', async () => {
    const r = await luahttp(GET(`${tls.goodUrl}/echo`, ', cafile = "/nonexistent/ca.pem"'));
    expect(r.stdout.toString()).toBe('nil\terror loading CA locations (No such file or directory)\tnil\n\n');
  });
  test('handshake with a plain-HTTP server and a server that closes: nil, msg, no hang', async () => {
    const r = await luahttp(`${GET(`${tls.plainUrl}/echo`)}${GET(`${tls.closeUrl}/echo`)}`);
    expect(r.stdout.toString()).toBe('nil\twrong version number\tnil\n\nnil\tunexpected eof while reading\tnil\n\n');
  });
});

describe('redirects across schemes', () => {
  test('a relative Location on https is followed (fixed after LuaSocket 3.1.0)', async () => {
    const r = await luahttp(GET(`${tls.goodUrl}/redirect-rel`, `, cafile = ${JSON.stringify(tls.certs.caFile)}`));
    expect(r.stdout.toString()).toBe('1\t200\tHTTP/1.1 200 OK\nGET /echo?from=rel\n');
  });
  test('308 on https is followed; the TLS fields go with the redirect', async () => {
    const to = encodeURIComponent(`${tls.goodUrl}/echo?from=308`);
    const r = await luahttp(GET(`${tls.goodUrl}/redirect-https?code=308&to=${to}`, `, cafile = ${JSON.stringify(tls.certs.caFile)}`));
    expect(r.stdout.toString()).toBe('1\t200\tHTTP/1.1 200 OK\nGET /echo?from=308\n');
  });
});

describe('proxies', () => {
  test('https through reqt.proxy uses CONNECT; Proxy-Authorization goes to the proxy only', async () => {
    const before = proxy.seen.length;
    const auth = proxy.url.replace('http://', 'http://user:pa%3Ass@');
    const r = await luahttp(GET(`${tls.goodUrl}/echo?tunnel=1`, `, cafile = ${JSON.stringify(tls.certs.caFile)}, proxy = ${JSON.stringify(auth)}`));
    expect(r.stdout.toString(), r.stderr).toBe('1\t200\tHTTP/1.1 200 OK\nGET /echo?tunnel=1\n');
    const seen = proxy.seen.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('CONNECT');
    expect(seen[0]!.target).toBe(`localhost:${new URL(tls.goodUrl).port}`);
    expect(seen[0]!.proxyAuthorization).toBe(`Basic ${Buffer.from('user:pa:ss').toString('base64')}`);
  });
  test('ssl.https accepts a proxy (LuaSec refuses: "proxy not supported")', async () => {
    const r = await luahttp(`print(require("ssl.https").request { url = ${JSON.stringify(`${tls.goodUrl}/echo`)}, cafile = ${JSON.stringify(tls.certs.caFile)}, proxy = ${JSON.stringify(proxy.url)} })`);
    expect(r.stdout.toString()).toMatch(/^1\t200\ttable: 0x[0-9a-f]+\tHTTP\/1.1 200 OK\n$/);
  });
  test('https_proxy from the environment tunnels; no_proxy bypasses it', async () => {
    const before = proxy.seen.length;
    const code = GET(`${tls.goodUrl}/echo?env=1`, `, cafile = ${JSON.stringify(tls.certs.caFile)}`);
    const r = await luahttp(code, { env: { HTTPS_PROXY: proxy.url } });
    expect(r.stdout.toString(), r.stderr).toBe('1\t200\tHTTP/1.1 200 OK\nGET /echo?env=1\n');
    expect(proxy.seen.slice(before).map((s) => s.method)).toEqual(['CONNECT']);
    const r2 = await luahttp(code, { env: { https_proxy: proxy.url, no_proxy: 'example.com,localhost' } });
    expect(r2.stdout.toString()).toBe('1\t200\tHTTP/1.1 200 OK\nGET /echo?env=1\n');
    expect(proxy.seen.length).toBe(before + 1);
  });
  test('http_proxy from the environment: absolute-form request line; --noproxy bypasses, --proxy "" disables', async () => {
    const before = proxy.seen.length;
    const code = `local b, c, h = require("socket.http").request(${JSON.stringify(`${tls.httpUrl}/echo?env=http`)}) print(c, h["x-proxy-saw"], b:match("^[^\\n]*"))`;
    const r = await luahttp(code, { env: { http_proxy: proxy.url } });
    expect(r.stdout.toString(), r.stderr).toBe(`200\tGET ${tls.httpUrl}/echo?env=http auth=none\tGET /echo?env=http\n`);
    const r2 = await luahttp(code, { env: { http_proxy: proxy.url }, flags: ['--noproxy', '127.0.0.1'] });
    expect(r2.stdout.toString()).toBe('200\tnil\tGET /echo?env=http\n');
    const r3 = await luahttp(code, { env: { ALL_PROXY: proxy.url }, flags: ['--proxy', ''] });
    expect(r3.stdout.toString()).toBe('200\tnil\tGET /echo?env=http\n');
    const r4 = await luahttp(code, { flags: ['--proxy', proxy.url] });
    expect(r4.stdout.toString()).toBe(`200\tGET ${tls.httpUrl}/echo?env=http auth=none\tGET /echo?env=http\n`);
    expect(proxy.seen.length).toBe(before + 2);
  });
  test('a proxy refusing CONNECT and a proxy answering garbage: nil, msg, no hang', async () => {
    const refuse = await startProxyServer('refuse');
    const garbage = await startProxyServer('garbage');
    try {
      const r = await luahttp(`${GET(`${tls.goodUrl}/echo`, `, cafile = ${JSON.stringify(tls.certs.caFile)}, proxy = ${JSON.stringify(refuse.url)}`)}${GET(`${tls.goodUrl}/echo`, `, cafile = ${JSON.stringify(tls.certs.caFile)}, proxy = ${JSON.stringify(garbage.url)}`)}`);
      const lines = r.stdout.toString().split('\n');
      expect(lines[0]).toBe('nil\tproxy CONNECT failed (status 403)\tnil');
      expect(lines[2]).toMatch(/^nil\t.+\tnil$/);
    } finally {
      await Promise.all([refuse.close(), garbage.close()]);
    }
  });
});

describe('timeouts', () => {
  test('reqt.timeout ends a slowloris response at its deadline', async () => {
    const started = Date.now();
    const r = await luahttp(`
      local socket = require("socket")
      local t0 = socket.gettime()
      local r, e = require("socket.http").request { url = ${JSON.stringify(`${tls.httpUrl}/slow`)}, timeout = 1.5, sink = require("ltn12").sink.table({}) }
      print(r, e, socket.gettime() - t0 < 4)`);
    expect(r.stdout.toString(), r.stderr).toBe('nil\ttimeout\ttrue\n');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
  test('--timeout ends the script with a message and exit code 1', async () => {
    const r = await luahttp(`print("start") io.stdout:flush() require("socket.http").request(${JSON.stringify(`${tls.httpUrl}/slow`)}) print("not reached")`, { flags: ['--timeout', '1.5'] });
    expect(r.stdout.toString()).toBe('start\n');
    expect(r.stderr).toContain('luahttp: timeout (the script ran longer than --timeout 1.5 s)');
    expect(r.exitCode).toBe(1);
  });
});

describe('compression, trace, HTTP/2', () => {
  const body = 'hello '.repeat(100);
  test('reqt.compressed sends Accept-Encoding and decodes gzip, br, deflate (zlib and raw)', async () => {
    const r = await luahttp(['gzip', 'br', 'deflate', 'deflate-raw'].map((c) => `
      do local b, code, h = require("socket.http").request { url = ${JSON.stringify(`${tls.httpUrl}/${c}`)}, compressed = true, sink = require("ltn12").sink.table({}) }
      local t = {} b, code, h = require("socket.http").request { url = ${JSON.stringify(`${tls.httpUrl}/${c}`)}, compressed = true, sink = require("ltn12").sink.table(t) }
      print(${JSON.stringify(c)}, code, #table.concat(t), table.concat(t) == string.rep("hello ", 100), h["content-encoding"], h["x-accept-encoding"]) end`).join('\n'));
    expect(r.stdout.toString(), r.stderr).toBe(['gzip', 'br', 'deflate', 'deflate-raw']
      .map((c) => `${c}\t200\t${body.length}\ttrue\tnil\tgzip, deflate, br\n`).join(''));
  });
  test('without it the body stays encoded (LuaSocket); --compressed turns it on for every request', async () => {
    const code = `local b, c, h = require("socket.http").request(${JSON.stringify(`${tls.httpUrl}/gzip`)}) print(#b < 100, h["content-encoding"], b == string.rep("hello ", 100))`;
    expect((await luahttp(code)).stdout.toString()).toBe('true\tgzip\tfalse\n');
    expect((await luahttp(code, { flags: ['--compressed'] })).stdout.toString()).toBe('false\tnil\ttrue\n');
  });
  test('--trace prints heads, connects and reuse to stderr and leaves stdout alone', async () => {
    // The pause lets undici mark the connection idle (a request sent in the same tick as the previous
    // response's end gets a new connection: undici's pool sees the old one still busy).
    const code = `local http = require("socket.http") print((http.request(${JSON.stringify(`${tls.httpUrl}/echo?a=1`)}))) print((http.request(${JSON.stringify(`${tls.httpUrl}/echo?a=2`)}))) require("socket").sleep(0.05) print((http.request(${JSON.stringify(`${tls.httpUrl}/echo?a=3`)})))`;
    const plain = await luahttp(code);
    const traced = await luahttp(code, { flags: ['--trace'] });
    expect(traced.stdout.toString()).toBe(plain.stdout.toString());
    expect(traced.stderr).toMatch(/\* Connected to 127\.0\.0\.1 \(127\.0\.0\.1\) port \d+/);
    expect(traced.stderr).toContain('> GET /echo?a=1 HTTP/1.1');
    expect(traced.stderr).toContain('> User-Agent: LuaSocket 3.0.0');
    expect(traced.stderr).toContain('< HTTP/1.1 200 OK');
    expect(traced.stderr).toContain('* Re-using existing connection');
    expect(traced.stderr).toMatch(/\* head after \d+ ms/);
  });
  test('--http2 negotiates h2 over TLS (ALPN); without it the same server speaks HTTP/1.1', async () => {
    const server = http2.createSecureServer({ ...tls.certs.leaf('localhost'), allowHTTP1: true }, (q, r) => r.end(`proto ${q.httpVersion}\n`));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const port = (server.address() as net.AddressInfo).port;
      const code = GET(`https://localhost:${port}/`, `, cafile = ${JSON.stringify(tls.certs.caFile)}`);
      // Over h2 there is no reason phrase: the status line is "HTTP/1.1 200".
      expect((await luahttp(code, { flags: ['--http2'] })).stdout.toString()).toBe('1\t200\tHTTP/1.1 200\nproto 2.0\n');
      expect((await luahttp(code)).stdout.toString()).toBe('1\t200\tHTTP/1.1 200 OK\nproto 1.1\n');
    } finally {
      server.close();
    }
  });
});
