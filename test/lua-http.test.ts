// Differential test for lua-http scripts (issue 15): every `test/lua-http/*.lua` runs under luahttp
// against the same loopback servers as the oracle, and its normalised stdout + exit code must equal
// `test/lua-http/<name>.golden`, recorded from native lua5.4 + Debian's lua-http 0.4 by `npm run oracle`
// (test/oracle/lua-http-runner.ts says how the oracle finds lua-http). `test/lua-http/deliberate/` is
// compared with hand-written goldens instead.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { normalizeOutput } from './oracle/normalize.js';
import {
  RUN_TIMEOUT_MS, decodeGolden, exitLabel, goldenPathFor, listScripts, showBytes, type Servers, startServers,
} from './oracle/lua-runner.js';
import { LUA_HTTP_DIR, luahttpLuaHttpRun, startLuaHttpServers } from './oracle/lua-http-runner.js';

let base: Servers;
let servers: Servers;
beforeAll(async () => {
  base = await startServers();
  servers = await startLuaHttpServers(base);
}, 30_000);
afterAll(async () => {
  await Promise.all([servers?.close(), base?.close()]);
});

const compare = async (script: string): Promise<void> => {
  const golden = decodeGolden(fs.readFileSync(goldenPathFor(script)));
  const r = await luahttpLuaHttpRun(script, servers);
  const got = { exit: exitLabel(r), stdout: showBytes(normalizeOutput(r.stdout)) };
  const want = { exit: golden.exit, stdout: showBytes(golden.stdout) };
  expect(got, `stderr:\n${r.stderr}`).toEqual(want);
};

describe('luahttp matches native lua5.4 + lua-http 0.4', () => {
  test.concurrent.each(listScripts(LUA_HTTP_DIR))('%s', compare, RUN_TIMEOUT_MS + 10_000);
});

// test/lua-http/deliberate/: hand-written goldens for what luahttp does differently on purpose (each script says why).
describe('lua-http: deliberate differences (hand-written goldens)', () => {
  test.concurrent.each(listScripts(path.join(LUA_HTTP_DIR, 'deliberate')))('%s', compare, RUN_TIMEOUT_MS + 10_000);
});
