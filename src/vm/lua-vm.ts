// A Lua 5.4 state (wasmoon) made into a real `lua`: real files, environment and exit, luahttp's
// modules preloaded, and a blocking path to the I/O host for the network.
import path from 'node:path';
import { LuaApi, LuaType, LUA_OK, LUA_REGISTRYINDEX, LUA_YIELD, type EngineOptions, type LuaCFunction } from './lua-api.js';
import { LuaChunks } from './lua-chunks.js';
import { FileTable, type StdSinks } from './stdlib/file-table.js';
import { isSystemError, systemError } from './stdlib/os-errors.js';
import { systemPrimitives } from './stdlib/system-primitives.js';
import type { SyncRpcClient } from '../channel/sync-rpc.js';
import type { TicketPort } from './tickets.js';
import type { ByteRing } from '../channel/byte-ring.js';
import { OpWaiter } from './op-waiter.js';
import { LUAHTTP_VERSION } from '../version.js';
// (the cores' modules are required when a script first requires them: see coreLoader)

/** Debian's lua5.4 defaults, so modules installed by LuaRocks or apt are found (`lua5.4 -e 'print(package.path)'`). */
export const DEFAULT_LUA_PATH = '/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;/usr/share/lua/5.4/?.lua;/usr/share/lua/5.4/?/init.lua;./?.lua;./?/init.lua';
export const DEFAULT_LUA_CPATH = '/usr/local/lib/lua/5.4/?.so;/usr/lib/x86_64-linux-gnu/lua/5.4/?.so;/usr/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so';

export const LUA_ROOT = path.resolve(__dirname, '../../lua');

export interface LuaVmOptions {
  /** The I/O host's RPC client, created on first use. */
  rpc: () => SyncRpcClient;
  /** Shared memory the host streams large response bodies into. */
  ring: ByteRing;
  /** Ends the program (CLI) or the run (embedding). Never returns. */
  exit: (code: number, closeState: boolean) => never;
  /** `lua -E`: ignore LUA_PATH, LUA_CPATH and LUA_INIT. */
  noEnv?: boolean;
  /**
   * How code run by runDriven() waits by yielding (src/vm/tickets.ts): operations get tickets and the
   * driver resumes the script with finished ones. Without it (or where Lua cannot yield) every wait
   * is a blocking RPC.
   */
  tickets?: TicketPort;
  /**
   * Yield only for luahttp's tasks: outside them (no task alive) a wait is a blocking RPC, the
   * fastest way when the I/O host is another thread (the library's VM worker).
   */
  yieldOnlyForTasks?: boolean;
  /** `--progress` with stderr a terminal: a meter for long response bodies (src/cores/progress-meter.ts). */
  progress?: boolean;
  /** Embedded VMs: standard streams to functions instead of the process's fds. */
  stdio?: StdSinks;
  /** Embedded VMs: wraps the io/os primitives (the sandbox's file and process checks). */
  primitives?: (base: Record<string, LuaCFunction>, api: LuaApi) => Record<string, LuaCFunction>;
  /** The directory luahttp's chunk names show (default: the install path). */
  chunkRoot?: string;
  engine?: EngineOptions;
  /** Called when the script first loads socket.core (LuaSocket ignores SIGPIPE there, usocket.c). */
  onSocketLoad?: () => void;
}

export class LuaVm {
  readonly files: FileTable;
  /** luahttp's own Lua files, from bytecode when the build made it and it is fresh. */
  readonly chunks: LuaChunks;
  /** The coroutine runDriven() runs code in, anchored in the registry. */
  private driverThread = 0;
  private pendingRef = 0;
  /**
   * Operations started by code that waits by yielding, by ticket. The driver thread yields PENDING
   * when the code it runs waits; it is resumed with the ticket of an operation that has finished, so
   * several tasks (lua/luahttp/tasks.lua) can each wait for their own.
   */
  readonly tickets: TicketPort | undefined;
  private readonly nresPtr: number;
  /** Registry refs of coroutines.lua's cooperative() and await(), for yielding waits. */
  private waitRefs = { cooperative: 0, await: 0 };
  private opWaiter: OpWaiter | undefined;

