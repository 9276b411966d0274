// --progress: a meter on stderr for a body that takes more than a second, only when stderr is a
// terminal; without the flag, or with stderr redirected, the script's output is untouched.
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT, runProcess } from '../oracle/lua-runner.js';
import { HAS_PTY, onTerminal } from '../support/terminal.js';

const BIN = path.join(REPO_ROOT, 'bin/luahttp.js');
// 60 bytes dripped over 2.5 s by the bundled httpbin (Content-Length known: percent and ETA shown).
const SCRIPT = `local n = 0
local ok, code = require("socket.http").request{ url = "http://httpbin.org/drip?numbytes=60&duration=2.5",
  sink = function(c) if c then n = n + #c end return 1 end }
print("got", n, code)`;
const METER = /\r +\d+% {3}\d+ B of 60 B {3}\d+ B\/s {3}ETA \d+:\d\d\x1b\[K/;

describe.skipIf(!HAS_PTY)('--progress', () => {
  test('draws a meter on a terminal for a body lasting over a second, and ends its line', async () => {
    const shown = await onTerminal([process.execPath, BIN, '--progress', '--httpbin', '-e', SCRIPT], '');
    expect(shown).toMatch(METER);
    expect(shown).toMatch(/\r100% {3}60 B of 60 B .*\x1b\[K\r?\ngot\t60\t200\r?\n/);
  }, 30_000);

  test('draws nothing without the flag', async () => {
    const shown = await onTerminal([process.execPath, BIN, '--httpbin', '-e', SCRIPT], '');
    expect(shown).not.toMatch(/ETA/);
    expect(shown).toMatch(/got\t60\t200/);
  }, 30_000);
});

test('--progress draws nothing when stderr is not a terminal', async () => {
  const r = await runProcess(process.execPath, [BIN, '--progress', '--httpbin', '-e', SCRIPT], 30_000);
  expect(r.stderr).toBe('');
  expect(r.stdout.toString('latin1')).toBe('got\t60\t200\n');
});
