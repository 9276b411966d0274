// SIGINT and --timeout while the script runs on this (main) thread. A busy Lua loop or a blocking
// wait never returns to Node's event loop, so neither a signal listener nor a timer here would run.
// A watcher thread does the waiting instead:
// - SIGINT: the thread waits inside vm.runInThisContext({ breakOnSigint }), whose SIGINT handler
//   (Node's SigintWatchdog) interrupts that thread's wait. Node then restores a one-shot handler that
//   kills the process on the next SIGINT — what lua.c does too (laction resets SIGINT to SIG_DFL).
// - the deadline: the thread's wait times out.
// Either way it reaches this thread through the inspector: a session on the main thread evaluates a
// call at V8's next interrupt check, which wasm loops and Atomics.wait honour. lua.c reacts to SIGINT by
// arming a hook from the signal handler; the callee here does the same (LuaVm.interrupt()), so a
// script pays nothing until a signal arrives (an always-on count hook costs +90-200 %, ref/wasmoon.md §4).
// The thread costs ~25 ms of CPU to boot, so most scripts never start it: cli-watcher-start.ts says when.
import type { Worker as WorkerType } from 'node:worker_threads';

export type InterruptReason = 'sigint' | 'timeout';

const CALLEE = Symbol.for('luahttp.interrupt');
/** The main thread's timer ends an idle script at the deadline; the watcher steps in this much later. */
const WATCHER_GRACE_MS = 100;
/** After asking the main thread to end the script, the watcher waits this long before SIGKILL. */
const KILL_AFTER_MS = 2000;

/** How long the CLI waits for the watcher to be in place before it runs the script anyway. */
const READY_WAIT_MS = 3000;

/** state[0]: set to 1 by the main thread once it has handled the timeout (no SIGKILL needed);
 *  state[1]: set to 1 by the watcher once Node's SIGINT handler is installed. */
const WATCHER_SOURCE = `
const { workerData } = require('node:worker_threads');
const vm = require('node:vm');
const fs = require('node:fs');
const { state, deadlineAt, message, callee } = workerData;
const idle = new Int32Array(new SharedArrayBuffer(4));
function interruptMain(reason) {
  try {
    const { Session } = require('node:inspector');
    const session = new Session();
    session.connectToMainThread();
    session.post('Runtime.evaluate', { expression: 'globalThis[Symbol.for(' + JSON.stringify(callee) + ')](' + JSON.stringify(reason) + ')' });
    // Disconnected right away: a session still open when the process exits makes Node print
    // "Waiting for the debugger to disconnect...".
    session.disconnect();
    return true;
  } catch {
    return false; // a Node built without the inspector
  }
}
function msUntilDeadline() {
  return deadlineAt === null ? Infinity : Math.max(0, deadlineAt - Date.now());
}
globalThis.idle = idle;
globalThis.state = state;
let watching = true;
for (;;) {
  globalThis.ms = msUntilDeadline();
  if (watching) {
    try {
      // Inside the call Node's SIGINT handler is in place: only then is the watcher ready.
      vm.runInThisContext('Atomics.store(state, 1, 1); Atomics.notify(state, 1); Atomics.wait(idle, 0, 0, ms)', { breakOnSigint: true });
    } catch (e) {
      if (e?.code !== 'ERR_SCRIPT_EXECUTION_INTERRUPTED') throw e;
      watching = false;
      // Without the inspector: end as the default action would (Node's handler is one-shot now).
      if (!interruptMain('sigint')) process.kill(process.pid, 'SIGINT');
      continue;
    }
  } else if (globalThis.ms !== Infinity) {
    Atomics.wait(idle, 0, 0, globalThis.ms);
  } else {
    break; // SIGINT handled and no deadline: nothing left to watch
  }
  if (msUntilDeadline() > 0) continue;
  if (interruptMain('timeout')) Atomics.wait(state, 0, 0, ${KILL_AFTER_MS});
  if (Atomics.load(state, 0) === 0) {
    // The main thread could not be reached (a long call into Node that V8 cannot interrupt).
    fs.writeSync(2, message);
    process.kill(process.pid, 'SIGKILL');
  }
  break;
}
`;

export interface Watcher {
  /** Blocks until the watcher catches SIGINT (a SIGINT before that kills the process, as before
   *  lua.c's docall); bounded, in case the thread cannot start. */
  waitReady(): void;
  /** The main thread has handled the timeout: the watcher need not kill the process. */
  timeoutHandled(): void;
}

/**
 * Starts the watcher thread. `onInterrupt` runs on this thread, possibly in the middle of Lua code or
 * of a blocking wait (like a signal handler): it must only set state, or end the process.
 */
export function startWatcher(
  deadline: { at: number; message: string } | null,
  onInterrupt: (reason: InterruptReason) => void,
): Watcher {
  // Required here, not imported: node:worker_threads costs ~3.5 ms to load on Node 20.
  const { Worker } = require('node:worker_threads') as { Worker: typeof WorkerType };
  (globalThis as Record<symbol, unknown>)[CALLEE] = onInterrupt;
  const state = new Int32Array(new SharedArrayBuffer(8));
  const watcher = new Worker(WATCHER_SOURCE, {
    eval: true,
    workerData: {
      state,
      deadlineAt: deadline ? deadline.at + WATCHER_GRACE_MS : null,
      message: deadline?.message ?? '',
      callee: CALLEE.description,
    },
    stdout: false,
    stderr: false,
  });
  watcher.unref();
  return {
    waitReady: () => { Atomics.wait(state, 1, 0, READY_WAIT_MS); },
    timeoutHandled: () => {
      Atomics.store(state, 0, 1);
      Atomics.notify(state, 0);
    },
  };
}
