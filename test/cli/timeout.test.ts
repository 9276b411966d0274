// `luahttp --timeout SECONDS`: the whole script ends after SECONDS with `luahttp: timeout (…)` on
// stderr. Two paths (src/cli/main.ts startDeadline): a script waiting by yielding (an http.request
// at the top level) ends with exit code 1; a script whose thread is blocked (a raw socket read, a
// request inside a string.gsub callback — waits that cannot yield) is ended by the watchdog thread
// with SIGKILL. A slowloris server (one byte per second, never done) keeps every request waiting.
// Asserted: that the script ends, how, and with what message — the generous bound only tells a
// hang apart from an end.
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

describe('--timeout', () => {
  test('a request that yields while it waits: the message, exit code 1, output so far kept', async () => {
    const r = await run(`print("start") require("socket.http").request(${JSON.stringify(slowUrl)}) print("not reached")`);
    expect(r.timedOut).toBe(false);
    expect(r.stdout.toString()).toBe('start\n');
    expect(r.stderr).toContain(MESSAGE);
    expect({ exit: r.exitCode, signal: r.signal }).toEqual({ exit: 1, signal: null });
  });
  test('a request inside a string.gsub callback (a blocking wait): the message, then SIGKILL', async () => {
    const r = await run(`print("start") io.stdout:flush()
      string.gsub("x", "x", function() require("socket.http").request(${JSON.stringify(slowUrl)}) end) print("not reached")`);
    expect(r.timedOut).toBe(false);
    expect(r.stdout.toString()).toBe('start\n');
    expect(r.stderr).toContain(MESSAGE);
    expect(r.signal).toBe('SIGKILL');
  });
  test('a raw socket read with no timeout (blocking): the message, then SIGKILL', async () => {
    const r = await run(`local t = assert(require("socket").connect("127.0.0.1", ${'PORT'})) print("connected") io.stdout:flush() print(t:receive())`.replace('PORT', String(silentPort)));
    expect(r.timedOut).toBe(false);
    expect(r.stdout.toString()).toBe('connected\n');
    expect(r.stderr).toContain(MESSAGE);
    expect(r.signal).toBe('SIGKILL');
  });
});
