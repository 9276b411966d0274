// The value rule (README "Embedding: values"), both ways: run() arguments and results, host function
// arguments and results. Copies only; strings stay byte-exact.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRuntime } from './library.js';
import type { Runtime } from '../../src/index.js';

let rt: Runtime;
let seen: unknown[] = [];
beforeAll(async () => {
  rt = await createRuntime({ functions: { keep: (...a) => { seen = a; }, give: (v) => v } });
});
afterAll(async () => { await rt.close(); });

const ALL_BYTES = Uint8Array.from({ length: 256 }, (_, i) => i);

describe('Lua -> JS', () => {
  test.each([
    ['nil', 'return nil', null],
    ['booleans', 'return true', true],
    ['an integer', 'return 42', 42],
    ['a float', 'return 0.5', 0.5],
    ['an integer beyond 2^53 as bigint', 'return math.maxinteger', 9223372036854775807n],
    ['a negative one', 'return math.mininteger', -9223372036854775808n],
    ['2^53 - 1 as number', 'return 9007199254740991', 9007199254740991],
    ['a UTF-8 string', 'return "héllo ✓"', 'héllo ✓'],
    ['an empty string', 'return ""', ''],
    ['a string with NUL', 'return "a\\0b"', 'a\0b'],
    ['invalid UTF-8 as bytes', 'return "\\255\\0X"', Uint8Array.from([255, 0, 88])],
    ['a sequence as an array', 'return { 1, "two", { 3 } }', [1, 'two', [3]]],
    ['a record as an object', 'return { a = 1, b = { c = true } }', { a: 1, b: { c: true } }],
    ['an empty table as an empty object', 'return {}', {}],
    ['a table with holes as an object with string keys', 'return { [1] = "a", [3] = "c" }', { 1: 'a', 3: 'c' }],
    ['a mixed table as an object', 'return { "a", x = 1 }', { 1: 'a', x: 1 }],
    ["cjson.null as null", 'return require("cjson").decode("{\\"a\\":null}").a', null],
  ])('%s', async (_name, code, want) => {
    expect(await rt.run(code)).toEqual([want]);
  });

  test('several results, nils included', async () => {
    expect(await rt.run('return 1, nil, 3')).toEqual([1, null, 3]);
  });

  test('all 256 byte values come out exact', async () => {
    const [s] = await rt.run('local t = {} for i = 0, 255 do t[#t + 1] = string.char(i) end return table.concat(t)');
    expect(s).toEqual(ALL_BYTES);
  });

  test('a leading BOM stays part of the string', async () => {
    expect(await rt.run('return "\\239\\187\\191x"')).toEqual(['\uFEFFx']);
  });

  test('host function arguments follow the same rule', async () => {
    await rt.run('keep(nil, 2^63, math.maxinteger, "\\200", { 1, 2 }, { k = "v" })');
    expect(seen).toEqual([null, 9223372036854775808, 9223372036854775807n, Uint8Array.from([200]), [1, 2], { k: 'v' }]);
  });

  test.each([
    ['a function', 'return print', /result #1: a function cannot be copied/],
    ['a coroutine', 'return coroutine.create(print)', /a thread cannot be copied/],
    ['a cycle', 'local t = {} t.self = t return t', /result #1\["self"\]: a table that contains itself/],
    ['a function inside a table', 'return { f = print }', /result #1\["f"\]: a function/],
    ['a table key', 'return { [{}] = 1 }', /a table key of type table/],
  ])('%s is a clear error', async (_name, code, want) => {
    await expect(rt.run(code)).rejects.toThrow(want);
  });
});

describe('JS -> Lua', () => {
  test.each([
    ['null', null, 'nil'],
    ['undefined', undefined, 'nil'],
    ['a boolean', false, 'boolean false'],
    ['an integer', 7, 'integer 7'],
    ['a float', 1.5, 'float 1.5'],
    ['-0 stays a float', -0, 'float -0.0'],
    ['a bigint', 2n ** 62n, 'integer 4611686018427387904'],
    ['a string', 'héllo', 'string héllo'],
    ['bytes', Uint8Array.from([0, 255]), 'string \u0000\u00ff'],
    ['an array', [1, [2]], 'table 1 2'],
    ['an object', { k: 'v' }, 'table v'],
  ])('%s', async (_name, value, want) => {
    const code = `
      local v = ...
      if v == nil then return "nil" end
      if type(v) == "number" then return math.type(v) .. " " .. tostring(v) end
      if type(v) == "table" then return "table " .. (v.k or (v[1] .. " " .. v[2][1])) end
      return type(v) .. " " .. tostring(v)`;
    const [got] = await rt.run(code, { args: [value] });
    expect(typeof got === 'string' ? got : Buffer.from(got as Uint8Array).toString('latin1')).toBe(want);
  });

  test('strings and bytes go there and back byte-exact', async () => {
    const text = 'naïve ✓ \u0000 end';
    expect(await rt.run('return ...', { args: [text, ALL_BYTES] })).toEqual([text, ALL_BYTES]);
    expect(await rt.run('return give(...)', { args: [ALL_BYTES] })).toEqual([ALL_BYTES]);
  });

  test('the chunk sees args as ...', async () => {
    expect(await rt.run('return select("#", ...), ...', { args: [1, 'a'] })).toEqual([2, 1, 'a']);
  });

  test.each([
    ['a function', [() => 1], /args\[0\]: a function cannot be copied/],
    ['a Map', [new Map()], /args\[0\]: a Map cannot be copied/],
    ['a Date inside an object', [{ when: new Date() }], /args\[0\]\.when: a Date/],
    ['a cycle', [(() => { const a: unknown[] = []; a.push(a); return a; })()], /args\[0\]\[0\]: a table that contains itself/],
    ['a bigint outside int64', [2n ** 64n], /outside the 64-bit integer range/],
  ])('%s is a clear error', async (_name, args, want) => {
    await expect(rt.run('return ...', { args })).rejects.toThrow(want);
  });
});
