// A fixed number of runtimes sharing one set of options: each run goes to an idle runtime (or waits
// for one). A runtime whose run hit a limit replaces its own VM, so the pool never shrinks.
import type { PlainValue } from '../channel/plain-values.js';
import type { PoolOptions, RunOptions } from './options.js';
import { createRuntime, type Runtime } from './runtime.js';
import { abortError } from './errors.js';

export interface Pool {
  run(code: string | Uint8Array, options?: RunOptions): Promise<PlainValue[]>;
  runFile(file: string, options?: RunOptions): Promise<PlainValue[]>;
  close(): Promise<void>;
}

export async function createPool(options: PoolOptions = {}): Promise<Pool> {
  const { size = 4, ...runtimeOptions } = options;
  if (!Number.isInteger(size) || size < 1) throw new RangeError('createPool: size must be a positive integer');
  const settled = await Promise.allSettled(Array.from({ length: size }, () => createRuntime(runtimeOptions)));
  const failed = settled.find((s) => s.status === 'rejected');
  const runtimes = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  if (failed) {
    await Promise.all(runtimes.map((r) => r.close()));
    throw (failed as PromiseRejectedResult).reason;
  }
  const idle = [...runtimes];
  const waiting: ((rt: Runtime) => void)[] = [];
  let closed = false;

  /** An idle runtime, or a wait for one; an abort while waiting rejects at once. */
  const acquire = (signal?: AbortSignal): Promise<Runtime> => {
    if (closed) return Promise.reject(new Error('luahttp: the pool is closed'));
    if (signal?.aborted) return Promise.reject(abortError());
    const rt = idle.pop();
    if (rt) return Promise.resolve(rt);
    return new Promise((resolve, reject) => {
      const take = (r: Runtime): void => { signal?.removeEventListener('abort', onAbort); resolve(r); };
      const onAbort = (): void => {
        const i = waiting.indexOf(take);
        if (i >= 0) waiting.splice(i, 1);
        reject(abortError());
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      waiting.push(take);
    });
  };
  const releaseRuntime = (rt: Runtime): void => {
    const next = waiting.shift();
    if (next) next(rt); else idle.push(rt);
  };
  const using = async (signal: AbortSignal | undefined, work: (rt: Runtime) => Promise<PlainValue[]>): Promise<PlainValue[]> => {
    const rt = await acquire(signal);
    try {
      return await work(rt);
    } finally {
      releaseRuntime(rt);
    }
  };

  return {
    run: (code, opts) => using(opts?.signal, (rt) => rt.run(code, opts)),
    runFile: (file, opts) => using(opts?.signal, (rt) => rt.runFile(file, opts)),
    async close() {
      if (closed) return;
      closed = true;
      await Promise.all(runtimes.map((r) => r.close()));
    },
  };
}
