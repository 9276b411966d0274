// SIGINT (Ctrl-C) as lua.c handles it: the running Lua code gets the error "interrupted!" at its next
// instruction (catchable by pcall); uncaught, `luahttp: <where>interrupted!` + traceback, exit status 1,
// buffered output flushed; a blocking call (socket.sleep) finishes first, as LuaSocket's sleep does.
// The script tells it is running by printing "ready" (print flushes); then both get SIGINT, and the
// outcomes must match lua5.4's. The signal goes SETTLE_MS after "ready", so that it finds the script
// in the code that follows rather than still returning from print (where either interpreter would
// report it, at another position); nothing is asserted about time.
// luahttp catches SIGINT in a busy or blocked script with a watcher thread that starts once the
// script has been busy for a moment or first blocks (src/runtime/cli-watcher-start.ts); before that a
// listener on the main thread takes it, which runs while the script waits for the network. The scripts
// that busy-loop or block are busy for a moment (WARM_UP) before "ready", so the thread is in place
// when the signal comes however loaded the machine is; the network wait needs no warm-up.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HAS_NATIVE_LUA, REPO_ROOT } from '../oracle/lua-runner.js';

const BIN = path.join(REPO_ROOT, 'bin/luahttp.js');
const HANG_MS = 20_000;
const SETTLE_MS = 300;
/** Busy for a moment (3,000,000 VM instructions, a few ms) before "ready"; the same in both interpreters. */
const WARM_UP = 'for _ = 1, 3e6 do end';

/** How long the slow server waits before it answers: the signal comes while the script waits for it. */
const SLOW_ANSWER_MS = 1500;

let dir: string;
let slow: http.Server;
let slowUrl: string;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-sigint-'));
  slow = http.createServer((_req, res) => {
    const timer = setTimeout(() => res.end('late'), SLOW_ANSWER_MS);
    res.on('close', () => clearTimeout(timer));
  });
  await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
  slowUrl = `http://127.0.0.1:${(slow.address() as AddressInfo).port}/slow`;
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  slow?.closeAllConnections();
  await new Promise((r) => slow?.close(r));
});

interface Seen { stdout: string; stderr: string; exit: number | null; signal: NodeJS.Signals | null }

/** Runs the script, sends SIGINT each time a line "ready" appears on its stdout, and collects the outcome. */
/** `input`: stdin is a pipe that gets this SETTLE_MS after the signal (the script waits for it in a read). */
function interrupted(cmd: string, args: string[], input?: string): Promise<Seen> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: dir, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let signalled = 0;
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`${cmd}: no end within ${HANG_MS} ms; stdout ${JSON.stringify(stdout)}`)); }, HANG_MS);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString('latin1');
      while (stdout.split('ready\n').length - 1 > signalled) {
        signalled++;
        setTimeout(() => {
          child.kill('SIGINT');
          if (input !== undefined) setTimeout(() => child.stdin!.end(input), SETTLE_MS);
        }, SETTLE_MS);
      }
    });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString('latin1'); });
    child.on('close', (exit, signal) => {
      clearTimeout(timer);
      resolve({ stdout, stderr: stderr.replace(/\blua5\.4\b/g, 'luahttp'), exit, signal });
    });
  });
}

/** `where` (optional) rewrites both outcomes first, for what differs by design (a file's position). */
async function expectSameAsNative(name: string, code: string, where: (text: string) => string = (t) => t): Promise<Seen> {
  const file = path.join(dir, name);
  fs.writeFileSync(file, code);
  const [want, got] = await Promise.all([interrupted('lua5.4', [name]), interrupted(process.execPath, [BIN, name])]);
  const same = (seen: Seen): Seen => ({ ...seen, stdout: where(seen.stdout), stderr: where(seen.stderr) });
  expect(same(got)).toEqual(same(want));
  return same(got);
}

