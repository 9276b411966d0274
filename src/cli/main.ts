// `luahttp [options] [script [args]]`: the VM runs on this (main) thread, the I/O host in a worker
// started only when the script needs the network (ref/startup.md: 80 vs 129 ms for print("hi")).
import fs from 'node:fs';
import { parseArgs, usage, UsageError, type CliOptions } from './args.js';
import { IoLink, type TransportSettings } from '../runtime/io-link.js';
import type { InProcessHost } from '../io/in-process-io.js';
import type { LuaVm } from '../vm/lua-vm.js';
import { LUAHTTP_VERSION } from '../version.js';
import { busyNetworkCounter } from '../startup/warm-jit.js';

const PROGNAME = 'luahttp';

function writeStderr(s: string): void {
  fs.writeSync(2, s);
}

/**
 * The in-process I/O host: network waits of the script yield to this thread's event loop. The host
 * thread stays for what cannot yield (and runs --httpbin, which must answer while this thread blocks).
 */
async function inProcessHostFor(o: CliOptions, host: IoLink): Promise<InProcessHost> {
  const { inProcessHost } = await import('../io/in-process-io.js');
  const { parseConnectTo } = await import('../io/connect-to.js');
  const rules = o.connectTo.map(parseConnectTo);
  if (o.httpbin) {
    const { httpbinRules } = await import('../io/httpbin-mapping.js');
    const { httpbinPort } = host.rpc().call<{ httpbinPort: number }>({ op: 'host.info' });
    rules.push(...httpbinRules(httpbinPort));
  }
  return inProcessHost(rules, transportSettings(o));
}

function transportSettings(o: CliOptions): TransportSettings {
  return { insecure: o.insecure, proxy: o.proxy, noProxy: o.noProxy, compressed: o.compressed, trace: o.trace, http2: o.http2, systemCa: o.systemCa, policy: networkPolicy(o) };
}

/** The CLI stays open unless a flag asks otherwise: a policy is made only then (and is open to private networks unless --no-private). */
function networkPolicy(o: CliOptions): TransportSettings['policy'] {
  if (!o.allow.length && !o.deny.length && !o.noPrivate) return undefined;
  return { allow: o.allow.length ? o.allow : undefined, deny: o.deny, privateNetworks: !o.noPrivate };
}

/**
 * --timeout: the script ends with a LuaSocket-style message and exit code 1. The timer runs on this
 * thread, which is free whenever the script waits by yielding (network waits, by default); a script
 * that never gives this thread back (a busy loop, a blocking wait) is ended by a watchdog thread a
 * moment later, by SIGKILL — a thread cannot set another thread's exit code.
 */
function startDeadline(seconds: number, onTimeout: () => void): void {
  const ms = seconds * 1000;
  const message = `${PROGNAME}: timeout (the script ran longer than --timeout ${seconds} s)\n`;
  setTimeout(() => { writeStderr(message); onTimeout(); }, ms).unref();
  const { Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
  const watchdog = new Worker(`
    const { workerData } = require('node:worker_threads');
    const fs = require('node:fs');
    setTimeout(() => { fs.writeSync(2, workerData.message); process.kill(process.pid, 'SIGKILL'); }, workerData.ms);
  `, { eval: true, workerData: { ms: ms + 500, message } });
  watchdog.unref();
}

export async function main(args: string[]): Promise<void> {
  if (args[0] === 'httpbin') {
    const { runHttpbinCli } = await import('../httpbin/main.js');
    await runHttpbinCli(args.slice(1));
    return;
  }
  let o: CliOptions;
  try {
    o = parseArgs(args, PROGNAME);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    writeStderr(`${PROGNAME}: ${e.message}\n${usage(PROGNAME)}`);
    process.exit(1);
  }
  if (o.help) {
    fs.writeSync(1, usage(PROGNAME));
    process.exit(0);
  }
  if (o.luahttpVersion) {
    fs.writeSync(1, `${PROGNAME} ${LUAHTTP_VERSION} (Lua 5.4.6 on wasmoon, LuaSocket 3.1.0 and LuaSec 1.2.0 APIs, Node ${process.version})\n`);
    process.exit(0);
  }
  const host = new IoLink({ connectTo: o.connectTo, httpbin: o.httpbin, transport: transportSettings(o) });
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
  if (o.timeoutSeconds !== undefined) startDeadline(o.timeoutSeconds, () => exit(1));
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
  // The meter only ever goes to a terminal: a redirected stderr stays the script's own.
  const progress = o.progress && (require('node:tty') as typeof import('node:tty')).isatty(2);
  vm = await LuaVm.create({ rpc: () => host.rpc(), ring: host.ring, exit, noEnv: o.noEnv, inProcess: handle, progress });
  const { api, L } = vm;

  vm.loadRuntimeFile('runtime/cli.lua');
  api.m._lua_createtable(L, 0, 8);
  api.pushText(L, PROGNAME);
  api.setField(L, -2, 'progname');
  vm.pushStringArray(o.argv.slice(1));
  api.pushText(L, o.argv[0]!);
  api.m._lua_rawseti(L, -2, 0n);
  api.setField(L, -2, 'argv');
  if (o.scriptIndex !== null) {
    api.pushInteger(L, o.scriptIndex);
    api.setField(L, -2, 'scriptindex');
    api.pushText(L, o.argv[o.scriptIndex]!);
    api.setField(L, -2, 'script');
  }
  api.m._lua_createtable(L, o.actions.length, 0);
  o.actions.forEach(([kind, value], i) => {
    vm!.pushStringArray([kind, value]);
    api.m._lua_rawseti(L, -2, BigInt(i + 1));
  });
  api.setField(L, -2, 'actions');
  api.pushBoolean(L, o.version);
  api.setField(L, -2, 'version');
  api.pushBoolean(L, o.noEnv);
  api.setField(L, -2, 'noenv');
  api.pushText(L, LUAHTTP_VERSION);
  api.setField(L, -2, 'luahttpversion');
  // lua.c: no script, no -e, no -v → REPL on a terminal, otherwise run stdin.
  const bare = o.scriptIndex === null && o.actions.length === 0 && !o.version;
  // node:tty loads node:net (~1.7 ms): asked only when there is no script.
  const stdinIsTerminal = bare && (require('node:tty') as typeof import('node:tty')).isatty(0);
  api.pushBoolean(L, bare && !stdinIsTerminal);
  api.setField(L, -2, 'readstdin');
  // lua.c: -i, or no script, -e or -v with stdin a terminal, enters the REPL (lua/runtime/repl.lua).
  const interactive = o.interactive || stdinIsTerminal;
  api.pushBoolean(L, interactive);
  api.setField(L, -2, 'interactive');
  api.pushBoolean(L, interactive && (stdinIsTerminal || (require('node:tty') as typeof import('node:tty')).isatty(0)));
  api.setField(L, -2, 'stdintty');

  let status = 1;
  if (await vm.runDriven(1, 1) !== 0) writeStderr(`${PROGNAME}: ${api.toText(L, -1)}\n`);
  else status = api.toInteger(L, -1);
  vm.close();
  exit(status);
}
