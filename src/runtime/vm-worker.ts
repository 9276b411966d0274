// The library's VM thread: one Lua state in the sandbox profile, every blocking call a synchronous
// RPC to the I/O side on the app's thread (DESIGN "Architecture": the app's event loop stays free and
// terminate() is the kill switch for runaway scripts). Inside luahttp's tasks, requests and host calls
// are submitted for tickets instead, and the driver blocks only when every task waits (src/vm/tickets.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { LuaVm } from '../vm/lua-vm.js';
import { LUA_OK, LUA_REGISTRYINDEX } from '../vm/lua-api.js';
import { ChannelTickets } from '../vm/tickets.js';
import { pushPlain, toPlain } from '../vm/lua-values.js';
import { SyncRpcClient } from '../channel/sync-rpc.js';
import { ByteRing } from '../channel/byte-ring.js';
import { ValueRuleError, type PlainValue } from '../channel/plain-values.js';
import { installHostFunctions } from '../cores/host-functions.js';
import { readCheck, sandboxPrimitives, SANDBOX_DENIED } from './sandbox-primitives.js';
import type { ToVm, VmNotice, VmWorkerData } from './vm-messages.js';

const LUA_ERRRUN = 2;
const LUA_ERRMEM = 4;
const LUA_MULTRET = -1;
const data = workerData as VmWorkerData;
const port = data.port;
const notify = (n: VmNotice): void => port.postMessage(n);
const rpcClient = new SyncRpcClient(port, data.flag);
const tickets = new ChannelTickets(() => rpcClient, (blocking, timer, seen) => notify(blocking ? { op: 'vm.wait', timer, seen } : { op: 'vm.run' }));

/** After os.exit the thread waits here until the runtime terminates it (a fresh VM replaces it). */
function park(): never {
  const cell = new Int32Array(new SharedArrayBuffer(4));
  for (;;) Atomics.wait(cell, 0, 0);
}

function packagePathOf(entries: string[]): string {
  return entries.map((e) => (e.includes('?') ? e : `${e.replace(/\/$/, '')}/?.lua;${e.replace(/\/$/, '')}/?/init.lua`)).join(';');
}

