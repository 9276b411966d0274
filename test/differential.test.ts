// Differential test: every `test/lua/*.lua` runs under luahttp against the same loopback servers the
// oracle used, and its normalised stdout + exit code must equal `test/lua/<name>.golden` (recorded
// from native lua5.4 + LuaSocket 3.1.0 by `npm run oracle`). `test/lua/deliberate/*.lua` are compared
// with hand-written goldens describing luahttp's deliberate differences (each script says why).
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { normalizeOutput } from './oracle/normalize.js';
import {
  DELIBERATE_DIR, RUN_TIMEOUT_MS, decodeGolden, exitLabel, goldenPathFor, listScripts, luahttpRun, showBytes,
  type Servers, startServers,
} from './oracle/lua-runner.js';

let servers: Servers;
beforeAll(async () => {
  servers = await startServers();
}, 30_000);
afterAll(async () => {
  await servers?.close();
});

function compare(script: string) {
  return async () => {
    const golden = decodeGolden(fs.readFileSync(goldenPathFor(script)));
    const r = await luahttpRun(script, servers);
    const got = { exit: exitLabel(r), stdout: showBytes(normalizeOutput(r.stdout)) };
    const want = { exit: golden.exit, stdout: showBytes(golden.stdout) };
    expect(got, `stderr:\n${r.stderr}`).toEqual(want);
  };
}

describe('luahttp matches native lua5.4 + LuaSocket', () => {
  test.concurrent.each(listScripts())('%s', (script) => compare(script)(), RUN_TIMEOUT_MS + 10_000);
});

describe('deliberate differences (hand-written goldens)', () => {
  const scripts = fs.existsSync(DELIBERATE_DIR) ? listScripts(DELIBERATE_DIR) : [];
  test.concurrent.each(scripts)('%s', (script) => compare(script)(), RUN_TIMEOUT_MS + 10_000);
});
