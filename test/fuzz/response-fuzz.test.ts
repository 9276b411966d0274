// The differential fuzz suite: CASES responses built from SEED by test/servers/fuzz-responses.ts
// (valid forms plus one mutation each) are fetched by test/fuzz/response-fuzz.lua under luahttp, and
// each case's line is compared with native lua5.4 + LuaSocket 3.1.0's (response-fuzz.golden, recorded
// with LUAHTTP_FUZZ_RECORD=1 and native Lua installed). Every case that differs must belong to a
// class listed in DELIBERATE (each is a row of README "Differences of the HTTP machinery"), and the
// count per class is pinned, so an improvement or a regression shows here and in the README numbers.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { fuzzCase, startFuzzServer, type FuzzCase, type FuzzServer } from '../servers/fuzz-responses.js';
import { HAS_NATIVE_LUA, REPO_ROOT, decodeGolden, encodeGolden, exitLabel, runProcess } from '../oracle/lua-runner.js';

const SEED = 1;
const CASES = 300;
const SCRIPT = 'test/fuzz/response-fuzz.lua';
const GOLDEN = path.join(REPO_ROOT, 'test/fuzz/response-fuzz.golden');

/** Why a case may differ from native, by what the case does (README lists the same classes). */
const DELIBERATE: Record<string, (c: FuzzCase) => boolean> = {
  // LuaSocket reads a reply without "HTTP/" as an HTTP/0.9 body; luahttp refuses it.
  'HTTP/0.9 reply': (c) => c.mutation === 'http09',
  // Header names with a space before the colon (RFC 9112 §5.1: must be rejected) or no colon.
  'malformed header line': (c) => c.mutation === 'space-before-colon' || c.mutation === 'no-colon-header',
  // Transfer-Encoding and Content-Length together: LuaSocket uses chunked, llhttp refuses the pair.
  'Content-Length with chunked': (c) => c.mutation === 'cl-and-chunked',
};

let server: FuzzServer;
beforeAll(async () => { server = await startFuzzServer(); });
afterAll(async () => { await server?.close(); });

const run = (cmd: string, args: string[]) => runProcess(cmd, [...args, SCRIPT, server.url, String(SEED), '1', String(CASES)], 120_000);

test.skipIf(process.env.LUAHTTP_FUZZ_RECORD !== '1' || !HAS_NATIVE_LUA)('record the native golden', async () => {
  const r = await run('lua5.4', []);
  expect(r.exitCode, r.stderr).toBe(0);
  fs.writeFileSync(GOLDEN, encodeGolden(exitLabel(r), r.stdout));
}, 130_000);

test(`${CASES} fuzzed responses: luahttp's results equal LuaSocket's but for the deliberate classes`, async () => {
  const golden = decodeGolden(fs.readFileSync(GOLDEN));
  const r = await run(process.execPath, [path.join(REPO_ROOT, 'bin/luahttp.js')]);
  expect(exitLabel(r), r.stderr).toBe(golden.exit);
  const want = golden.stdout.toString('latin1').split('\n');
  const got = r.stdout.toString('latin1').split('\n');
  expect(got.length).toBe(want.length);
  const counts: Record<string, number> = {};
  const unexplained: string[] = [];
  for (let i = 0; i < want.length; i++) {
    if (want[i] === got[i]) continue;
    const n = Number(want[i]!.split('\t')[0]);
    const c = fuzzCase(SEED, n);
    const cls = Object.keys(DELIBERATE).find((k) => DELIBERATE[k]!(c));
    if (!cls) { unexplained.push(`case ${n} (${c.form}, ${c.mutation})\n  native:  ${want[i]}\n  luahttp: ${got[i]}`); continue; }
    counts[cls] = (counts[cls] ?? 0) + 1;
  }
  expect(unexplained.join('\n')).toBe('');
  // The numbers in README "Differences of the HTTP machinery" (fuzz suite).
  expect(counts).toEqual(EXPECTED_COUNTS);
}, 130_000);

/** 25 of the 300 cases differ (275 identical); the README gives the same numbers. */
const EXPECTED_COUNTS: Record<string, number> = {
  'Content-Length with chunked': 5,
  'HTTP/0.9 reply': 11,
  'malformed header line': 9,
};
