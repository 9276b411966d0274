// A Runtime: one Lua VM (in a worker), its I/O side (here, on the app's thread: undici, sockets, the
// app's host functions) and the channel between them. Runs are queued one at a time; a limit, an abort
// or os.exit ends the run by terminating the VM, and the next run gets a fresh one (same options,
// same functions; the Lua globals of the old VM are gone).
import fs from 'node:fs';
import type { ByteRing } from '../channel/byte-ring.js';
import type { RpcHandler } from '../channel/rpc-server.js';
import { assertPlain, type PlainValue } from '../channel/plain-values.js';
import type { HostCallReply, HostFunctionNames } from '../cores/host-functions.js';
import { dispatchOps, type OpTable } from '../io/ops/op-table.js';
import { httpOps } from '../io/ops/http-ops.js';
import { socketOps } from '../io/ops/socket-ops.js';
import { udpOps } from '../io/ops/udp-ops.js';
import { RawSockets } from '../io/raw-sockets.js';
import { parseConnectTo, type ConnectToRule } from '../io/transport/connect-to.js';
import { Transport, transportOptions } from '../io/transport.js';
import type { TransportSettings } from './io-link.js';
import { abortError, LimitError, LuaError, PolicyError, type LimitName } from './errors.js';
import type { HostFunction, HostFunctions, RunOptions, RuntimeOptions } from './options.js';
import { RunMeter } from './run-meter.js';
import { VmThread } from './vm-thread.js';
import type { VmNotice, VmWorkerData } from './vm-messages.js';

export interface Runtime {
  /** Runs a chunk of Lua source; resolves with its return values (copied by the value rule). */
  run(code: string | Uint8Array, options?: RunOptions): Promise<PlainValue[]>;
  /** Reads a file (on the app's side, not through the sandbox) and runs it, named by its path. */
  runFile(file: string, options?: RunOptions): Promise<PlainValue[]>;
  /** Makes fn (or a table of functions) a Lua global, as the `functions` option does. */
  expose(name: string, fn: HostFunction | HostFunctions): void;
  /** Ends the VM and releases every thread, socket and timer. Pending runs reject. */
  close(): Promise<void>;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The transport a runtime's I/O side uses: its own undici agents, no process-wide patches. */
function transportFor(options: RuntimeOptions, rules: ConnectToRule[]): Transport {
  const n = options.network ?? {};
  const settings: TransportSettings = {
    insecure: n.insecure,
    proxy: n.proxy,
    // The library's default: no private, loopback or link-local addresses (src/io/transport/network-policy.ts).
    policy: { allow: n.allow, deny: n.deny, privateNetworks: n.privateNetworks ?? false, schemes: n.schemes },
  };
  return new Transport({ ...transportOptions(rules, settings), startupPatches: false });
}

class LuaRuntime implements Runtime {
  private readonly hostFunctions = new Map<string, HostFunction>();
  private names: HostFunctionNames = {};
  private thread: Promise<VmThread> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly rules: ConnectToRule[];
  private readonly transport: Transport;
  private readonly workerData: Omit<VmWorkerData, 'port' | 'flag' | 'ring' | 'functions'>;
  /** The run in progress can be ended from outside (close). */
  private endCurrent: ((e: Error) => void) | null = null;

  constructor(private readonly options: RuntimeOptions) {
    this.rules = (options.network?.connectTo ?? []).map(parseConnectTo);
    this.transport = transportFor(options, this.rules);
    const grants = options.fs || { read: [], write: [] };
    this.workerData = {
      fs: { read: grants.read ?? [], write: grants.write ?? [] },
      env: { ...(options.env ?? {}) },
      modules: { ...(options.modules ?? {}) },
      packagePath: [...(options.packagePath ?? [])],
      memoryBytes: options.limits?.memoryBytes,
    };
    if (options.functions) for (const [k, v] of Object.entries(options.functions)) this.register(k, v);
  }

  /** Adds fn under name to the host-side table and the names the VM installs. */
  private register(name: string, fn: HostFunction | HostFunctions): void {
    if (typeof fn === 'function') {
      this.hostFunctions.set(name, fn);
      return;
    }
    for (const [k, v] of Object.entries(fn)) this.register(`${name}.${k}`, v);
  }

  private namesOf(fn: HostFunction | HostFunctions): true | HostFunctionNames {
    if (typeof fn === 'function') return true;
    return Object.fromEntries(Object.entries(fn).map(([k, v]) => [k, this.namesOf(v)]));
  }

