// The oracle: runs every `test/lua/*.lua` under native lua5.4 + LuaSocket 3.1.0 against the same
// loopback servers luahttp is tested with, and writes `test/lua/<name>.golden` (format in
// lua-runner.ts). `test/lua/deliberate/` is skipped: those goldens are hand-written for luahttp.
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
  LUA_DIR, REPO_ROOT, encodeGolden, exitLabel, goldenPathFor, listScripts, mapLimit, nativeRun, showBytes,
  type Servers, startServers,
} from './lua-runner.js';

const CHECK = process.env.LUAHTTP_ORACLE_CHECK === '1';
let servers: Servers;

beforeAll(async () => {
  servers = await startServers();
});
afterAll(async () => {
  await servers?.close();
});

test(CHECK ? 'committed golden files match native lua5.4' : 'record golden files from native lua5.4', async () => {
  const scripts = listScripts();
  const outDir = CHECK ? fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-oracle-')) : null;
  const problems: string[] = [];
  await mapLimit(scripts, 6, async (script) => {
    const r = await nativeRun(script, servers);
    if (r.timedOut) problems.push(`${script}: native run timed out`);
    // Addresses change from run to run: a golden file must never contain one.
    if (/\b(table|function|thread|userdata): 0x[0-9a-f]+/.test(r.stdout.toString('latin1'))) {
      problems.push(`${script}: prints an address (table: 0x…), so its output is not deterministic`);
    }
    if (r.exitCode !== 0 && !/^cli-/.test(path.basename(script))) {
      problems.push(`${script}: native exit code ${r.exitCode}\nstderr: ${r.stderr}`);
    }
    const golden = encodeGolden(exitLabel(r), normalizeOutput(r.stdout));
    const committed = goldenPathFor(script);
    if (!outDir) {
      fs.writeFileSync(committed, golden);
      return;
    }
    fs.writeFileSync(path.join(outDir, path.basename(committed)), golden);
    if (!fs.existsSync(committed)) problems.push(`${script}: no committed golden file`);
    else if (!fs.readFileSync(committed).equals(golden)) {
      problems.push(`${script}: golden file is stale\n--- committed\n${showBytes(fs.readFileSync(committed))}\n--- native now\n${showBytes(golden)}\nstderr: ${r.stderr}`);
    }
  });
  if (CHECK) {
    const orphans = fs.readdirSync(LUA_DIR).filter((f) => f.endsWith('.golden') && !scripts.includes(path.relative(REPO_ROOT, path.join(LUA_DIR, f.replace(/\.golden$/, '.lua')))));
    for (const o of orphans) problems.push(`test/lua/${o}: golden file without a script`);
  }
  expect(problems.join('\n\n')).toBe('');
}, 600_000);
