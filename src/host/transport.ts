// The one transport every protocol module reaches the network through: undici agents (keep-alive
// pools), with host mapping applied where connections are made, so no module can bypass it.
import { createRequire } from 'node:module';
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
  undiciParts ??= {
    Agent: require('undici/lib/dispatcher/agent'),
    buildConnector: require('undici/lib/core/connect'),
  };
  return undiciParts;
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

  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((a) => a.destroy()));
    this.agents.clear();
  }
}
