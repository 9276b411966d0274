// The differential corpus's socket scripts (raw TCP/UDP, select, copas-style dispatchers, smtp, ftp, tp)
// run inside a luahttp task (test/lua/socket-tasks/in-a-task.lua) still print native lua5.4 +
// LuaSocket's golden output: inside a task their waits yield instead of blocking, and nothing a script
// can observe changes.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { normalizeOutput } from '../oracle/normalize.js';
import {
  RUN_TIMEOUT_MS, decodeGolden, exitLabel, goldenPathFor, listScripts, luahttpRunArgs, showBytes, type Servers, startServers,
} from '../oracle/lua-runner.js';

const WRAPPER = 'test/lua/socket-tasks/in-a-task.lua';
const SOCKET_SCRIPTS = listScripts().filter((s) => /\/(socket-|select-|copas-|smtp-|ftp-|tp-)[^/]*\.lua$/.test(s));

let servers: Servers;
beforeAll(async () => {
  servers = await startServers();
}, 30_000);
afterAll(async () => {
  await servers?.close();
});

describe('socket scripts of the differential corpus, run inside a task, match native', () => {
  test('the selection is the socket part of the corpus', () => {
    expect(SOCKET_SCRIPTS.length).toBeGreaterThanOrEqual(25);
  });
  test.concurrent.each(SOCKET_SCRIPTS)('%s', async (script) => {
    const golden = decodeGolden(fs.readFileSync(goldenPathFor(script)));
    const r = await luahttpRunArgs(WRAPPER, [script, ...servers.args]);
    const got = { exit: exitLabel(r), stdout: showBytes(normalizeOutput(r.stdout)) };
    expect(got, `stderr:\n${r.stderr}`).toEqual({ exit: golden.exit, stdout: showBytes(golden.stdout) });
  }, RUN_TIMEOUT_MS + 10_000);
});
