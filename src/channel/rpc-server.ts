// The I/O host side of the channel (src/channel/sync-rpc.ts): each VM operation is handled as it
// comes (several may be in flight), and its answer goes back tagged with the operation's ticket.
import type { MessagePort, Transferable } from 'node:worker_threads';
import { FLAG_ANSWERS, FLAG_DEAD, NO_ANSWER, type Answer } from './sync-rpc.js';

export interface RpcReply { value: unknown; transfer?: Transferable[] }
export type RpcHandler = (msg: { op: string } & Record<string, unknown>) => Promise<RpcReply>;

/** Posts the answer to one ticket and wakes the VM if it waits (the count is what it waits on). */
export function postAnswer(port: MessagePort, flag: Int32Array, ticket: number, value: unknown, transfer: Transferable[] = []): void {
  if (ticket === NO_ANSWER) return;
  port.postMessage({ ticket, value } satisfies Answer, transfer);
  Atomics.add(flag, FLAG_ANSWERS, 1);
  Atomics.notify(flag, FLAG_ANSWERS);
}

/** The error answer of an operation whose handler failed (a host bug, reported to the script; the library shows no stack, whose paths are the app's). */
export function hostErrorValue(e: unknown, stack = false): { error: string } {
  return { error: `luahttp host error: ${(stack ? (e as Error)?.stack : (e as Error)?.message) ?? String(e)}` };
}

export function serveRpc(port: MessagePort, flag: Int32Array, handler: RpcHandler): void {
  port.on('message', (msg: { op: string; ticket: number } & Record<string, unknown>) => {
    handler(msg).then(
      (reply) => postAnswer(port, flag, msg.ticket, reply.value, reply.transfer),
      (e: unknown) => postAnswer(port, flag, msg.ticket, hostErrorValue(e, true)),
    );
  });
}

/** Wakes a waiting VM when the host cannot go on, so a crash is an error and never a hang. */
export function reportHostDeath(flag: Int32Array): void {
  Atomics.store(flag, FLAG_DEAD, 1);
  Atomics.notify(flag, FLAG_ANSWERS);
}
