// The pure-Lua module tests (test/lua-modules/*.lua: socket.url, mime, ltn12, socket.headers and the
// try/protect helpers) run under luahttp and must print exactly what native lua5.4 on the system
// LuaSocket 3.1.0 printed: `test/lua-modules/<name>.golden`, recorded by `npm run oracle`. The same
// scripts run native-vs-native (our lua/ files under the C lua5.4) in test/lua-modules/run.sh.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  MODULE_TESTS_NOT_UNDER_LUAHTTP, RUN_TIMEOUT_MS, decodeGolden, describeDifference, exitLabel, goldenPathFor,
  listModuleTests, luahttpModuleRun,
} from './oracle/lua-runner.js';

describe('pure-Lua modules under luahttp match native LuaSocket', () => {
  test.concurrent.each(listModuleTests())('%s', async (script) => {
    const golden = decodeGolden(fs.readFileSync(goldenPathFor(script)));
    const r = await luahttpModuleRun(script);
    expect(exitLabel(r), `stderr:\n${r.stderr}`).toBe(golden.exit);
    // A byte comparison first: the outputs are megabytes, a failure shows the first differing line.
    if (!r.stdout.equals(golden.stdout)) {
      expect.fail(`${script} differs from its golden file\n${describeDifference(golden.stdout, r.stdout, 'native (golden)', 'luahttp')}\nstderr:\n${r.stderr}`);
    }
  }, RUN_TIMEOUT_MS + 10_000);

  test('every module test is either compared or listed with a reason', () => {
    const all = fs.readdirSync(path.dirname(goldenPathFor(listModuleTests()[0]!))).filter((f) => f.endsWith('.lua')).sort();
    const compared = listModuleTests().map((s) => path.basename(s));
    expect(all.filter((f) => !compared.includes(f))).toEqual(Object.keys(MODULE_TESTS_NOT_UNDER_LUAHTTP).sort());
  });
});
