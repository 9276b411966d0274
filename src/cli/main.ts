// `luahttp [options] [script [args]]`: lua.c's main program over the CLI's runtime
// (src/runtime/cli-runtime.ts: the VM on this thread, the I/O side in-process and in a worker started
// only when needed — ref/startup.md: 80 vs 129 ms for print("hi")).
import fs from 'node:fs';
import { parseArgs, usage, UsageError, type CliOptions } from './args.js';
import type { TransportSettings } from '../runtime/io-link.js';
import { createCliRuntime } from '../runtime/cli-runtime.js';
import { LUAHTTP_VERSION } from '../version.js';

const PROGNAME = 'luahttp';

function writeStderr(s: string): void {
  fs.writeSync(2, s);
}

function transportSettings(o: CliOptions): TransportSettings {
  return { insecure: o.insecure, proxy: o.proxy, noProxy: o.noProxy, compressed: o.compressed, trace: o.trace, http2: o.http2, systemCa: o.systemCa, policy: networkPolicy(o), maxHeaderSize: o.maxHeaderSize };
}

/** The CLI stays open unless a flag asks otherwise: a policy is made only then (and is open to private networks unless --no-private). */
function networkPolicy(o: CliOptions): TransportSettings['policy'] {
  if (!o.allow.length && !o.deny.length && !o.noPrivate) return undefined;
  return { allow: o.allow.length ? o.allow : undefined, deny: o.deny, privateNetworks: !o.noPrivate };
}

export async function main(args: string[]): Promise<void> {
  if (args[0] === 'httpbin') {
    const { runHttpbinCli } = await import('../httpbin/main.js');
    await runHttpbinCli(args.slice(1));
    return;
  }
  // Scale-out (README "Scale-out"): bullmq and ioredis load only for these.
  if (args[0] === 'worker' || args[0] === 'enqueue' || args[0] === 'cancel') {
    const { runWorkerCli, runEnqueueCli, runCancelCli } = await import('../queue/cli.js');
    await { worker: runWorkerCli, enqueue: runEnqueueCli, cancel: runCancelCli }[args[0]](args.slice(1));
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
  // The meter only ever goes to a terminal: a redirected stderr stays the script's own.
  const progress = o.progress && (require('node:tty') as typeof import('node:tty')).isatty(2);
  const { vm, exit, scriptStarts, scriptEnded } = await createCliRuntime({
    progname: PROGNAME, connectTo: o.connectTo, httpbin: o.httpbin, transport: transportSettings(o),
    noEnv: o.noEnv, progress, timeoutSeconds: o.timeoutSeconds,
  });
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
    vm.pushStringArray([kind, value]);
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
  scriptStarts(interactive);
  if (await vm.runDriven(1, 1) !== 0) writeStderr(`${PROGNAME}: ${api.toText(L, -1)}\n`);
  else status = api.toInteger(L, -1);
  scriptEnded();
  vm.close();
  exit(status);
}
