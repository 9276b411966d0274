// The non-blocking sibling of sync-rpc.ts: an operation is posted with a sequence number and its answer
// comes back as a message on the caller's event loop. The VM side uses it to wait by yielding (luahttp's
// tasks, lua/runtime/coroutines.lua): the op gets a ticket and only the task that started it waits.
// It runs beside the sync channel on a port of its own (the sync client reads its port with
// receiveMessageOnPort, which would take these answers) and reaches the same operations on the host,
// so a socket opened by a blocking call can be waited on by a yielding one and the other way round.
import type { MessagePort, Transferable } from 'node:worker_threads';
import type { RpcHandler } from './rpc-server.js';
import { HostDiedError } from './sync-rpc.js';

interface Call { seq: number; msg: unknown }
interface Answer { seq: number; value: unknown }

/** What a yielding wait needs from an I/O side: start an operation, get its reply later. */
export interface AsyncOps {
  call<T>(msg: { op: string } & Record<string, unknown>, transfer?: Transferable[]): Promise<T>;
}

export class AsyncRpcClient implements AsyncOps {
  private lastSeq = 0;
  private readonly waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private dead: Error | null = null;

  constructor(private readonly port: MessagePort) {
    port.on('message', (a: Answer) => {
      const w = this.waiting.get(a.seq);
      if (!w) return;
      this.waiting.delete(a.seq);
      if (this.waiting.size === 0) port.unref();
      w.resolve(a.value);
    });
    // Only an operation in flight keeps the process alive (as a pending request does in undici).
    port.unref();
  }

  call<T>(msg: { op: string } & Record<string, unknown>, transfer: Transferable[] = []): Promise<T> {
    if (this.dead) return Promise.reject(this.dead);
    const seq = ++this.lastSeq;
    return new Promise<T>((resolve, reject) => {
      if (this.waiting.size === 0) this.port.ref();
      this.waiting.set(seq, { resolve: resolve as (v: unknown) => void, reject });
      this.port.postMessage({ seq, msg } satisfies Call, transfer);
    });
  }

  /** The host is gone: every operation in flight fails (as the sync client's calls do), none hangs. */
  hostDied(message = 'luahttp I/O host stopped unexpectedly'): void {
    this.dead = new HostDiedError(message);
    for (const w of this.waiting.values()) w.reject(this.dead);
    this.waiting.clear();
    this.port.unref();
  }
}

/** The host side: runs each posted operation with the same handler the sync channel uses. */
export function serveAsyncRpc(port: MessagePort, handler: RpcHandler): void {
  port.on('message', ({ seq, msg }: Call) => {
    const answer = (value: unknown, transfer: Transferable[] = []): void => port.postMessage({ seq, value } satisfies Answer, transfer);
    handler(msg as { op: string } & Record<string, unknown>).then(
      (reply) => answer(reply.value, reply.transfer),
      (e: unknown) => answer({ error: `luahttp host error: ${(e as Error)?.stack ?? String(e)}` }),
    );
  });
}
