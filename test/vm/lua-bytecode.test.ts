// luahttp's Lua files load from the build's bytecode when it is fresh, and nothing a script can see
// changes: the chunk is named by the running path (not the build's), errors and tracebacks read the
// same as from source, and a changed source is parsed again.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { LuaApi, LUA_OK } from '../../src/vm/lua-api.js';
import { LuaChunks, LUA_BYTECODE_FILE } from '../../src/vm/lua-chunks.js';
import { buildLuaBytecode } from '../../src/vm/lua-bytecode-build.js';
import { replaceDumpSource } from '../../src/vm/lua-dump-source.js';
import { LuaVm, LUA_ROOT } from '../../src/vm/lua-vm.js';
import { PromiseTickets } from '../../src/vm/tickets.js';
import { ByteRing, createRing } from '../../src/channel/byte-ring.js';

const THROWER = `local M = {}
local function inner(x)
  error("boom " .. x)
end
function M.outer(x)
  inner(x)
  return 1
end
return M
`;
const FIXTURES: Record<string, string> = {
  'errs/thrower.lua': THROWER,
  'value.lua': 'return 1\n',
};
/** Whole seconds, so utimes can put back exactly the mtimeMs the build recorded. */
const MTIME = 1_700_000_000;

let api: LuaApi;
let L: number;
let tmp: string;
/** Built from tmp/build/lua: every run directory below is elsewhere. */
let archive: string;

