// Issue 10 §1: a script that leaves requests early — a sink that raises or aborts, a coroutine
// abandoned inside its sink, a source that raises — must not keep their connections and buffered
// bodies. test/lua/unit/leaks-soak.lua runs 5,000 such requests mixed with refused connections,
// timeouts, truncated bodies and plain ones, and reports its open sockets and RSS as it goes; both
// must level off. The bounds are generous on purpose (numbers measured: see the notes and README).
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { luahttpRunArgs } from '../oracle/lua-runner.js';
import { makeTestCerts, type TestCerts } from '../servers/tls-certs.js';

/** Large enough that undici pauses the socket (4 MiB buffered) before the body ends. */
const BIG = 8 * 1024 * 1024;
const BLOCK = Buffer.alloc(64 * 1024, 0x62);
const TOTAL = Number(process.env.LEAKS_SOAK_TOTAL ?? 5000);
const EVERY = 250;

let server: http.Server;
let tlsServer: https.Server;
let certs: TestCerts;
let base = '';
let tlsBase = '';
/** Nobody listens on port 1, and it is below the ephemeral range: no client socket can take it. */
const refusedPort = 1;

function respond(req: http.IncomingMessage, res: http.ServerResponse): void {
  req.resume();
  switch (req.url) {
    case '/big': {
      res.writeHead(200, { 'content-length': BIG });
      let left = BIG;
      const pump = (): void => {
        while (left > 0) {
          const piece = left >= BLOCK.length ? BLOCK : BLOCK.subarray(0, left);
          left -= piece.length;
          if (!res.write(piece)) { res.once('drain', pump); return; }
        }
        res.end();
      };
      pump();
      return;
    }
    case '/stall': return; // no answer: the client's deadline ends it
    case '/truncated':
      res.writeHead(200, { 'content-length': 100_000 });
      res.write(Buffer.alloc(1000, 0x74), () => req.socket.destroy());
      return;
    case '/upload':
      req.on('end', () => res.end('uploaded'));
      return;
    default:
      res.end('small body');
  }
}

// The same answers over http and https (ssl.https takes the same path out of a request).
beforeAll(async () => {
  server = http.createServer(respond);
  certs = makeTestCerts();
  tlsServer = https.createServer(certs.leaf('localhost'), respond);
  tlsServer.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => tlsServer.listen(0, '127.0.0.1', r));
  tlsBase = `https://localhost:${(tlsServer.address() as AddressInfo).port}`;
  // Abandoned clients leave sockets behind on this side until the client drops them: no idle limit.
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  for (const s of [server, tlsServer]) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
  certs.remove();
});

test(`${TOTAL} requests left early, refused, timed out or truncated: open sockets and RSS level off`, async () => {
  const r = await luahttpRunArgs('test/lua/unit/leaks-soak.lua', [base, String(refusedPort), String(TOTAL), String(EVERY), tlsBase, certs.caFile], 170_000);
  expect(r.timedOut, r.stderr).toBe(false);
  const lines = r.stdout.toString('latin1').trim().split('\n').map((l) => l.split('\t'));
  const checkpoints = lines.filter((l) => l[0] === 'checkpoint').map(([, i, fds, rss]) => ({ i: Number(i), sockets: Number(fds), rssMb: Number(rss) / 1024 }));
  const outcomes = Object.fromEntries(lines.filter((l) => l[0] === 'outcome').map(([, k, n]) => [k, Number(n)]));
  console.log(lines.filter((l) => l[0] === 'seconds').map((l) => l.join(' ')).join('; '));
  console.log(`leaks soak: sockets ${checkpoints.map((c) => c.sockets).join(' ')}; RSS MB ${checkpoints.map((c) => Math.round(c.rssMb)).join(' ')}`);
  expect(r.exitCode, r.stderr).toBe(0);
  expect(checkpoints.at(-1)!.i).toBe(TOTAL);
  // Every kind behaved as the script expects (a "failed" entry names the kind that did not).
  expect(Object.keys(outcomes).filter((k) => k.includes(' failed')), JSON.stringify(outcomes)).toEqual([]);
  // Sockets: a few pooled connections and abandoned coroutines not yet collected, never one per request.
  expect(Math.max(...checkpoints.map((c) => c.sockets))).toBeLessThan(40);
  // RSS: what the second half adds over the first half's peak stays small (before the fix: +4.5 MB
  // per raising sink, 915 MB after 200).
  const half = checkpoints.filter((c) => c.i <= TOTAL / 2);
  const rest = checkpoints.filter((c) => c.i > TOTAL / 2);
  const peak = (cs: typeof checkpoints): number => Math.max(...cs.map((c) => c.rssMb));
  expect(peak(rest)).toBeLessThan(peak(half) + 150);
  expect(peak(checkpoints)).toBeLessThan(600);
}, 180_000);

// The aborting sink alone: its connection used to stay open for the 20 ms luahttp lets a finished
// response end cleanly; an abort wants none of the rest, so it goes at once (yielding and blocking).
test('a sink returning nil, "abort" leaves no socket open once http.request has returned', async () => {
  const r = await luahttpRunArgs('test/lua/unit/leaks-soak.lua', [base, String(refusedPort), 'abort'], 60_000);
  expect(r.exitCode, r.stderr).toBe(0);
  const [, before, most] = r.stdout.toString('latin1').trim().split('\t').map(Number);
  expect(most).toBeLessThanOrEqual(before! + 1);
}, 70_000);
