// `luahttp [options] [script [args]]` behaves like `lua5.4 [options] [script [args]]` (lua.c): each
// case runs both with the same arguments, environment, working directory and stdin, and compares
// stdout, stderr and the exit code after replacing the program name (`lua5.4` → `luahttp`).
// Native lua5.4 is the oracle here directly (it is installed wherever the oracle runs, see .ci/run).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HAS_NATIVE_LUA, REPO_ROOT, runProcess, type RunOptions, type RunResult } from '../oracle/lua-runner.js';

const BIN = path.join(REPO_ROOT, 'bin/luahttp.js');
const TIMEOUT_MS = 20_000;

interface Outcome { stdout: string; stderr: string; exit: number | null }

function outcome(r: RunResult): Outcome {
  if (r.timedOut) throw new Error(`timed out after ${TIMEOUT_MS} ms\nstderr: ${r.stderr}`);
  return { stdout: r.stdout.toString('latin1'), stderr: r.stderr, exit: r.exitCode };
}

function luahttp(args: string[], opts: RunOptions = {}): Promise<Outcome> {
  return runProcess(process.execPath, [BIN, ...args], TIMEOUT_MS, { cwd: dir, stdin: '', ...opts }).then(outcome);
}

/** Native lua5.4 with its program name replaced, so its output reads as luahttp's should. */
async function native(args: string[], opts: RunOptions = {}): Promise<Outcome> {
  const o = outcome(await runProcess('lua5.4', args, TIMEOUT_MS, { cwd: dir, stdin: '', ...opts }));
  const rename = (s: string) => s.replace(/\blua5\.4\b/g, 'luahttp');
  return { stdout: rename(o.stdout), stderr: rename(o.stderr), exit: o.exit };
}

async function expectSameAsNative(args: string[], opts: RunOptions = {}): Promise<Outcome> {
  const [want, got] = await Promise.all([native(args, opts), luahttp(args, opts)]);
  expect(got).toEqual(want);
  return got;
}

