// A large streamed download must not be buffered: a script pipes 256 MiB from a chunked endpoint into
// ltn12.sink.file(io.open("/dev/null")) and reports its own VmRSS before and after. The streaming
// server is started here so its size is not limited by httpbin's caps.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { luahttpRunArgs } from '../oracle/lua-runner.js';

const TOTAL = 256 * 1024 * 1024;
const BLOCK = Buffer.alloc(64 * 1024, 0x5a);
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const n = Number(/^\/stream\/(\d+)$/.exec(req.url ?? '')?.[1] ?? 0);
    res.writeHead(200, { 'content-type': 'application/octet-stream' }); // no length: chunked
    let left = n;
    const pump = (): void => {
      while (left > 0) {
        const piece = left >= BLOCK.length ? BLOCK : BLOCK.subarray(0, left);
        left -= piece.length;
        if (!res.write(piece)) {
          res.once('drain', pump);
          return;
        }
      }
      res.end();
    };
    req.resume();
    pump();
    req.socket.setTimeout(120_000, () => req.socket.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

test('streaming 256 MiB into a file sink grows RSS by less than 50 MB', async () => {
  const r = await luahttpRunArgs('test/lua/unit/streaming-memory.lua', [base, String(TOTAL)], 170_000);
  expect(r.timedOut, r.stderr).toBe(false);
  const out = Object.fromEntries(
    r.stdout.toString('latin1').trim().split('\n').map((l) => l.split('\t') as [string, string]),
  ) as Record<string, string>;
  expect(out.result, r.stderr).toBe('1');
  expect(Number(out.bytes)).toBe(TOTAL);
  const growthKb = Number(out['rss-after-kb']) - Number(out['rss-before-kb']);
  expect(growthKb).toBeLessThan(50 * 1024);
}, 180_000);
