// The options of createRuntime / createPool (README "Embedding"): names are the public contract.
import type { PlainValue } from '../channel/plain-values.js';

export interface RuntimeLimits {
  /** Wall-clock time of one run (ms). */
  timeoutMs?: number;
  /** Time the VM spends running Lua in one run (ms), not counting waits for I/O or host functions. */
  cpuMs?: number;
  /** The VM's wasm memory, Lua heap included (bytes; at least the engine's initial 16 MiB). */
  memoryBytes?: number;
  /** Bytes a run may write to stdout and stderr together. */
  maxOutputBytes?: number;
  /** Response body bytes a run may receive (HTTP bodies and raw socket reads). */
  maxResponseBytes?: number;
  /** HTTP requests and socket connections a run may start. */
  maxRequests?: number;
  /** HTTP exchanges and TCP connections open at once. */
  maxConcurrentRequests?: number;
}

export interface NetworkOptions {
  /** Hosts a script may reach (`example.com`, `*.example.com`, `10.0.0.0/8`, `host:port`); absent = any. */
  allow?: string[];
  /** Hosts never reached (same syntax); deny wins. */
  deny?: string[];
  /** Loopback, private, link-local, CGNAT, ULA, multicast addresses: default false for the library. */
  privateNetworks?: boolean;
  /** `http`, `https`, `tcp`, `udp`; absent = all. */
  schemes?: string[];
  /** curl's --connect-to rules: `HOST:PORT:CONNECT-TO-HOST:CONNECT-TO-PORT`. */
  connectTo?: string[];
  /** A proxy for every request (`http://host:port`). */
  proxy?: string;
  /** No certificate or host name verification unless a request asks for it. */
  insecure?: boolean;
}

/** An app function Lua may call: gets copies of the arguments, its (awaited) result is copied back. */
export type HostFunction = (...args: PlainValue[]) => unknown;
export interface HostFunctions { [name: string]: HostFunction | HostFunctions }

export interface RuntimeOptions {
  limits?: RuntimeLimits;
  network?: NetworkOptions;
  /** false (default): no file access. Otherwise directories (checked by real path). */
  fs?: false | { read?: string[]; write?: string[] };
  /** What os.getenv sees (default: nothing). */
  env?: Record<string, string>;
  /** Lua modules by name, for `require`. */
  modules?: Record<string, string>;
  /** Directories (or `?` templates) `require` may load Lua files from. */
  packagePath?: string[];
  functions?: HostFunctions;
  stdout?: (bytes: Uint8Array) => void;
  stderr?: (bytes: Uint8Array) => void;
}

export interface RunOptions {
  /** The chunk's `...`. */
  args?: unknown[];
  signal?: AbortSignal;
  /** The name messages and tracebacks show (default `run`; runFile: the file name). */
  chunkName?: string;
  /** This run's wall-clock limit instead of limits.timeoutMs. */
  timeoutMs?: number;
}

export interface PoolOptions extends RuntimeOptions {
  /** Runtimes in the pool (default 4). */
  size?: number;
}
