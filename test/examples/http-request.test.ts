// examples/http-request.lua is the seed script luahttp exists to run unchanged. `--httpbin` maps
// httpbin.org:80 to the bundled httpbin; native lua5.4 runs the same file against the same bundled
// server, mapped the same way by test/lua/support/connect-to.lua (LUA_INIT). The outputs must be
// equal after normalizeOutput (only the echoed Connection/Te request headers and loopback ports).
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { normalizeOutput } from '../oracle/normalize.js';
import { HAS_NATIVE_LUA, REPO_ROOT, describeDifference, runProcess, showBytes } from '../oracle/lua-runner.js';
import { startHttpbin, type HttpbinServer } from '../../src/httpbin/server.js';

const EXAMPLE = 'examples/http-request.lua';
const SEED = path.resolve(REPO_ROOT, '../shared/seed/http-request.lua');
const TIMEOUT_MS = 30_000;

let httpbin: HttpbinServer;
beforeAll(async () => {
  httpbin = await startHttpbin({ port: 0, host: '127.0.0.1' });
});
afterAll(async () => {
  await httpbin?.close();
});

describe('examples/http-request.lua', () => {
  test.skipIf(!HAS_NATIVE_LUA)('under --httpbin prints what native lua5.4 prints against the same httpbin', async () => {
    const [native, ours] = await Promise.all([
      runProcess('lua5.4', [EXAMPLE], TIMEOUT_MS, {
        env: { LUA_INIT: '@test/lua/support/connect-to.lua', LUAHTTP_TEST_CONNECT_TO: `httpbin.org:80:127.0.0.1:${httpbin.port}` },
      }),
      runProcess(process.execPath, ['bin/luahttp.js', '--httpbin', EXAMPLE], TIMEOUT_MS),
    ]);
    expect(native.exitCode, `native stderr:\n${native.stderr}`).toBe(0);
    expect(ours.exitCode, `luahttp stderr:\n${ours.stderr}`).toBe(0);
    const want = normalizeOutput(native.stdout);
    const got = normalizeOutput(ours.stdout);
    if (!got.equals(want)) expect.fail(describeDifference(want, got, 'native lua5.4', 'luahttp --httpbin'));

    const text = showBytes(got);
    expect(text).toMatch(/^Success:\n\{\n/);
    expect(text).toContain('"url": "http://httpbin.org/get"');
    expect(text).toContain('"Host": "httpbin.org"');
    expect(text).toContain('\nPOST Success:\n{\n');
    expect(text).toContain('"form": {\n    "key1": "value1", \n    "key2": "value2"\n  }');
    expect(text).toContain('"url": "http://httpbin.org/post"');
  });

  const seedPresent = fs.existsSync(SEED);
  test.skipIf(!seedPresent)(
    seedPresent
      ? 'is byte for byte the seed script ../shared/seed/http-request.lua'
      : `is byte for byte the seed script (SKIPPED: ${SEED} is absent; it sits beside the clone in the workspace and in CI)`,
    () => {
      expect(fs.readFileSync(path.join(REPO_ROOT, EXAMPLE)).equals(fs.readFileSync(SEED))).toBe(true);
    },
  );
});
