// The lua-http oracle (issue 15): Debian's lua-http 0.4 with lua-cqueues, luaossl and lpeg, run by
// native lua5.4. Debian installs lua-http's files for Lua 5.3 and 5.1 only, but they load on 5.4 when
// those trees are on LUA_PATH (5.4's own first, so LuaSocket and cqueues' 5.4 builds win).
// Scripts live in test/lua-http/ with goldens in the format of lua-runner.ts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startWebsocketServer } from '../servers/websocket-server.js';
import { REPO_ROOT, runProcess, type RunResult, type Servers } from './lua-runner.js';

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
 * The websocket server of the websocket-* scripts (test/servers/websocket-server.ts), its ws:// URL (and
 * wss:// with `tls`) appended to `servers.args`: the scripts find them by scheme, not position.
 * close() stops the websocket server only.
 */
export async function withWebsocketServer(servers: Servers, tls?: { key: Buffer; cert: Buffer }): Promise<Servers> {
  const ws = await startWebsocketServer(tls);
  return {
    ...servers,
    args: [...servers.args, ws.url, ...(ws.tlsUrl ? [ws.tlsUrl] : [])],
    close: () => ws.close(),
  };
}

/** A test/lua-http script under native lua5.4 + lua-http, with the servers' URLs as arguments. */
export function nativeLuaHttpRun(script: string, servers: Servers): Promise<RunResult> {
  return runProcess('lua5.4', [script, ...servers.args], undefined, { env: { LUA_PATH: LUA_HTTP_ORACLE_PATH } });
}
