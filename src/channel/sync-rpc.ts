// The VM side of the channel to the I/O host. Every operation is a message carrying a ticket; every
// answer comes back on the same port tagged with it, and the host counts answers in a shared cell the
// VM can Atomics.wait on. One primitive serves two ways of waiting (issue 12):
//  * call(): Lua's plain blocking calls — one message and a wait for its own answer (22–25 µs a round
//    trip, ref/wasmoon.md §3);
//  * submit() + waitAny(): tasks — several operations in flight, the VM thread blocks only when every
//    task waits, and wakes with whichever answer came first.
// The host runs undici on an event loop the VM never blocks.
import type { MessagePort, Transferable } from 'node:worker_threads';
import { LuaScriptError } from '../vm/lua-api.js';

// node:worker_threads is required on first use: it costs ~1 ms of start-up, and print("hi") never needs it.
const receiveMessageOnPort = (port: MessagePort): { message: unknown } | undefined =>
  (require('node:worker_threads') as typeof import('node:worker_threads')).receiveMessageOnPort(port);

/** Cells of the shared flag: answers posted so far (wraps), and whether the host died. */
export const FLAG_ANSWERS = 0;
export const FLAG_DEAD = 1;
/** The flag's size in bytes. */
export const FLAG_BYTES = 8;

/** A message's ticket that asks for no answer (closes that nothing waits for). */
export const NO_ANSWER = -1;

/** What the host posts back: the answer to one ticket. */
export interface Answer { ticket: number; value: unknown }

/**
 * Waking a thread from Atomics.wait costs ~50 µs on the machines measured (empty round trip 70 µs
 * sleeping, 20 µs spinning 0.2 ms first); most answers (a loopback GET) come within that window.
 */
const SPIN_MS = 0.2;

/** Reaches the script as a Lua error (not a JS stack): the host thread is gone, nothing can be retried. */
export class HostDiedError extends LuaScriptError {}

export type Op = { op: string } & Record<string, unknown>;

export class SyncRpcClient {
  private lastTicket = 0;
  /** Answers this side has taken off the port (compared with the host's count). */
  private received = 0;
  /** Submitted operations' answer handlers, by ticket. */
  private readonly pending = new Map<number, (value: unknown) => void>();
  /** Submitted operations answered while a blocking call waited: waitAny hands them out first. */
  private ready: number[] = [];

  constructor(private readonly port: MessagePort, private readonly flag: Int32Array) {}

  /** For waits outside call() (the body ring): a dead host must end them with an error. */
  hostDied(): boolean {
    return Atomics.load(this.flag, FLAG_DEAD) !== 0;
  }

  /** Answers taken off the port so far (wraps as the host's count does). */
  get answersTaken(): number {
    return this.received;
  }

  /** Submitted operations whose tickets waitAny has not handed out yet. */
  get outstanding(): number {
    return this.pending.size + this.ready.length;
  }

  /** Sends msg and blocks the thread until its answer (answers to submitted tickets are handed on meanwhile). */
  call<T>(msg: Op, transfer: Transferable[] = []): T {
    if (this.hostDied()) throw new HostDiedError('luahttp I/O host stopped unexpectedly');
    const ticket = this.post(msg, transfer, true);
    for (;;) {
      const answer = this.waitAnswer(Infinity);
      if (answer!.ticket === ticket) return answer!.value as T;
      if (this.deliver(answer!)) this.ready.push(answer!.ticket);
    }
  }

  /** Starts msg without waiting; onAnswer runs (on this thread, inside waitAny or call) with its answer. */
  submit(msg: Op, transfer: Transferable[], onAnswer: (value: unknown) => void): number {
    if (this.hostDied()) throw new HostDiedError('luahttp I/O host stopped unexpectedly');
    const ticket = this.post(msg, transfer, false);
    this.pending.set(ticket, onAnswer);
    return ticket;
  }

  /** Sends msg and expects no answer. */
  send(msg: Op): void {
    if (this.hostDied()) return;
    msg.ticket = NO_ANSWER;
    this.port.postMessage(msg);
  }

  /**
   * Blocks until a submitted operation is answered (its handler has run) or `untilMs` (performance.now())
   * passes: its ticket, or 0 on the deadline. A ticket the caller no longer wants (forget) is skipped.
   */
  waitAny(untilMs: number): number {
    if (this.ready.length) return this.ready.shift()!;
    for (;;) {
      const answer = this.waitAnswer(untilMs);
      if (!answer) return 0;
      if (this.deliver(answer)) return answer.ticket;
    }
  }

  /** Drops one submitted operation's handler: its answer, when it comes, is ignored. */
  forget(ticket: number): void {
    this.pending.delete(ticket);
    this.ready = this.ready.filter((t) => t !== ticket);
  }

  /** Drops the handlers of submitted operations: their answers, when they come, are ignored. */
  forgetAll(): void {
    this.pending.clear();
    this.ready = [];
  }

  /** True when the answer belonged to a submitted operation (its handler ran). */
  private deliver(answer: Answer): boolean {
    const handler = this.pending.get(answer.ticket);
    if (!handler) return false;
    this.pending.delete(answer.ticket);
    handler(answer.value);
    return true;
  }

  private post(msg: Op, transfer: Transferable[], waits: boolean): number {
    const ticket = ++this.lastTicket;
    msg.ticket = ticket;
    // The host may count the VM as waiting from here (the CPU limit pauses): only a blocking call says so.
    if (waits) msg.waits = true;
    this.port.postMessage(msg, transfer);
    return ticket;
  }

  /** The next answer on the port, waiting for it until untilMs; undefined when that passes. */
  private waitAnswer(untilMs: number): Answer | undefined {
    const spinUntil = performance.now() + SPIN_MS;
    for (let missing = 0; ;) {
      // The host counts each answer after posting it: the count says when there is one to take.
      const posted = Atomics.load(this.flag, FLAG_ANSWERS);
      if (posted !== this.received) {
        const got = receiveMessageOnPort(this.port);
        if (got) { this.received = (this.received + 1) | 0; return got.message as Answer; }
        // Seen rarely: the count is visible a moment before the message is.
        if (++missing > 100_000) throw new HostDiedError('luahttp I/O host answered without a message');
        Atomics.wait(this.flag, FLAG_DEAD, 0, 0.01);
        continue;
      }
      if (this.hostDied()) throw new HostDiedError('luahttp I/O host stopped unexpectedly');
      const now = performance.now();
      if (now >= untilMs) return undefined;
      if (now < spinUntil) continue;
      // No deadline for calls on purpose: every host operation carries its own timeout, and a dead host sets the flag.
      Atomics.wait(this.flag, FLAG_ANSWERS, posted, Math.min(untilMs - now, 60_000));
    }
  }
}
