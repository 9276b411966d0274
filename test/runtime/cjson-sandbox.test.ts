// cjson needs no capability: it loads and works in the library's default (sandbox) profile, which
// removes `debug` after boot (cjson.null's metatable is set with a reference boot kept).
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createRuntime } from './library.js';
import type { Runtime } from '../../src/index.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await createRuntime();
});
afterAll(async () => {
  await rt.close();
});

test('cjson and cjson.safe work in the default profile', async () => {
  expect(await rt.run('local c = require("cjson") return c.encode({ 1, "a/b", true }), tostring(c.null), c.decode("[1.5,null]")[1]'))
    .toEqual(['[1,"a\\/b",true]', 'userdata: (nil)', 1.5]);
  expect(await rt.run('return require("cjson.safe").decode("[1,")')).toEqual([null, 'Expected value but found T_END at character 4']);
});