describe.skipIf(!HAS_NATIVE_LUA)('SIGINT', () => {
  test('uncaught in a busy loop: "interrupted!" with its position and traceback, status 1, io.write output flushed', async () => {
    const seen = await expectSameAsNative('busy.lua', [
      'io.write("buffered\\n")',
      'local function spin() while true do end end',
      WARM_UP, 'print("ready")',
      'spin()',
    ].join('\n'));
    expect(seen.exit).toBe(1);
    expect(seen.stdout).toBe('buffered\nready\n');
    expect(seen.stderr).toMatch(/^luahttp: busy\.lua:5: interrupted!\nstack traceback:\n/);
  });

  test('caught by pcall, and the script goes on', async () => {
    const seen = await expectSameAsNative('caught.lua', [
      WARM_UP, 'print("ready")',
      'local ok, err = pcall(function() local n = 0 while true do n = n + 1 end end)',
      'print(ok, err)',
      'io.write("went on\\n")',
    ].join('\n'));
    expect(seen).toMatchObject({ exit: 0, stdout: 'ready\nfalse\tinterrupted!\nwent on\n' });
  });

  test('in socket.sleep: the sleep ends first, then the error comes at the return', async () => {
    const seen = await expectSameAsNative('sleep.lua', [
      'local socket = require "socket"',
      WARM_UP, 'print("ready")',
      'local t = socket.gettime()',
      'print(pcall(socket.sleep, 1.5))',
      'print(socket.gettime() - t >= 1.4)',
    ].join('\n'));
    expect(seen).toMatchObject({ exit: 0, stdout: 'ready\nfalse\tinterrupted!\ntrue\n' });
  });

  test('while the script waits for the network (no warm-up): the response comes first, then "interrupted!"', async () => {
    // The position is inside socket.http's own code, which is another file in each (LuaSocket's
    // http.lua there, luahttp's coroutine layer here); the outcome is the same.
    const seen = await expectSameAsNative('network.lua', [
      'local http = require "socket.http"',
      'print("ready")',
      `print(pcall(http.request, ${JSON.stringify(slowUrl)}))`,
      'io.write("went on\\n")',
    ].join('\n'), (t) => t.replace(/\t[^\t\n]*: interrupted!/g, '\t<in socket.http>: interrupted!'));
    expect(seen).toMatchObject({ exit: 0, stdout: 'ready\nfalse\t<in socket.http>: interrupted!\nwent on\n' });
  });

  test('in a read from stdin: the read ends first (no EINTR), then "interrupted!", exit 1', async () => {
    // The position differs: lua5.4 names the script's line; luahttp's io library is Lua code, and
    // the error comes inside it (the traceback shows it as [C] as for any of luahttp's frames).
    const file = path.join(dir, 'read.lua');
    fs.writeFileSync(file, [WARM_UP, 'print("ready")', 'print(io.read())', 'print("after")'].join('\n'));
    const [want, got] = await Promise.all([interrupted('lua5.4', ['read.lua'], 'line\n'), interrupted(process.execPath, [BIN, 'read.lua'], 'line\n')]);
    const outcome = (seen: Seen) => ({ stdout: seen.stdout, exit: seen.exit, signal: seen.signal, message: /^luahttp: .*interrupted!\nstack traceback:\n/.test(seen.stderr) });
    expect(outcome(want)).toEqual({ stdout: 'ready\n', exit: 1, signal: null, message: true });
    expect(outcome(got)).toEqual(outcome(want));
  });

  test('a second SIGINT after the first was caught ends the process by the signal', async () => {
    const seen = await expectSameAsNative('twice.lua', [
      WARM_UP, 'print("ready")',
      'print(pcall(function() while true do end end))',
      'io.write("lost\\n")',
      'print("ready")',
      'while true do end',
    ].join('\n'));
    expect(seen).toMatchObject({ exit: null, signal: 'SIGINT', stdout: 'ready\nfalse\tinterrupted!\nlost\nready\n' });
  });
});