// A scratch directory with the scripts and modules the cases use; every process runs in it.
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-cli-'));
  const files: Record<string, string> = {
    'mymod.lua': 'return { name = "mymod", loaded_as = ..., file = select(2, ...) }\n',
    'mods/libmod.lua': 'return { name = "libmod" }\n',
    'mods/badmod.lua': 'x = = 1\n',
    'init.lua': 'print("init file", ...)\n',
    'showargs.lua': 'print("args", select("#", ...), ...)\nfor i = -3, #arg do io.write(i, "=", tostring(arg[i]), " ") end\nprint()\n',
    'syntax-error.lua': 'print("never")\nlocal x = = 1\n',
    'require-cwd.lua': 'local m, where = require("mymod")\nprint(m.name, m.loaded_as, m.file, where)\nprint(select("#", require("mymod")), (select(2, require("mymod"))))\n',
    'errors.lua': [
      'local kind = ...',
      'local function inner(v) error(v) end',
      'local objects = {',
      '  table = {},',
      '  tostring = setmetatable({}, { __tostring = function() return "custom error object" end }),',
      '  tostring_number = setmetatable({}, { __tostring = function() return 42 end }),',
      '  named = setmetatable({}, { __name = "MyType" }),',
      '  string = "plain message",',
      '  number = 42,',
      '  float = 4.5,',
      '  boolean = true,',
      '}',
      'if kind == "nil" then inner(nil) end',
      'inner(objects[kind])',
      '',
    ].join('\n'),
  };
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  fs.mkdirSync(path.join(dir, 'sub'));
});
afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!HAS_NATIVE_LUA)('options as lua.c', () => {
  test('-e stat runs each statement in order, before the script', async () => {
    await expectSameAsNative(['-e', 'print(1 + 1)', '-eio.write("joined\\n")', 'showargs.lua', 'a']);
  });

  test('-l mod requires into the global mod', async () => {
    const r = await expectSameAsNative(['-l', 'mymod', '-e', 'print(mymod.name, mymod.loaded_as)']);
    expect(r.stdout).toBe('mymod\tmymod\n');
  });

  test('-l g=mod requires mod into the global g (lua 5.4.4 has it too)', async () => {
    const r = await expectSameAsNative(['-lg=mymod', '-e', 'print(g.name, mymod)']);
    expect(r.stdout).toBe('mymod\tnil\n');
  });

  // Regression test (fixed): cli.lua calls require from a Lua closure, so require's error gets that closure's
  // position ("…/lua/runtime/cli.lua:69: module 'nosuchmod' not found") and the traceback shows
  // cli.lua frames; lua.c calls require directly from C (no position, "[C]: in ?").
  test('-l of a missing module: the error and traceback of lua.c', async () => {
    await expectSameAsNative(['-l', 'nosuchmod']);
  });

  test('-l of a missing module: exit 1 and the "not found" list', async () => {
    const [want, got] = await Promise.all([native(['-l', 'nosuchmod']), luahttp(['-l', 'nosuchmod'])]);
    expect(got.exit).toBe(1);
    const notFound = (s: string) => s.slice(s.indexOf("module 'nosuchmod' not found:"), s.indexOf('stack traceback:'));
    expect(notFound(got.stderr)).toBe(notFound(want.stderr));
  });

  test('-v prints a version line containing "Lua 5.4" and exits 0', async () => {
    const r = await luahttp(['-v']);
    expect(r).toMatchObject({ exit: 0, stderr: '' });
    expect(r.stdout).toMatch(/^Lua 5\.4[^\n]*\n$/);
    const native54 = await native(['-v']);
    expect(native54.stdout).toMatch(/^Lua 5\.4/);
  });

  test('-v with a script prints the version, then runs the script', async () => {
    const r = await luahttp(['-v', 'showargs.lua', 'x']);
    const n = await native(['-v', 'showargs.lua', 'x']);
    expect(r.exit).toBe(0);
    expect(r.stdout.split('\n').slice(1)).toEqual(n.stdout.split('\n').slice(1));
  });

  test('-v does not read stdin', async () => {
    const r = await luahttp(['-v'], { stdin: 'print("from stdin")\n' });
    expect(r.stdout).not.toContain('from stdin');
  });

  test('the arg table and ... around -e and a script', async () => {
    await expectSameAsNative(['-e', 'x=1', 'showargs.lua', '-e', 'y', '--', 'z']);
    await expectSameAsNative(['showargs.lua']);
  });

  test('-- ends the options; what follows is the script', async () => {
    await expectSameAsNative(['--', 'showargs.lua', 'a', '--', 'b']);
  });

  test('- runs stdin with the remaining arguments', async () => {
    const r = await expectSameAsNative(['-', 'x', 'y'], { stdin: 'print("stdin", ...) print(arg[0], arg[-1])\n' });
    expect(r.stdout).toBe('stdin\tx\ty\n-\tluahttp\n');
  });

  test('-- - names a file called "-"', async () => {
    const r = await expectSameAsNative(['--', '-', 'x'], { stdin: 'print("stdin")\n' });
    expect(r.exit).toBe(1);
  });

  test('-- alone, and no script at all, run stdin when it is not a terminal', async () => {
    const stdin = 'print("from stdin", select("#", ...), arg[0])\n';
    expect((await expectSameAsNative(['--'], { stdin })).stdout).toBe('from stdin\t0\tluahttp\n');
    expect((await expectSameAsNative([], { stdin })).stdout).toBe('from stdin\t0\tluahttp\n');
  });

  test('-e alone does not read stdin', async () => {
    const r = await expectSameAsNative(['-e', 'print("e only")'], { stdin: 'print("from stdin")\n' });
    expect(r.stdout).toBe('e only\n');
  });

  test('errors and syntax errors in a script read from stdin are named stdin', async () => {
    await expectSameAsNative(['-'], { stdin: 'error("in stdin")\n' });
    await expectSameAsNative(['-'], { stdin: 'x = = 1\n' });
  });

  test('unknown option: usage on stderr, exit 1', async () => {
    for (const bad of [['-x'], ['--x'], ['-vx'], ['-e']]) {
      const [want, got] = await Promise.all([native(bad), luahttp(bad)]);
      expect(got.exit, bad.join(' ')).toBe(1);
      expect(got.stdout, bad.join(' ')).toBe('');
      // luahttp's usage is lua.c's plus its own options
      expect(got.stderr.startsWith(want.stderr), `${bad.join(' ')}\n${got.stderr}\n--- native\n${want.stderr}`).toBe(true);
    }
  });

  test('--help lists --httpbin and --connect-to on stdout, exit 0', async () => {
    const r = await luahttp(['--help']);
    expect(r.exit).toBe(0);
    expect(r.stdout).toContain('--httpbin');
    expect(r.stdout).toContain('--connect-to');
    expect(r.stdout).toMatch(/^usage: luahttp /);
  });
});

