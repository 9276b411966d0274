// examples/parallel-fetch.lua (the README's Concurrency example) runs offline under --httpbin and every
// task gets its answer.
import path from 'node:path';
import { expect, test } from 'vitest';
import { REPO_ROOT, runProcess } from '../oracle/lua-runner.js';

test('examples/parallel-fetch.lua fetches every URL under --httpbin', async () => {
  const r = await runProcess(process.execPath, [path.join(REPO_ROOT, 'bin/luahttp.js'), '--httpbin', 'examples/parallel-fetch.lua'], 30_000, { cwd: REPO_ROOT });
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  const lines = r.stdout.toString('latin1').trim().split('\n');
  expect(lines.slice(0, 8).map((l) => l.replace(/\s+/g, ' '))).toEqual(
    Array.from({ length: 8 }, (_, i) => `http://httpbin.org/delay/1?n=${i + 1} 200 267 bytes`),
  );
  expect(lines[8]).toMatch(/^8 URLs in \d+\.\d s$/);
});
