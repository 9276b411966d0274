// luahttp's tasks in embedded runtimes (issue 12 §1): requests and host functions inside tasks are in
// flight together while the VM worker blocks only when every task waits. Concurrency is proven by
// servers and host functions that answer only when N calls are pending at once, never by timing; the
// task scripts of the CLI's test (test/lua/tasks/) run here with the CLI's results.
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collector, createPool, createRuntime, LimitError, REPO_ROOT } from './library.js';
import type { Runtime, RuntimeOptions } from '../../src/index.js';
import { startBarrierServer, type BarrierServer } from '../servers/barrier-server.js';
import { startBarrierProxy } from '../servers/barrier-proxy.js';
import { startLineServer, write } from '../servers/line-server.js';
import { SELECT_TASKS_OUTPUT, waitAndErrorsLines } from './task-script-results.js';

const SCRIPTS = 'test/lua/tasks';
let server: BarrierServer;
let base: string;

beforeAll(async () => {
  server = await startBarrierServer(10_000);
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

async function withRuntime<T>(options: RuntimeOptions, f: (rt: Runtime) => Promise<T>): Promise<T> {
  const rt = await createRuntime({ network: { privateNetworks: true }, ...options });
  try {
    return await f(rt);
  } finally {
    await rt.close();
  }
}

/** Runs one of the CLI tests' scripts (they read their servers' addresses from arg). */
async function runScript(script: string, options: RuntimeOptions = {}, args: string[] = [base], dir = SCRIPTS): Promise<{ stdout: string; stderr: string; values: unknown[] }> {
  const out = collector();
  const err = collector();
  const values = await withRuntime({ ...options, stdout: out.sink, stderr: err.sink }, async (rt) => {
    await rt.run('arg = { ... }', { args });
    // Named by the path relative to the repository root, as the CLI's test runs them (messages show it).
    return rt.runFile(path.join(REPO_ROOT, dir, script), { chunkName: `${dir}/${script}` });
  });
  return { stdout: out.text(), stderr: err.text(), values };
}

/** An async host function that answers only when `k` calls are pending at once (else never). */
function gate(k: number): { fn: (x: unknown) => Promise<unknown>; peak: () => number } {
  let waiting: (() => void)[] = [];
  let peak = 0;
  return {
    fn: (x) => new Promise((resolve) => {
      waiting.push(() => resolve(x));
      peak = Math.max(peak, waiting.length);
      if (waiting.length >= k) { const ws = waiting; waiting = []; ws.forEach((w) => w()); }
    }),
    peak: () => peak,
  };
}

/** A server that never answers and counts the connections open to it now. */
async function startSilentServer(): Promise<{ url: string; open: () => number; requests: () => number; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  let requests = 0;
  const s = http.createServer(() => { requests++; });
  s.on('connection', (sock) => { sockets.add(sock); sock.on('close', () => sockets.delete(sock)); });
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(s.address() as AddressInfo).port}/hold`,
    open: () => sockets.size,
    requests: () => requests,
    close: () => new Promise((r) => { s.closeAllConnections(); s.close(() => r()); }),
  };
}

/** Polls (bounded) until cond holds; the bound is generous, the usual wait is a few ms. */
async function eventually(cond: () => boolean, ms = 5_000): Promise<boolean> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 10))) if (cond()) return true;
  return cond();
}

async function limitOf(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e) { if (e instanceof LimitError) return e.limit; throw e; }
  throw new Error('no limit was hit');
}

describe('tasks in an embedded runtime: the CLI test scripts, same results', () => {
  test('ten tasks have their requests open at the same time', async () => {
    server.reset();
    const r = await runScript('fan-out.lua');
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(Array.from({ length: 10 }, (_, i) => `${i + 1}\ttrue\t${i + 1}\t200\ttogether 10`));
    expect(server.peak()).toBeGreaterThanOrEqual(10);
  });

  test('wait, errors, lh.all, nesting and coroutines in tasks', async () => {
    const r = await runScript('wait-and-errors.lua');
    const file = `${SCRIPTS}/wait-and-errors.lua`;
    expect(r.stderr).toBe('');
    expect(r.stdout.split('\n')).toEqual(waitAndErrorsLines(file));
  });

  test('a semaphore bounds how many requests are in flight', async () => {
    server.reset();
    const r = await runScript('semaphore.lua');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('together 3\t12\n');
    expect(server.peak()).toBe(3);
  });

  test('socket.sleep inside a task lets the other tasks run', async () => {
    const r = await runScript('sleep-lets-others-run.lua');
    const file = `${SCRIPTS}/sleep-lets-others-run.lua`;
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`request sleeper\nlh.sleep\nfalse\t${file}:14: bad argument #1 to 'sleep' (number expected, got string)\n`
      + `false\t${file}:15: bad argument #1 to 'sleep' (number expected, got table)\n`);
  });

  test('when the chunk ends, unfinished tasks are cancelled and unwaited failures reported on stderr', async () => {
    const r = await runScript('exit-reports.lua');
    expect(r.stdout).toBe('main ends\ncancelled task closed\n');
    expect(r.stderr).toMatch(new RegExp(`^luahttp: task failed and was never waited for: ${SCRIPTS}/exit-reports\\.lua:6: nobody waited for me\nstack traceback:\n`));
  });

  test('waiting for a task that can never end is an error, not a hang', async () => {
    const r = await runScript('deadlock.lua');
    expect(r.stdout).toBe('false\tluahttp: deadlock: every task waits and no operation is in flight\n');
  });

  test('an error in the main chunk still cancels the tasks and reports unwaited failures', async () => {
    const err = collector();
    await withRuntime({ stderr: err.sink }, async (rt) => {
      await expect(rt.run(`
        local lh = require "luahttp"
        local url = ...
        lh.spawn(function() error("task fails", 0) end)
        lh.spawn(function() require("socket.http").request(url) end)
        error("main fails", 0)`, { args: [`${base}/barrier/99`] })).rejects.toMatchObject({ message: 'main fails' });
      expect(err.text()).toMatch(/^luahttp: task failed and was never waited for: task fails\nstack traceback:\n/);
      // The runtime goes on, with no task of the last run left.
      expect(await rt.run('local lh = require "luahttp" return lh.spawn(function() return 7 end):wait()')).toEqual([7]);
    });
  });
});

