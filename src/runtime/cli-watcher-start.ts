// When the CLI's SIGINT watcher thread (cli-interrupts.ts) starts. Booting it costs ~25 ms of CPU,
// and a one-GET script used to wait up to that long for it, yet it is only needed while the script keeps
// this thread away from Node's event loop: busy in Lua, or in a blocking wait. So it starts when the
// script first does one of these, and the script goes on once the thread catches SIGINT (bounded wait):
// - a blocking wait: the first Atomics.wait on this thread (socket.sleep, socket.select, a wait on
//   the I/O thread, a write retried on EAGAIN) or the first read from stdin;
// - busy in Lua: BUSY_INSTRUCTIONS VM instructions run (LuaVm.watchBusy's count hook).
// Until then SIGINT reaches a listener on this thread, which runs while the script waits for the
// network (those waits yield to the event loop) and does what the thread would: lua.c's "interrupted!"
// at the next instruction; the listener then removes itself, so a second SIGINT kills, as lua.c's
// laction resets SIGINT to the default. --timeout and the REPL start the thread at once, as before.
// What this leaves different: a SIGINT in the moment between a busy stretch starting and the thread
// catching signals (BUSY_INSTRUCTIONS + the thread's boot, ~40 ms on an idle machine) waits in the
// listener until the script next waits for the network; a script that sets its own hook
// (debug.sethook) in its first BUSY_INSTRUCTIONS replaces the count hook; and debug.gethook() in
// that stretch reports luahttp's count hook ("external hook") where lua5.4 reports none.
import type { LuaVm } from '../vm/lua-vm.js';
import { startWatcher, type InterruptReason, type Watcher } from './cli-interrupts.js';

/**
 * VM instructions after which a script counts as busy: ~7 ms of a tight Lua loop here. A one-GET
 * script (`require "socket.http"` and its modules, the request, a print) runs fewer than 5,000, so
 * short scripts never start the thread.
 */
export const BUSY_INSTRUCTIONS = 1_000_000;

/** Calls `then` before the first Atomics.wait on this thread (then Atomics.wait is the original again). */
function beforeFirstBlockingWait(then: () => void): () => void {
  const wait = Atomics.wait;
  const restore = (): void => { Atomics.wait = wait; };
  Atomics.wait = function firstWait(...args: Parameters<typeof Atomics.wait>) {
    restore();
    then();
    return wait.apply(Atomics, args);
  } as typeof Atomics.wait;
  return restore;
}

export class InterruptWatch {
  private thread: Watcher | null = null;
  /** A SIGINT reached the listener: no thread from now on (the next SIGINT kills, as in lua.c). */
  private sigintSeen = false;
  private listening = false;
  private readonly undoTriggers: (() => void)[] = [];

  constructor(private readonly onInterrupt: (reason: InterruptReason) => void) {}

  /** Starts the thread now (--timeout: its deadline holds however the script waits). */
  startThread(deadline: { at: number; message: string } | null): void {
    this.thread ??= startWatcher(deadline, this.onInterrupt);
  }

  /** Right before the script runs. `eager` (the REPL): the thread starts now, else when needed. */
  scriptStarts(vm: LuaVm, eager: boolean): void {
    if (eager) this.startThread(null);
    if (this.thread) {
      this.thread.waitReady();
      return;
    }
    process.on('SIGINT', this.onSigint);
    this.listening = true;
    vm.watchBusy(BUSY_INSTRUCTIONS, this.needed);
    this.undoTriggers.push(() => vm.unwatchBusy());
    this.undoTriggers.push(beforeFirstBlockingWait(this.needed));
    const stdin = vm.files.get(0);
    const before = stdin.beforeUnderflow;
    stdin.beforeUnderflow = () => { this.needed(); before?.(); };
    this.undoTriggers.push(() => { stdin.beforeUnderflow = before; });
  }

  /** The script returned: nothing more to start. */
  scriptEnded(): void {
    this.removeTriggers();
    this.stopListening();
  }

  /** The main thread has handled the timeout (see Watcher.timeoutHandled). */
  timeoutHandled(): void {
    this.thread?.timeoutHandled();
  }

  private removeTriggers(): void {
    for (const undo of this.undoTriggers.splice(0)) undo();
  }

  private stopListening(): void {
    // libuv restores SIGINT's default action when its last listener goes.
    if (this.listening) process.off('SIGINT', this.onSigint);
    this.listening = false;
  }

  /** The script is busy or blocks: the thread must catch SIGINT from now on. */
  private readonly needed = (): void => {
    this.removeTriggers();
    if (this.thread || this.sigintSeen) return;
    this.startThread(null);
    // Until the thread catches SIGINT the listener stays: a signal meanwhile is kept, not fatal.
    this.thread!.waitReady();
  };

  private readonly onSigint = (): void => {
    this.sigintSeen = true;
    this.removeTriggers();
    this.stopListening();
    this.onInterrupt('sigint');
  };
}
