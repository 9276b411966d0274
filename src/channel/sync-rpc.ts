// The VM side of the synchronous RPC: Lua's blocking calls become one message to the I/O host and an
// Atomics.wait until it answers (22–25 µs a round trip, ref/wasmoon.md §3). The host runs undici on an
// event loop the VM never blocks.
import type { MessagePort, Transferable } from 'node:worker_threads';
import { LuaScriptError } from '../vm/lua-api.js';

// node:worker_threads is required on first use: it costs ~1 ms of start-up, and print("hi") never needs it.
const receiveMessageOnPort = (port: MessagePort): { message: unknown } | undefined =>
  (require('node:worker_threads') as typeof import('node:worker_threads')).receiveMessageOnPort(port);

/** Cell states in the shared flag. */
export const RPC_PENDING = 0;
export const RPC_ANSWERED = 1;
export const RPC_HOST_DIED = 2;

/**
 * Waking a thread from Atomics.wait costs ~50 µs on the machines measured (empty round trip 70 µs
 * sleeping, 20 µs spinning 0.2 ms first); most answers (a loopback GET) come within that window.
 */
const SPIN_MS = 0.2;

/** Reaches the script as a Lua error (not a JS stack): the host thread is gone, nothing can be retried. */
export class HostDiedError extends LuaScriptError {}

export class SyncRpcClient {
  constructor(private readonly port: MessagePort, private readonly flag: Int32Array) {}

  /** For waits outside call() (the body ring): a dead host must end them with an error. */
  hostDied(): boolean {
    return Atomics.load(this.flag, 0) === RPC_HOST_DIED;
  }

  call<T>(msg: unknown, transfer: Transferable[] = []): T {
    if (this.hostDied()) throw new HostDiedError('luahttp I/O host stopped unexpectedly');
    Atomics.store(this.flag, 0, RPC_PENDING);
    this.port.postMessage(msg, transfer);
    const spinUntil = performance.now() + SPIN_MS;
    while (Atomics.load(this.flag, 0) === RPC_PENDING && performance.now() < spinUntil);
    // No deadline here on purpose: every host operation carries its own timeout, and a dead host sets the flag.
    while (Atomics.wait(this.flag, 0, RPC_PENDING, 60_000) === 'timed-out');
    if (Atomics.load(this.flag, 0) === RPC_HOST_DIED) throw new HostDiedError('luahttp I/O host stopped unexpectedly');
    let reply = receiveMessageOnPort(this.port);
    // Seen rarely while spinning: the flag is visible a moment before the message is. Wait for it.
    for (let i = 0; !reply && i < 100_000; i++) {
      Atomics.wait(this.flag, 1, 0, 0.01);
      reply = receiveMessageOnPort(this.port);
    }
    if (!reply) throw new HostDiedError('luahttp I/O host answered without a message');
    return reply.message as T;
  }
}
