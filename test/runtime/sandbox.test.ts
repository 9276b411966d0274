// The library's default profile (issue 11 §4): no files, processes, disk require, debug or binary
// chunks; fs grants checked by real path; env is what os.getenv sees; os.exit ends the run only.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRuntime, LuaError } from './library.js';
import type { Runtime } from '../../src/index.js';

let tmp: string;
let rt: Runtime;
beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-sandbox-'));
  fs.writeFileSync(path.join(tmp, 'secret.txt'), 'secret');
  rt = await createRuntime();
});
afterAll(async () => {
  await rt.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('default profile', () => {
  test('io.open and io.lines on files are refused', async () => {
    expect(await rt.run(`return io.open(...)`, { args: [path.join(tmp, 'secret.txt')] })).toEqual([null, `${path.join(tmp, 'secret.txt')}: Permission denied`, 13]);
    expect(await rt.run('return io.open("/etc/passwd", "r")')).toEqual([null, '/etc/passwd: Permission denied', 13]);
    expect(await rt.run(`return io.open(..., "w")`, { args: [path.join(tmp, 'new.txt')] })).toEqual([null, `${path.join(tmp, 'new.txt')}: Permission denied`, 13]);
    await expect(rt.run('for l in io.lines("/etc/passwd") do end')).rejects.toThrow(/Permission denied/);
    expect(fs.existsSync(path.join(tmp, 'new.txt'))).toBe(false);
  });

  test.each([
    ['os.execute', 'os.execute("touch /tmp/x")'],
    ['io.popen', 'io.popen("ls")'],
    ['os.tmpname', 'os.tmpname()'],
    ['io.tmpfile', 'io.tmpfile()'],
    ['package.loadlib', 'package.loadlib("x", "y")'],
  ])('%s is refused', async (name, code) => {
    await expect(rt.run(code)).rejects.toThrow(new RegExp(`not allowed in the luahttp sandbox: ${name.replace('.', '\\.')}`));
  });

  test('os.remove and os.rename fail as the OS would refuse them', async () => {
    const file = path.join(tmp, 'secret.txt');
    expect(await rt.run('return os.remove(...)', { args: [file] })).toEqual([null, `${file}: Permission denied`, 13]);
    expect(await rt.run('return os.rename(..., "/tmp/stolen")', { args: [file] })).toEqual([null, `${file}: Permission denied`, 13]);
    expect(fs.readFileSync(file, 'latin1')).toBe('secret');
  });

  test('no debug library, loadfile or dofile', async () => {
    expect(await rt.run('return debug, package.loaded.debug, loadfile, dofile')).toEqual([null, null, null, null]);
  });

  test('load accepts text chunks only', async () => {
    expect(await rt.run('return load("return 1")()')).toEqual([1]);
    const [f, msg] = await rt.run('return load(string.dump(function() return 1 end))');
    expect(f).toBeNull();
    expect(msg).toMatch(/attempt to load a binary chunk/);
    expect((await rt.run('return load(string.dump(function() return 1 end), "x", "b")'))[1]).toMatch(/binary chunk/);
  });

  test('the string metatable is read-only', async () => {
    await expect(rt.run('getmetatable("").__index = {}')).rejects.toThrow(/read-only/);
    await expect(rt.run('getmetatable("").__add = function() end')).rejects.toThrow(/read-only/);
    expect(await rt.run('return getmetatable("").__index == string, ("x"):rep(3)')).toEqual([true, 'xxx']);
  });

  test('require does not read the disk', async () => {
    await expect(rt.run('require("socket.http_nothere")')).rejects.toThrow(/module 'socket\.http_nothere' not found/);
    // LuaSocket's files are on this machine's package.path for lua5.4; the sandbox's path is empty.
    expect(await rt.run('return package.path, package.cpath')).toEqual(['', '']);
  });

  test('os.getenv sees nothing by default', async () => {
    expect(await rt.run('return os.getenv("PATH"), os.getenv("HOME")')).toEqual([null, null]);
  });

  test('io.read sees an empty stdin', async () => {
    expect(await rt.run('return io.read("a"), io.read("l")')).toEqual(['', null]);
  });

  test('LuaSocket, LuaSec and ltn12 load', async () => {
    expect(await rt.run('return type(require("socket.http").request), type(require("ssl.https").request), type(require("ltn12").pump.all), require("socket")._VERSION'))
      .toEqual(['function', 'function', 'function', 'LuaSocket 3.0.0']);
  });

  test('cjson and luahttp tasks work without the debug library', async () => {
    expect(await rt.run('local cjson = require("cjson") return cjson.encode({ a = { 1, 2 } }), cjson.decode("[1,2]")')).toEqual(['{"a":[1,2]}', [1, 2]]);
    expect(await rt.run('local lh = require("luahttp") local t = lh.spawn(function(x) return x * 2 end, 21) return t:wait()')).toEqual([42]);
  });

  test('os.exit ends the run, not the process, and the runtime runs again', async () => {
    expect(await rt.run('x = 1 os.exit(0) return 2')).toEqual([]);
    const e = await rt.run('os.exit(3)').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(LuaError);
    expect((e as LuaError).value).toBe(3);
    expect(await rt.run('return x')).toEqual([null]); // a fresh VM
  });
});

describe('options', () => {
  test('env is what os.getenv sees', async () => {
    const r = await createRuntime({ env: { API_URL: 'http://x' } });
    try {
      expect(await r.run('return os.getenv("API_URL"), os.getenv("PATH")')).toEqual(['http://x', null]);
    } finally {
      await r.close();
    }
  });

  test('fs grants: read and write inside the directories, by real path', async () => {
    const readDir = path.join(tmp, 'in');
    const writeDir = path.join(tmp, 'out');
    fs.mkdirSync(readDir);
    fs.mkdirSync(writeDir);
    fs.writeFileSync(path.join(readDir, 'data.txt'), 'data');
    // A symlink inside a granted directory that points outside it grants nothing.
    fs.symlinkSync(path.join(tmp, 'secret.txt'), path.join(readDir, 'link.txt'));
    const r = await createRuntime({ fs: { read: [readDir], write: [writeDir] } });
    try {
      expect(await r.run('local f = assert(io.open(... .. "/data.txt")) return f:read("a")', { args: [readDir] })).toEqual(['data']);
      expect((await r.run('return io.open(... .. "/link.txt")', { args: [readDir] }))[1]).toMatch(/Permission denied/);
      expect((await r.run('return io.open(... .. "/../secret.txt")', { args: [readDir] }))[1]).toMatch(/Permission denied/);
      expect((await r.run('return io.open(... .. "/x.txt", "w")', { args: [readDir] }))[1]).toMatch(/Permission denied/);
      await r.run('local f = assert(io.open(... .. "/result.txt", "w")) f:write("ok") f:close()', { args: [writeDir] });
      expect(fs.readFileSync(path.join(writeDir, 'result.txt'), 'latin1')).toBe('ok');
      expect(await r.run('return os.rename(... .. "/result.txt", ... .. "/moved.txt")', { args: [writeDir] })).toEqual([true]);
      expect(await r.run('return os.remove(... .. "/moved.txt")', { args: [writeDir] })).toEqual([true]);
    } finally {
      await r.close();
    }
  });

  test('modules and packagePath feed require', async () => {
    const libDir = path.join(tmp, 'lib');
    fs.mkdirSync(path.join(libDir, 'pkg'), { recursive: true });
    fs.writeFileSync(path.join(libDir, 'helper.lua'), 'return { name = "helper" }');
    fs.writeFileSync(path.join(libDir, 'pkg', 'init.lua'), 'return { name = "pkg" }');
    const r = await createRuntime({ modules: { config: 'return { url = "x" }', bad: 'error("broken")' }, packagePath: [libDir] });
    try {
      expect(await r.run('return require("config").url, require("helper").name, require("pkg").name')).toEqual(['x', 'helper', 'pkg']);
      await expect(r.run('require("bad")')).rejects.toThrow(/bad:1: broken/);
      // Module directories are for require only: io.open still refuses them.
      expect((await r.run('return io.open(...)', { args: [path.join(libDir, 'helper.lua')] }))[1]).toMatch(/Permission denied/);
    } finally {
      await r.close();
    }
  });
});

describe('files luahttp reads for the script', () => {
  test('lfs is not available (it works on the real filesystem past the grants)', async () => {
    await expect(rt.run('require("lfs")')).rejects.toThrow(/not allowed in the luahttp sandbox: lfs/);
  });

  test('TLS file options must lie inside the fs grants', async () => {
    await expect(rt.run('require("ssl").newcontext({ mode = "client", protocol = "any", cafile = "/etc/ssl/certs/ca-certificates.crt" })'))
      .rejects.toThrow(/cafile '\/etc\/ssl\/certs\/ca-certificates.crt' is outside the fs grants/);
    await expect(rt.run('require("ssl.https").request({ url = "https://127.0.0.1:1/", key = "/etc/ssl/private/x.pem" })'))
      .rejects.toThrow(/key '\/etc\/ssl\/private\/x.pem' is outside the fs grants/);
    await expect(rt.run('require("socket.http").request({ url = "https://127.0.0.1:1/", certificate = "/etc/passwd" })'))
      .rejects.toThrow(/certificate '\/etc\/passwd' is outside the fs grants/);
    const r = await createRuntime({ fs: { read: [tmp], write: [] } });
    try {
      expect(await r.run('return require("ssl").newcontext({ mode = "client", protocol = "any", cafile = ... }) ~= nil', { args: [path.join(tmp, 'secret.txt')] })).toEqual([true]);
    } finally {
      await r.close();
    }
  });
});
