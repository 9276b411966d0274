// createLuaWorker: a BullMQ worker whose jobs are Lua scripts run by luahttp runtimes — one runtime
// per unit of concurrency, each with the `luahttp.job` module. What BullMQ lacks for untrusted or
// legacy scripts comes from the runtime: a time limit that stops a stuck script, memory and network
// limits, the sandbox; and from here: cancelling a job from any process (a Redis channel).
import type { Job, Worker, WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { RuntimeOptions } from '../runtime/options.js';
import { createRuntime, type Runtime } from '../runtime/runtime.js';
import { LimitError } from '../runtime/errors.js';
import { openConnection, quit, type LuaQueueConnection } from './connection.js';
import { cancelChannel, cancelKey, DEFAULT_PREFIX } from './redis-keys.js';
import { ScriptCache } from './script-store.js';
import { checkLimits, jsonSafe, mergeLimits, needsOwnRuntime, type LuaJobData } from './job-data.js';
import { jobHostFunctions, JOB_MODULE_NAME, JOB_MODULE_SOURCE, type CurrentJob } from './job-module.js';
import { OutputLog } from './output-log.js';

export interface LuaWorkerOptions {
  connection: LuaQueueConnection;
  queue: string;
  /** Jobs run at once by this process (default 1): one runtime (one VM thread) each. */
  concurrency?: number;
  /** Options of every job's runtime (README "Embedding"); a job's own limits can only tighten these. */
  runtime?: RuntimeOptions;
  /** BullMQ's worker options (lockDuration, stalledInterval, limiter, name…), passed through. */
  worker?: Partial<WorkerOptions>;
  prefix?: string;
  /**
   * false: a runtime's Lua state (globals, loaded modules) carries over from job to job — faster, for
   * trusted scripts. Default true: each job starts on a fresh VM, so one job cannot leave anything
   * (a patched `require`, a global) for the next.
   */
  freshVm?: boolean;
  /** Called with the job when it ends either way (the CLI reports with it). */
  onJobEnd?: (job: Job, error?: Error) => void;
}

export interface LuaWorker {
  readonly bullmq: Worker;
  /**
   * Stops taking jobs and lets the running ones finish; after graceMs (if given) the ones still
   * running are stopped and put back in the queue for another worker.
   */
  close(graceMs?: number): Promise<void>;
}

const CANCELLED = 'luahttp: job cancelled';
const SHUTDOWN = 'luahttp: worker shutting down';

/** One runtime and the job it runs now. */
interface Slot {
  /**
   * Two runtimes when each job gets a fresh VM: one runs a job while the other's new VM boots, so the
   * boot is off the jobs' path. One when VMs are reused.
   */
  runtimes: Runtime[];
  turn: number;
  current: CurrentJob | null;
  output: OutputLog;
}

export async function createLuaWorker(options: LuaWorkerOptions): Promise<LuaWorker> {
  const { Worker: BullWorker, UnrecoverableError, WaitingError } = await import('bullmq');
  const prefix = options.prefix ?? options.worker?.prefix ?? DEFAULT_PREFIX;
  const concurrency = options.concurrency ?? 1;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new RangeError('createLuaWorker: concurrency must be a positive integer');
  const base = options.runtime ?? {};
  const fresh = options.freshVm !== false;
  const conn = openConnection(options.connection);
  const scripts = new ScriptCache(conn.client, prefix, options.queue);

  /** Runtime options for a slot whose current job is read through `slot()`. */
  const optionsFor = (slot: () => Slot, limits = base.limits): RuntimeOptions => ({
    ...base,
    limits,
    modules: { ...(base.modules ?? {}), [JOB_MODULE_NAME]: JOB_MODULE_SOURCE },
    functions: { ...(base.functions ?? {}), ...jobHostFunctions(() => slot().current) },
    stdout: (bytes) => { base.stdout?.(bytes); slot().output.write(bytes); },
    stderr: (bytes) => { base.stderr?.(bytes); slot().output.write(bytes); },
  });
  const slots: Slot[] = [];
  const idle: Slot[] = [];
  try {
    for (let i = 0; i < concurrency; i++) {
      const slot: Slot = { runtimes: [], turn: 0, current: null, output: new OutputLog() };
      for (let r = 0; r < (fresh ? 2 : 1); r++) slot.runtimes.push(await createRuntime(optionsFor(() => slot)));
      slots.push(slot);
      idle.push(slot);
    }
  } catch (e) {
    await Promise.all(slots.flatMap((s) => s.runtimes.map((r) => r.close())));
    await conn.release();
    throw e;
  }

  const running = new Map<string, AbortController>();

  const runJob = async (job: Job<LuaJobData>, token: string | undefined, signal: AbortSignal | undefined): Promise<unknown> => {
    const data = job.data;
    const jobLimits = checkLimits(data.limits);
    if (await conn.client.exists(cancelKey(prefix, options.queue, job.id!))) throw new UnrecoverableError(CANCELLED);
    // A script missing from Redis stays missing: retrying cannot help.
    const code = await scripts.get(data.script).catch((e: Error) => { throw new UnrecoverableError(e.message); });
    // BullMQ's signal aborts on worker.cancelJob (our cancel channel calls it) and on close(force).
    const abort = new AbortController();
    const onAbort = (): void => abort.abort(signal?.reason);
    signal?.addEventListener('abort', onAbort, { once: true });
    running.set(job.id!, abort);
    const slot = idle.pop();
    if (!slot) throw new Error('luahttp: no idle runtime (more jobs than concurrency)');
    let own: Runtime | null = null;
    /** A limit or an abort already replaced the VM. */
    let replaced = false;
    const ownSlot: Slot = { runtimes: [], turn: 0, current: null, output: slot.output };
    try {
      const current: CurrentJob = {
        id: job.id!, name: job.name, args: data.args ?? [], attempt: job.attemptsMade + 1,
        progress: (value) => job.updateProgress(value),
        log: (text) => job.log(text),
      };
      slot.output.start((line) => job.log(line));
      const limits = mergeLimits(base.limits, jobLimits);
      let runtime = slot.runtimes[slot.turn]!;
      if (needsOwnRuntime(base.limits, jobLimits)) {
        // Memory, request and output limits are the runtime's: a tighter one gets a runtime for this job.
        own = await createRuntime(optionsFor(() => ownSlot, limits));
        ownSlot.current = current;
        runtime = own;
      }
      slot.current = current;
      const values = await runtime.run(code, { args: data.args ?? [], signal: abort.signal, chunkName: data.chunkName ?? `job ${job.id}`, timeoutMs: limits.timeoutMs });
      return values.map(jsonSafe);
    } catch (e) {
      replaced = abort.signal.aborted || e instanceof LimitError;
      if (abort.signal.aborted) {
        const reason = String(abort.signal.reason ?? '');
        if (reason === SHUTDOWN && token) {
          // Back to the queue for another worker: not a failure, not an attempt.
          await job.moveToWait(token);
          throw new WaitingError();
        }
        throw new UnrecoverableError(CANCELLED);
      }
      // A limit is the job's own doing and would hit again: no retries.
      if (e instanceof LimitError) throw new UnrecoverableError(`${e.message} (limit: ${e.limit})`);
      throw e;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      running.delete(job.id!);
      await slot.output.end();
      slot.current = null;
      // os.exit(0) ends a run by replacing its VM: the next job gets a fresh one (it boots meanwhile).
      if (!own && fresh) {
        if (!replaced) await slot.runtimes[slot.turn]!.run('os.exit(0)').catch(() => {});
        slot.turn = (slot.turn + 1) % slot.runtimes.length;
      }
      idle.push(slot);
      if (own) await own.close();
    }
  };

  const worker = new BullWorker<LuaJobData>(options.queue, (job, token, signal) => runJob(job, token, signal), {
    ...options.worker,
    connection: conn.forBullmq,
    prefix,
    concurrency,
    autorun: false,
  });
  worker.on('completed', (job) => options.onJobEnd?.(job));
  worker.on('failed', (job, err) => { if (job) options.onJobEnd?.(job, err); });
  worker.on('error', () => {}); // connection errors: ioredis reconnects; an unhandled 'error' would end the process

  // Cancel from anywhere: a message on the queue's channel; this process stops the job if it runs it.
  const subscriber: Redis = conn.client.duplicate();
  subscriber.on('error', () => {});
  await subscriber.subscribe(cancelChannel(prefix, options.queue));
  subscriber.on('message', (_channel, jobId: string) => {
    const run = running.get(jobId);
    if (run) run.abort(CANCELLED);
  });

  void worker.run().catch(() => {});
  await worker.waitUntilReady();

  let closing: Promise<void> | null = null;
  return {
    bullmq: worker,
    close(graceMs?: number) {
      closing ??= (async () => {
        const grace = graceMs === undefined ? null : setTimeout(() => { for (const run of running.values()) run.abort(SHUTDOWN); }, graceMs);
        try {
          await worker.close();
        } finally {
          if (grace) clearTimeout(grace);
          await quit(subscriber);
          await Promise.all(slots.flatMap((s) => s.runtimes.map((r) => r.close())));
          await conn.release();
        }
      })();
      return closing;
    },
  };
}
