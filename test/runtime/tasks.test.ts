// luahttp's tasks (`require "luahttp"`.spawn/all/semaphore, lua/luahttp/tasks.lua) in the CLI: many
// requests in flight from one script (embedded runtimes: library-tasks.test.ts, same scripts). Concurrency is proven by a server that answers only when N
// requests are open at once (test/servers/barrier-server.ts), never by timing.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT, runProcess } from '../oracle/lua-runner.js';
import { startBarrierServer, type BarrierServer } from '../servers/barrier-server.js';
import { waitAndErrorsLines } from './task-script-results.js';

const BIN = path.join(REPO_ROOT, 'bin/luahttp.js');
// Relative to the repository root (the runs' working directory): Lua shortens a long chunk name with
// "...", so an absolute path in a deep checkout would change the messages.
const SCRIPTS = 'test/lua/tasks';
let server: BarrierServer;
let base: string;

beforeAll(async () => {
  server = await startBarrierServer(3_000);
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

async function run(script: string): Promise<{ stdout: string; stderr: string; exit: number | null }> {
  const r = await runProcess(process.execPath, [BIN, path.join(SCRIPTS, script), base], 30_000, { cwd: REPO_ROOT });
  if (r.timedOut) throw new Error(`${script} timed out\n${r.stderr}`);
  return { stdout: r.stdout.toString('latin1'), stderr: r.stderr, exit: r.exitCode };
}

describe('tasks', () => {
  test('ten tasks have their requests open at the same time', async () => {
    server.reset();
    const r = await run('fan-out.lua');
    expect(r.stderr).toBe('');
    const lines = r.stdout.trim().split('\n');
    expect(lines).toEqual(Array.from({ length: 10 }, (_, i) => `${i + 1}\ttrue\t${i + 1}\t200\ttogether 10`));
    expect(server.peak()).toBeGreaterThanOrEqual(10);
  });

  test('wait returns results or raises the error; all is pcall-shaped; tasks nest; coroutines keep their meaning', async () => {
    const r = await run('wait-and-errors.lua');
    expect(r.stderr).toBe('');
    expect(r.exit).toBe(0);
    const file = path.join(SCRIPTS, 'wait-and-errors.lua');
    expect(r.stdout.split('\n')).toEqual(waitAndErrorsLines(file));
  });

  test('a semaphore bounds how many requests are in flight', async () => {
    server.reset();
    const r = await run('semaphore.lua');
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('together 3\t12\n');
    expect(r.stdout).toContain("bad semaphore\tfalse\tbad argument #1 to 'semaphore' (non-negative integer expected)");
    expect(server.peak()).toBe(3);
  });

  test('socket.sleep inside a task lets the other tasks run', async () => {
    const r = await run('sleep-lets-others-run.lua');
    expect(r.stderr).toBe('');
    const file = path.join(SCRIPTS, 'sleep-lets-others-run.lua');
    expect(r.stdout).toBe(`request sleeper\nlh.sleep\nfalse\t${file}:14: bad argument #1 to 'sleep' (number expected, got string)\n`
      + `false\t${file}:15: bad argument #1 to 'sleep' (number expected, got table)\n`);
  });

  test('at exit unfinished tasks are cancelled and unwaited failures reported', async () => {
    const r = await run('exit-reports.lua');
    expect(r.exit).toBe(0);
    expect(r.stdout).toBe('main ends\ncancelled task closed\n');
    expect(r.stderr).toMatch(/^luahttp: task failed and was never waited for: .*exit-reports\.lua:6: nobody waited for me\nstack traceback:\n/);
  });

  test('waiting for a task that can never end is an error, not a hang', async () => {
    const r = await run('deadlock.lua');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe('false\tluahttp: deadlock: every task waits and no operation is in flight\n');
  });
});
