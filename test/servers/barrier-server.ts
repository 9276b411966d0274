// A loopback HTTP server that proves requests were in flight together, without timing anything:
// GET /barrier/N holds each request until N of them are open at once, then answers them all
// ("together N"); requests that are still alone after `giveUpMs` get "alone" instead, so a client that
// sends one request at a time sees failures rather than a hang. GET /count answers at once; the
// server records the largest number of requests it ever had open (`peak`).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface BarrierServer {
  port: number;
  /** The most requests open at the same time since the last reset. */
  peak: () => number;
  reset: () => void;
  close: () => Promise<void>;
}

export async function startBarrierServer(giveUpMs = 5_000): Promise<BarrierServer> {
  let open = 0;
  let peak = 0;
  const held = new Map<number, http.ServerResponse[]>();
  const server = http.createServer((req, res) => {
    open++;
    peak = Math.max(peak, open);
    res.on('close', () => { open--; });
    const m = /^\/barrier\/(\d+)/.exec(req.url ?? '');
    if (!m) {
      setTimeout(() => res.end('counted'), 20);
      return;
    }
    const n = Number(m[1]);
    const group = held.get(n) ?? [];
    held.set(n, group);
    group.push(res);
    if (group.length >= n) {
      held.delete(n);
      for (const r of group) r.end(`together ${n}`);
      return;
    }
    setTimeout(() => {
      const i = group.indexOf(res);
      if (i >= 0) { group.splice(i, 1); res.end('alone'); }
    }, giveUpMs).unref();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    peak: () => peak,
    reset: () => { peak = 0; },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