  private constructor(readonly api: LuaApi, readonly L: number, options: LuaVmOptions) {
    this.tickets = options.tickets;
    this.nresPtr = api.m._malloc(4);
    this.files = new FileTable(options.stdio);
    this.chunks = new LuaChunks(LUA_ROOT, undefined, options.chunkRoot);
  }

  static async create(options: LuaVmOptions): Promise<LuaVm> {
    const api = await LuaApi.load(undefined, options.engine);
    const L = api.m._luaL_newstate();
    api.m._luaL_openlibs(L);
    const vm = new LuaVm(api, L, options);
    vm.boot(options);
    return vm;
  }

  private boot(options: LuaVmOptions): void {
    const { api, L } = this;
    if (options.tickets) {
      this.driverThread = api.m._lua_newthread(L);
      api.m._luaL_ref(L, LUA_REGISTRYINDEX);
      api.m._lua_createtable(L, 0, 0);
      this.pendingRef = api.m._luaL_ref(L, LUA_REGISTRYINDEX);
    }
    const primitives = systemPrimitives(api, this.files, { exit: options.exit });
    const sys: Record<string, LuaCFunction> = {
      ...(options.primitives ? options.primitives(primitives, api) : primitives),
      newudata: (Ls) => { api.m._lua_newuserdatauv(Ls, 0, 0); return 1; },
      // cjson.null: a NULL light userdata, as lua-cjson's (pure Lua cannot make one).
      lightnull: (Ls) => { api.m._lua_pushlightuserdata(Ls, 0); return 1; },
      core: this.coreLoader(options),
      ourchunk: (Ls) => this.pushOurChunk(Ls),
      tracebackfunction: (Ls) => this.pushTracebackFunction(Ls),
    };
    this.loadRuntimeFile('runtime/boot.lua');
    api.pushFunctionTable(L, sys);
    api.m._lua_createtable(L, 0, 4);
    api.pushText(L, LUAHTTP_VERSION);
    api.setField(L, -2, 'version');
    api.pushText(L, DEFAULT_LUA_PATH);
    api.setField(L, -2, 'defaultpath');
    api.pushText(L, DEFAULT_LUA_CPATH);
    api.setField(L, -2, 'defaultcpath');
    api.pushBoolean(L, options.noEnv ?? false);
    api.setField(L, -2, 'noenv');
    api.pushText(L, this.chunks.displayRoot); // what our chunk names start with (traceback.lua)
    api.setField(L, -2, 'luaroot');
    if (api.pcall(L, 2, 0) !== LUA_OK) throw new Error(`luahttp boot failed: ${api.toText(L, -1)}`);
    this.installWaits(options.yieldOnlyForTasks ?? false);
  }

