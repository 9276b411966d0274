// How code that waits by yielding (luahttp's tasks, lua/runtime/coroutines.lua) starts an operation
// and how the driver learns that one has finished: submit an operation, get a ticket; the driver waits
// for any finished ticket and resumes the Lua code with it. One primitive, two placements (issue 12):
//  * PromiseTickets — the CLI: the I/O host is on the VM's own thread, so the driver awaits Node's
//    event loop between resumes;
//  * ChannelTickets — the library: the VM is a worker and the I/O host is the app's thread, so the
//    driver blocks in one Atomics.wait on the channel when every task waits.
import type { Transferable } from 'node:worker_threads';
import type { Op, SyncRpcClient } from '../channel/sync-rpc.js';

/** setTimeout's longest delay. */
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface TicketPort {
  /**
   * Starts msg; onReply runs on the VM's thread with the reply before the driver sees the ticket
   * (onError, if given, when the operation could not run at all: the I/O host is gone).
   */
  submit(msg: Op, transfer: Transferable[], onReply: (reply: unknown) => void, onError?: (e: unknown) => void): number;
  /** Starts msg and wants nothing back (an exchange's close). */
  send(msg: Op): void;
  /** A ticket that finishes after ms (socket.sleep in a task, a task's plain yield); Infinity: never. */
  timer(ms: number): number;
  /** The ticket will not be waited for any more (a cancelled task's pause): it never finishes. */
  cancel(ticket: number): void;
  /** The ticket of the operation started last. */
  readonly last: number;
  /** The next finished ticket, waiting if need be; 0 when nothing is outstanding (a deadlock). */
  next(): number | Promise<number>;
  /** Forgets every outstanding ticket (the run that started them is over). */
  forgetAll(): void;
}

/** The CLI's placement: operations are promises of the in-process host on this thread. */
export class PromiseTickets implements TicketPort {
  last = 0;
  private readonly finished: number[] = [];
  private finishedHead = 0;
  private wake: (() => void) | null = null;
  private outstanding = new Set<number>();
  private readonly timers = new Map<number, NodeJS.Timeout>();

  /** handle: runs one operation on this thread's event loop (the CLI routes it by kind, cli-runtime.ts). */
  constructor(private readonly handle: (msg: Op, transfer: Transferable[]) => Promise<unknown>) {}

  submit(msg: Op, transfer: Transferable[], onReply: (reply: unknown) => void, onError?: (e: unknown) => void): number {
    return this.track(this.handle(msg, transfer).then(onReply, (e: unknown) => (onError ? onError(e) : onReply({ error: String(e), done: true }))));
  }

  send(msg: Op): void {
    void this.handle(msg, []).catch(() => {});
  }

  timer(ms: number): number {
    const ticket = this.last + 1;
    return this.track(new Promise((resolve) => {
      // Infinity (select with nothing to watch): never finishes, and keeps the process waiting as native's does.
      const arm = (): void => {
        this.timers.set(ticket, setTimeout(() => {
          if (ms === Infinity) { arm(); return; }
          this.timers.delete(ticket);
          resolve(undefined);
        }, Math.min(ms, MAX_TIMER_MS)));
      };
      arm();
    }));
  }

  cancel(ticket: number): void {
    clearTimeout(this.timers.get(ticket));
    this.timers.delete(ticket);
    this.outstanding.delete(ticket);
  }

  private track(p: Promise<unknown>): number {
    const ticket = ++this.last;
    this.outstanding.add(ticket);
    const done = (): void => {
      if (!this.outstanding.delete(ticket)) return; // forgotten
      this.finished.push(ticket);
      const wake = this.wake;
      this.wake = null;
      wake?.();
    };
    p.then(done, done);
    return ticket;
  }

  async next(): Promise<number> {
    if (this.finishedHead === this.finished.length) {
      if (this.outstanding.size === 0) return 0;
      await new Promise<void>((resolve) => { this.wake = resolve; });
    }
    const ticket = this.finished[this.finishedHead++]!;
    if (this.finishedHead === this.finished.length) { this.finished.length = 0; this.finishedHead = 0; }
    return ticket;
  }

  forgetAll(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.outstanding.clear();
    this.finished.length = 0;
    this.finishedHead = 0;
  }
}

/**
 * The library's placement: operations go to the app's thread over the channel. Timers are the
 * driver's own (a deadline on its wait): nothing crosses threads for socket.sleep in a task.
 */
export class ChannelTickets implements TicketPort {
  /** Timers by deadline (performance.now()), few at a time: a sorted array is enough. */
  private timers: { at: number; ticket: number }[] = [];
  private lastTimer = 0;
  private timerTurn = true;

  /**
   * onBlock(true, timer, seen): the driver is about to block (the app's CPU clock pauses; timer: its
   * own timer may end the wait; seen: answers taken so far, so the app can tell an answer already on
   * its way, which means no block at all); onBlock(false): a timer ended the wait, no answer did.
   */
  constructor(private readonly rpc: () => SyncRpcClient, private readonly onBlock: (blocking: boolean, timer: boolean, seen: number) => void = () => {}) {}

  get last(): number {
    return this.lastIssued;
  }

  private lastIssued = 0;

  submit(msg: Op, transfer: Transferable[], onReply: (reply: unknown) => void): number {
    // (No onError here: the app's thread outlives its VM worker, so every operation is answered.)
    this.lastIssued = this.rpc().submit(msg, transfer, onReply);
    return this.lastIssued;
  }

  cancel(ticket: number): void {
    if (ticket < 0) this.timers = this.timers.filter((t) => t.ticket !== ticket);
    else this.rpc().forget(ticket);
  }

  send(msg: Op): void {
    this.rpc().send(msg);
  }

  timer(ms: number): number {
    // Timer tickets are negative: they never meet the channel's.
    const ticket = --this.lastTimer;
    const at = performance.now() + ms;
    let i = this.timers.length;
    while (i > 0 && this.timers[i - 1]!.at > at) i--;
    this.timers.splice(i, 0, { at, ticket });
    this.lastIssued = ticket;
    return ticket;
  }

  next(): number {
    const rpc = this.rpc();
    const due = this.timers[0];
    const now = performance.now();
    // Due timers and answers already there take turns: a task that keeps yielding (a timer of 0)
    // must not starve the others' I/O, nor a stream of answers a sleeping task.
    if (due && due.at <= now && this.timerTurn) { this.timerTurn = false; return this.timers.shift()!.ticket; }
    this.timerTurn = true;
    if (rpc.outstanding > 0) {
      const ready = rpc.waitAny(0);
      if (ready !== 0) return ready;
    }
    if (due && due.at <= now) return this.timers.shift()!.ticket;
    if (rpc.outstanding === 0 && !due) return 0;
    this.onBlock(true, due !== undefined, rpc.answersTaken);
    const ticket = rpc.waitAny(due ? due.at : Infinity);
    if (ticket !== 0) return ticket;
    this.onBlock(false, true, rpc.answersTaken);
    return this.timers.shift()!.ticket;
  }

  forgetAll(): void {
    this.timers = [];
    this.rpc().forgetAll();
  }
}
