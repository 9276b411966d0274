// The parts of the command line that are luahttp's own: --version and -h, switches that refuse a
// value, and `luahttp httpbin`'s help, usage errors and busy port (one line each, no stack trace).
import net from 'node:net';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT, runProcess } from '../oracle/lua-runner.js';

const BIN = path.join(REPO_ROOT, 'bin/luahttp.js');
async function luahttp(...args: string[]): Promise<{ stdout: string; stderr: string; exit: number | null }> {
  const r = await runProcess(process.execPath, [BIN, ...args], 20_000, { stdin: '' });
  return { stdout: r.stdout.toString('latin1'), stderr: r.stderr, exit: r.exitCode };
}

describe('luahttp options', () => {
  test('--version prints luahttp\'s version line; -v keeps lua\'s banner', async () => {
    const v = await luahttp('--version');
    expect(v).toEqual({ stdout: expect.stringMatching(/^luahttp \d+\.\d+\.\d+ \(Lua 5\.4\.6 on wasmoon, .*Node v\d+/), stderr: '', exit: 0 });
    expect((await luahttp('-v')).stdout).toMatch(/^Lua 5\.4\.6 {2}Copyright/);
  });

  test('-h and --help print the option list, -i included', async () => {
    for (const flag of ['-h', '--help']) {
      const r = await luahttp(flag);
      expect(r.exit).toBe(0);
      expect(r.stdout).toMatch(/^usage: luahttp \[options\] \[script \[args\]\]\n/);
      expect(r.stdout).toContain("-i        enter interactive mode after executing 'script'");
      expect(r.stdout).toContain('--version');
    }
  });

  test('a switch given a value is refused, never read as on', async () => {
    const r = await luahttp('--httpbin=no', '-e', 'print(1)');
    expect(r.exit).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^luahttp: option '--httpbin' takes no value \(got '--httpbin=no'\)\nusage:/);
  });
});

describe('luahttp httpbin', () => {
  test('--help', async () => {
    const r = await luahttp('httpbin', '--help');
    expect(r.exit).toBe(0);
    expect(r.stdout).toMatch(/^usage: luahttp httpbin \[--port N\] \[--host H\]\n/);
    expect(r.stdout).toContain('default 0: a free port');
  });

  test('usage errors are one line and exit 2', async () => {
    expect(await luahttp('httpbin', '--port', 'abc')).toEqual({ stdout: '', stderr: "luahttp httpbin: bad port 'abc': a number from 0 to 65535 (usage: luahttp httpbin [--port N] [--host H])\n", exit: 2 });
    expect(await luahttp('httpbin', '--bogus')).toEqual({ stdout: '', stderr: "luahttp httpbin: unknown option '--bogus' (usage: luahttp httpbin [--port N] [--host H])\n", exit: 2 });
    expect(await luahttp('httpbin', '--port')).toEqual({ stdout: '', stderr: "luahttp httpbin: '--port' needs a value (usage: luahttp httpbin [--port N] [--host H])\n", exit: 2 });
  });

  test('a busy port is one line and exit 1', async () => {
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const { port } = busy.address() as net.AddressInfo;
    try {
      expect(await luahttp('httpbin', '--port', String(port))).toEqual({ stdout: '', stderr: `luahttp httpbin: 127.0.0.1 port ${port} is in use\n`, exit: 1 });
    } finally {
      busy.close();
    }
  });
});
