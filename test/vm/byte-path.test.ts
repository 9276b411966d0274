// Bytes cross the Lua/JS boundary untouched (DESIGN.md pitfalls: wasmoon's string conversions cut at
// NUL and mangle invalid UTF-8). A Lua script run through the CLI POSTs all 256 byte values and a
// 1 MiB LCG body to an echo server started here; the server hashes what it received, the script
// checksums what it sent and what came back, and this test recomputes both from the intended bytes.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { luahttpRunArgs } from '../oracle/lua-runner.js';

function adler32(b: Buffer): string {
  let a = 1;
  let s = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    s = (s + a) % 65521;
  }
  return ((s * 65536 + a) >>> 0).toString(16).padStart(8, '0');
}

/** The script's LCG: x = (x * 1103515245 + 12345) mod 2^31, byte = (x >> 16) & 255. */
function lcgBytes(seed: number, n: number): Buffer {
  const out = Buffer.alloc(n);
  let x = BigInt(seed);
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245n + 12345n) % 2147483648n;
    out[i] = Number((x >> 16n) & 255n);
  }
  return out;
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (d: Buffer) => parts.push(d));
    req.on('end', () => {
      const body = Buffer.concat(parts);
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length, 'x-sha256': sha256(body) });
      res.end(body);
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('byte path', () => {
  test('all 256 byte values and a 1 MiB random body survive a POST and the echo', async () => {
    const r = await luahttpRunArgs('test/lua/unit/byte-path-post.lua', [base]);
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    const all = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const lcg = lcgBytes(20240601, 1048576);
    const lines = r.stdout.toString('latin1').trimEnd().split('\n');
    expect(lines).toEqual([
      ['all-bytes', 256, adler32(all), adler32(all), 'true', 200, sha256(all)].join('\t'),
      ['lcg-1MiB', lcg.length, adler32(lcg), adler32(lcg), 'true', 200, sha256(lcg)].join('\t'),
      ['simple-form', 256, adler32(all), 'true', 200, sha256(all)].join('\t'),
    ]);
  }, 120_000);

  test('print and io.write of "\\0\\255\\128abc" reach stdout byte-exact', async () => {
    const r = await luahttpRunArgs('test/lua/unit/stdout-bytes.lua', []);
    expect(r.exitCode).toBe(0);
    const s = Buffer.from([0, 255, 128, 0x61, 0x62, 0x63]);
    expect(r.stdout.toString('hex')).toBe(Buffer.concat([s, Buffer.from('\n'), s, Buffer.from('|'), s]).toString('hex'));
  }, 60_000);
});
