// LuaError { message, traceback, value } with the script's chunk names and never an install path;
// PolicyError for an uncaught sandbox denial; an aborted signal rejects with an AbortError promptly.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRuntime, LuaError, PolicyError, REPO_ROOT } from './library.js';
import type { Runtime } from '../../src/index.js';

let rt: Runtime;
beforeAll(async () => { rt = await createRuntime({ functions: { wait: (ms) => new Promise((r) => setTimeout(r, ms as number)) } }); });
afterAll(async () => { await rt.close(); });

async function failure(p: Promise<unknown>): Promise<LuaError> {
  try {
    await p;
  } catch (e) {
    return e as LuaError;
  }
  throw new Error('the run did not fail');
}

describe('LuaError', () => {
  test('carries message, traceback and value, named by chunkName', async () => {
    const e = await failure(rt.run('local function f() error("boom") end\nf()', { chunkName: 'job.lua' }));
    expect(e).toBeInstanceOf(LuaError);
    expect(e.message).toBe('job.lua:1: boom');
    expect(e.value).toBe('job.lua:1: boom');
    expect(e.traceback).toMatch(/^job\.lua:1: boom\nstack traceback:\n/);
    expect(e.traceback).toContain("job.lua:1: in local 'f'");
  });

  test('an error table is copied as the value', async () => {
    const e = await failure(rt.run('error({ code = 7, why = "x" })'));
    expect(e.value).toEqual({ code: 7, why: 'x' });
    expect(e.message).toBe('(error object is a table value)');
  });

  test('a __tostring error object gives the message', async () => {
    const e = await failure(rt.run('error(setmetatable({}, { __tostring = function() return "custom" end }))'));
    expect(e.message).toBe('custom');
  });

  test('a syntax error is a LuaError', async () => {
    const e = await failure(rt.run('return +', { chunkName: 'bad.lua' }));
    expect(e).toBeInstanceOf(LuaError);
    expect(e.message).toMatch(/^bad\.lua:1: unexpected symbol/);
  });

  test("errors raised inside luahttp's own modules show luahttp/... and never the install path", async () => {
    const e = await failure(rt.run('local http = require("socket.http") http.request(nil)', { chunkName: 'job.lua' }));
    expect(e.message).toContain('luahttp/socket/http.lua');
    // In the traceback luahttp's frames read as the C function they stand for (lua/runtime/traceback.lua).
    expect(e.traceback).toMatch(/\n\t\[C\]: in [^\n]*\n\tjob\.lua:1: in main chunk/);
    expect(e.traceback).not.toContain(REPO_ROOT);
    expect(e.message).not.toContain(REPO_ROOT);
  });

  test('runFile names the chunk by its path', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-')), 'job.lua');
    fs.writeFileSync(file, 'local x = ...\nerror("bad " .. x)');
    const e = await failure(rt.runFile(file, { args: ['input'] }));
    expect(e.message).toMatch(/job\.lua:2: bad input$/);
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});

describe('PolicyError', () => {
  test('an uncaught sandbox denial', async () => {
    const e = await failure(rt.run('os.execute("true")'));
    expect(e).toBeInstanceOf(PolicyError);
    expect(e).toBeInstanceOf(LuaError);
    expect(e.message).toMatch(/os\.execute/);
  });

  test('a caught one is an ordinary Lua error', async () => {
    const [ok, msg] = await rt.run('return pcall(io.popen, "ls")');
    expect(ok).toBe(false);
    expect(msg).toMatch(/not allowed in the luahttp sandbox: io\.popen/);
  });
});

describe('signal', () => {
  test('aborting a busy run rejects with an AbortError, and the runtime runs again', async () => {
    const ac = new AbortController();
    const p = rt.run('while true do end', { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    expect(await rt.run('return 1')).toEqual([1]);
  });

  test('aborting while a host function is pending', async () => {
    const ac = new AbortController();
    const p = rt.run('wait(10000) return 1', { signal: ac.signal });
    setTimeout(() => ac.abort(), 50);
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
  });

  test('an already aborted signal rejects at once', async () => {
    await expect(rt.run('return 1', { signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
  });
});

describe('the app callbacks', () => {
  test('a stdout callback that throws ends the run with its error', async () => {
    const r = await createRuntime({ stdout: () => { throw new Error('sink broke'); } });
    try {
      await expect(r.run('print("x") return 1')).rejects.toThrow('sink broke');
      expect(await r.run('return 2')).toEqual([2]);
    } finally {
      await r.close();
    }
  });
});

describe('signal while waiting', () => {
  test('a run aborted while queued behind another rejects at once', async () => {
    const r = await createRuntime();
    try {
      const long = r.run('local t = os.time() while os.time() - t < 2 do end return "long"');
      const ac = new AbortController();
      const queued = r.run('return "queued"', { signal: ac.signal });
      ac.abort();
      let settledFirst = '';
      await Promise.race([queued.catch(() => { settledFirst ||= 'queued'; }), long.then(() => { settledFirst ||= 'long'; })]);
      expect(settledFirst).toBe('queued');
      await expect(queued).rejects.toMatchObject({ name: 'AbortError' });
      expect(await long).toEqual(['long']);
    } finally {
      await r.close();
    }
  });

  test('a pool run aborted while waiting for a runtime rejects at once', async () => {
    const { createPool } = await import('./library.js');
    const pool = await createPool({ size: 1 });
    try {
      const long = pool.run('local t = os.time() while os.time() - t < 2 do end return "long"');
      const ac = new AbortController();
      const waiting = pool.run('return 1', { signal: ac.signal });
      ac.abort();
      let settledFirst = '';
      await Promise.race([waiting.catch(() => { settledFirst ||= 'waiting'; }), long.then(() => { settledFirst ||= 'long'; })]);
      expect(settledFirst).toBe('waiting');
      expect(await long).toEqual(['long']);
      expect(await pool.run('return 2')).toEqual([2]);
    } finally {
      await pool.close();
    }
  });
});
