// Limits hold against hostile scripts (issue 11 §2): each ends that run only with a LimitError, the
// app's event loop keeps running meanwhile, and the runtime runs again afterwards. Time bounds here
// are deliberately generous (the machine is shared); bench/ measures how fast a limit bites.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRuntime, LimitError, LuaError, collector } from './library.js';
import type { Runtime } from '../../src/index.js';

async function limitOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof LimitError) return e.limit;
    throw e;
  }
  throw new Error('the run ended without hitting a limit');
}

describe('timeoutMs and cpuMs', () => {
  let rt: Runtime;
  beforeAll(async () => { rt = await createRuntime({ functions: { pause: (ms) => new Promise((r) => setTimeout(r, ms as number)) } }); });
  afterAll(async () => { await rt.close(); });

  test.each([
    ['an endless loop', 'while true do end'],
    ['a pcall loop that swallows errors', 'while true do pcall(function() while true do end end) end'],
    ['a long C call (gsub over a big string)', 'local s = ("a"):rep(4e6) for i = 1, 1e6 do s:gsub("a", "%0") end'],
    ['long C calls (table.concat)', 'local t = {} for i = 1, 2e5 do t[i] = "xy" end while true do table.concat(t) end'],
    ['long C calls (string.rep)', 'while true do local s = ("abc"):rep(1e7) end'],
  ])('timeoutMs stops %s while the event loop keeps ticking', async (_name, code) => {
    let ticks = 0;
    const tick = setInterval(() => ticks++, 10);
    const started = performance.now();
    try {
      expect(await limitOf(rt.run(code, { timeoutMs: 300 }))).toBe('timeout');
    } finally {
      clearInterval(tick);
    }
    expect(performance.now() - started).toBeLessThan(300 + 3000);
    expect(ticks).toBeGreaterThan(5);
    expect(await rt.run('return "alive"')).toEqual(['alive']);
  });

  test('cpuMs stops a busy loop', async () => {
    const r = await createRuntime({ limits: { cpuMs: 100 } });
    try {
      expect(await limitOf(r.run('while true do end'))).toBe('cpu');
      expect(await r.run('return 1')).toEqual([1]);
    } finally {
      await r.close();
    }
  });

  test('cpuMs does not count time waiting for a host function', async () => {
    const r = await createRuntime({ limits: { cpuMs: 150 }, functions: { pause: (ms) => new Promise((res) => setTimeout(res, ms as number)) } });
    try {
      expect(await r.run('for i = 1, 5 do pause(100) end return "done"')).toEqual(['done']);
    } finally {
      await r.close();
    }
  });

  test('limits.timeoutMs applies to every run; run({ timeoutMs }) overrides it', async () => {
    const r = await createRuntime({ limits: { timeoutMs: 100 }, functions: { pause: (ms) => new Promise((res) => setTimeout(res, ms as number)) } });
    try {
      expect(await limitOf(r.run('pause(2000)'))).toBe('timeout');
      expect(await r.run('pause(300) return 2', { timeoutMs: 5000 })).toEqual([2]);
    } finally {
      await r.close();
    }
  });
});

describe('memoryBytes', () => {
  let rt: Runtime;
  // timeoutMs is only a backstop here: a heap filling up to the cap ends in many emergency collections
  // (each failed allocation runs a full one), 2.5 s on a quiet machine, 10–15 s at load 15–25.
  beforeAll(async () => { rt = await createRuntime({ limits: { memoryBytes: 64 * 1024 * 1024, timeoutMs: 90_000 } }); });
  afterAll(async () => { await rt.close(); });

  test.each([
    ['one huge string', 'local s = ("x"):rep(2^30)'],
    ['a growing table', 'local t = {} for i = 1, 1e9 do t[i] = ("x"):rep(100) .. i end'],
    ['a coroutine bomb', 'local t = {} while true do t[#t + 1] = coroutine.create(function() end) end'],
    ['string doubling', 'local s = "x" while true do s = s .. s end'],
  ])('%s ends with LimitError memory', async (_name, code) => {
    const before = process.memoryUsage().rss;
    expect(await limitOf(rt.run(code))).toBe('memory');
    // The host process stays well under the bomb: the cap is on the VM's wasm heap.
    expect(process.memoryUsage().rss - before).toBeLessThan(512 * 1024 * 1024);
    expect(await rt.run('return #("x"):rep(1000)')).toEqual([1000]);
  });

  test('a script that catches the memory error ends normally', async () => {
    const [ok, msg] = await rt.run('local ok, e = pcall(string.rep, "x", 2^30) return ok, e');
    expect(ok).toBe(false);
    expect(msg).toBe('not enough memory');
  });
});

describe('memoryBytes below the engine\'s initial 16 MiB', () => {
  test('caps the heap at that initial size', async () => {
    const rt = await createRuntime({ limits: { memoryBytes: 1024 } });
    try {
      expect(await rt.run('return #("x"):rep(1e6)')).toEqual([1e6]);
      await expect(rt.run('return #("x"):rep(32 * 1024 * 1024)')).rejects.toMatchObject({ name: 'LimitError', limit: 'memory' });
    } finally {
      await rt.close();
    }
  });
});

describe('recursion', () => {
  test("deep recursion is Lua's own stack overflow, and the runtime goes on", async () => {
    const rt = await createRuntime();
    try {
      await expect(rt.run('local function f() return 1 + f() end return f()')).rejects.toThrow(LuaError);
      await expect(rt.run('local function f() return 1 + f() end return f()')).rejects.toThrow(/stack overflow/);
      await expect(rt.run('local t = setmetatable({}, { __index = function(t, k) return t[k] end }) return t.x')).rejects.toThrow(/stack overflow/);
      expect(await rt.run('return 1')).toEqual([1]);
    } finally {
      await rt.close();
    }
  });
});

describe('maxOutputBytes', () => {
  test('huge output ends the run; only the allowed bytes are delivered', async () => {
    const out = collector();
    const rt = await createRuntime({ stdout: out.sink, stderr: out.sink, limits: { maxOutputBytes: 10_000 } });
    try {
      expect(await limitOf(rt.run('while true do io.write(("x"):rep(4096)) end'))).toBe('output');
      expect(out.bytes().length).toBe(10_000);
      expect(await limitOf(rt.run('while true do io.stderr:write("y") end'))).toBe('output');
      await rt.run('print("small")');
      expect(out.text().endsWith('small\n')).toBe(true);
    } finally {
      await rt.close();
    }
  });
});
