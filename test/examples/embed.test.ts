// examples/embed.mjs runs as an app would run it (ESM import of 'luahttp') and prints what it says.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { expect, test } from 'vitest';
import { REPO_ROOT } from '../runtime/library.js';

test('examples/embed.mjs', async () => {
  const { stdout } = await promisify(execFile)(process.execPath, ['examples/embed.mjs'], { cwd: REPO_ROOT, timeout: 60_000 });
  expect(stdout.split('\n')).toEqual([
    'fetched\t28\tbytes',
    "status 200 answer 42 arg extra notified [ '200 {\"path\":\"/status\",\"ok\":true}' ]",
    "true { reason: 'bad input' }",
    'true timeout',
    'still usable: 42',
    '',
  ]);
});
