// `--max-header-size BYTES`: the largest response head luahttp accepts (LuaSocket reads any size;
// the default cap, 256 MiB, is far above undici's 16 KiB, see test/lua/response-large-head.lua).
// A head over the cap fails with luahttp's own message, never undici's raw "Headers Overflow Error".
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startFaultServer, type FaultServer } from '../servers/fault-server.js';
import { REPO_ROOT, runProcess } from '../oracle/lua-runner.js';

let fault: FaultServer;
beforeAll(async () => { fault = await startFaultServer(); });
afterAll(async () => { await fault?.close(); });

const script = (url: string): string => `
  local http = require("socket.http")
  print(http.request("${url}/big-head?line=5000"))`;

test('a head over --max-header-size fails with "response head too large"; under it, it is read', async () => {
  const bin = path.join(REPO_ROOT, 'bin/luahttp.js');
  const [small, large] = await Promise.all([
    runProcess(process.execPath, [bin, '--max-header-size', '4096', '-e', script(fault.url)], 30_000),
    runProcess(process.execPath, [bin, '--max-header-size=8192', '-e', script(fault.url)], 30_000),
  ]);
  expect(small.stdout.toString(), small.stderr).toBe('nil\tresponse head too large (see --max-header-size)\n');
  expect(large.stdout.toString(), large.stderr).toMatch(/^ok\t200\ttable: 0x[0-9a-f]+\tHTTP\/1\.1 200 OK\n$/);
});

test('--max-header-size needs a positive number of bytes', async () => {
  const r = await runProcess(process.execPath, [path.join(REPO_ROOT, 'bin/luahttp.js'), '--max-header-size', 'lots', '-e', 'print(1)'], 30_000);
  expect(r.exitCode).toBe(1);
  expect(r.stderr).toContain("'--max-header-size' needs a number of bytes > 0, got 'lots'");
});
