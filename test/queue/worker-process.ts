// `luahttp worker` as a child process, as an operator starts it; resolves once it says it is ready.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../runtime/library.js';

export const CLI = path.join(REPO_ROOT, 'bin/luahttp.js');

export interface WorkerProcess {
  child: ChildProcess;
  pid: number;
  /** What it wrote to stderr so far (its per-job lines). */
  log(): string;
  /** SIGTERM (or the given signal) and wait for it to exit; returns its exit code or signal. */
  stop(signal?: NodeJS.Signals): Promise<number | string | null>;
}

export async function startWorker(redisUrl: string, queue: string, extra: string[] = []): Promise<WorkerProcess> {
  const child = spawn(process.execPath, [CLI, 'worker', '--redis', redisUrl, '--queue', queue, ...extra], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr!.on('data', (d: Buffer) => { log += d.toString(); });
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, sig) => resolve(code ?? sig)));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready in 30 s:\n${log}`)), 30_000);
    const check = (): void => { if (log.includes('luahttp worker: ready')) { clearTimeout(timer); resolve(); } };
    child.stderr!.on('data', check);
    void exited.then((c) => { clearTimeout(timer); reject(new Error(`worker exited (${c}):\n${log}`)); });
  });
  return {
    child,
    pid: child.pid!,
    log: () => log,
    async stop(signal = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
