// How a blocking C function (sock:receive, socket.select, dns.toip, ssl's dohandshake …) waits for the
// I/O side. Its body is a generator that yields each operation it needs and is given the reply, so
// the same code runs two ways:
//  * blocking: each operation is one synchronous RPC (LuaSocket's exact behaviour: the whole script
//    waits). Always so outside luahttp's tasks and where Lua cannot yield (a C boundary);
//  * yielding: inside a task (or in the main flow while tasks run), the operation is started without
//    blocking, given a ticket, and the C function calls coroutines.lua's `await` through lua_callk with
//    a continuation. The task yields to the scheduler; when the driver hands the ticket back, Lua calls
//    the continuation, which feeds the reply to the generator and goes on. Only that task waits.
// The function stays a C function either way, so argument errors, tracebacks and `debug.getinfo` read
// as LuaSocket's, and the generator's state is what survives the yield (JS frames do not).
import { LUA_REGISTRYINDEX, type LuaApi, type LuaCFunction } from './lua-api.js';
import type { TicketPort } from './tickets.js';

export type OpMessage = { op: string } & Record<string, unknown>;
/** One wait: an operation on the I/O side, or a pause (select with nothing to watch). */
export type OpStep = { msg: OpMessage; transfer?: ArrayBuffer[] } | { sleepMs: number };
/** A blocking C function's body: yields its waits, returns how many results it pushed. */
export type OpSteps<R = number> = Generator<OpStep, R, unknown>;

/** `yield* op<T>(msg)`: one operation's reply, whichever way the wait is made. */
export function* op<T>(msg: OpMessage, transfer?: ArrayBuffer[]): OpSteps<T> {
  return (yield transfer ? { msg, transfer } : { msg }) as T;
}

/** `yield* pause(ms)`: waits ms milliseconds (negative: forever), as select(2) does with no descriptors. */
export function* pause(ms: number): OpSteps<void> {
  yield { sleepMs: ms };
}

export interface OpWaiterOptions {
  /** The blocking path: a synchronous round trip to the I/O side (today's path). */
  call: (msg: OpMessage, transfer: ArrayBuffer[]) => unknown;
  /**
   * The yielding path, present when the VM has a scheduler: operations and pauses get tickets from
   * the VM's TicketPort (src/vm/tickets.ts: the CLI's promises or the library's channel), `waits`
   * the registry refs of coroutines.lua's `cooperative` and `await`.
   */
  yielding?: {
    tickets: TicketPort;
    waits: () => { cooperative: number; await: number };
  };
}

interface Reply { ok: boolean; value?: unknown; error?: unknown }
interface Parked { steps: OpSteps; reply: Reply; msg?: OpMessage; cancel?: () => void }

const sleepCell = new Int32Array(new SharedArrayBuffer(4));
/** Atomics.wait and setTimeout both take at most this many ms at once. */
const MAX_WAIT_MS = 2 ** 31 - 1;

function blockFor(ms: number): void {
  if (ms < 0) for (;;) Atomics.wait(sleepCell, 0, 0, MAX_WAIT_MS);
  if (ms > 0) Atomics.wait(sleepCell, 0, 0, Math.min(ms, MAX_WAIT_MS));
}

export class OpWaiter {
  private readonly parked = new Map<number, Parked>();
  private lastCtx = 0;
  private k = 0;
  private noop = 0;

  constructor(private readonly api: LuaApi, private readonly options: OpWaiterOptions) {}

  /** A C function for Lua whose body may wait: body(L) runs until it returns its result count. */
  cfunction(body: (L: number) => OpSteps): LuaCFunction {
    return (L) => this.run(L, body(L), null);
  }

  /**
   * Forgets the yielding waits that will never be resumed: the script's main chunk ended and its tasks
   * were cancelled. Pauses stop; the operations are handed to `onAbandon` (the socket core closes
   * their sockets, which ends them on the I/O side and releases the connections).
   */
  abandon(): void {
    const msgs: OpMessage[] = [];
    for (const p of this.parked.values()) {
      p.cancel?.();
      if (p.msg) msgs.push(p.msg);
    }
    this.parked.clear();
    if (msgs.length) for (const f of this.abandonHandlers) f(msgs);
  }

  private readonly abandonHandlers: ((msgs: OpMessage[]) => void)[] = [];
  /** Registers what to do with abandoned operations (see abandon). */
  onAbandon(f: (msgs: OpMessage[]) => void): void {
    this.abandonHandlers.push(f);
  }

  private run(L: number, steps: OpSteps, reply: Reply | null): number {
    for (;;) {
      const next = reply === null ? steps.next() : reply.ok ? steps.next(reply.value) : steps.throw(reply.error);
      if (next.done) return next.value;
      reply = this.wait(L, steps, next.value);
    }
  }

  private wait(L: number, steps: OpSteps, step: OpStep): Reply {
    const y = this.options.yielding;
    // An operation that only looks (timeout 0: copas-style loops) answers at once: the blocking round
    // trip is the cheaper way to get that answer (no event-loop turn, no scheduler pass).
    const looksOnly = 'msg' in step && step.msg.waitMs === 0;
    if (!y || looksOnly || !this.cooperative(L)) {
      if ('sleepMs' in step) { blockFor(step.sleepMs); return { ok: true }; }
      return { ok: true, value: this.options.call(step.msg, step.transfer ?? []) };
    }
    const reply: Reply = { ok: true };
    const parked: Parked = { steps, reply };
    if ('sleepMs' in step) {
      const ticket = y.tickets.timer(step.sleepMs < 0 ? Infinity : Math.min(step.sleepMs, MAX_WAIT_MS));
      parked.cancel = () => y.tickets.cancel(ticket);
    } else {
      y.tickets.submit(step.msg, step.transfer ?? [], (v) => { reply.value = v; }, (e) => { reply.ok = false; reply.error = e; });
      parked.msg = step.msg;
    }
    const ctx = this.lastCtx = (this.lastCtx % 0x7fffffff) + 1;
    this.parked.set(ctx, parked);
    const m = this.api.m;
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(y.waits().await));
    // Yields to the scheduler (a longjmp out of this JS frame); Lua then resumes in continue().
    m._lua_callk(L, 0, 0, ctx, this.continuation());
    // await returned at once: the operation had already finished.
    this.parked.delete(ctx);
    return reply;
  }

  /** coroutines.lua's cooperative(): a task scheduler runs and the running code can yield here. */
  private cooperative(L: number): boolean {
    const m = this.api.m;
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.options.yielding!.waits().cooperative));
    // With a continuation the call is not a C-call boundary, so isyieldable() inside it answers for
    // the caller; without one Lua would mark the call non-yieldable and the answer would always be false.
    this.noop ||= this.api.continuation(() => 0);
    m._lua_callk(L, 0, 1, 0, this.noop);
    const yes = this.api.toBoolean(L, -1);
    m._lua_settop(L, -2);
    return yes;
  }

  private continuation(): number {
    this.k ||= this.api.continuation((L, _status, ctx) => {
      const p = this.parked.get(ctx);
      if (!p) return this.api.argError(L, 1, 'luahttp: a wait resumed twice'); // cannot happen: one resume per ticket
      this.parked.delete(ctx);
      return this.run(L, p.steps, p.reply);
    });
    return this.k;
  }
}
