// `luahttp --timeout SECONDS`: the whole script ends after SECONDS with `luahttp: timeout (…)` on
// stderr, exit code 1 and its buffered output written, however it waits: yielding (an http.request at
// the top level, ended by the main thread's timer), blocked (a raw socket read, a request inside a
// string.gsub callback — waits that cannot yield, socket.sleep) or busy in Lua (reached by the watcher
// thread, src/runtime/cli-interrupts.ts). A slowloris server (one byte per second, never done) keeps every
// request waiting. Asserted: that the script ends, how, and with what message — the generous bound
// only tells a hang apart from an end.
import http from 'node:http';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT, runProcess, type RunResult } from '../oracle/lua-runner.js';

const BIN = path.join(REPO_ROOT, 'bin/luahttp.js');
/** The child is killed by runProcess after this: a hang shows as timedOut, never as a stuck suite. */
const HANG_MS = 20_000;
const MESSAGE = 'luahttp: timeout (the script ran longer than --timeout 1 s)';

let slow: http.Server;
let silent: net.Server;
let slowUrl: string;
let silentPort: number;

beforeAll(async () => {
  slow = http.createServer((_req, res) => {
    res.writeHead(200, { 'Content-Length': 1000 });
    const timer = setInterval(() => res.write('x'), 1000);
    res.on('close', () => clearInterval(timer));
  });
  silent = net.createServer((s) => { s.on('error', () => {}); s.setTimeout(HANG_MS, () => s.destroy()); });
  await Promise.all([
    new Promise<void>((r) => slow.listen(0, '127.0.0.1', r)),
    new Promise<void>((r) => silent.listen(0, '127.0.0.1', r)),
  ]);
  slowUrl = `http://127.0.0.1:${(slow.address() as net.AddressInfo).port}/slow`;
  silentPort = (silent.address() as net.AddressInfo).port;
});
afterAll(async () => {
  slow?.closeAllConnections();
  await Promise.all([new Promise((r) => slow?.close(r)), new Promise((r) => silent?.close(r))]);
});

function run(code: string): Promise<RunResult> {
  return runProcess(process.execPath, [BIN, '--timeout', '1', '-e', code], HANG_MS, { stdin: '' });
}

function expectEnded(r: RunResult, stdout: string): void {
  expect(r.timedOut).toBe(false);
  expect(r.stdout.toString()).toBe(stdout);
  expect(r.stderr).toBe(`${MESSAGE}\n`);
  expect({ exit: r.exitCode, signal: r.signal }).toEqual({ exit: 1, signal: null });
}

describe('--timeout', () => {
  test('a request that yields while it waits: the message, exit code 1, output so far kept', async () => {
    const r = await run(`print("start") require("socket.http").request(${JSON.stringify(slowUrl)}) print("not reached")`);
    expect(r.timedOut).toBe(false);
    expect(r.stdout.toString()).toBe('start\n');
    expect(r.stderr).toContain(MESSAGE);
    expect({ exit: r.exitCode, signal: r.signal }).toEqual({ exit: 1, signal: null });
  });
  test('a request inside a string.gsub callback (a blocking wait): the message, exit code 1, output flushed', async () => {
    const r = await run(`io.write("start\\n")
      string.gsub("x", "x", function() require("socket.http").request(${JSON.stringify(slowUrl)}) end) print("not reached")`);
    expectEnded(r, 'start\n');
  });
  test('a raw socket read with no timeout (blocking): the message, exit code 1, output flushed', async () => {
    const r = await run(`local t = assert(require("socket").connect("127.0.0.1", ${'PORT'})) io.write("connected\\n") print(t:receive())`.replace('PORT', String(silentPort)));
    expectEnded(r, 'connected\n');
  });
  test('a busy Lua loop: the message, exit code 1, output flushed', async () => {
    const r = await run('io.write("busy\\n") local n = 0 while true do n = n + 1 end');
    expectEnded(r, 'busy\n');
  });
  test('a busy loop that catches every error (pcall inside a loop) still ends', async () => {
    const r = await run('io.write("stubborn\\n") while true do pcall(function() while true do end end) end');
    expectEnded(r, 'stubborn\n');
  });
  test('socket.sleep longer than the deadline: the message, exit code 1, output flushed', async () => {
    const r = await run('io.write("sleeping\\n") require("socket").sleep(30)');
    expectEnded(r, 'sleeping\n');
  });
});
