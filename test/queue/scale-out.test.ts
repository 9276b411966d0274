// Scale-out (issue 13): Lua jobs on BullMQ with a real Redis (redis-server started here) and real
// `luahttp worker` processes. Time bounds are generous (the machine is shared); bench/ measures speed.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Job, Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { lib } from '../runtime/library.js';
import { REDIS_SERVER, startRedis, type RedisServer } from './redis-server.js';
import { CLI, startWorker, type WorkerProcess } from './worker-process.js';

const { enqueueLua, cancelLuaJob } = lib;
const run = promisify(execFile);

if (!REDIS_SERVER) console.warn('test/queue: skipped — redis-server is not installed (apt-get install redis-server)');

describe.skipIf(!REDIS_SERVER)('Lua jobs on BullMQ', () => {
  let redis: RedisServer;
  let client: Redis;
  const workers: WorkerProcess[] = [];
  const closers: (() => Promise<unknown>)[] = [];
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-queue-'));

  beforeAll(async () => {
    redis = await startRedis();
    client = new Redis(redis.url, { maxRetriesPerRequest: null });
  });
  afterAll(async () => {
    for (const c of closers.reverse()) await c().catch(() => {});
    await Promise.all(workers.map((w) => w.stop('SIGKILL')));
    client?.disconnect();
    await redis?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  async function worker(queue: string, extra: string[] = []): Promise<WorkerProcess> {
    const w = await startWorker(redis.url, queue, extra);
    workers.push(w);
    return w;
  }
  function queueOf(name: string): { queue: Queue; events: QueueEvents } {
    const queue = new Queue(name, { connection: client });
    const events = new QueueEvents(name, { connection: client });
    closers.push(() => queue.close(), () => events.close());
    return { queue, events };
  }
  async function stateBecomes(job: Job, state: string): Promise<void> {
    for (let i = 0; i < 600; i++) {
      if (await job.getState() === state) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`job ${job.id} never became ${state}`);
  }
  async function until(check: () => boolean): Promise<void> {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  }
  async function failureOf(p: Promise<unknown>): Promise<string> {
    try {
      await p;
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('the job completed');
  }

  test('50 jobs over 2 worker processes all complete with their own results', async () => {
    const { queue, events } = queueOf('fifty');
    await events.waitUntilReady();
    const [a, b] = [await worker('fifty', ['--concurrency', '2']), await worker('fifty', ['--concurrency', '2'])];
    // A short pause per job keeps both workers busy (one could otherwise take them all).
    const code = 'local socket = require "socket"\nlocal job = require "luahttp.job"\nlocal x, y = ...\nsocket.sleep(0.02)\nreturn x * y, job.id, "k" .. x';
    const jobs = await Promise.all(Array.from({ length: 50 }, (_, i) => enqueueLua(queue, { code, args: [i, i + 1] }, { connection: client })));
    const results = await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 60_000)));
    results.forEach((r, i) => expect(r).toEqual([i * (i + 1), jobs[i]!.id, `k${i}`]));
    const completedBy = (w: WorkerProcess): number => (w.log().match(/job \d+ completed/g) ?? []).length;
    // The workers' stderr lines may arrive after BullMQ's completion events.
    await until(() => completedBy(a) + completedBy(b) >= 50);
    expect(completedBy(a) + completedBy(b)).toBe(50);
    expect(completedBy(a)).toBeGreaterThan(0);
    expect(completedBy(b)).toBeGreaterThan(0);
    // One script, stored once.
    expect(await client.keys('bull:fifty:luahttp:script:*')).toHaveLength(1);
  });

  test('a job killed by its time limit fails without retry; a Lua error is retried', async () => {
    const { queue, events } = queueOf('limits');
    await events.waitUntilReady();
    await worker('limits', ['--concurrency', '2']);
    const jobOptions = { attempts: 3, backoff: { type: 'fixed', delay: 10 } };
    const stuck = await enqueueLua(queue, { code: 'while true do end', limits: { timeoutMs: 500 } }, { connection: client, jobOptions });
    const failing = await enqueueLua(queue, { code: 'error("flaky")' }, { connection: client, jobOptions });
    expect(await failureOf(stuck.waitUntilFinished(events, 30_000))).toMatch(/limit: timeout/);
    expect(await failureOf(failing.waitUntilFinished(events, 30_000))).toMatch(/flaky/);
    expect((await Job.fromId(queue, stuck.id!))!.attemptsMade).toBe(1);
    expect((await Job.fromId(queue, failing.id!))!.attemptsMade).toBe(3);
    // A job's memory limit (tighter than the worker's none) gets a runtime of its own.
    const big = await enqueueLua(queue, { code: 'local t = {} for i = 1, 1e8 do t[i] = ("x"):rep(64) .. i end', limits: { memoryBytes: 32 * 1024 * 1024 } }, { connection: client, jobOptions });
    expect(await failureOf(big.waitUntilFinished(events, 60_000))).toMatch(/limit: memory/);
    expect((await Job.fromId(queue, big.id!))!.attemptsMade).toBe(1);
  });

  test('a job cannot loosen the worker\'s limits', async () => {
    const { queue, events } = queueOf('strict');
    await events.waitUntilReady();
    await worker('strict', ['--timeout', '0.5']);
    const job = await enqueueLua(queue, { code: 'while true do end', limits: { timeoutMs: 600_000 } }, { connection: client, jobOptions: { attempts: 2 } });
    expect(await failureOf(job.waitUntilFinished(events, 30_000))).toMatch(/limit: timeout/);
  });

  test('createLuaWorker in this process: the app\'s functions and options reach every job', async () => {
    const { queue, events } = queueOf('embedded');
    await events.waitUntilReady();
    const seen: unknown[] = [];
    const w = await lib.createLuaWorker({
      connection: redis.url,
      queue: 'embedded',
      concurrency: 3,
      runtime: { functions: { record: (v) => { seen.push(v); return seen.length; } }, env: { GREETING: 'hi' } },
    });
    closers.push(() => w.close());
    const code = 'local job = require "luahttp.job"\nreturn record(job.data[1]), os.getenv("GREETING")';
    const jobs = await Promise.all([1, 2, 3, 4, 5, 6].map((n) => enqueueLua(queue, { code, args: [n] }, { connection: redis.url })));
    // By name: the queue it opens is closed again, the id is what comes back usable.
    const byName = await enqueueLua('embedded', { code: 'return "named"' }, { connection: redis.url });
    expect((await Job.fromId(queue, byName.id!))!.data.script).toMatch(/^[0-9a-f]{64}$/);
    expect(await (await Job.fromId(queue, byName.id!))!.waitUntilFinished(events, 30_000)).toEqual(['named']);
    const results = await Promise.all(jobs.map((j) => j.waitUntilFinished(events, 30_000)));
    expect(results.map((r) => r[1])).toEqual(Array(6).fill('hi'));
    expect(results.map((r) => r[0]).sort()).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...seen].sort()).toEqual([1, 2, 3, 4, 5, 6]);
    await w.close();
    expect(w.bullmq.isRunning()).toBe(false);
  });

  test('each job starts on a fresh VM unless the worker reuses them', async () => {
    const leak = 'local before, up = rawget(_G, "leaked"), ("a"):upper()\nleaked = true\nstring.upper = function() return "patched" end\nreturn before == nil, up';
    for (const [name, extra, clean] of [['fresh', [], true], ['reused', ['--reuse-vm'], false]] as const) {
      const { queue, events } = queueOf(name);
      await events.waitUntilReady();
      await worker(name, [...extra]);
      const first = await enqueueLua(queue, { code: leak }, { connection: client });
      expect(await first.waitUntilFinished(events, 30_000)).toEqual([true, 'A']);
      const second = await enqueueLua(queue, { code: leak }, { connection: client });
      expect(await second.waitUntilFinished(events, 30_000)).toEqual(clean ? [true, 'A'] : [false, 'patched']);
    }
  });

  test('cancel from another process stops a running job', async () => {
    const { queue, events } = queueOf('cancel');
    await events.waitUntilReady();
    await worker('cancel');
    const job = await enqueueLua(queue, { code: 'local job = require "luahttp.job"\njob.progress(1)\nwhile true do end' }, { connection: client, jobOptions: { attempts: 3 } });
    await stateBecomes(job, 'active');
    for (let i = 0; i < 400 && (await Job.fromId(queue, job.id!))!.progress !== 1; i++) await new Promise((r) => setTimeout(r, 50));
    const started = performance.now();
    const failed = failureOf(job.waitUntilFinished(events, 30_000));
    await cancelLuaJob('cancel', job.id!, { connection: client });
    expect(await failed).toMatch(/cancelled/);
    expect(performance.now() - started).toBeLessThan(5000);
    expect((await Job.fromId(queue, job.id!))!.attemptsMade).toBe(1);
    // A job cancelled before it starts never runs (the marker).
    const later = await enqueueLua(queue, { code: 'return 1' }, { connection: client, jobOptions: { delay: 300 } });
    await cancelLuaJob('cancel', later.id!, { connection: client });
    expect(await failureOf(later.waitUntilFinished(events, 30_000))).toMatch(/cancelled/);
  });

  test('a worker SIGKILLed mid-job: another worker completes the job', async () => {
    const { queue, events } = queueOf('stall');
    await events.waitUntilReady();
    const fast = ['--lock-duration', '1000', '--stalled-interval', '500'];
    const first = await worker('stall', fast);
    const code = 'local socket = require "socket"\nlocal job = require "luahttp.job"\njob.progress(1)\nfor i = 1, 20 do socket.sleep(0.1) end\nreturn "done", job.attempt';
    const job = await enqueueLua(queue, { code }, { connection: client });
    for (let i = 0; i < 400 && (await Job.fromId(queue, job.id!))!.progress !== 1; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await first.stop('SIGKILL')).toBe('SIGKILL');
    const second = await worker('stall', fast);
    const result = await job.waitUntilFinished(events, 60_000);
    expect(result[0]).toBe('done');
    await until(() => second.log().includes(`job ${job.id} completed`));
    expect(second.log()).toMatch(new RegExp(`job ${job.id} completed`));
  });

  test('SIGTERM: a running job finishes; past --grace it goes back to the queue for another worker', async () => {
    const { queue, events } = queueOf('term');
    await events.waitUntilReady();
    const code = 'local socket = require "socket"\nlocal job = require "luahttp.job"\njob.progress(1)\nfor i = 1, (...) do socket.sleep(0.1) end\nreturn "slept", job.attempt';
    const patient = await worker('term');
    const short = await enqueueLua(queue, { code, args: [10] }, { connection: client });
    for (let i = 0; i < 400 && (await Job.fromId(queue, short.id!))!.progress !== 1; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await patient.stop('SIGTERM')).toBe(0);
    expect((await Job.fromId(queue, short.id!))!.returnvalue).toEqual(['slept', 1]);

    const hasty = await worker('term', ['--grace', '0.3']);
    const long = await enqueueLua(queue, { code, args: [30] }, { connection: client });
    for (let i = 0; i < 400 && (await Job.fromId(queue, long.id!))!.progress !== 1; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await hasty.stop('SIGTERM')).toBe(0);
    expect(await long.getState()).toBe('waiting');
    await worker('term');
    // Put back, not failed: the next worker's run is still the first attempt.
    expect(await long.waitUntilFinished(events, 60_000)).toEqual(['slept', 1]);
  });

  test('progress, logs and print output through BullMQ\'s own API; job.id and job.data', async () => {
    const { queue, events } = queueOf('progress');
    await events.waitUntilReady();
    await worker('progress');
    const code = [
      'local job = require "luahttp.job"',
      'job.progress(25)',
      'job.progress({ stage = "fetch", done = 3 })',
      'job.log("first")',
      'print("second", job.id)',
      'io.write("third")',
      'return job.data, job.name, ...',
    ].join('\n');
    const job = await enqueueLua(queue, { code, args: ['a', 2, { k: true }], name: 'report' }, { connection: client });
    expect(await job.waitUntilFinished(events, 30_000)).toEqual([['a', 2, { k: true }], 'report', 'a', 2, { k: true }]);
    const stored = (await Job.fromId(queue, job.id!))!;
    expect(stored.progress).toEqual({ stage: 'fetch', done: 3 });
    expect((await queue.getJobLogs(job.id!)).logs).toEqual(['first', `second\t${job.id}`, 'third']);
  });

  test('luahttp enqueue --wait prints the id and the values as JSON, or the error with exit 1', async () => {
    await worker('cli');
    const ok = path.join(tmp, 'ok.lua');
    const bad = path.join(tmp, 'bad.lua');
    fs.writeFileSync(ok, 'local a, b = ...\nreturn a .. b, #arg == nil\n'.replace(', #arg == nil', ''));
    fs.writeFileSync(bad, 'error("no luck")\n');
    const { stdout } = await run(process.execPath, [CLI, 'enqueue', '--redis', redis.url, '--queue', 'cli', ok, 'x', 'y', '--wait']);
    const [id, json] = stdout.trim().split('\n');
    expect(id).toMatch(/^\d+$/);
    expect(JSON.parse(json!)).toEqual(['xy']);
    const failed = await run(process.execPath, [CLI, 'enqueue', '--redis', redis.url, '--queue', 'cli', bad, '--wait']).then(() => null, (e) => e);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/bad\.lua:1: no luck/);
  });
});
