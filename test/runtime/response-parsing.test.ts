// The library parses responses as the CLI does (both as LuaSocket reads them: llhttp/adopt-parser.ts),
// and only for its own connections: the app's own undici — the same copy, which shares llhttp's wasm
// instance — and Node's fetch keep undici's stock parser in the same process.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Dispatcher } from 'undici';
import { createRuntime, collector, REPO_ROOT } from './library.js';
import { startFuzzServer, type FuzzServer } from '../servers/fuzz-responses.js';
import { startFaultServer, type FaultServer } from '../servers/fault-server.js';
import { runProcess } from '../oracle/lua-runner.js';

const FUZZ_SCRIPT = 'test/fuzz/response-fuzz.lua';
const CASES = '300';
const wasm = globalThis.WebAssembly;
const { Module, Instance } = wasm;

let fuzz: FuzzServer;
let fault: FaultServer;
beforeAll(async () => {
  fuzz = await startFuzzServer();
  fault = await startFaultServer();
});
afterAll(async () => {
  await fuzz?.close();
  await fault?.close();
});

test('the library gives the CLI\'s result for every fuzzed response (1xx, odd framing, bad status lines, chunk pieces)', async () => {
  const cli = await runProcess(process.execPath, [path.join(REPO_ROOT, 'bin/luahttp.js'), FUZZ_SCRIPT, fuzz.url, '1', '1', CASES], 120_000);
  expect(cli.exitCode, cli.stderr.toString()).toBe(0);
  const out = collector();
  const rt = await createRuntime({ network: { privateNetworks: true }, stdout: out.sink, limits: { timeoutMs: 120_000 } });
  try {
    const source = `local arg = { ... }\n${fs.readFileSync(path.join(REPO_ROOT, FUZZ_SCRIPT), 'latin1')}`;
    await rt.run(source, { args: [fuzz.url, '1', '1', CASES] });
  } finally {
    await rt.close();
  }
  const want = cli.stdout.toString('latin1').split('\n');
  const got = out.text().split('\n');
  expect(got.length).toBe(want.length);
  const differing = want.filter((line, i) => got[i] !== line).map((line, i) => `cli:     ${line}\nlibrary: ${got[i]}`);
  expect(differing.join('\n')).toBe('');
}, 150_000);

/** What the app's own clients get for each path: "ok <body>" or the failure's name. */
async function appResults(dispatcher: Dispatcher, request: typeof import('undici').request): Promise<string[]> {
  const results: string[] = [];
  for (const p of ['/empty-reason', '/continue-then-ok', '/cl-list-equal', '/chunk-ext-quoted']) {
    try {
      const r = await request(`${fault.url}${p}`, { dispatcher });
      results.push(`undici ${p} ok ${await r.body.text()}`);
    } catch (e) {
      results.push(`undici ${p} ${(e as Error).name}`);
    }
    try {
      const r = await fetch(`${fault.url}${p}`);
      results.push(`fetch ${p} ok ${await r.text()}`);
    } catch (e) {
      results.push(`fetch ${p} ${(e as Error).name}`);
    }
  }
  return results;
}

test('the app\'s own undici and fetch keep the stock parser before and after the library parsed the same responses', async () => {
  const undici = await import('undici');
  const agent = new undici.Agent();
  try {
    // Stock undici/llhttp: a 100 it did not ask for, a Content-Length list (undici reports a parse
    // error after a Content-Length as a length mismatch) and blanks in a chunk extension are refused.
    const stock = [
      'undici /empty-reason ok ok', 'fetch /empty-reason ok ok',
      'undici /continue-then-ok SocketError', 'fetch /continue-then-ok TypeError',
      'undici /cl-list-equal ResponseContentLengthMismatchError', 'fetch /cl-list-equal TypeError',
      'undici /chunk-ext-quoted HTTPParserError', 'fetch /chunk-ext-quoted TypeError',
    ];
    expect(await appResults(agent, undici.request)).toEqual(stock);
    const out = collector();
    const rt = await createRuntime({ network: { privateNetworks: true }, stdout: out.sink });
    try {
      await rt.run(`
        local http = require("socket.http")
        for _, p in ipairs { "/empty-reason", "/continue-then-ok", "/cl-list-equal", "/chunk-ext-quoted" } do
          local body, code = http.request(... .. p)
          print(p, body, code)
        end`, { args: [fault.url] });
      // Meanwhile, on the app's side, with luahttp's connections open in the same llhttp instance.
      expect(await appResults(agent, undici.request)).toEqual(stock);
    } finally {
      await rt.close();
    }
    expect(out.text()).toBe('/empty-reason\tok\t200\n/continue-then-ok\thello\t200\n/cl-list-equal\thello\t200\n/chunk-ext-quoted\thelloabcdefg\t200\n');
    expect(await appResults(agent, undici.request)).toEqual(stock);
    // Nothing global was patched.
    expect(wasm.Module).toBe(Module);
    expect(wasm.Instance).toBe(Instance);
  } finally {
    await agent.close();
  }
}, 60_000);
