// The lua-http oracle (issue 15): Debian's lua-http 0.4 with lua-cqueues, luaossl and lpeg, run by
// native lua5.4. Debian installs lua-http's files for Lua 5.3 and 5.1 only, but they load on 5.4 when
// those trees are on LUA_PATH (5.4's own first, so LuaSocket and cqueues' 5.4 builds win).
// Scripts live in test/lua-http/ with goldens in the format of lua-runner.ts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startProxyServer } from '../servers/proxy-server.js';
import { startWebsocketServer } from '../servers/websocket-server.js';
import { startWebsocketServer } from '../servers/websocket-server.js';
import { startTlsServers } from '../servers/tls-server.js';
import { LUAHTTP_NODE, REPO_ROOT, runProcess, type RunResult, type Servers } from './lua-runner.js';

export const LUA_HTTP_DIR = path.join(REPO_ROOT, 'test/lua-http');

export const LUA_HTTP_ORACLE_PATH = [
  '/usr/share/lua/5.4/?.lua', '/usr/share/lua/5.4/?/init.lua',
  '/usr/share/lua/5.3/?.lua', '/usr/share/lua/5.3/?/init.lua',
  '/usr/share/lua/5.1/?.lua', '/usr/share/lua/5.1/?/init.lua',
  '',
].join(';') + ';';

/** Whether native lua5.4 can load lua-http here (CI installs the `lua-http` package, see .ci/run). */
export const HAS_NATIVE_LUA_HTTP = spawnSync('lua5.4', ['-e', 'require("http.request")'], {
  stdio: 'ignore',
  env: { ...process.env, LUA_PATH: LUA_HTTP_ORACLE_PATH },
}).status === 0;

/**
 * The lua-http scripts' servers: test/lua's (arg[1..5]), then the TLS servers of test/tls and a
 * forward proxy: arg[6] https good (localhost leaf of the test CA), [7] other-name leaf, [8] expired
 * leaf, [9] https to a plain-HTTP port, [10] closes after the ClientHello, [11] the TLS server's plain
 * http twin (same routes: /echo, /redirect-https?to=…), [12] the CA file, [13] a capath directory,
 * [14] the proxy, [15] a TLS server that answers and closes without close_notify; then the websocket
 * server (test/servers/websocket-server.ts): ws://127.0.0.1:PORT and wss://localhost:PORT (the test CA's
 * localhost leaf), which the websocket-* scripts find by scheme, not position. Certificates are new
 * every run: scripts never print anything taken from them. close() stops these servers only (base has
 * its own close).
 */
export async function startLuaHttpServers(base: Servers): Promise<Servers> {
  const tls = await startTlsServers();
  const proxy = await startProxyServer();
  const ws = await startWebsocketServer(tls.certs.leaf('localhost'));
  return {
    ...base,
    args: [...base.args, tls.goodUrl, tls.otherUrl, tls.expiredUrl, tls.plainUrl, tls.closeUrl, tls.httpUrl,
      tls.certs.caFile, tls.certs.caPath, proxy.url, tls.noNotifyUrl, ws.url, ws.tlsUrl!],
    async close() {
      await Promise.all([ws.close(), tls.close(), proxy.close()]);
    },
  };
}

/**
 * lua-http reads *_proxy from the environment (http.proxies), so the machine's must not reach the
 * scripts. Unset, not empty: lua-http takes an empty value as a proxy URI. (spawn leaves out a
 * variable whose value is undefined.)
 */
const NO_PROXY_ENV = Object.fromEntries(['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy', 'CGI_HTTP_PROXY', 'GATEWAY_INTERFACE']
  .flatMap((n) => [[n, undefined], [n.toUpperCase(), undefined]])) as unknown as Record<string, string>;

/** A test/lua-http script under native lua5.4 + lua-http, with the servers' URLs as arguments. */
export function nativeLuaHttpRun(script: string, servers: Servers): Promise<RunResult> {
  return runProcess('lua5.4', [script, ...servers.args], undefined, { env: { ...NO_PROXY_ENV, LUA_PATH: LUA_HTTP_ORACLE_PATH } });
}

/** The same script under luahttp, in the same environment. */
export function luahttpLuaHttpRun(script: string, servers: Servers): Promise<RunResult> {
  return runProcess(LUAHTTP_NODE, ['bin/luahttp.js', script, ...servers.args], undefined, { env: NO_PROXY_ENV });
}