describe.skipIf(!HAS_NATIVE_LUA)('environment as lua.c', () => {
  test('LUA_INIT runs before -e and the script', async () => {
    const r = await expectSameAsNative(['-e', 'print("e")'], { env: { LUA_INIT: 'print("init")' } });
    expect(r.stdout).toBe('init\ne\n');
  });

  test('LUA_INIT_5_4 wins over LUA_INIT', async () => {
    const r = await expectSameAsNative(['-e', 'print("e")'], { env: { LUA_INIT: 'print("init")', LUA_INIT_5_4: 'print("init54")' } });
    expect(r.stdout).toBe('init54\ne\n');
  });

  test('LUA_INIT=@file runs the file, LUA_INIT_5_4=@file too', async () => {
    expect((await expectSameAsNative(['-e', 'print("e")'], { env: { LUA_INIT: '@init.lua' } })).stdout).toBe('init file\ne\n');
    expect((await expectSameAsNative(['-e', 'print("e")'], { env: { LUA_INIT_5_4: '@init.lua' } })).stdout).toBe('init file\ne\n');
  });

  test('an error in LUA_INIT stops before the script, exit 1', async () => {
    await expectSameAsNative(['showargs.lua'], { env: { LUA_INIT: 'error("boom")' } });
    await expectSameAsNative(['showargs.lua'], { env: { LUA_INIT: '@missing-init.lua' } });
    await expectSameAsNative(['showargs.lua'], { env: { LUA_INIT: 'x = = 1' } });
  });

  test('-E ignores LUA_INIT, LUA_INIT_5_4, LUA_PATH and LUA_PATH_5_4', async () => {
    const env = { LUA_INIT: 'print("init")', LUA_INIT_5_4: 'print("init54")', LUA_PATH: '/nothing/?.lua', LUA_PATH_5_4: '/nothing54/?.lua' };
    const r = await expectSameAsNative(['-E', '-e', 'print(package.path)'], { env });
    expect(r.stdout).not.toMatch(/^init/m);
    expect(r.stdout).not.toContain('/nothing');
  });

  test('LUA_PATH_5_4 with ";;" inserts the default path, and wins over LUA_PATH', async () => {
    const r = await expectSameAsNative(['-e', 'print(package.path)'], { env: { LUA_PATH_5_4: '/x/?.lua;;/y/?.lua', LUA_PATH: '/z/?.lua' } });
    expect(r.stdout).toMatch(/^\/x\/\?\.lua;.*;\.\/\?\.lua;.*;\/y\/\?\.lua\n$/);
    expect(r.stdout).not.toContain('/z/');
  });

  test('LUA_PATH alone, ";;" at the end', async () => {
    await expectSameAsNative(['-e', 'print(package.path)'], { env: { LUA_PATH: `${dir}/mods/?.lua;;` } });
  });
});

describe.skipIf(!HAS_NATIVE_LUA)('scripts, require and errors as lua.c', () => {
  test('a syntax error in the script: "luahttp: file:line: msg", exit 1', async () => {
    const r = await expectSameAsNative(['syntax-error.lua']);
    expect(r).toEqual({ stdout: '', stderr: "luahttp: syntax-error.lua:2: unexpected symbol near '='\n", exit: 1 });
  });

  test('a syntax error in -e', async () => {
    await expectSameAsNative(['-e', 'x =']);
  });

  test('a script that does not exist', async () => {
    const r = await expectSameAsNative(['no-such-script.lua', 'a']);
    expect(r).toEqual({ stdout: '', stderr: 'luahttp: cannot open no-such-script.lua: No such file or directory\n', exit: 1 });
  });

  // Regression test (fixed): lauxlib's loadfile opens a directory fine and fails on the first read
  // ("cannot read sub: Is a directory"); luahttp reports "cannot open sub: Is a directory".
  test('a script that is a directory', async () => {
    await expectSameAsNative(['sub']);
  });

  test('require finds a module in the working directory through ./?.lua, with its file name as 2nd value', async () => {
    const r = await expectSameAsNative(['require-cwd.lua']);
    // a module already in package.loaded comes back alone (5.4's ll_require returns 1 value)
    expect(r.stdout).toBe('mymod\tmymod\t./mymod.lua\t./mymod.lua\n1\tnil\n');
  });

  test('require through LUA_PATH gives the full file name as 2nd value', async () => {
    const r = await expectSameAsNative(['-e', 'local m, f = require("libmod") print(m.name, f)'], { env: { LUA_PATH: `${dir}/mods/?.lua;;` } });
    expect(r.stdout).toBe(`libmod\t${dir}/mods/libmod.lua\n`);
  });

  test('./?.lua is relative to the working directory, not to the script', async () => {
    await expectSameAsNative(['../require-cwd.lua'], { cwd: path.join(dir, 'sub') });
  });

  test('a module with a syntax error: the message of lua.c', async () => {
    const env = { LUA_PATH: `${dir}/mods/?.lua` };
    const script = 'local ok, e = pcall(require, "badmod") print(ok, e)';
    await expectSameAsNative(['-e', script], { env });
  });

  describe('error objects reach stderr by lua.c msghandler rules', () => {
    // string: message + traceback; table with a __tostring returning a string: that string, no
    // traceback; any other non-string (a number converts): "(error object is a X value)" + traceback.
    const working = ['table', 'tostring', 'named', 'string', 'boolean', 'nil'];
    test.each(working)('%s', async (kind) => {
      const r = await expectSameAsNative(['errors.lua', kind]);
      expect(r.exit).toBe(1);
    });

    // Regression test (fixed): lua.c's msghandler takes lua_tostring of a number error object ("luahttp: 42"
    // + traceback); luahttp's cli.lua says "(error object is a number value)".
    test.each(['number', 'float'])('%s', async (kind) => {
      await expectSameAsNative(['errors.lua', kind]);
    });

    // Regression test (fixed): a __tostring that returns a non-string is ignored by lua.c's msghandler
    // ("(error object is a table value)" + traceback); luahttp prints "luahttp: 42".
    test('tostring_number', async () => {
      await expectSameAsNative(['errors.lua', 'tostring_number']);
    });

    test('the same rules for -e', async () => {
      await expectSameAsNative(['-e', 'error({})']);
      await expectSameAsNative(['-e', 'error(setmetatable({}, { __tostring = function() return "TS" end }))']);
      await expectSameAsNative(['-e', 'error("msg")']);
    });
  });
});
