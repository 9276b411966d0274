// The operating system's CA store is trusted too (src/io/transport/ca-store.ts), as curl trusts it:
// a company CA that is only in the system store verifies, for socket.http and ssl.wrap alike, and
// --no-system-ca goes back to Node's bundled store. The test CA stands in for the system store through
// SSL_CERT_FILE (OpenSSL's variable, which Node's system store honours). Needs a Node that reads the
// system store (>= 22.15 / 23.8); CI runs the suite on Node 24 too.
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runProcess } from '../oracle/lua-runner.js';
import { startTlsServers, type TlsServers } from '../servers/tls-server.js';

const HAS_SYSTEM_STORE = (() => {
  try {
    return typeof (tls as { getCACertificates?: unknown }).getCACertificates === 'function'
      && (tls as unknown as { getCACertificates: (w: string) => string[] }).getCACertificates('system').length >= 0;
  } catch {
    return false;
  }
})();

let servers: TlsServers;
beforeAll(async () => { servers = await startTlsServers(); }, 60_000);
afterAll(() => servers?.close());

const SCRIPT = `
local port = ...
local http, socket, ssl = require("socket.http"), require("socket"), require("ssl")
local body, code = http.request("https://localhost:" .. port .. "/echo")
print("http", code, body and body:match("^GET [^\\n]*"))
local t = socket.tcp()
t:settimeout(5)
assert(t:connect("127.0.0.1", tonumber(port)))
local s = assert(ssl.wrap(t, { mode = "client", protocol = "any" }))
s:sni("localhost")
print("wrap", s:dohandshake())
`;

async function run(flags: string[]): Promise<string> {
  const port = new URL(servers.goodUrl).port;
  const r = await runProcess(process.execPath, ['bin/luahttp.js', ...flags, '-e', SCRIPT.replace('local port = ...', `local port = "${port}"`)], 30_000, {
    env: { SSL_CERT_FILE: servers.certs.caFile, SSL_CERT_DIR: '/nonexistent-luahttp-ca-dir', NODE_EXTRA_CA_CERTS: '', https_proxy: '', HTTPS_PROXY: '', all_proxy: '', ALL_PROXY: '' },
  });
  return r.stdout.toString('latin1') + r.stderr.replace(/^Cannot open directory.*\n/m, '');
}

describe.skipIf(!HAS_SYSTEM_STORE)('the system CA store', () => {
  test('a CA only in the system store verifies https requests and ssl.wrap', async () => {
    expect(await run([])).toBe('http\t200\tGET /echo\nwrap\ttrue\n');
  });

  test('--no-system-ca trusts Node\'s bundled store only', async () => {
    const out = await run(['--no-system-ca']);
    expect(out).toMatch(/^http\tcertificate verify failed \(unable to verify the first certificate\)\tnil\nwrap\tfalse\tcertificate verify failed/);
  });
});
