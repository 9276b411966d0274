#!/usr/bin/env node
// `npm run oracle` entry: records test/lua/*.golden from native lua5.4 (see record.test.ts).
// `npm run oracle -- --check` records into a temp dir instead and fails when a golden file is stale.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const check = process.argv.includes('--check');
const vitest = path.join(root, 'node_modules/vitest/vitest.mjs');
const r = spawnSync(process.execPath, [vitest, 'run', '--config', 'test/oracle/vitest.config.ts'], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, LUAHTTP_ORACLE_CHECK: check ? '1' : '0' },
});
process.exit(r.status ?? 1);
