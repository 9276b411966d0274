// enqueueLua: store the script once by its hash, add a job that names the hash. Returns BullMQ's Job.
import fs from 'node:fs';
import type { Job, JobsOptions, Queue } from 'bullmq';
import type { RuntimeLimits } from '../runtime/options.js';
import { openConnection, type LuaQueueConnection } from './connection.js';
import { checkLimits, type LuaJobData } from './job-data.js';
import { DEFAULT_PREFIX, scriptHash } from './redis-keys.js';
import { storeScript } from './script-store.js';

/** Scripts each app-owned Queue has stored (the store is keyed by content: once is enough). */
const storedThrough = new WeakMap<Queue, Set<string>>();

export interface LuaJobSpec {
  /** The script's source (a string is stored as UTF-8)… */
  code?: string | Uint8Array;
  /** …or a file to read it from (on this machine: workers get the content, not the path). */
  file?: string;
  args?: unknown[];
  limits?: RuntimeLimits;
  /** The job's BullMQ name (default: the file's name, or `lua`). */
  name?: string;
}

export interface EnqueueOptions {
  connection: LuaQueueConnection;
  jobOptions?: JobsOptions;
  prefix?: string;
}

/**
 * Given a name, the Queue opened for the call is closed before returning: use the job's id (or pass
 * your own Queue, whose jobs stay usable for waitUntilFinished and the like).
 */
export async function enqueueLua(queueOrName: string | Queue, spec: LuaJobSpec, options: EnqueueOptions): Promise<Job<LuaJobData>> {
  if ((spec.code === undefined) === (spec.file === undefined)) throw new TypeError('enqueueLua: give code or file (one of them)');
  const code = spec.file !== undefined ? await fs.promises.readFile(spec.file) : typeof spec.code === 'string' ? Buffer.from(spec.code) : spec.code!;
  const limits = checkLimits(spec.limits);
  const args = spec.args ?? [];
  // JSON is how BullMQ stores data: refuse what would not come back the same.
  if (JSON.stringify(args) === undefined || !Array.isArray(JSON.parse(JSON.stringify(args)))) throw new TypeError('enqueueLua: args must be a JSON array');
  const { Queue: BullQueue } = await import('bullmq');
  const hash = scriptHash(code);
  const known = typeof queueOrName === 'string' ? undefined : storedThrough.get(queueOrName);
  // A script this Queue already stored is not stored again (no connection of our own is opened).
  const conn = known?.has(hash) ? null : openConnection(options.connection);
  const queue = typeof queueOrName === 'string' ? new BullQueue(queueOrName, { connection: conn!.forBullmq, prefix: options.prefix ?? DEFAULT_PREFIX }) : queueOrName;
  const prefix = typeof queueOrName === 'string' ? options.prefix ?? DEFAULT_PREFIX : queue.opts.prefix ?? DEFAULT_PREFIX;
  try {
    if (conn) {
      await storeScript(conn.client, prefix, queue.name, hash, code);
      if (typeof queueOrName !== 'string') {
        if (!storedThrough.has(queueOrName)) storedThrough.set(queueOrName, new Set());
        storedThrough.get(queueOrName)!.add(hash);
      }
    }
    const chunkName = spec.file !== undefined ? spec.file.split('/').pop()! : undefined;
    const data: LuaJobData = { script: hash, args, ...(Object.keys(limits).length ? { limits } : {}), ...(chunkName ? { chunkName } : {}) };
    return await queue.add(spec.name ?? chunkName ?? 'lua', data, options.jobOptions);
  } finally {
    if (typeof queueOrName === 'string') await queue.close();
    await conn?.release();
  }
}