describe('LuaSocket calls inside tasks (the CLI socket-tasks scripts)', () => {
  test('socket.tcp connect, send and receive: N connections open at once', async () => {
    const echo = await startLineServer(async (sock, reader) => {
      for (let line = await reader.line(); line !== null; line = await reader.line()) write(sock, `echo ${line}\n`);
    });
    const n = 8;
    const proxy = await startBarrierProxy(echo.port, n);
    try {
      const r = await runScript('tcp-barrier.lua', {}, [String(proxy.port), String(n)], 'test/lua/socket-tasks');
      expect(r.stderr).toBe('');
      expect(r.stdout.trim().split('\n')).toEqual(Array.from({ length: n }, (_, i) => `${i + 1}\techo line ${i + 1}`));
      expect(proxy.peak()).toBe(n);
    } finally {
      await Promise.all([proxy.close(), echo.close()]);
    }
  });

  test('socket.select in a server task and in client tasks', async () => {
    const r = await runScript('select-tasks.lua', {}, [], 'test/lua/socket-tasks');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(SELECT_TASKS_OUTPUT);
  });
});

describe('host functions inside tasks', () => {
  test('calls from several tasks are pending at the app at once', async () => {
    const g = gate(5);
    await withRuntime({ functions: { together: g.fn } }, async (rt) => {
      const values = await rt.run(`
        local lh = require "luahttp"
        local ts = {}
        for i = 1, 5 do ts[i] = lh.spawn(function() return together(i * 10) end) end
        local out = {}
        for i, r in ipairs(lh.all(ts)) do out[i] = r[2] end
        return table.concat(out, ",")`);
      expect(values).toEqual(['10,20,30,40,50']);
      expect(g.peak()).toBe(5);
    });
  });

  test('host calls and requests overlap; errors are Lua errors; a table of functions works too', async () => {
    const g = gate(3);
    await withRuntime({ functions: { api: { get: g.fn, fail: async () => { throw new Error('no such key'); } } } }, async (rt) => {
      server.reset();
      const values = await rt.run(`
        local lh = require "luahttp"
        local http = require "socket.http"
        local base = ...
        local a = lh.spawn(function() return api.get("a") end)
        local b = lh.spawn(function() return (http.request(base .. "/barrier/2")) end)
        local c = lh.spawn(function() return (http.request(base .. "/barrier/2")) end)
        local d = lh.spawn(function() return api.get("d") end)
        local e = lh.spawn(function() return api.fail() end)
        -- the third call comes from the main flow, while the tasks wait
        local m = api.get("m")
        local ok, err = pcall(e.wait, e)
        return a:wait(), b:wait(), c:wait(), d:wait(), m, ok, err`, { args: [base] });
      expect(values).toEqual(['a', 'together 2', 'together 2', 'd', 'm', false, 'no such key']);
    });
  });

  test('where a task cannot yield (a gsub callback) the call blocks and still works', async () => {
    await withRuntime({ functions: { up: (s: unknown) => String(s).toUpperCase() } }, async (rt) => {
      const values = await rt.run(`
        local lh = require "luahttp"
        local t = lh.spawn(function() return (("abc"):gsub("%w", up)) end)
        return t:wait(), up("x")`);
      expect(values).toEqual(['ABC', 'X']);
    });
  });
});

