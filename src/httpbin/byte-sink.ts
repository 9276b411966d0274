import type { ServerResponse } from 'node:http';
import type { ByteSink } from './reply.js';

// setTimeout silently turns longer delays into 1 ms.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A ByteSink over a ServerResponse. Every pending wait is released on the
 * response's 'close' so that `close()` on the server, or a client hanging up
 * mid-/drip, leaves no timers or listeners behind.
 */
export function createByteSink(res: ServerResponse): ByteSink {
  let closed = res.destroyed;
  const waiters = new Set<() => void>();
  res.once('close', () => {
    closed = true;
    for (const release of [...waiters]) release();
  });

  return {
    get closed() {
      return closed;
    },
    // One write is one HTTP chunk, as werkzeug sends each piece a route yields. Node 24+ joins the
    // writes made within one tick of the event loop into one chunk (three 30,000-byte writes went out as
    // one 90,000-byte chunk), so the next write waits for the next turn of the loop.
    write(chunk: Buffer): Promise<void> {
      if (closed) return Promise.resolve();
      if (res.write(chunk)) return new Promise((resolve) => setImmediate(resolve));
      return new Promise((resolve) => {
        const release = (): void => {
          res.off('drain', release);
          waiters.delete(release);
          resolve();
        };
        res.on('drain', release);
        waiters.add(release);
      });
    },
    sleep(ms: number): Promise<void> {
      if (closed) return Promise.resolve();
      return new Promise((resolve) => {
        const release = (): void => {
          clearTimeout(timer);
          waiters.delete(release);
          resolve();
        };
        const timer = setTimeout(release, Math.min(Math.max(ms, 0), MAX_TIMER_MS));
        waiters.add(release);
      });
    },
  };
}
