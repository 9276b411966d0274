// One way to name Redis for the worker, enqueue and cancel paths: a URL, ioredis options or an ioredis
// client. ioredis loads here, only when one of those paths runs (never at the CLI's start-up).
import type { ConnectionOptions } from 'bullmq';
import type { Redis, RedisOptions } from 'ioredis';

export type LuaQueueConnection = string | RedisOptions | Redis;

function isClient(c: LuaQueueConnection): c is Redis {
  return typeof c === 'object' && c !== null && typeof (c as Redis).duplicate === 'function';
}

/**
 * A client of our own (closed by `release`) for the script store and the cancel channel, and what to
 * hand BullMQ: a URL or options become BullMQ's own connections (it opens and closes them); a client
 * is shared as it is (its owner closes it).
 */
export function openConnection(connection: LuaQueueConnection): { client: Redis; forBullmq: ConnectionOptions; release: () => Promise<void> } {
  const { Redis: RedisClient } = require('ioredis') as typeof import('ioredis');
  // BullMQ needs `maxRetriesPerRequest: null` on blocking connections; the cancel subscriber too.
  const client = isClient(connection)
    ? connection.duplicate()
    : typeof connection === 'string'
      ? new RedisClient(connection, { maxRetriesPerRequest: null })
      : new RedisClient({ ...connection, maxRetriesPerRequest: null });
  const forBullmq: ConnectionOptions = isClient(connection)
    ? connection as unknown as ConnectionOptions
    : typeof connection === 'string' ? { url: connection } : { ...connection } as ConnectionOptions;
  return { client, forBullmq, release: async () => { await quit(client); } };
}

export async function quit(client: Redis): Promise<void> {
  try {
    await client.quit();
  } catch {
    client.disconnect();
  }
}
