// One VM worker seen from the app's thread: starts it, answers its I/O ops (the I/O side lives on this
// thread), hands its notices to the run in progress, and terminates it. A terminated thread is never
// reused: the runtime starts a fresh one.
import path from 'node:path';
import type { MessagePort, Worker } from 'node:worker_threads';
import { FLAG_ANSWERS, FLAG_BYTES } from '../channel/sync-rpc.js';
import { ByteRing, createRing, type RING_ENDED, type RING_FAILED } from '../channel/byte-ring.js';
import { hostErrorValue, postAnswer, type RpcHandler, type RpcReply } from '../channel/rpc-server.js';
import { NOTICE_OPS, type ToVm, type VmNotice, type VmWorkerData } from './vm-messages.js';

type Op = { op: string } & Record<string, unknown>;

/**
 * What the run in progress wants to see: ops before they start, their replies, notices. opStart
 * returns true to run the op now, false to refuse it (a limit: the run is being ended), or 'queued':
 * the observer calls go() when the op may run (maxConcurrentRequests), or never if the run ends first.
 */
export interface ThreadObserver {
  opStart(msg: Op, go: () => void): boolean | 'queued';
  opEnd(msg: Op, reply: RpcReply): void;
  notice(n: VmNotice): void;
  /** The worker ended on its own (a crash): the run cannot finish. */
  died(message: string): void;
}

/** A ring that counts the body bytes streamed through it (maxResponseBytes). */
export class CountingRing extends ByteRing {
  onBytes: ((n: number) => void) | null = null;
  onFinish: (() => void) | null = null;

  override finish(state: typeof RING_ENDED | typeof RING_FAILED): void {
    super.finish(state);
    this.onFinish?.();
  }

  override writeRecord(bytes: Uint8Array, continues = false): boolean {
    const ok = super.writeRecord(bytes, continues);
    if (ok) this.onBytes?.(bytes.length);
    return ok;
  }
}

export class VmThread {
  observer: ThreadObserver | null = null;
  private dead = false;

  private constructor(private readonly worker: Worker, private readonly port: MessagePort, readonly ring: CountingRing, private readonly release: () => void) {}

  /**
   * Starts a worker with this thread's I/O ops (made for its ring) and resolves once its VM is ready.
   */
  static start(data: Omit<VmWorkerData, 'port' | 'flag' | 'ring'>, ops: (ring: ByteRing) => { handler: RpcHandler; close: () => void }): Promise<VmThread> {
    const { MessageChannel, Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    const { port1, port2 } = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(FLAG_BYTES));
    const ring = new CountingRing(createRing());
    const io = ops(ring);
    const worker = new Worker(path.join(__dirname, 'vm-worker.js'), {
      workerData: { ...data, port: port2, flag, ring: { header: ring.header, data: ring.data } } satisfies VmWorkerData,
      transferList: [port2],
      // The script's output goes through the stdout/stderr options; the worker's own streams are quiet.
      stdout: true,
      stderr: true,
    });
    const thread = new VmThread(worker, port1, ring, io.close);
    return new Promise((resolve, reject) => {
      let ready = false;
      const answer = (ticket: number, value: unknown, transfer: RpcReply['transfer'] = []): void => {
        if (!thread.dead) postAnswer(port1, flag, ticket, value, transfer);
      };
      port1.on('message', (msg: Op & { ticket: number }) => {
        if (NOTICE_OPS.has(msg.op)) {
          if (msg.op === 'vm.ready') { ready = true; thread.idle(); resolve(thread); return; }
          // An answer the VM has not taken yet ends its wait at once: it does not block at all.
          if (msg.op === 'vm.wait' && Atomics.load(flag, FLAG_ANSWERS) !== msg.seen) return;
          thread.observer?.notice(msg as unknown as VmNotice);
          return;
        }
        // Several ops may be in flight (luahttp's tasks): each is answered under its own ticket.
        const observer = thread.observer;
        const go = (): void => {
          io.handler(msg).then(
            (reply) => { observer?.opEnd(msg, reply); answer(msg.ticket, reply.value, reply.transfer); },
            (e: unknown) => { observer?.opEnd(msg, { value: null }); answer(msg.ticket, hostErrorValue(e)); },
          );
        };
        if (observer && observer.opStart(msg, go) !== true) return; // refused (a limit ends the run) or queued
        go();
      });
      let stderr = '';
      worker.stderr.on('data', (b: Buffer) => { if (stderr.length < 4096) stderr += b.toString(); });
      worker.stdout.resume();
      worker.on('error', (e) => {
        if (!ready) reject(e);
        else thread.fail(`luahttp VM thread failed: ${e.message}`);
      });
      worker.on('exit', (code) => {
        if (thread.dead) return;
        const why = `luahttp VM thread exited (code ${code})${stderr ? `: ${stderr.trim()}` : ''}`;
        thread.fail(why);
        if (!ready) reject(new Error(why));
      });
    });
  }

  private fail(message: string): void {
    if (this.dead) return;
    this.dead = true;
    this.release();
    this.port.close();
    this.observer?.died(message);
  }

  get alive(): boolean {
    return !this.dead;
  }

  post(msg: ToVm): void {
    this.busy();
    this.worker.postMessage(msg);
  }

  /** During a run the worker and its port keep the app's process alive; between runs they do not. */
  busy(): void {
    this.worker.ref();
    this.port.ref();
  }

  idle(): void {
    this.worker.unref();
    this.port.unref();
  }

  async terminate(): Promise<void> {
    if (this.dead) return;
    this.dead = true;
    this.observer = null;
    this.release();
    this.port.close();
    await this.worker.terminate();
  }
}
