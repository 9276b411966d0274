// What a Lua job carries in BullMQ (job.data) and what it returns (job.returnvalue), both JSON.
import type { PlainValue } from '../channel/plain-values.js';
import type { RuntimeLimits } from '../runtime/options.js';

export interface LuaJobData {
  /** sha256 of the script's bytes (src/queue/script-store.ts). */
  script: string;
  /** The chunk's `...` and `job.data`. */
  args: unknown[];
  /** This job's limits: they can only tighten the worker's (mergeLimits). */
  limits?: RuntimeLimits;
  /** Names the chunk in messages and tracebacks (the file's name when enqueued from a file). */
  chunkName?: string;
}

const LIMIT_NAMES = ['timeoutMs', 'cpuMs', 'memoryBytes', 'maxOutputBytes', 'maxResponseBytes', 'maxRequests', 'maxConcurrentRequests'] as const;

/**
 * The limits a job runs under: the lower of the worker's and the job's for each. A job never loosens
 * the operator's limits (anyone who can write to the queue could otherwise).
 */
export function mergeLimits(worker: RuntimeLimits = {}, job: RuntimeLimits = {}): RuntimeLimits {
  const merged: RuntimeLimits = {};
  for (const name of LIMIT_NAMES) {
    const w = worker[name];
    const j = job[name];
    const v = w === undefined ? j : j === undefined ? w : Math.min(w, j);
    if (v !== undefined) merged[name] = v;
  }
  return merged;
}

export function checkLimits(limits: unknown): RuntimeLimits {
  if (limits === undefined || limits === null) return {};
  if (typeof limits !== 'object') throw new TypeError('limits: an object expected');
  for (const [k, v] of Object.entries(limits)) {
    if (!(LIMIT_NAMES as readonly string[]).includes(k)) throw new TypeError(`limits: unknown limit '${k}'`);
    if (typeof v !== 'number' || !(v > 0)) throw new TypeError(`limits.${k}: a positive number expected`);
  }
  return limits as RuntimeLimits;
}

/** Only limits other than the wall clock need a runtime of their own (timeoutMs is per run). */
export function needsOwnRuntime(worker: RuntimeLimits = {}, job: RuntimeLimits = {}): boolean {
  return LIMIT_NAMES.some((n) => n !== 'timeoutMs' && job[n] !== undefined && (worker[n] === undefined || job[n]! < worker[n]!));
}

/**
 * Return values as JSON can carry them: a Lua integer beyond 2^53 becomes its decimal string, a byte
 * string that is not UTF-8 becomes `{ base64 }` (JSON has no bytes).
 */
export function jsonSafe(v: PlainValue): unknown {
  if (v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Uint8Array) return { base64: Buffer.from(v).toString('base64') };
  if (Array.isArray(v)) return v.map(jsonSafe);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, jsonSafe(x)]));
  return v;
}
