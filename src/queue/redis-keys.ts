// The Redis keys luahttp adds next to BullMQ's own, under the same prefix and queue name so that a
// queue's data stays together (and is removed with `removeAllQueueData`-style cleanups by prefix).
import { createHash } from 'node:crypto';

export const DEFAULT_PREFIX = 'bull';

/** A script's content hash: the job carries this, never the script itself. */
export function scriptHash(code: Uint8Array): string {
  return createHash('sha256').update(code).digest('hex');
}

export function scriptKey(prefix: string, queue: string, hash: string): string {
  return `${prefix}:${queue}:luahttp:script:${hash}`;
}

/** Published to with a job id: every worker of the queue hears it and stops that job if it runs it. */
export function cancelChannel(prefix: string, queue: string): string {
  return `${prefix}:${queue}:luahttp:cancel`;
}

/** Set alongside the message, so a worker that starts the job later (or missed the message) still stops it. */
export function cancelKey(prefix: string, queue: string, jobId: string): string {
  return `${prefix}:${queue}:luahttp:cancelled:${jobId}`;
}