describe('limits across tasks', () => {
  test('maxConcurrentRequests bounds the requests in flight; the others queue instead of failing', async () => {
    server.reset();
    await withRuntime({ limits: { maxConcurrentRequests: 3 } }, async (rt) => {
      const values = await rt.run(`
        local lh = require "luahttp"
        local http = require "socket.http"
        local base, ts = ..., {}
        for i = 1, 12 do ts[i] = lh.spawn(function() return (http.request(base .. "/barrier/3")) end) end
        local n = 0
        for _, r in ipairs(lh.all(ts)) do if r[2] == "together 3" then n = n + 1 end end
        return n`, { args: [base] });
      expect(values).toEqual([12]);
      expect(server.peak()).toBe(3);
    });
  });

  test('a plain script holding connections over maxConcurrentRequests still ends with the limit', async () => {
    const silent = await startSilentServer();
    try {
      await withRuntime({ limits: { maxConcurrentRequests: 2 } }, async (rt) => {
        const code = `
          local socket = require("socket")
          local host, port = (...):match("//([^:]+):(%d+)")
          local a = assert(socket.connect(host, port))
          local b = assert(socket.connect(host, port))
          local c = assert(socket.connect(host, port))`;
        expect(await limitOf(rt.run(code, { args: [silent.url] }))).toBe('concurrentRequests');
        expect(await eventually(() => silent.open() === 0)).toBe(true);
      });
    } finally {
      await silent.close();
    }
  });

  test('a run ended by timeoutMs, abort or close with many tasks in flight leaves no connection open', async () => {
    const silent = await startSilentServer();
    const code = `
      local lh = require "luahttp"
      local http = require "socket.http"
      local url = ...
      for i = 1, 20 do lh.spawn(function() return http.request(url) end) end
      lh.sleep(60)`;
    try {
      await withRuntime({ limits: { timeoutMs: 3_000 } }, async (rt) => {
        const timed = limitOf(rt.run(code, { args: [silent.url] }));
        expect(await eventually(() => silent.requests() === 20)).toBe(true);
        expect(await timed).toBe('timeout');
        expect(await eventually(() => silent.open() === 0)).toBe(true);

        const ac = new AbortController();
        const run = rt.run(code, { args: [silent.url], signal: ac.signal });
        expect(await eventually(() => silent.requests() === 40)).toBe(true);
        ac.abort();
        await expect(run).rejects.toMatchObject({ name: 'AbortError' });
        expect(await eventually(() => silent.open() === 0)).toBe(true);

        const closing = rt.run(code, { args: [silent.url] });
        closing.catch(() => {});
        expect(await eventually(() => silent.requests() === 60)).toBe(true);
        await rt.close();
        await expect(closing).rejects.toThrow(/closed/);
        expect(await eventually(() => silent.open() === 0)).toBe(true);
      });
    } finally {
      await silent.close();
    }
  });

  test('cpuMs does not count the time every task waits, and still stops a loop while tasks wait', async () => {
    const g = gate(3);
    await withRuntime({ limits: { cpuMs: 300 }, functions: { slow: () => new Promise((r) => setTimeout(() => r('late'), 600)), together: g.fn } }, async (rt) => {
      expect(await rt.run(`
        local lh = require "luahttp"
        local ts = {}
        for i = 1, 3 do ts[i] = lh.spawn(function() return slow() end) end
        local r = lh.all(ts)
        return r[1][2], r[3][2]`)).toEqual(['late', 'late']);
      expect(await limitOf(rt.run(`
        local lh = require "luahttp"
        lh.spawn(function() return together() end)
        while true do end`))).toBe('cpu');
    });
  });
});

describe('tasks in a pool', () => {
  test('each slot runs its tasks concurrently, and two slots at once', async () => {
    server.reset();
    const pool = await createPool({ size: 2, network: { privateNetworks: true } });
    try {
      const code = `
        local lh = require "luahttp"
        local http = require "socket.http"
        local base, ts = ..., {}
        for i = 1, 5 do ts[i] = lh.spawn(function() return (http.request(base .. "/barrier/10")) end) end
        local n = 0
        for _, r in ipairs(lh.all(ts)) do if r[2] == "together 10" then n = n + 1 end end
        return n`;
      expect(await Promise.all([pool.run(code, { args: [base] }), pool.run(code, { args: [base] })])).toEqual([[5], [5]]);
      expect(server.peak()).toBeGreaterThanOrEqual(10);
    } finally {
      await pool.close();
    }
  });
});
