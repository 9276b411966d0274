// The CLI's runtime: the same VM and I/O sides as the library's (src/runtime/runtime.ts), placed for
// start-up speed (DESIGN "Architecture"): the VM on this (main) thread with the yield driver, network
// waits served in-process on this thread's event loop, and an I/O thread (io-link.ts) started only for
// waits that cannot yield or for --httpbin. The real-machine profile; a deadline ends the process.
import fs from 'node:fs';
import { IoLink, type TransportSettings } from './io-link.js';
import type { InProcessHost } from '../io/in-process-io.js';
import type { LuaVm } from '../vm/lua-vm.js';
import { busyNetworkCounter } from '../startup/warm-jit.js';
import { defaultSigpipe, ignoreSigpipe } from './cli-sigpipe.js';

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

/**
 * --timeout: the script ends with a LuaSocket-style message and exit code 1. The timer runs on this
 * thread, which is free whenever the script waits by yielding (network waits, by default); a script
 * that never gives this thread back (a busy loop, a blocking wait) is ended by a watchdog thread a
 * moment later, by SIGKILL — a thread cannot set another thread's exit code.
 */
function startDeadline(progname: string, seconds: number, onTimeout: () => void): void {
  const ms = seconds * 1000;
  const message = `${progname}: timeout (the script ran longer than --timeout ${seconds} s)\n`;
  setTimeout(() => { fs.writeSync(2, message); onTimeout(); }, ms).unref();
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const watchdog = new Worker(`
    const { workerData } = require('node:worker_threads');
    const fs = require('node:fs');
    setTimeout(() => { fs.writeSync(2, workerData.message); process.kill(process.pid, 'SIGKILL'); }, workerData.ms);
  `, { eval: true, workerData: { ms: ms + 500, message } });
  watchdog.unref();
}

export interface CliRuntime {
  vm: LuaVm;
  /** Ends the process as `lua` does: closeState = os.exit's second argument (lua_close first). */
  exit: (code: number, closeState?: boolean) => never;
}

export async function createCliRuntime(o: CliRuntimeOptions): Promise<CliRuntime> {
  // --httpbin's server shares the process: a client that goes away must not kill it.
  if (o.httpbin) ignoreSigpipe(); else defaultSigpipe();
  const host = new IoLink({ connectTo: o.connectTo, httpbin: o.httpbin, transport: o.transport });
  // The host thread is needed up front only for --httpbin (its server runs there); otherwise it
  // starts on the first wait that cannot yield.
  if (o.httpbin) host.start();

  let vm: LuaVm | undefined;
  const exit = (code: number, closeState = false): never => {
    // As C Lua's os.exit(code, true): lua_close runs __gc and pending __close, then the process ends.
    if (closeState) vm?.close();
    vm?.files.flushAll();
    process.exit(code);
  };
  if (o.timeoutSeconds !== undefined) startDeadline(o.progname, o.timeoutSeconds, () => exit(1));
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
  vm = await LuaVm.create({ rpc: () => host.rpc(), ring: host.ring, exit, noEnv: o.noEnv, inProcess: handle, progress: o.progress, onSocketLoad: ignoreSigpipe });
  return { vm, exit };
}
