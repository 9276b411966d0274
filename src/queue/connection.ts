// One way to name Redis for the worker, enqueue and cancel paths: a URL, ioredis options or an ioredis
// client. ioredis loads here, only when one of those paths runs (never at the CLI's start-up).
import type { Redis, RedisOptions } from 'ioredis';

export type LuaQueueConnection = string | RedisOptions | Redis;

function isClient(c: LuaQueueConnection): c is Redis {
  return typeof c === 'object' && c !== null && typeof (c as Redis).duplicate === 'function';
}

/**
 * A client of our own (closed by `release`) for the script store and the cancel channel, and what to
 * hand BullMQ. BullMQ needs `maxRetriesPerRequest: null` on blocking connections.
 */
export function openConnection(connection: LuaQueueConnection): { client: Redis; forBullmq: Redis; release: () => Promise<void> } {
  const { Redis: RedisClient } = require('ioredis') as typeof import('ioredis');
  if (isClient(connection)) {
    const client = connection.duplicate();
    return { client, forBullmq: connection, release: async () => { await quit(client); } };
  }
  const client = typeof connection === 'string'
    ? new RedisClient(connection, { maxRetriesPerRequest: null })
    : new RedisClient({ ...connection, maxRetriesPerRequest: null });
  // BullMQ gets the same client: it duplicates it for its blocking connections and leaves it open.
  return { client, forBullmq: client, release: async () => { await quit(client); } };
}

export async function quit(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
