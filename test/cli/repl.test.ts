// luahttp's interactive mode (lua/runtime/repl.lua) against lua5.4's (lua.c doREPL, Debian's build with
// readline): the same input, piped or on a pseudo-terminal, gives the same transcript; only the
// version banner differs (it names luahttp).
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { HAS_NATIVE_LUA, REPO_ROOT, runProcess } from '../oracle/lua-runner.js';
import { HAS_PTY, onTerminal } from '../support/terminal.js';

const BIN = path.join(REPO_ROOT, 'bin/luahttp.js');
const banner = (s: string): string => s.replace(/^Lua 5\.4\.\d+ {2}Copyright \(C\) 1994-20\d\d Lua\.org, PUC-Rio( \(luahttp [^)]*\))?\n/m, '<banner>\n');

/** stdout and stderr merged in one pipe, as a user sees them. */
async function transcript(cmd: string, args: string[], input: string, env: Record<string, string> = {}): Promise<string> {
  const r = await runProcess('sh', ['-c', `"$0" "$@" 2>&1`, cmd, ...args], 20_000, { stdin: input, env: { ...process.env, ...env } });
  return banner(r.stdout.toString('latin1')) + `[exit ${r.exitCode}]`;
}

const CASES: Record<string, { args?: string[]; input: string }> = {
  'expressions, =expr, statements and multi-line input': {
    input: 'x = 1\n=x\nreturn 1, nil, "s"\nx + 1\nfor i = 1, 2 do\nprint(i)\nend\nlocal t = {\n1,\n2 }\n=#t\n\n=nil\nreturn\n',
  },
  'errors: runtime with traceback, syntax, error objects, print failing': {
    input: 'error("boom")\n1 +\nerror({})\nerror(setmetatable({}, {__tostring = function() return "custom" end}))\nprint = nil\n=1\n',
  },
  'prompts from _PROMPT and _PROMPT2': {
    input: '_PROMPT = "lua> "\n_PROMPT2 = 7\nif true then\nend\n',
  },
  'os.exit ends the session with its status': {
    input: 'print("before")\nos.exit(3)\nprint("after")\n',
  },
  '-i after -e and a script': {
    args: ['-e', 'greeting = "hi"', 'SCRIPT', 'a1'],
    input: '=greeting\n=arg[1]\n=...\n',
  },
  'an incomplete chunk at end of input': {
    input: 'function f()\n',
  },
};

describe.skipIf(!HAS_NATIVE_LUA)('interactive mode (-i) with piped input', () => {
  for (const [name, c] of Object.entries(CASES)) {
    test(name, async () => {
      const script = path.join(REPO_ROOT, 'test/lua/cli-varargs.lua');
      const args = ['-i', ...(c.args ?? []).map((a) => (a === 'SCRIPT' ? script : a))];
      const [native, ours] = await Promise.all([
        transcript('lua5.4', args, c.input),
        transcript(process.execPath, [BIN, ...args], c.input),
      ]);
      expect(ours.replaceAll('luahttp:', 'lua5.4:')).toBe(native);
    });
  }
});

describe.skipIf(!HAS_PTY)('a bare luahttp on a terminal', () => {
  test('starts the REPL with the version banner, evaluates, and ends at end of input', async () => {
    const shown = (await onTerminal([process.execPath, BIN], '=1 + 1\nprint("x" .. 2)')).replace(/\r\n/g, '\n');
    expect(shown).toMatch(/^Lua 5\.4\.6 {2}Copyright \(C\) 1994-2023 Lua\.org, PUC-Rio \(luahttp [^)]+\)\n> /);
    expect(shown).toContain('> =1 + 1\n2\n> print("x" .. 2)\nx2\n> ');
    expect(shown).toMatch(/\[exit 0\]$/);
  }, 30_000);
});
