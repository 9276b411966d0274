// cancelLuaJob: stop a job from any process. BullMQ's own cancel reaches only the worker object it is
// called on; this publishes the id on the queue's luahttp channel (every worker of the queue listens
// and aborts the run if it has it) and leaves a marker for a worker that starts the job later.
import { openConnection, type LuaQueueConnection } from './connection.js';
import { cancelChannel, cancelKey, DEFAULT_PREFIX } from './redis-keys.js';

/** How long the marker for a not-yet-started job is kept (s). */
const CANCEL_MARKER_TTL = 24 * 3600;

export async function cancelLuaJob(queue: string, jobId: string, options: { connection: LuaQueueConnection; prefix?: string }): Promise<void> {
  const prefix = options.prefix ?? DEFAULT_PREFIX;
  const conn = openConnection(options.connection);
  try {
    await conn.client.set(cancelKey(prefix, queue, jobId), '1', 'EX', CANCEL_MARKER_TTL);
    await conn.client.publish(cancelChannel(prefix, queue), jobId);
  } finally {
    await conn.release();
  }
}
