// The library leaves the process as it found it: close() releases every thread, socket and timer,
// and both package entries (ESM, CommonJS) load without touching V8 flags or globals.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT } from './library.js';

const run = promisify(execFile);

/** A fresh Node process (vitest's own handles would blur the count) that prints what is still active after close. */
const SCRIPT = `
const http = require('node:http');
const { createRuntime, createPool } = require(${JSON.stringify(path.join(REPO_ROOT, 'dist/index.js'))});
(async () => {
  const server = http.createServer((req, res) => res.end('ok'));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const url = 'http://127.0.0.1:' + server.address().port + '/';
  // Node creates its stdio streams lazily, also from its own internals (node:assert, net's destroy):
  // created up front so they are in both lists.
  void process.stdout; void process.stderr;
  const before = process.getActiveResourcesInfo().sort();
  const rt = await createRuntime({ network: { privateNetworks: true }, functions: { f: async () => 1 } });
  await rt.run('local http = require("socket.http") assert(http.request(...)) local s = require("socket").connect("127.0.0.1", ...) return f()', { args: [url, server.address().port] });
  await rt.run('while true do end', { timeoutMs: 50 }).catch(() => {});
  await rt.close();
  const pool = await createPool({ size: 2, network: { privateNetworks: true } });
  await Promise.all([pool.run('return 1'), pool.run('return require("socket.http").request(...)', { args: [url] })]);
  await pool.close();
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => setTimeout(r, 50));
  const after = process.getActiveResourcesInfo().filter((r) => r !== 'TTYWrap').sort();
  console.log(JSON.stringify({ before: before.filter((r) => r !== 'TTYWrap' && r !== 'TCPServerWrap'), after }));
})().catch((e) => { console.error(e); process.exitCode = 1; });
`;

describe('close()', () => {
  test('leaves no handles behind (threads, sockets, agents, timers) and the process exits by itself', async () => {
    const { stdout } = await run(process.execPath, ['-e', SCRIPT], { timeout: 60_000 });
    const { before, after } = JSON.parse(stdout.trim().split('\n').pop()!);
    expect(after).toEqual(before);
  });
});

describe('package entries', () => {
  const NAMES = ['LimitError', 'LuaError', 'PolicyError', 'createPool', 'createRuntime'];

  test('CommonJS: require("luahttp")', async () => {
    const { stdout } = await run(process.execPath, ['-e', `const l = require('luahttp'); console.log(JSON.stringify(Object.keys(l).sort()))`], { cwd: REPO_ROOT, timeout: 30_000 });
    expect(JSON.parse(stdout)).toEqual(expect.arrayContaining(NAMES));
  });

  test('ESM: import from "luahttp", and a run works', async () => {
    const code = `import { createRuntime, LuaError } from 'luahttp'; const rt = await createRuntime(); console.log(JSON.stringify(await rt.run('return 1 + 1'))); await rt.close(); console.log(typeof LuaError);`;
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', code], { cwd: REPO_ROOT, timeout: 30_000 });
    expect(stdout).toBe('[2]\nfunction\n');
  });

  test('importing sets no V8 flags and patches no globals', async () => {
    const code = `
      const before = [WebAssembly.instantiate, WebAssembly.Module, WebAssembly.Instance, globalThis.fetch];
      const { createRuntime } = require('luahttp');
      (async () => {
        const rt = await createRuntime({ network: { privateNetworks: true } });
        await rt.run('return require("socket.http").request("http://127.0.0.1:1/")');
        await rt.close();
        const after = [WebAssembly.instantiate, WebAssembly.Module, WebAssembly.Instance, globalThis.fetch];
        console.log(before.every((f, i) => f === after[i]), typeof globalThis[Symbol.for('undici.globalDispatcher.1')]);
      })();`;
    const { stdout } = await run(process.execPath, ['-e', code], { cwd: REPO_ROOT, timeout: 30_000 });
    expect(stdout).toBe('true undefined\n');
  });
});