function writeTree(root: string): void {
  for (const [name, text] of Object.entries(FIXTURES)) {
    const file = path.join(root, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    fs.utimesSync(file, MTIME, MTIME);
  }
}

let runs = 0;
/** A fresh copy of the fixtures, with the same sizes and mtimes as those the archive was built from. */
function runTree(): string {
  const root = path.join(tmp, `run${++runs}`, 'lua');
  writeTree(root);
  return root;
}

/** Loads name through chunks and runs it: [status, origin, results as text]. */
function runChunk(chunks: LuaChunks, name: string, driver = 'return (...)()'): [number, string | undefined, (string | null)[]] {
  api.m._lua_settop(L, 0);
  expect(api.load(L, Buffer.from(driver), '=driver')).toBe(LUA_OK);
  const st = chunks.load(api, L, name);
  if (st !== LUA_OK) return [st, chunks.origins.get(name), [api.toText(L, -1)]];
  expect(api.pcall(L, 1, 3)).toBe(LUA_OK);
  return [st, chunks.origins.get(name), [api.toText(L, 1), api.toText(L, 2), api.toText(L, 3)]];
}

/** What a script sees of the thrower: the error message, a traceback, the function's source name. */
const PROBE = `local M = (...)()
local _, msg = pcall(M.outer, 7)
local _, tb = xpcall(M.outer, debug.traceback, 7)
return msg, tb, debug.getinfo(M.outer, "S").source`;

beforeAll(async () => {
  api = await LuaApi.load();
  L = api.m._luaL_newstate();
  api.m._luaL_openlibs(L);
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-bytecode-'));
  const buildRoot = path.join(tmp, 'build', 'lua');
  writeTree(buildRoot);
  archive = path.join(tmp, 'lua-bytecode.bin');
  await buildLuaBytecode(buildRoot, archive);
});
afterAll(() => {
  api?.m._lua_close(L);
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('fresh bytecode', () => {
  test('is what loads: a same-size, same-mtime unparsable source still runs', () => {
    const root = runTree();
    const file = path.join(root, 'value.lua');
    fs.writeFileSync(file, '@'.repeat(fs.statSync(file).size));
    fs.utimesSync(file, MTIME, MTIME);
    expect(runChunk(new LuaChunks(root, archive), 'value.lua')).toEqual([LUA_OK, 'bytecode', ['1', null, null]]);
    // Without the archive the same file does not even parse.
    const [st, origin] = runChunk(new LuaChunks(root, path.join(tmp, 'absent.bin')), 'value.lua');
    expect([st === LUA_OK, origin]).toEqual([false, 'source']);
  });

  test('names the chunk by the running path, so errors and tracebacks read as from source', () => {
    const root = runTree();
    const fromBytecode = runChunk(new LuaChunks(root, archive), 'errs/thrower.lua', PROBE);
    const fromSource = runChunk(new LuaChunks(root, path.join(tmp, 'absent.bin')), 'errs/thrower.lua', PROBE);
    expect(fromBytecode[1]).toBe('bytecode');
    expect(fromSource[1]).toBe('source');
    const [msg, traceback, source] = fromBytecode[2];
    expect(msg).toBe(`${root}/errs/thrower.lua:3: boom 7`);
    expect(source).toBe(`@${root}/errs/thrower.lua`);
    expect(traceback).toContain(`${root}/errs/thrower.lua:6: in function <${root}/errs/thrower.lua:5>`);
    expect(fromBytecode[2]).toEqual(fromSource[2]);
  });

  test('an mtime changed by copying or npm, with the same bytes, still loads the bytecode', () => {
    const root = runTree();
    fs.utimesSync(path.join(root, 'value.lua'), MTIME + 60, MTIME + 60);
    expect(runChunk(new LuaChunks(root, archive), 'value.lua')).toEqual([LUA_OK, 'bytecode', ['1', null, null]]);
  });
});

describe('stale or unusable bytecode falls back to the source', () => {
  test('an edited source (same size, new mtime) is parsed', () => {
    const root = runTree();
    fs.writeFileSync(path.join(root, 'value.lua'), 'return 2\n');
    expect(runChunk(new LuaChunks(root, archive), 'value.lua')).toEqual([LUA_OK, 'source', ['2', null, null]]);
  });

  test('a source of another size is parsed, even with the recorded mtime', () => {
    const root = runTree();
    const file = path.join(root, 'value.lua');
    fs.writeFileSync(file, 'return 33\n');
    fs.utimesSync(file, MTIME, MTIME);
    expect(runChunk(new LuaChunks(root, archive), 'value.lua')).toEqual([LUA_OK, 'source', ['33', null, null]]);
  });

  test('a file the build did not see, a missing archive and a corrupt one are parsed', () => {
    const root = runTree();
    fs.writeFileSync(path.join(root, 'new.lua'), 'return "new"\n');
    expect(runChunk(new LuaChunks(root, archive), 'new.lua')).toEqual([LUA_OK, 'source', ['new', null, null]]);
    expect(runChunk(new LuaChunks(root, path.join(tmp, 'absent.bin')), 'value.lua')[1]).toBe('source');
    const corrupt = path.join(tmp, 'corrupt.bin');
    fs.writeFileSync(corrupt, fs.readFileSync(archive).subarray(0, 40));
    expect(runChunk(new LuaChunks(root, corrupt), 'value.lua')).toEqual([LUA_OK, 'source', ['1', null, null]]);
  });

  test('a missing source is an error even when its bytecode is fresh-looking', () => {
    const root = runTree();
    fs.rmSync(path.join(root, 'value.lua'));
    expect(() => new LuaChunks(root, archive).load(api, L, 'value.lua')).toThrow(/ENOENT/);
  });
});

describe('replaceDumpSource', () => {
  function dumpOf(src: string, chunkname: string): Uint8Array {
    api.m._lua_settop(L, 0);
    api.getGlobal(L, 'string');
    api.getField(L, -1, 'dump');
    expect(api.load(L, Buffer.from(src), chunkname)).toBe(LUA_OK);
    expect(api.pcall(L, 1, 1)).toBe(LUA_OK);
    return api.toBytes(L, -1)!;
  }

  test('sets the source of every function, with sizes that need more than one varint byte', () => {
    const long = `@/${'d/'.repeat(200)}x.lua`;
    const named = replaceDumpSource(dumpOf('local function f() return debug.getinfo(1, "S").source end return f(), debug.getinfo(1, "S").source', '@x.lua'), Buffer.from(long))!;
    api.m._lua_settop(L, 0);
    expect(api.load(L, named, long, 'b')).toBe(LUA_OK);
    expect(api.pcall(L, 0, 2)).toBe(LUA_OK);
    expect([api.toText(L, 1), api.toText(L, 2)]).toEqual([long, long]);
  });

  test('refuses what is not an unstripped dump of this engine', () => {
    const dump = dumpOf('return 1', '@x.lua');
    const otherVersion = Uint8Array.from(dump);
    otherVersion[4] = 0x53;
    expect(replaceDumpSource(otherVersion, Buffer.from('@y.lua'))).toBeNull();
    expect(replaceDumpSource(Buffer.from('return 1'), Buffer.from('@y.lua'))).toBeNull();
    expect(replaceDumpSource(dump.subarray(0, 33), Buffer.from('@y.lua'))).toBeNull();
    api.m._lua_settop(L, 0);
    api.getGlobal(L, 'string');
    api.getField(L, -1, 'dump');
    api.load(L, Buffer.from('return 1'), '@x.lua');
    api.pushBoolean(L, true);
    expect(api.pcall(L, 2, 1)).toBe(LUA_OK);
    expect(replaceDumpSource(api.toBytes(L, -1)!, Buffer.from('@y.lua'))).toBeNull();
  });
});

describe("luahttp's own files", () => {
  let real: string;
  beforeAll(async () => {
    real = path.join(tmp, 'real.bin');
    await buildLuaBytecode(LUA_ROOT, real);
  });

  test('every file under lua/ loads from bytecode to the same function as from source', () => {
    const dumps = (chunks: LuaChunks, name: string): Uint8Array => {
      api.m._lua_settop(L, 0);
      api.getGlobal(L, 'string');
      api.getField(L, -1, 'dump');
      expect(chunks.load(api, L, name)).toBe(LUA_OK);
      expect(api.pcall(L, 1, 1)).toBe(LUA_OK);
      return api.toBytes(L, -1)!;
    };
    const fromBytecode = new LuaChunks(LUA_ROOT, real);
    const fromSource = new LuaChunks(LUA_ROOT, path.join(tmp, 'absent.bin'));
    const names = ['runtime/boot.lua', 'runtime/io.lua', 'runtime/coroutines.lua', 'runtime/cli.lua', 'socket/http.lua', 'socket/url.lua', 'ltn12.lua', 'mime/core.lua'];
    for (const name of names) {
      expect(Buffer.from(dumps(fromBytecode, name)).equals(Buffer.from(dumps(fromSource, name))), name).toBe(true);
      expect(fromBytecode.origins.get(name), name).toBe('bytecode');
    }
  });

  test("boot and boot.lua's preloads both load through the VM's bytecode", async () => {
    // The VM reads the build's own archive: make it current for these sources.
    await buildLuaBytecode(LUA_ROOT, LUA_BYTECODE_FILE);
    const vm = await LuaVm.create({
      rpc: () => { throw new Error('no network in this test'); },
      ring: new ByteRing(createRing(64)),
      exit: (code) => { throw new Error(`exit ${code}`); },
      tickets: new PromiseTickets(async () => undefined),
    });
    try {
      expect(vm.api.load(vm.L, Buffer.from('require("socket.url"); return select(2, pcall(require("ltn12").pump.all))'), '=t')).toBe(LUA_OK);
      expect(vm.api.pcall(vm.L, 0, 1)).toBe(LUA_OK);
      const msg = vm.api.toText(vm.L, -1)!;
      expect(msg.startsWith(`${LUA_ROOT}/ltn12.lua:`) && / assertion failed!$/.test(msg), msg).toBe(true);
      for (const name of ['runtime/boot.lua', 'runtime/io.lua', 'runtime/coroutines.lua', 'socket/url.lua', 'ltn12.lua']) {
        expect(vm.chunks.origins.get(name), name).toBe('bytecode');
      }
    } finally {
      vm.close();
    }
  });
});
