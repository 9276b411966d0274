// SIGINT (Ctrl-C) as lua.c handles it: the running Lua code gets the error "interrupted!" at its next
// instruction (catchable by pcall); uncaught, `luahttp: <where>interrupted!` + traceback, exit status 1,
// buffered output flushed; a blocking call (socket.sleep) finishes first, as LuaSocket's sleep does.
// The script tells it is running by printing "ready" (print flushes); then both get SIGINT, and the
// outcomes must match lua5.4's. The signal goes SETTLE_MS after "ready", so that it finds the script
// in the code that follows rather than still returning from print (where either interpreter would
// report it, at another position); nothing is asserted about time.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HAS_NATIVE_LUA, REPO_ROOT } from '../oracle/lua-runner.js';

const BIN = path.join(REPO_ROOT, 'bin/luahttp.js');
const HANG_MS = 20_000;
const SETTLE_MS = 300;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-sigint-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

interface Seen { stdout: string; stderr: string; exit: number | null; signal: NodeJS.Signals | null }

/** Runs the script, sends SIGINT each time a line "ready" appears on its stdout, and collects the outcome. */
function interrupted(cmd: string, args: string[]): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = 0;
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${cmd}: no end within ${HANG_MS} ms; stdout ${JSON.stringify(stdout)}`)); }, HANG_MS);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('latin1');
      while (stdout.split('ready\n').length - 1 > signalled) {
        signalled++;
        setTimeout(() => child.kill('SIGINT'), SETTLE_MS);
      }
    });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('latin1'); });
    child.on('close', (exit, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr: stderr.replace(/\blua5\.4\b/g, 'luahttp'), exit, signal });
    });
  });
}

async function expectSameAsNative(name: string, code: string): Promise<Seen> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, code);
  const [want, got] = await Promise.all([interrupted('lua5.4', [name]), interrupted(process.execPath, [BIN, name])]);
  expect(got).toEqual(want);
  return got;
}

describe.skipIf(!HAS_NATIVE_LUA)('SIGINT', () => {
  test('uncaught in a busy loop: "interrupted!" with its position and traceback, status 1, io.write output flushed', async () => {
    const seen = await expectSameAsNative('busy.lua', [
      'io.write("buffered\\n")',
      'local function spin() while true do end end',
      'print("ready")',
      'spin()',
    ].join('\n'));
    expect(seen.exit).toBe(1);
    expect(seen.stdout).toBe('buffered\nready\n');
    expect(seen.stderr).toMatch(/^luahttp: busy\.lua:4: interrupted!\nstack traceback:\n/);
  });

  test('caught by pcall, and the script goes on', async () => {
    const seen = await expectSameAsNative('caught.lua', [
      'print("ready")',
      'local ok, err = pcall(function() local n = 0 while true do n = n + 1 end end)',
      'print(ok, err)',
      'io.write("went on\\n")',
    ].join('\n'));
    expect(seen).toMatchObject({ exit: 0, stdout: 'ready\nfalse\tinterrupted!\nwent on\n' });
  });

  test('in socket.sleep: the sleep ends first, then the error comes at the return', async () => {
    const seen = await expectSameAsNative('sleep.lua', [
      'local socket = require "socket"',
      'print("ready")',
      'local t = socket.gettime()',
      'print(pcall(socket.sleep, 1.5))',
      'print(socket.gettime() - t >= 1.4)',
    ].join('\n'));
    expect(seen).toMatchObject({ exit: 0, stdout: 'ready\nfalse\tinterrupted!\ntrue\n' });
  });

  test('a second SIGINT after the first was caught ends the process by the signal', async () => {
    const seen = await expectSameAsNative('twice.lua', [
      'print("ready")',
      'print(pcall(function() while true do end end))',
      'io.write("lost\\n")',
      'print("ready")',
      'while true do end',
    ].join('\n'));
    expect(seen).toMatchObject({ exit: null, signal: 'SIGINT', stdout: 'ready\nfalse\tinterrupted!\nlost\nready\n' });
  });
});