  /**
   * sys.core(name): the table of JS functions behind luahttp.core.<name>, built once per state on first
   * use. The ssl core works on the socket core's TCP objects, so that one is built first.
   */
  private coreLoader(options: LuaVmOptions): LuaCFunction {
    const { api } = this;
    const refs = new Map<string, number>();
    const build = (Ls: number, name: string): void => {
      const ref = refs.get(name);
      if (ref !== undefined) {
        api.m._lua_rawgeti(Ls, LUA_REGISTRYINDEX, BigInt(ref));
        return;
      }
      let fns: Record<string, LuaCFunction>;
      if (name === 'socket') {
        options.onSocketLoad?.();
        const { socketCore } = require('../cores/socket.js') as typeof import('../cores/socket.js');
        fns = socketCore(api, { rpc: options.rpc, waiter: this.waiter(options) });
      } else if (name === 'ssl') {
        if (!refs.has('socket')) { build(Ls, 'socket'); api.m._lua_settop(Ls, -2); }
        const { tcpObjectsOf } = require('../cores/socket.js') as typeof import('../cores/socket.js');
        const { SslCore } = require('../cores/ssl/ssl-core.js') as typeof import('../cores/ssl/ssl-core.js');
        fns = new SslCore(api, tcpObjectsOf(api)!).coreFunctions();
      } else if (name === 'http') {
        const { httpCore } = require('../cores/http-core.js') as typeof import('../cores/http-core.js');
        fns = httpCore(api, {
          rpc: options.rpc,
          ring: options.ring,
          tickets: options.tickets,
          pushPending: (Lp) => { api.m._lua_rawgeti(Lp, LUA_REGISTRYINDEX, BigInt(this.pendingRef)); },
          progress: options.progress
            ? new (require('../cores/progress-meter.js') as typeof import('../cores/progress-meter.js')).ProgressMeter()
            : undefined,
        });
      } else if (name === 'json') {
        const { jsonCore } = require('../cores/json-core.js') as typeof import('../cores/json-core.js');
        fns = jsonCore(api);
      } else if (name === 'lfs') {
        const { lfsCore } = require('../cores/lfs-core.js') as typeof import('../cores/lfs-core.js');
        fns = lfsCore(api);
      } else {
        throw new Error(`luahttp: no core named ${name}`);
      }
      api.pushFunctionTable(Ls, fns);
      api.m._lua_pushvalue(Ls, -1);
      refs.set(name, api.m._luaL_ref(Ls, LUA_REGISTRYINDEX));
    };
    return (Ls) => {
      build(Ls, api.toText(Ls, 1) ?? '');
      return 1;
    };
  }

  /**
   * How socket.core and ssl wait for the I/O host (op-waiter.ts): blocking, or inside tasks by
   * submitting the operation for a ticket, as every yielding wait does (src/vm/tickets.ts).
   */
  private waiter(options: LuaVmOptions): OpWaiter {
    const tickets = this.tickets;
    this.opWaiter ??= new OpWaiter(this.api, {
      call: (msg, transfer) => options.rpc().call(msg, transfer),
      yielding: this.driverThread && tickets ? { tickets, waits: () => this.waitRefs } : undefined,
    });
    return this.opWaiter;
  }

  /** What coroutines.lua and tasks.lua need from this side: tickets and timers. */
  private waitFunctions(): Record<string, LuaCFunction> {
    const { api } = this;
    return {
      /** lastticket() → the ticket of the operation started last. */
      lastticket: (Ls) => { api.pushInteger(Ls, this.tickets!.last); return 1; },
      /** timer(seconds) → ticket: an operation that finishes after that long (socket.sleep in a task). */
      timer: (Ls) => {
        const ms = Math.min(Math.max(api.toNumber(Ls, 1) * 1000, 0), 2 ** 31 - 1);
        api.pushInteger(Ls, this.tickets!.timer(ms));
        return 1;
      },
      /** abandonwaits(): the main chunk ended; yielding waits of cancelled tasks are dropped. */
      abandonwaits: () => { this.opWaiter?.abandon(); return 0; },
    };
  }

