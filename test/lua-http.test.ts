// Differential test for lua-http scripts (issue 15): every `test/lua-http/*.lua` runs under luahttp
// against the same loopback servers as the oracle, and its normalised stdout + exit code must equal
// `test/lua-http/<name>.golden`, recorded from native lua5.4 + Debian's lua-http 0.4 by `npm run oracle`
// (test/oracle/lua-http-runner.ts says how the oracle finds lua-http).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { normalizeOutput } from './oracle/normalize.js';
import {
  RUN_TIMEOUT_MS, decodeGolden, exitLabel, goldenPathFor, listScripts, luahttpRun, showBytes, type Servers, startServers,
} from './oracle/lua-runner.js';
import { LUA_HTTP_DIR, withWebsocketServer } from './oracle/lua-http-runner.js';

let base: Servers;
let servers: Servers;
beforeAll(async () => {
  base = await startServers();
  servers = await withWebsocketServer(base);
}, 30_000);
afterAll(async () => {
  await Promise.all([servers?.close(), base?.close()]);
});

describe('luahttp matches native lua5.4 + lua-http 0.4', () => {
  test.concurrent.each(listScripts(LUA_HTTP_DIR))('%s', async (script) => {
    const golden = decodeGolden(fs.readFileSync(goldenPathFor(script)));
    const r = await luahttpRun(script, servers);
    const got = { exit: exitLabel(r), stdout: showBytes(normalizeOutput(r.stdout)) };
    const want = { exit: golden.exit, stdout: showBytes(golden.stdout) };
    expect(got, `stderr:\n${r.stderr}`).toEqual(want);
  }, RUN_TIMEOUT_MS + 10_000);
});
