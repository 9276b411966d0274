// The one transport every protocol module reaches the network through: undici agents (keep-alive
// pools), with host mapping applied where connections are made, so no module can bypass it.
import { createRequire } from 'node:module';
import v8 from 'node:v8';
import { DEFAULT_WASM_TIERING_BUDGET } from '../vm/lua-api.js';
import type { Dispatcher } from 'undici';
import { resolveConnectTo, type ConnectToRule } from './connect-to.js';

const require = createRequire(import.meta.url);

export interface TransportOptions {
  connectTo: ConnectToRule[];
}

type ConnectFn = (opts: Record<string, unknown> & { hostname: string; port: string | number; protocol: string }, cb: (err: Error | null, socket: unknown) => void) => void;

// Only the parts of undici we use: loading the whole package costs 110–166 ms at start (ref/startup.md §5).
interface UndiciParts {
  Agent: new (opts: Record<string, unknown>) => Dispatcher;
  buildConnector: (opts: Record<string, unknown>) => ConnectFn;
}
let undiciParts: UndiciParts | undefined;
function undici(): UndiciParts {
  if (!undiciParts) {
    undiciParts = {
      Agent: require('undici/lib/dispatcher/agent'),
      buildConnector: require('undici/lib/core/connect'),
    };
    raiseTieringBudgetForLlhttp();
  }
  return undiciParts;
}

/**
 * llhttp's parser has one 33 KB function; the first response uses up its tiering budget and the
 * TurboFan compile that follows (130–200 ms) delays process exit (ref/startup.md §0.2). The budget is
 * fixed when the module is compiled, so raise it only while undici builds that one large module.
 */
function raiseTieringBudgetForLlhttp(): void {
  type ModuleCtor = new (bytes: Uint8Array) => object;
  const wasm = (globalThis as unknown as { WebAssembly: { Module: ModuleCtor } }).WebAssembly;
  const Original = wasm.Module;
  const Patched = function Module(bytes: Uint8Array) {
    if (bytes.byteLength < 16384) return new Original(bytes);
    wasm.Module = Original;
    v8.setFlagsFromString(`--wasm-tiering-budget=${DEFAULT_WASM_TIERING_BUDGET * 100}`);
    try {
      return new Original(bytes);
    } finally {
      v8.setFlagsFromString(`--wasm-tiering-budget=${DEFAULT_WASM_TIERING_BUDGET}`);
    }
  } as unknown as ModuleCtor;
  Patched.prototype = Original.prototype;
  wasm.Module = Patched;
}

export class Transport {
  /** One agent per connect timeout: undici fixes it per agent, LuaSocket per request (http.TIMEOUT). */
  private readonly agents = new Map<number, Dispatcher>();

  constructor(private readonly options: TransportOptions) {}

  dispatcher(connectTimeoutMs: number): Dispatcher {
    let agent = this.agents.get(connectTimeoutMs);
    if (!agent) {
      const { Agent, buildConnector } = undici();
      const base = buildConnector({ timeout: connectTimeoutMs });
      const rules = this.options.connectTo;
      const connect: ConnectFn = (opts, cb) => {
        const defaultPort = opts.protocol === 'https:' ? 443 : 80;
        const target = resolveConnectTo(rules, opts.hostname, Number(opts.port || defaultPort));
        const mapped = target.host === opts.hostname && target.port === Number(opts.port || defaultPort)
          ? opts
          : { ...opts, hostname: target.host.replace(/^\[|\]$/g, ''), port: String(target.port), servername: opts.servername ?? opts.hostname };
        base(target.plaintext ? { ...mapped, protocol: 'http:' } : mapped, cb);
      };
      agent = new Agent({ connect, strictContentLength: false });
      this.agents.set(connectTimeoutMs, agent);
    }
    return agent;
  }

  /** Loads undici ahead of the first request (the host is idle while the VM boots). */
  warm(): void {
    undici();
  }

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.destroy()));
    this.agents.clear();
  }
}
