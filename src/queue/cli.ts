// `luahttp worker`, `luahttp enqueue`, `luahttp cancel`: loaded only for these subcommands, so the
// CLI's start-up never loads bullmq or ioredis.
import fs from 'node:fs';
import { ENQUEUE_USAGE, parseEnqueueArgs, parseWorkerArgs, QueueUsageError, WORKER_USAGE } from './cli-args.js';

function say(fd: 1 | 2, text: string): void {
  fs.writeSync(fd, text);
}

function usageExit(e: unknown, usage: string): never {
  if (!(e instanceof QueueUsageError)) throw e;
  say(2, `luahttp: ${e.message}\n${usage}`);
  process.exit(1);
}

export async function runWorkerCli(args: string[]): Promise<void> {
  if (args.includes('--help')) { say(1, WORKER_USAGE); return; }
  let o: ReturnType<typeof parseWorkerArgs>;
  try { o = parseWorkerArgs(args); } catch (e) { usageExit(e, WORKER_USAGE); }
  const { createLuaWorker } = await import('./worker.js');
  const worker = await createLuaWorker({
    connection: o.redis,
    queue: o.queue,
    concurrency: o.concurrency,
    runtime: o.runtime,
    freshVm: o.freshVm,
    worker: { ...(o.lockDuration ? { lockDuration: o.lockDuration } : {}), ...(o.stalledInterval ? { stalledInterval: o.stalledInterval } : {}), ...(o.limiter ? { limiter: o.limiter } : {}) },
    onJobEnd: (job, err) => say(2, `luahttp worker: job ${job.id} ${err ? `failed: ${err.message}` : 'completed'}\n`),
  });
  say(2, `luahttp worker: ready (queue ${o.queue}, concurrency ${o.concurrency}, pid ${process.pid})\n`);
  await new Promise<void>((resolve) => {
    let stopping = false;
    const stop = (): void => {
      if (stopping) return;
      stopping = true;
      say(2, 'luahttp worker: stopping (running jobs finish or go back to the queue)\n');
      worker.close(o.graceMs).then(resolve, (e) => { say(2, `luahttp worker: ${e}\n`); resolve(); });
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
  say(2, 'luahttp worker: stopped\n');
  process.exit(0);
}

export async function runEnqueueCli(args: string[]): Promise<void> {
  if (args.includes('--help') && !args.includes('--')) { say(1, ENQUEUE_USAGE); return; }
  let o: ReturnType<typeof parseEnqueueArgs>;
  try { o = parseEnqueueArgs(args); } catch (e) { usageExit(e, ENQUEUE_USAGE); }
  const { enqueueLua } = await import('./enqueue.js');
  const { Queue, QueueEvents } = await import('bullmq');
  const queue = new Queue(o.queue, { connection: { url: o.redis } });
  // Listening starts before the job is added, so its end cannot be missed.
  const events = o.wait ? new QueueEvents(o.queue, { connection: { url: o.redis } }) : null;
  let status = 0;
  try {
    if (events) await events.waitUntilReady();
    const job = await enqueueLua(queue, { file: o.script, args: o.args, limits: o.timeoutMs ? { timeoutMs: o.timeoutMs } : undefined }, {
      connection: o.redis,
      jobOptions: o.attempts ? { attempts: o.attempts } : undefined,
    });
    say(1, `${job.id}\n`);
    if (events) {
      try {
        const values = await job.waitUntilFinished(events);
        say(1, `${JSON.stringify(values)}\n`);
      } catch (e) {
        say(2, `luahttp: job ${job.id} failed: ${(e as Error).message}\n`);
        status = 1;
      }
    }
  } finally {
    await events?.close();
    await queue.close();
  }
  process.exit(status);
}

export async function runCancelCli(args: string[]): Promise<void> {
  const usage = 'usage: luahttp cancel --redis URL --queue NAME JOB_ID...\n';
  let redis: string | undefined;
  let queue: string | undefined;
  const ids: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--redis') redis = args[++i];
    else if (a === '--queue') queue = args[++i];
    else if (a.startsWith('--')) { say(2, `luahttp: unrecognized option '${a}'\n${usage}`); process.exit(1); }
    else ids.push(a);
  }
  if (!redis || !queue || !ids.length) { say(2, usage); process.exit(1); }
  const { cancelLuaJob } = await import('./cancel.js');
  for (const id of ids) await cancelLuaJob(queue, id, { connection: redis });
  process.exit(0);
}
