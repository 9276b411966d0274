// Tracebacks name luahttp's own Lua frames as the C functions they stand for ("[C]: in function
// 'io.lines'"), never luahttp's install paths: where native Lua runs C (io, print, LuaSocket's core),
// its traceback shows "[C]"; where native runs LuaSocket's Lua files (ltn12, socket.http), it shows
// /usr/share/lua paths, which read here as the one "[C]" line of the function the script called.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HAS_NATIVE_LUA, REPO_ROOT, runProcess } from '../oracle/lua-runner.js';

const BIN = path.join(REPO_ROOT, 'bin/luahttp.js');
const HANG_MS = 20_000;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-traceback-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function both(code: string): Promise<{ want: string; got: string }> {
  const file = path.join(dir, 'tb.lua');
  fs.writeFileSync(file, code);
  const [n, l] = await Promise.all([
    runProcess('lua5.4', ['tb.lua'], HANG_MS, { cwd: dir, stdin: '' }),
    runProcess(process.execPath, [BIN, 'tb.lua'], HANG_MS, { cwd: dir, stdin: '' }),
  ]);
  const render = (r: typeof n) => `${r.stdout.toString('latin1')}${r.stderr}exit ${r.exitCode}\n`;
  return { want: render(n).replace(/\blua5\.4\b/g, 'luahttp'), got: render(l) };
}

/** Native frames in LuaSocket's Lua files, each run shown as the C line luahttp writes for it. */
function asLuahttpShowsLuaSocket(traceback: string): string {
  return traceback.replace(/(?:\n\t\/usr\/share\/lua\/5\.4\/[^\n]*: in ([^\n]*))+/g, (run: string) => {
    const last = run.slice(run.lastIndexOf(': in ') + 5);
    return `\n\t[C]: in ${last.startsWith('function <') ? '?' : last}`;
  });
}

describe.skipIf(!HAS_NATIVE_LUA)('tracebacks', () => {
  test('errors raised inside io functions: the same messages and tracebacks as lua5.4', async () => {
    for (const code of [
      'for l in io.lines("nonexistent.txt") do end',
      'io.input("nonexistent.txt")',
      'io.output("no/such/dir/x")',
      'local f = io.open("tb.lua") f:close() f:read()',
      'print(xpcall(function() io.lines("nonexistent.txt") end, debug.traceback))',
      'local co = coroutine.create(function() io.lines("nonexistent.txt") end) print(coroutine.resume(co)) print(debug.traceback(co))',
    ]) {
      const { want, got } = await both(code);
      expect(got, code).toBe(want);
    }
  });

  test("an error in a script's callback under ltn12: luahttp's frames are one [C] line, no install path", async () => {
    const { want, got } = await both([
      'local ltn12 = require "ltn12"',
      'local function sink(chunk) if chunk then error("sink failed") end return 1 end',
      'ltn12.pump.all(ltn12.source.string("abc"), sink)',
    ].join('\n'));
    expect(got).not.toContain(path.join(REPO_ROOT, 'lua'));
    expect(got).toBe(asLuahttpShowsLuaSocket(want));
    expect(got).toContain("\n\t[C]: in field 'all'\n");
  });

  test('debug.traceback levels, threads and non-string messages as lua5.4', async () => {
    const { want, got } = await both([
      'local function f() return debug.traceback("here", 1) end',
      'print(f())',
      'print(debug.traceback("top", 2))',
      'print(debug.traceback(42))',
      'print(debug.traceback({}) ~= nil, type(debug.traceback({})))',
      'print(debug.traceback())',
      'local co = coroutine.create(function() coroutine.yield() end) coroutine.resume(co)',
      'print(debug.traceback(co, "in co"))',
      'print(debug.traceback(co, nil, 1))',
      'print(pcall(debug.traceback, "x", "y"))',
    ].join('\n'));
    expect(got).toBe(want);
  });
});