  expose(name: string, fn: HostFunction | HostFunctions): void {
    if (this.closed) throw new Error('luahttp: the runtime is closed');
    if (typeof fn !== 'function' && (typeof fn !== 'object' || fn === null)) throw new TypeError('expose: a function or an object of functions expected');
    for (const key of [...this.hostFunctions.keys()]) if (key === name || key.startsWith(`${name}.`)) this.hostFunctions.delete(key);
    this.register(name, fn);
    const names = { [name]: this.namesOf(fn) };
    this.names = { ...this.names, ...names };
    // A live VM learns it before its next run (messages to the worker are handled between runs).
    void this.thread?.then((t) => { if (t.alive) t.post({ type: 'expose', functions: names }); }, () => {});
  }

  private hostCallOps(): OpTable {
    return {
      'host.call': async (msg) => {
        const name = msg.name as string;
        const fn = this.hostFunctions.get(name);
        if (!fn) return { value: { error: `no host function '${name}'` } satisfies HostCallReply };
        try {
          const v = await fn(...(msg.args as PlainValue[]));
          if (v === undefined) return { value: { none: true } satisfies HostCallReply };
          assertPlain(v, `result of '${name}'`);
          return { value: { value: v as PlainValue } satisfies HostCallReply };
        } catch (e) {
          return { value: { error: messageOf(e) } satisfies HostCallReply };
        }
      },
    };
  }

  /**
   * One VM thread's I/O ops. What a terminated VM left open (HTTP exchanges, TCP and UDP sockets) is
   * closed when the thread goes: a limit must not leak connections into the app.
   */
  private ioFor(ring: ByteRing): { handler: RpcHandler; close: () => void } {
    const raw = new RawSockets(this.transport.connector, this.options.network?.insecure ?? false);
    const dispatch = dispatchOps(httpOps(this.transport, ring, true), socketOps(raw, true), udpOps(raw, true), this.hostCallOps());
    const openHttp = new Set<number>();
    const openUdp = new Set<number>();
    const handler: RpcHandler = (msg) => {
      const id = msg.id as number;
      if (msg.op === 'http.start') openHttp.add(id);
      else if (msg.op === 'http.close') openHttp.delete(id);
      else if (msg.op === 'udp.open') openUdp.add(id);
      else if (msg.op === 'udp.close') openUdp.delete(id);
      return dispatch(msg);
    };
    const close = (): void => {
      for (const id of openHttp) void dispatch({ op: 'http.close', id }).catch(() => {});
      for (const id of openUdp) void dispatch({ op: 'udp.close', id }).catch(() => {});
      void raw.closeAll();
    };
    return { handler, close };
  }

  private startThread(): Promise<VmThread> {
    const names = { ...this.names };
    for (const [k, v] of Object.entries(this.options.functions ?? {})) if (!(k in names)) names[k] = this.namesOf(v);
    const p = VmThread.start({ ...this.workerData, functions: names }, (ring) => this.ioFor(ring));
    p.catch(() => {}); // reported to the run that awaits it
    return p;
  }

  private currentThread(): Promise<VmThread> {
    if (this.closed) return Promise.reject(new Error('luahttp: the runtime is closed'));
    this.thread ??= this.startThread();
    return this.thread;
  }

  /** Starts the first VM: createRuntime resolves once it is ready. */
  async ready(): Promise<void> {
    await this.currentThread();
  }

  run(code: string | Uint8Array, options: RunOptions = {}): Promise<PlainValue[]> {
    if (this.closed) return Promise.reject(new Error('luahttp: the runtime is closed'));
    return this.enqueue(code, `=${options.chunkName ?? 'run'}`, options);
  }

  async runFile(file: string, options: RunOptions = {}): Promise<PlainValue[]> {
    const code = await fs.promises.readFile(file);
    if (this.closed) throw new Error('luahttp: the runtime is closed');
    return this.enqueue(code, options.chunkName !== undefined ? `=${options.chunkName}` : `@${file}`, options);
  }

  /** Runs one at a time, in order; a run aborted while it waits its turn rejects at once. */
  private enqueue(code: string | Uint8Array, chunkName: string, options: RunOptions): Promise<PlainValue[]> {
    const signal = options.signal;
    return new Promise<PlainValue[]>((resolve, reject) => {
      let started = false;
      const abortWhileQueued = (): void => { if (!started) reject(abortError()); };
      signal?.addEventListener('abort', abortWhileQueued, { once: true });
      this.queue = this.queue.then(async () => {
        started = true;
        signal?.removeEventListener('abort', abortWhileQueued);
        try {
          resolve(await this.runNow(code, chunkName, options));
        } catch (e) {
          reject(e);
        }
      });
    });
  }

