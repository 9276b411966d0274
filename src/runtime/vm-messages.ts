// What the runtime (app's thread) and its VM worker say to each other besides the I/O ops. Runs go
// to the worker as messages; everything the worker reports goes on the RPC port as a notice (no
// answer), so output, host calls and the run's end reach the app in the order the script made them.
import type { PlainValue } from '../channel/plain-values.js';
import type { HostFunctionNames } from '../cores/host-functions.js';
import type { RingBuffers } from '../channel/byte-ring.js';
import type { MessagePort } from 'node:worker_threads';

export interface VmWorkerData {
  port: MessagePort;
  flag: Int32Array;
  ring: RingBuffers;
  functions: HostFunctionNames;
  fs: { read: string[]; write: string[] };
  env: Record<string, string>;
  modules: Record<string, string>;
  packagePath: string[];
  memoryBytes?: number;
}

export type ToVm =
  | { type: 'run'; code: Uint8Array | string; chunkName: string; args: PlainValue[] }
  | { type: 'expose'; functions: HostFunctionNames };

export interface LuaErrorInfo { message: string; traceback: string; value: PlainValue; policy: boolean }

/** Notices: VM -> I/O side, never answered. */
export type VmNotice =
  | { op: 'vm.ready' }
  | { op: 'vm.output'; fd: 1 | 2; data: Uint8Array }
  /** Every task waits: the VM thread blocks until an op is answered (or, with timer, its own timer ends). */
  | { op: 'vm.wait'; timer: boolean; seen: number }
  /** The VM's own timer ended its wait (no op was answered). */
  | { op: 'vm.run' }
  | { op: 'run.done'; values: PlainValue[] }
  | { op: 'run.error'; error: LuaErrorInfo }
  | { op: 'run.limit'; limit: 'memory' }
  | { op: 'run.badvalue'; message: string }
  | { op: 'run.exit'; code: number };

export const NOTICE_OPS = new Set(['vm.ready', 'vm.output', 'vm.wait', 'vm.run', 'run.done', 'run.error', 'run.limit', 'run.badvalue', 'run.exit']);
