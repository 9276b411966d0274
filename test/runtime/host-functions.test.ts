// Host functions are plain blocking calls in every Lua context (issue 11 §1), answered on the app's
// thread by sync or async JS functions; a JS throw or rejection is a Lua error pcall can catch.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRuntime } from './library.js';
import type { Runtime } from '../../src/index.js';

let rt: Runtime;
const calls: unknown[][] = [];
beforeAll(async () => {
  rt = await createRuntime({
    functions: {
      twice: async (x) => { await new Promise((r) => setTimeout(r, 1)); return (x as number) * 2; },
      echo: (...args) => { calls.push(args); return args[0]; },
      fail: () => { throw new Error('no such user'); },
      reject: async () => { throw new Error('db down'); },
      nothing: () => undefined,
      db: { get: async (k) => ({ key: k, found: true }), nested: { deep: () => 'deep' } },
    },
    modules: { usesHost: 'local v = twice(21) return { v = v }' },
  });
});
afterAll(async () => { await rt.close(); });

describe('host functions in every Lua context', () => {
  test.each([
    ['top level', 'return twice(21)', 42],
    ['inside pcall', 'local ok, v = pcall(twice, 21) return ok and v', 42],
    ['inside a coroutine', 'local co = coroutine.wrap(function(a) coroutine.yield(twice(a)) end) return co(21)', 42],
    ['across coroutine.resume', 'local co = coroutine.create(function() local x = coroutine.yield(1) return twice(x) end) coroutine.resume(co) local _, v = coroutine.resume(co, 21) return v', 42],
    ['in a string.gsub callback', 'return (("1 2 3"):gsub("%d", function(d) return twice(tonumber(d)) end))', '2 4 6'],
    ['in a table.sort comparator', 'local t = {3, 1, 2} table.sort(t, function(a, b) return twice(a) < twice(b) end) return table.concat(t, ",")', '1,2,3'],
    ['in an __index metamethod', 'local t = setmetatable({}, { __index = function(_, k) return twice(k) end }) return t[21]', 42],
    ['in __tostring', 'return tostring(setmetatable({}, { __tostring = function() return "v" .. twice(21) end }))', 'v42'],
    ['in __lt', 'local mt = { __lt = function(a, b) return twice(a.v) < twice(b.v) end } return setmetatable({ v = 1 }, mt) < setmetatable({ v = 2 }, mt)', true],
    ['in __gc (collectgarbage)', 'local got setmetatable({}, { __gc = function() got = twice(21) end }) collectgarbage() collectgarbage() return got', 42],
    ['at require time', 'return require("usesHost").v', 42],
    ['inside load()ed code', 'return load("return twice(21)")()', 42],
    ['in a generic for iterator', 'local s = 0 for v in function(_, i) if i < 3 then return i + 1 end end, nil, 0 do s = s + twice(v) end return s', 12],
  ])('%s', async (_name, code, want) => {
    expect(await rt.run(code)).toEqual([want]);
  });

  test('nested tables of functions become Lua tables', async () => {
    expect(await rt.run('return db.get("k"), db.nested.deep(), type(db), type(db.get)')).toEqual([{ key: 'k', found: true }, 'deep', 'table', 'function']);
  });

  test('a function returning undefined returns no value to Lua', async () => {
    expect(await rt.run('return select("#", nothing())')).toEqual([0]);
  });

  test('all arguments reach the function, copied', async () => {
    calls.length = 0;
    await rt.run('echo(1, "two", { 3 }, nil, true)');
    expect(calls).toEqual([[1, 'two', [3], null, true]]);
  });
});

describe('a JS throw is a Lua error', () => {
  test('catchable by pcall, with the message only', async () => {
    expect(await rt.run('return pcall(fail)')).toEqual([false, 'no such user']);
    expect(await rt.run('return pcall(reject)')).toEqual([false, 'db down']);
  });

  test('uncaught, it fails the run with a LuaError', async () => {
    await expect(rt.run('fail()')).rejects.toMatchObject({ name: 'LuaError', message: 'no such user' });
  });

  test('passing a function to a host function is a Lua error naming the argument', async () => {
    const [ok, msg] = await rt.run('return pcall(echo, 1, print)');
    expect(ok).toBe(false);
    expect(msg).toMatch(/argument #2 to 'echo'.*a function cannot be copied/);
  });

  test('a result that breaks the value rule is a Lua error', async () => {
    const r = await createRuntime({ functions: { bad: () => new Map(), loop: () => { const o: Record<string, unknown> = {}; o.self = o; return o; } } });
    try {
      expect((await r.run('return pcall(bad)'))[1]).toMatch(/result of 'bad': a Map cannot be copied/);
      expect((await r.run('return pcall(loop)'))[1]).toMatch(/result of 'loop'.*contains itself/);
    } finally {
      await r.close();
    }
  });
});

describe('expose', () => {
  test('adds a function a later run can call, also after the VM was replaced', async () => {
    const r = await createRuntime({ limits: { timeoutMs: 2000 } });
    try {
      r.expose('greet', (name) => `hello ${name}`);
      expect(await r.run('return greet("lua")')).toEqual(['hello lua']);
      await expect(r.run('while true do end', { timeoutMs: 50 })).rejects.toMatchObject({ name: 'LimitError' });
      expect(await r.run('return greet("again")')).toEqual(['hello again']);
      r.expose('greet', { en: () => 'hi' });
      expect(await r.run('return greet.en()')).toEqual(['hi']);
    } finally {
      await r.close();
    }
  });
});
