// The oracle: runs every `test/lua/*.lua` under native lua5.4 + LuaSocket 3.1.0 against the same
// loopback servers luahttp is tested with, and writes `test/lua/<name>.golden` (format in
// lua-runner.ts). `test/lua/deliberate/` is skipped: those goldens are hand-written for luahttp.
// It also records the pure-Lua module tests `test/lua-modules/*.lua` (run on the system LuaSocket,
// as run.sh's "system" run) as `test/lua-modules/<name>.golden`, except the ones luahttp cannot run
// yet (MODULE_TESTS_NOT_UNDER_LUAHTTP). And the lua-http scripts `test/lua-http/*.lua`, run by native
// lua5.4 on Debian's lua-http 0.4 (lua-http-runner.ts).
//
// Record:  npm run oracle            (= node test/oracle/record.mjs)
// Check:   npm run oracle -- --check (LUAHTTP_ORACLE_CHECK=1: records into a temp dir and fails if a
//          committed golden file is missing, stale, or has no script any more; CI runs this)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { normalizeOutput } from './normalize.js';
import {
  LUA_DIR, MODULE_TEST_DIR, REPO_ROOT, encodeGolden, exitLabel, goldenPathFor,
  describeDifference, listModuleTests, listScripts, mapLimit, nativeModuleRun, nativeRun, type RunResult, type Servers,
  startServers,
} from './lua-runner.js';
import { LUA_HTTP_DIR, nativeLuaHttpRun, startLuaHttpServers } from './lua-http-runner.js';

const CHECK = process.env.LUAHTTP_ORACLE_CHECK === '1';
let servers: Servers;

beforeAll(async () => {
  servers = await startServers();
});
afterAll(async () => {
  await servers?.close();
});

interface GoldenSet {
  dir: string;
  scripts: string[];
  run(script: string): Promise<RunResult>;
  /** Turns a native run into the golden file's stdout part. */
  stdout(r: RunResult): Buffer;
  /** Scripts allowed a non-zero exit code. */
  mayFail(script: string): boolean;
}

async function recordSet(set: GoldenSet): Promise<string> {
  const outDir = CHECK ? fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-oracle-')) : null;
  const problems: string[] = [];
  await mapLimit(set.scripts, 6, async (script) => {
    const r = await set.run(script);
    if (r.timedOut) problems.push(`${script}: native run timed out`);
    // Addresses change from run to run: a golden file must never contain one.
    if (/\b(table|function|thread|userdata): 0x[0-9a-f]+/.test(r.stdout.toString('latin1'))) {
      problems.push(`${script}: prints an address (table: 0x…), so its output is not deterministic`);
    }
    if (r.exitCode !== 0 && !set.mayFail(script)) {
      problems.push(`${script}: native exit code ${r.exitCode}\nstderr: ${r.stderr}`);
    }
    const golden = encodeGolden(exitLabel(r), set.stdout(r));
    const committed = goldenPathFor(script);
    if (!outDir) {
      fs.writeFileSync(committed, golden);
      return;
    }
    fs.writeFileSync(path.join(outDir, path.basename(committed)), golden);
    if (!fs.existsSync(committed)) problems.push(`${script}: no committed golden file`);
    else if (!fs.readFileSync(committed).equals(golden)) {
      problems.push(`${script}: golden file is stale\n${describeDifference(fs.readFileSync(committed), golden, 'committed', 'native now')}\nstderr: ${r.stderr}`);
    }
  });
  if (outDir) fs.rmSync(outDir, { recursive: true, force: true });
  if (CHECK) {
    const rel = (f: string) => path.relative(REPO_ROOT, path.join(set.dir, f));
    const orphans = fs.readdirSync(set.dir)
      .filter((f) => f.endsWith('.golden') && !set.scripts.includes(rel(f.replace(/\.golden$/, '.lua'))));
    for (const o of orphans) problems.push(`${rel(o)}: golden file without a script`);
  }
  return problems.join('\n\n');
}

test(CHECK ? 'committed test/lua goldens match native lua5.4' : 'record test/lua goldens from native lua5.4', async () => {
  const problems = await recordSet({
    dir: LUA_DIR,
    scripts: listScripts(),
    run: (script) => nativeRun(script, servers),
    stdout: (r) => normalizeOutput(r.stdout),
    mayFail: (script) => /^cli-/.test(path.basename(script)),
  });
  expect(problems).toBe('');
}, 600_000);

test(CHECK ? 'committed test/lua-modules goldens match native LuaSocket' : 'record test/lua-modules goldens from native LuaSocket', async () => {
  const problems = await recordSet({
    dir: MODULE_TEST_DIR,
    scripts: listModuleTests(),
    run: nativeModuleRun,
    stdout: (r) => r.stdout,
    mayFail: () => false,
  });
  expect(problems).toBe('');
}, 600_000);

test(CHECK ? 'committed test/lua-http goldens match native lua5.4 + lua-http' : 'record test/lua-http goldens from native lua5.4 + lua-http', async () => {
  // Started here: the TLS and websocket servers' lifetimes are bounded, and the sets above take minutes.
  const withTls = await startLuaHttpServers(servers);
  try {
    const problems = await recordSet({
      dir: LUA_HTTP_DIR,
      scripts: listScripts(LUA_HTTP_DIR),
      run: (script) => nativeLuaHttpRun(script, withTls),
      stdout: (r) => normalizeOutput(r.stdout),
      mayFail: () => false,
    });
    expect(problems).toBe('');
  } finally {
    await withTls.close();
  }
}, 600_000);
