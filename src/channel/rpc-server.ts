// The I/O host side of the synchronous RPC: answers one VM request at a time, then wakes the VM.
import type { MessagePort, Transferable } from 'node:worker_threads';
import { RPC_ANSWERED, RPC_HOST_DIED } from './sync-rpc.js';

export interface RpcReply { value: unknown; transfer?: Transferable[] }
export type RpcHandler = (msg: { op: string } & Record<string, unknown>) => Promise<RpcReply>;

export function serveRpc(port: MessagePort, flag: Int32Array, handler: RpcHandler): void {
  port.on('message', (msg) => {
    handler(msg).then(
      (reply) => answer(reply.value, reply.transfer),
      (e: unknown) => answer({ error: `luahttp host error: ${(e as Error)?.stack ?? String(e)}` }),
    );
  });
  const answer = (value: unknown, transfer: Transferable[] = []): void => {
    port.postMessage(value, transfer);
    Atomics.store(flag, 0, RPC_ANSWERED);
    Atomics.notify(flag, 0);
  };
}

/** Wakes a waiting VM when the host cannot go on, so a crash is an error and never a hang. */
export function reportHostDeath(flag: Int32Array): void {
  Atomics.store(flag, 0, RPC_HOST_DIED);
  Atomics.notify(flag, 0);
}