async function boot(): Promise<void> {
  let vm: LuaVm | undefined;
  const flushOutput = (): void => { vm?.files.get(1).flush(); vm?.files.get(2).flush(); };
  vm = await LuaVm.create({
    rpc: () => rpcClient,
    ring: new ByteRing(data.ring),
    exit: (code) => {
      flushOutput();
      notify({ op: 'run.exit', code });
      return park();
    },
    noEnv: true,
    stdio: {
      stdout: (bytes) => notify({ op: 'vm.output', fd: 1, data: bytes }),
      stderr: (bytes) => notify({ op: 'vm.output', fd: 2, data: bytes }),
    },
    primitives: (base, api) => sandboxPrimitives(api, { read: data.fs.read, write: data.fs.write, modules: data.packagePath.map((e) => (e.includes('?') ? e.slice(0, e.indexOf('?')) : e)) }, data.env)(base),
    chunkRoot: 'luahttp',
    tickets,
    yieldOnlyForTasks: true,
    engine: { tuneTiering: false, memoryMaxBytes: data.memoryBytes },
  });
  const { L } = vm;
  const a = vm.api;
  const m = a.m;

  // The sandbox profile; it returns the runtime's private helpers, kept in the registry.
  vm.loadRuntimeFile('runtime/sandbox.lua');
  pushPlain(a, L, { path: packagePathOf(data.packagePath), modules: data.modules });
  const canRead = readCheck([...data.fs.read, ...data.fs.write]);
  a.pushFunction(L, (Ls) => { a.pushBoolean(Ls, canRead(a.toBytes(Ls, 1))); return 1; });
  if (a.pcall(L, 2, 1) !== LUA_OK) throw new Error(`luahttp sandbox failed: ${a.toText(L, -1)}`);
  // Each helper anchored in the registry by name (lua/runtime/sandbox.lua's returned table).
  const helperRefs = new Map<string, number>();
  for (const name of ['handler', 'message', 'traceback']) {
    a.getField(L, -1, name);
    helperRefs.set(name, m._luaL_ref(L, LUA_REGISTRYINDEX));
  }
  m._lua_settop(L, -2);
  const helper = (name: string): void => { m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(helperRefs.get(name)!)); };
  // The run's wrapper (lua/runtime/library-run.lua) and the host functions' (host-call.lua), anchored.
  const anchored = (file: string, nargs: number): number => {
    vm!.loadRuntimeFile(file);
    if (nargs) m._lua_rotate(L, -1 - nargs, 1);
    if (a.pcall(L, nargs, 1) !== LUA_OK) throw new Error(`luahttp: ${file}: ${a.toText(L, -1)}`);
    return m._luaL_ref(L, LUA_REGISTRYINDEX);
  };
  helper('handler');
  const runnerRef = anchored('runtime/library-run.lua', 1);
  const io = { rpc: () => rpcClient, beforeCall: flushOutput, tasks: { tickets, wrapperRef: anchored('runtime/host-call.lua', 0) } };
  installHostFunctions(a, L, data.functions, io);

  const describeError = (base: number): { message: string; traceback: string; value: PlainValue; policy: boolean } => {
    // The error value is on top; base is where the run's stack began.
    const errIdx = a.top(L);
    helper('message');
    m._lua_pushvalue(L, errIdx);
    a.pcall(L, 1, 1);
    const message = a.toText(L, -1) ?? '';
    m._lua_settop(L, errIdx);
    helper('traceback');
    a.pcall(L, 0, 1);
    const traceback = a.toText(L, -1) ?? message;
    m._lua_settop(L, errIdx);
    let value: PlainValue;
    try { value = toPlain(a, L, errIdx, 'error value'); } catch { value = message; }
    m._lua_settop(L, base);
    return { message, traceback, value, policy: message.includes(SANDBOX_DENIED) };
  };

  const run = (msg: Extract<ToVm, { type: 'run' }>): VmNotice => {
    const base = a.top(L);
    m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(runnerRef));
    const code = typeof msg.code === 'string' ? Buffer.from(msg.code) : msg.code;
    const st = a.load(L, code, msg.chunkName, 't');
    if (st !== LUA_OK) {
      const info = describeError(base);
      return { op: 'run.error', error: { ...info, traceback: info.message } };
    }
    try {
      msg.args.forEach((v, i) => pushPlain(a, L, v, `args[${i}]`));
    } catch (e) {
      m._lua_settop(L, base);
      return { op: 'run.badvalue', message: (e as Error).message };
    }
    let status = vm!.runDriven(1 + msg.args.length, LUA_MULTRET) as number;
    // Operations of cancelled tasks may still be answered: nothing waits for them any more.
    tickets.forgetAll();
    if (status === LUA_OK && !a.toBoolean(L, base + 1)) {
      m._lua_settop(L, base + 2); // the error value on top
      status = LUA_ERRRUN;
    }
    if (status !== LUA_OK) {
      if (status === LUA_ERRMEM || a.toText(L, -1) === 'not enough memory') { m._lua_settop(L, base); return { op: 'run.limit', limit: 'memory' }; }
      return { op: 'run.error', error: describeError(base) };
    }
    const values: PlainValue[] = [];
    try {
      for (let i = base + 2; i <= a.top(L); i++) values.push(toPlain(a, L, i, `result #${i - base - 1}`));
    } catch (e) {
      m._lua_settop(L, base);
      if (e instanceof ValueRuleError) return { op: 'run.badvalue', message: e.message };
      throw e;
    } finally {
      m._lua_settop(L, base);
    }
    return { op: 'run.done', values };
  };

  parentPort!.on('message', (msg: ToVm) => {
    if (msg.type === 'expose') { installHostFunctions(a, L, msg.functions, io); return; }
    const result = run(msg);
    flushOutput();
    notify(result);
  });
  notify({ op: 'vm.ready' });
}

boot().catch((e) => {
  process.stderr.write(`luahttp: VM thread could not start: ${(e as Error)?.stack ?? e}\n`);
  process.exit(1);
});
