// Scale-out benchmark (README "Scale-out"): 1,000 one-GET Lua jobs through BullMQ + Redis with 1 and
// 2 `luahttp worker` processes (jobs/s from the first enqueue to the last completion), and the same
// 1,000 GETs through a plain in-process pool.run of the same concurrency: the difference per job is
// what the queue costs (Redis round trips, locks, events). Needs redis-server; starts its own Redis
// and loopback server, stops both. Run: node bench/queue.mjs   (BENCH_JOBS, BENCH_CONCURRENCY)
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPool, enqueueLua } from 'luahttp';
import { Queue, QueueEvents } from 'bullmq';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.join(here, '..', 'bin/luahttp.js');
const JOBS = Number(process.env.BENCH_JOBS ?? 1000);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 8);
const SCRIPT = 'local http = require("socket.http")\nlocal body, code = http.request((...))\nreturn code, #body\n';

function waitForLine(child, re, what) {
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`${what} did not start: ${err}`)), 30_000);
    const on = (d) => { err += d; const m = re.exec(err); if (m) { clearTimeout(timer); resolve(m); } };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
  });
}

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address();
  await new Promise((r) => s.close(r));
  return port;
}

const children = [];
const spawnChild = (cmd, args) => { const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] }); children.push(c); return c; };
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-bench-redis-'));
try {
  const port = await freePort();
  const redis = spawnChild('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir]);
  await waitForLine(redis, /Ready to accept connections/, 'redis-server');
  const url = `redis://127.0.0.1:${port}`;
  const server = spawnChild(process.execPath, [CLI, 'httpbin', '--port', '0']);
  const target = `${(await waitForLine(server, /listening on (http:\/\/\S+)/, 'httpbin'))[1]}/get`;

  // The baseline: the same script, the same number of runs at once, no queue.
  const pool = await createPool({ size: CONCURRENCY, network: { privateNetworks: true } });
  await Promise.all(Array.from({ length: CONCURRENCY }, () => pool.run(SCRIPT, { args: [target] })));
  let t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => { while (next++ < JOBS) await pool.run(SCRIPT, { args: [target] }); }));
  const poolMs = performance.now() - t0;
  await pool.close();
  console.log(`pool.run, ${CONCURRENCY} runtimes: ${JOBS} GETs in ${poolMs.toFixed(0)} ms = ${(JOBS / poolMs * 1000).toFixed(0)} runs/s`);

  const perWorkers = {};
  for (const workers of [1, 2]) {
    const name = `bench${workers}`;
    const started = [];
    for (let i = 0; i < workers; i++) {
      const w = spawnChild(process.execPath, [CLI, 'worker', '--redis', url, '--queue', name, '--concurrency', String(Math.ceil(CONCURRENCY / workers)), '--allow-private']);
      started.push(waitForLine(w, /luahttp worker: ready/, 'worker'));
    }
    await Promise.all(started);
    const queue = new Queue(name, { connection: { url } });
    const events = new QueueEvents(name, { connection: { url } });
    await events.waitUntilReady();
    let done = 0;
    let failed = 0;
    const all = new Promise((resolve) => {
      const end = () => { if (done + failed === JOBS) resolve(); };
      events.on('completed', () => { done++; end(); });
      events.on('failed', () => { failed++; end(); });
    });
    t0 = performance.now();
    for (let i = 0; i < JOBS; i += 50) {
      await Promise.all(Array.from({ length: Math.min(50, JOBS - i) }, () => enqueueLua(queue, { code: SCRIPT, args: [target] }, { connection: url, jobOptions: { removeOnComplete: true } })));
    }
    const enqueuedMs = performance.now() - t0;
    await all;
    const ms = performance.now() - t0;
    perWorkers[workers] = ms;
    console.log(`${workers} worker process(es), ${CONCURRENCY} jobs at once in all: ${JOBS} jobs (${failed} failed) in ${ms.toFixed(0)} ms = ${(JOBS / ms * 1000).toFixed(0)} jobs/s (enqueueing took ${enqueuedMs.toFixed(0)} ms)`);
    await events.close();
    await queue.close();
  }
  // Cancel latency: from cancelLuaJob's call to the job's 'failed' event, a spinning job each time.
  {
    const { cancelLuaJob } = await import('luahttp');
    const name = 'bench-cancel';
    const w = spawnChild(process.execPath, [CLI, 'worker', '--redis', url, '--queue', name]);
    await waitForLine(w, /luahttp worker: ready/, 'worker');
    const queue = new Queue(name, { connection: { url } });
    const events = new QueueEvents(name, { connection: { url } });
    await events.waitUntilReady();
    const latencies = [];
    for (let i = 0; i < 10; i++) {
      const job = await enqueueLua(queue, { code: 'require("luahttp.job").progress(1) while true do end' }, { connection: url });
      while ((await queue.getJob(job.id)).progress !== 1) await new Promise((r) => setTimeout(r, 10));
      const failed = new Promise((resolve) => events.on('failed', ({ jobId }) => { if (jobId === job.id) resolve(); }));
      const t = performance.now();
      await cancelLuaJob(name, job.id, { connection: url });
      await failed;
      latencies.push(performance.now() - t);
    }
    latencies.sort((a, b) => a - b);
    console.log(`cancel from another process: median ${latencies[5].toFixed(0)} ms, max ${latencies[9].toFixed(0)} ms (10 jobs; includes opening cancelLuaJob's connection)`);
    await events.close();
    await queue.close();
  }
  console.log(`per-job overhead over pool.run: ${((perWorkers[1] - poolMs) / JOBS).toFixed(2)} ms of wall time per job at ${CONCURRENCY} at once (1 worker process)`);
} finally {
  for (const c of children) c.kill('SIGKILL');
  fs.rmSync(dir, { recursive: true, force: true });
}
process.exit(0);