  /** package.loaded["luahttp.coroutines"]: how lua/socket/http.lua waits (see coroutines.lua). */
  private installWaits(yieldOnlyForTasks: boolean): void {
    const { api, L } = this;
    api.getGlobal(L, 'package');
    api.getField(L, -1, 'loaded');
    if (this.driverThread) {
      this.loadRuntimeFile('runtime/coroutines.lua');
      api.m._lua_pushthread(this.driverThread);
      api.m._lua_xmove(this.driverThread, L, 1);
      api.m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(this.pendingRef));
      api.pushFunctionTable(L, this.waitFunctions());
      api.pushBoolean(L, yieldOnlyForTasks);
      if (api.pcall(L, 4, 1) !== LUA_OK) throw new Error(`luahttp boot failed: ${api.toText(L, -1)}`);
      for (const name of ['cooperative', 'await'] as const) {
        api.getField(L, -1, name);
        this.waitRefs[name] = api.m._luaL_ref(L, LUA_REGISTRYINDEX);
      }
    } else {
      if (api.load(L, Buffer.from('return { canyield = function() return false end, PENDING = {} }'), '=luahttp') !== LUA_OK
        || api.pcall(L, 0, 1) !== LUA_OK) throw new Error(`luahttp boot failed: ${api.toText(L, -1)}`);
    }
    api.setField(L, -2, 'luahttp.coroutines');
    api.m._lua_settop(L, -3);
  }

  /**
   * Calls the function below nargs arguments on the stack inside the driver thread, waiting for a
   * finished operation (tickets.next()) whenever the code yields PENDING. Leaves nres results (or the
   * error object) on the stack; returns the Lua status. Synchronous where the wait is (the library's
   * worker blocks in it), a promise where it is not (the CLI waits on Node's event loop).
   */
  runDriven(nargs: number, nres: number): number | Promise<number> {
    const { api, L } = this;
    const T = this.driverThread;
    if (!T) return api.pcall(L, nargs, nres);
    api.m._lua_xmove(L, T, nargs + 1);
    for (let n = nargs; ;) {
      const status = this.resumeDriver(n, nres);
      if (status !== LUA_YIELD) return status;
      const next = this.tickets!.next();
      if (typeof next !== 'number') return this.driveAsync(next, nres);
      api.m._lua_pushinteger(T, BigInt(next));
      n = 1;
    }
  }

  private async driveAsync(first: Promise<number>, nres: number): Promise<number> {
    const T = this.driverThread;
    this.api.m._lua_pushinteger(T, BigInt(await first));
    for (;;) {
      const status = this.resumeDriver(1, nres);
      if (status !== LUA_YIELD) return status;
      this.api.m._lua_pushinteger(T, BigInt(await this.tickets!.next()));
    }
  }

  /** One resume of the driver thread: when it ends, its results (or error) move to L. */
  private resumeDriver(n: number, nres: number): number {
    const { api, L } = this;
    const m = api.m;
    const T = this.driverThread;
    const status = m._lua_resume(T, L, n, this.nresPtr);
    const got = m.HEAP32[this.nresPtr >> 2]!;
    if (status === LUA_YIELD) {
      m._lua_settop(T, -got - 1);
    } else if (status === LUA_OK) {
      m._lua_xmove(T, L, got);
      if (nres >= 0) m._lua_settop(L, api.top(L) - got + nres);
    } else {
      m._lua_xmove(T, L, 1);
      // A coroutine that ended by an error cannot be resumed again: reset, the driver serves the next run.
      m._lua_resetthread(T);
    }
    return status;
  }

  /** Loads one of luahttp's Lua files and leaves the chunk on the stack. */
  loadRuntimeFile(name: string): void {
    if (this.chunks.load(this.api, this.L, name) !== LUA_OK) {
      throw new Error(`luahttp: cannot load ${name}: ${this.api.toText(this.L, -1)}`);
    }
  }

  /** sys.ourchunk(name): boot.lua's loader for lua/<name>; the function, or nil and a message. */
  private pushOurChunk(Ls: number): number {
    const { api } = this;
    const name = api.toText(Ls, 1) ?? '';
    try {
      if (this.chunks.load(api, Ls, name) === LUA_OK) return 1;
    } catch (e) {
      if (!isSystemError(e)) throw e;
      api.pushText(Ls, `luahttp: cannot read ${path.join(LUA_ROOT, name)}: ${systemError(e).message}`);
    }
    api.pushNil(Ls);
    api.m._lua_pushvalue(Ls, -2);
    return 2;
  }

  /**
   * sys.tracebackfunction(impl): debug.traceback as a C function calling lua/runtime/traceback.lua.
   * Being C matters: `return debug.traceback()` keeps the caller's frame (Lua 5.4 tail-calls only Lua
   * functions), and the level argument is refused by luaL_argerror, named as the call site names it.
   */
  private pushTracebackFunction(Ls: number): number {
    const { api } = this;
    const m = api.m;
    m._lua_pushvalue(Ls, 1);
    const ref = BigInt(m._luaL_ref(Ls, LUA_REGISTRYINDEX));
    const isnum = m._malloc(4);
    api.pushFunction(Ls, (L) => {
      const level = api.type(L, 1) === LuaType.Thread ? 3 : 2;
      if (api.type(L, level) > LuaType.Nil) { // luaL_optinteger
        m._lua_tointegerx(L, level, isnum);
        if (!m.HEAP32[isnum >> 2]) {
          m._lua_tonumberx(L, level, isnum);
          api.argError(L, level, m.HEAP32[isnum >> 2] ? 'number has no integer representation' : `number expected, got ${api.typeNameAt(L, level)}`);
        }
      }
      const n = api.top(L);
      m._lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
      m._lua_rotate(L, 1, 1);
      m._lua_callk(L, n, -1, 0, 0);
      return api.top(L);
    });
    return 1;
  }

  /** Pushes a Lua array of byte strings. */
  pushStringArray(items: (string | Uint8Array)[]): void {
    const { api, L } = this;
    api.m._lua_createtable(L, items.length, 0);
    items.forEach((s, i) => {
      if (typeof s === 'string') api.pushText(L, s); else api.pushBytes(L, s);
      api.m._lua_rawseti(L, -2, BigInt(i + 1));
    });
  }

  private stopHook = 0;

  /**
   * lua.c's reaction to SIGINT (laction + lstop): the thread the script runs in raises "interrupted!"
   * at its next instruction, call or return — a Lua error, so pcall catches it. Like lua_sethook
   * in a signal handler, this only stores hook fields and may run while Lua is mid-instruction (the
   * CLI calls it from a V8 interrupt). Coroutines keep their own hooks, as in lua.c.
   */
  interrupt(): void {
    const { api } = this;
    const m = api.m;
    if (!this.stopHook) {
      this.stopHook = m.addFunction((Lh: number) => {
        m._lua_sethook(Lh, 0, 0, 0);
        m._luaL_where(Lh, 1); // luaL_error(L, "interrupted!")
        api.pushText(Lh, 'interrupted!');
        m._lua_concat(Lh, 2);
        return m._lua_error(Lh);
      }, 'vii');
    }
    const LUA_MASKCALL = 1, LUA_MASKRET = 2, LUA_MASKLINE = 4, LUA_MASKCOUNT = 8;
    m._lua_sethook(this.driverThread || this.L, this.stopHook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKLINE | LUA_MASKCOUNT, 1);
  }

  private busyHook = 0;
  private onBusy: (() => void) | null = null;

  /**
   * Calls onBusy (once) when the script has run `count` VM instructions: a count hook on the driver
   * thread, which coroutines it creates inherit, each removing it from itself when it fires. The CLI
   * starts its SIGINT watcher thread only for scripts that run that long (src/runtime/cli-watcher-start.ts).
   * A hook makes the interpreter check every instruction, so it is meant for a short stretch.
   */
  watchBusy(count: number, onBusy: () => void): void {
    const m = this.api.m;
    this.onBusy = onBusy;
    this.busyHook ||= m.addFunction((Lh: number) => {
      m._lua_sethook(Lh, 0, 0, 0);
      const call = this.onBusy;
      this.onBusy = null;
      call?.();
      return 0;
    }, 'vii');
    const LUA_MASKCOUNT = 8;
    m._lua_sethook(this.driverThread || this.L, this.busyHook, LUA_MASKCOUNT, count);
  }

  /** Removes watchBusy's hook from the driver thread unless another hook (interrupt()'s) replaced it. */
  unwatchBusy(): void {
    const m = this.api.m;
    const T = this.driverThread || this.L;
    if (this.busyHook && m._lua_gethook(T) === this.busyHook) m._lua_sethook(T, 0, 0, 0);
  }

  /** Runs `lua_close`: __gc metamethods and pending to-be-closed variables run, as at the end of `lua`. */
  close(): void {
    // The script's main chunk runs in the driver thread: close its pending to-be-closed variables
    // first, as lua_close does for a `lua` script's main thread.
    if (this.driverThread) this.api.m._lua_resetthread(this.driverThread);
    this.api.m._lua_close(this.L);
  }

}
