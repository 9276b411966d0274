// The CLI's runtime: the same VM and I/O sides as the library's (src/runtime/runtime.ts), placed for
// start-up speed (DESIGN "Architecture"): the VM on this (main) thread with the yield driver, network
// waits served in-process on this thread's event loop, and an I/O thread (io-link.ts) started only for
// waits that cannot yield or for --httpbin. The real-machine profile; a deadline ends the process.
import fs from 'node:fs';
import { IoLink, type TransportSettings } from './io-link.js';
import type { InProcessHost } from '../io/in-process-io.js';
import type { LuaVm } from '../vm/lua-vm.js';
import { busyNetworkCounter } from '../startup/warm-jit.js';
import { dieBySigpipe } from './cli-sigpipe.js';
import type { InterruptReason } from './cli-interrupts.js';
import { InterruptWatch } from './cli-watcher-start.js';

export interface CliRuntimeOptions {
  progname: string;
  connectTo: string[];
  httpbin: boolean;
  transport: TransportSettings;
  /** `lua -E`. */
  noEnv: boolean;
  /** A progress meter on stderr (a terminal) for long bodies. */
  progress: boolean;
  /** `--timeout`: the whole script's limit. */
  timeoutSeconds?: number;
}

/**
 * The in-process I/O host: network waits of the script yield to this thread's event loop. The host
 * thread stays for what cannot yield (and runs --httpbin, which must answer while this thread blocks).
 */
async function inProcessHostFor(o: CliRuntimeOptions, host: IoLink): Promise<InProcessHost> {
  const { inProcessHost } = await import('../io/in-process-io.js');
  const { parseConnectTo } = await import('../io/transport/connect-to.js');
  const rules = o.connectTo.map(parseConnectTo);
  if (o.httpbin) {
    const { httpbinRules } = await import('../io/httpbin-mapping.js');
    const { httpbinPort } = host.rpc().call<{ httpbinPort: number }>({ op: 'host.info' });
    rules.push(...httpbinRules(httpbinPort));
  }
  return inProcessHost(rules, o.transport);
}

export interface CliRuntime {
  vm: LuaVm;
  /** Ends the process as `lua` does: closeState = os.exit's second argument (lua_close first). */
  exit: (code: number, closeState?: boolean) => never;
  /**
   * Call right before the script runs: from then on SIGINT reaches it as lua.c's docall has it.
   * `interactive` (the REPL) starts the watcher thread at once; a script gets it when it needs it.
   */
  scriptStarts: (interactive: boolean) => void;
  /** Call when the script has returned: from then on SIGINT kills, as after lua.c's docall. */
  scriptEnded: () => void;
}

export async function createCliRuntime(o: CliRuntimeOptions): Promise<CliRuntime> {
  const host = new IoLink({ connectTo: o.connectTo, httpbin: o.httpbin, transport: o.transport });
  // The host thread is needed up front only for --httpbin (its server runs there); otherwise it
  // starts on the first wait that cannot yield.
  if (o.httpbin) host.start();

  let vm: LuaVm | undefined;
  let scriptDone = false;
  let socketLoaded = false;
  const exit = (code: number, closeState = false): never => {
    scriptDone = true;
    // As C Lua's os.exit(code, true): lua_close runs __gc and pending __close, then the process ends.
    if (closeState) vm?.close();
    vm?.files.flushAll();
    process.exit(code);
  };
  // --timeout: the script ends with a LuaSocket-style message and exit code 1, its output flushed.
  // The timer below ends a script that waits by yielding; the watcher thread reaches a busy or
  // blocked one (cli-interrupts.ts), and delivers SIGINT as lua.c does (started when needed:
  // cli-watcher-start.ts).
  const timeoutMessage = `${o.progname}: timeout (the script ran longer than --timeout ${o.timeoutSeconds} s)\n`;
  const endByTimeout = (inInterrupt: boolean): never => {
    scriptDone = true;
    vm?.files.flushAll();
    fs.writeSync(2, timeoutMessage);
    interrupts.timeoutHandled();
    // Ending inside the inspector's call, Node would add "Waiting for the debugger to disconnect..."
    // on stderr (the watcher's session closes just after the call): our message is out, close stderr.
    if (inInterrupt) { try { fs.closeSync(2); } catch { /* already closed */ } }
    process.exit(1);
  };
  const onInterrupt = (reason: InterruptReason): void => {
    if (reason === 'timeout') endByTimeout(true);
    else if (vm && !scriptDone) vm.interrupt();
    else process.kill(process.pid, 'SIGINT'); // outside the script: SIGINT's default action
  };
  const interrupts = new InterruptWatch(onInterrupt);
  if (o.timeoutSeconds !== undefined) {
    interrupts.startThread({ at: Date.now() + o.timeoutSeconds * 1000, message: timeoutMessage });
    setTimeout(() => endByTimeout(false), o.timeoutSeconds * 1000).unref();
  }
  // Loaded only now, so the host worker (started above) boots while this module graph loads.
  const { LuaVm } = await import('../vm/lua-vm.js');
  // Built on the first network wait, so print("hi") never loads the transport modules.
  let inProcess: Promise<InProcessHost> | undefined;
  let ready: InProcessHost | undefined; // once built, requests skip the extra promise hop
  const countWait = busyNetworkCounter();
  const handle = (msg: { op: string } & Record<string, unknown>): Promise<unknown> => {
    countWait();
    if (ready) return ready.handle(msg);
    inProcess ??= inProcessHostFor(o, host).then((h) => (ready = h));
    return inProcess.then((h) => h.handle(msg));
  };
  // Loading undici while the engine compiled made one GET slower (117 vs 101 ms): it loads on first use.
  // One ticket port for every wait that yields: HTTP runs in-process, socket operations on the I/O
  // thread through its non-blocking port (src/channel/async-rpc.ts).
  const { PromiseTickets } = await import('../vm/tickets.js');
  const tickets = new PromiseTickets((msg, transfer) => (msg.op.startsWith('http.') ? handle(msg) : host.asyncRpc().call(msg, transfer)));
  vm = await LuaVm.create({ rpc: () => host.rpc(), ring: host.ring, exit, noEnv: o.noEnv, tickets, progress: o.progress, onSocketLoad: () => { socketLoaded = true; } });
  // A write to a closed pipe: lua5.4 is killed by SIGPIPE unless LuaSocket is loaded (it ignores it).
  vm.files.onBrokenPipe = () => { if (!socketLoaded) dieBySigpipe(); };
  const started = vm;
  return {
    vm,
    exit,
    scriptStarts: (interactive) => interrupts.scriptStarts(started, interactive),
    scriptEnded: () => { scriptDone = true; interrupts.scriptEnded(); },
  };
}
