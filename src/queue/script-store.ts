// Scripts travel by content: each distinct script is stored once under its hash, jobs carry the
// hash, and a worker keeps the scripts it has seen (workers need no shared disk).
import type { Redis } from 'ioredis';
import { scriptKey } from './redis-keys.js';

export async function storeScript(client: Redis, prefix: string, queue: string, hash: string, code: Uint8Array): Promise<void> {
  // NX: the same content is written once however many jobs use it.
  await client.set(scriptKey(prefix, queue, hash), Buffer.from(code), 'NX');
}

/** A worker's view of the store: Redis once per hash, then memory (bounded, oldest out first). */
export class ScriptCache {
  private readonly scripts = new Map<string, Uint8Array>();

  constructor(private readonly client: Redis, private readonly prefix: string, private readonly queue: string, private readonly max = 256) {}

  async get(hash: string): Promise<Uint8Array> {
    const hit = this.scripts.get(hash);
    if (hit) return hit;
    const code = await this.client.getBuffer(scriptKey(this.prefix, this.queue, hash));
    if (!code) throw new Error(`luahttp: script ${hash} is not in Redis (was it enqueued on another queue or prefix?)`);
    if (this.scripts.size >= this.max) this.scripts.delete(this.scripts.keys().next().value!);
    this.scripts.set(hash, code);
    return code;
  }
}