  private async runNow(code: string | Uint8Array, chunkName: string, options: RunOptions): Promise<PlainValue[]> {
    const signal = options.signal;
    if (signal?.aborted) throw abortError();
    const args = options.args ?? [];
    args.forEach((a, i) => assertPlain(a, `args[${i}]`));
    if (this.closed) throw new Error('luahttp: the runtime is closed');
    const thread = await this.currentThread();
    if (signal?.aborted) throw abortError();
    return new Promise<PlainValue[]>((resolve, reject) => {
      let settled = false;
      const limits = this.options.limits ?? {};
      const timeoutMs = options.timeoutMs ?? limits.timeoutMs;
      const settle = (): boolean => {
        if (settled) return false;
        settled = true;
        meter.stop();
        signal?.removeEventListener('abort', onAbort);
        thread.observer = null;
        thread.ring.onBytes = null;
        thread.ring.onFinish = null;
        this.endCurrent = null;
        if (thread.alive) thread.idle();
        return true;
      };
      /** Ends the run by ending its VM; the next run starts a new one. */
      const kill = (e: Error): void => {
        if (!settle()) return;
        if (this.thread) { this.thread = null; }
        void thread.terminate();
        if (!this.closed) this.thread = this.startThread();
        reject(e);
      };
      const meter = new RunMeter(limits, timeoutMs, (limit: LimitName, message: string) => kill(new LimitError(limit, `luahttp: ${message}`)));
      const onAbort = (): void => kill(abortError());
      signal?.addEventListener('abort', onAbort, { once: true });
      this.endCurrent = kill;
      thread.ring.onBytes = (n) => meter.countResponse(n);
      thread.ring.onFinish = () => meter.streamEnded();
      thread.observer = {
        opStart: (msg, go) => meter.opStart(msg, go),
        opEnd: (msg, reply) => meter.opEnd(msg, reply),
        died: (message) => { if (settle()) { this.thread = null; reject(new Error(message)); } },
        notice: (n: VmNotice) => {
          switch (n.op) {
            case 'vm.output': {
              const allowed = meter.output(n.data.length);
              const sink = n.fd === 1 ? this.options.stdout : this.options.stderr;
              // A throwing callback ends the run with its error (it must not reach the app as uncaught).
              try {
                if (allowed > 0 && sink) sink(allowed < n.data.length ? n.data.subarray(0, allowed) : n.data);
              } catch (e) {
                kill(e instanceof Error ? e : new Error(String(e)));
              }
              return;
            }
            case 'vm.wait': meter.vmWaits(n.timer); return;
            case 'vm.run': meter.vmRuns(); return;
            case 'run.done': if (settle()) resolve(n.values); return;
            case 'run.error': {
              const { message, traceback, value, policy } = n.error;
              if (settle()) reject(policy ? new PolicyError(message, traceback, value) : new LuaError(message, traceback, value));
              return;
            }
            case 'run.badvalue': if (settle()) reject(new TypeError(n.message)); return;
            case 'run.limit': kill(new LimitError(n.limit, 'luahttp: the run ran out of memory (limits.memoryBytes)')); return;
            case 'run.exit':
              // os.exit ends the run, not the process: the VM is replaced (its state is gone).
              if (n.code === 0) { if (settle()) { this.retire(thread); resolve([]); } }
              else kill(new LuaError(`os.exit(${n.code})`, `os.exit(${n.code})`, n.code));
              return;
            default:
          }
        },
      };
      meter.start();
      thread.post({ type: 'run', code, chunkName, args: args as PlainValue[] });
    });
  }

  /** A VM that cannot run again (it exited): replaced by a fresh one. */
  private retire(thread: VmThread): void {
    void thread.terminate();
    this.thread = this.closed ? null : this.startThread();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.endCurrent?.(new Error('luahttp: the runtime was closed'));
    const t = this.thread;
    this.thread = null;
    if (t) await t.then((th) => th.terminate(), () => {});
    await this.transport.close();
  }
}

/** Creates a runtime and waits until its VM is ready. */
export async function createRuntime(options: RuntimeOptions = {}): Promise<Runtime> {
  const rt = new LuaRuntime(options);
  try {
    await rt.ready();
  } catch (e) {
    await rt.close();
    throw e;
  }
  return rt;
}
