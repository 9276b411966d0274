// The shared-memory body ring (src/channel/byte-ring.ts): records keep their boundaries, positions wrap
// around the end of the ring (and the int32 position counters), finish states reach the consumer,
// and a producer in another thread streams 50 MB through it intact.
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import { ByteRing, RING_ENDED, RING_FAILED, RING_OPEN, createRing } from '../../src/channel/byte-ring.js';
import { REPO_ROOT } from '../oracle/lua-runner.js';

/** xorshift32: the same sizes and bytes on every run. */
function prng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5; s >>>= 0;
    return s;
  };
}

function bytes(n: number, next: () => number): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = next() & 255;
  return b;
}

/** Claims the next record (no wait), copies it, releases it. */
function take(ring: ByteRing): Uint8Array | null {
  const r = ring.claimRecord(0);
  if (r === null) return null;
  const copy = Uint8Array.from(r);
  ring.release();
  return copy;
}

const WRITE = 0;
const READ = 1;

describe('records', () => {
  test('keep their boundaries, empty records included', () => {
    const ring = new ByteRing(createRing(64 * 1024));
    ring.reset();
    const next = prng(1);
    const sent = [0, 1, 2, 3, 4, 5, 100, 0, 4096, 7].map((n) => bytes(n, next));
    for (const rec of sent) expect(ring.writeRecord(rec)).toBe(true);
    expect(ring.filled()).toBe(sent.reduce((a, r) => a + r.length + 4, 0));
    const got: Uint8Array[] = [];
    for (let r = take(ring); r; r = take(ring)) got.push(r);
    expect(got.map((r) => r.length)).toEqual(sent.map((r) => r.length));
    expect(got).toEqual(sent);
    expect(ring.filled()).toBe(0);
    expect(ring.state()).toBe(RING_OPEN);
  });

  test('a record that does not fit is refused and nothing is written', () => {
    const ring = new ByteRing(createRing(64));
    ring.reset();
    expect(ring.writeRecord(new Uint8Array(61))).toBe(false); // 61 + 4 > 64
    expect(ring.filled()).toBe(0);
    expect(ring.writeRecord(new Uint8Array(60).fill(9))).toBe(true); // exactly full
    expect(ring.free()).toBe(0);
    expect(ring.writeRecord(new Uint8Array(0))).toBe(false);
    expect(take(ring)).toEqual(new Uint8Array(60).fill(9));
    expect(ring.free()).toBe(64);
  });

  test('claimed records keep their space until released, oldest first', () => {
    const ring = new ByteRing(createRing(256));
    ring.reset();
    ring.writeRecord(new Uint8Array([1, 2, 3]));
    ring.writeRecord(new Uint8Array([4, 5]));
    const a = ring.claimRecord(0)!;
    const b = ring.claimRecord(0)!;
    expect([Array.from(a), Array.from(b)]).toEqual([[1, 2, 3], [4, 5]]);
    expect(ring.claimRecord(0)).toBeNull();
    expect(ring.free()).toBe(256 - 7 - 6);
    ring.release();
    expect(ring.free()).toBe(256 - 6);
    ring.release();
    expect(ring.free()).toBe(256);
  });
});

describe('wrap-around', () => {
  // Writes and reads records of random sizes in random order, checking every byte, until the
  // positions have crossed the end of the ring many times (length prefixes split across it too).
  function churn(ring: ByteRing, seed: number, maxRecord: number, rounds: number): number {
    const next = prng(seed);
    const queue: Uint8Array[] = [];
    let written = 0;
    for (let i = 0; i < rounds; i++) {
      if (next() % 3 !== 0) {
        const rec = bytes(next() % (maxRecord + 1), next);
        if (ring.writeRecord(rec)) { queue.push(rec); written += rec.length + 4; }
      } else {
        const got = take(ring);
        const want = queue.shift();
        expect(got, `round ${i}`).toEqual(want ?? null);
      }
    }
    for (let r = take(ring); r; r = take(ring)) expect(r).toEqual(queue.shift());
    expect(queue).toEqual([]);
    return written;
  }

  test.each([512, 1024, 4096])('ring of %i bytes, records of 0..300 bytes', (size) => {
    const ring = new ByteRing(createRing(size));
    ring.reset();
    const written = churn(ring, size, 300, 20_000);
    expect(written / size).toBeGreaterThan(100);
  });

  test('positions crossing 2^31 (int32 overflow) on a 1024-byte ring', () => {
    const ring = new ByteRing(createRing(1024));
    ring.reset();
    Atomics.store(ring.header, WRITE, 0x7fffff00);
    Atomics.store(ring.header, READ, 0x7fffff00);
    churn(ring, 7, 300, 5_000);
    expect(Atomics.load(ring.header, WRITE)).toBeLessThan(0);
  });

  // A stream of 4 GiB, simulated by starting the counters just below 2^32.
  test('positions crossing 2^32 on a 1024-byte ring', () => {
    const ring = new ByteRing(createRing(1024));
    ring.reset();
    Atomics.store(ring.header, WRITE, -600);
    Atomics.store(ring.header, READ, -600);
    churn(ring, 8, 300, 5_000);
  });

  // Positions count modulo 2^32 and map to (pos >>> 0) % size, which is only continuous across the
  // wrap when size divides 2^32: createRing refuses other sizes.
  test('a ring size that is not a power of two is refused', () => {
    expect(() => createRing(1000)).toThrow(RangeError);
  });
});

describe('finish states', () => {
  test('ended: the records still queued are read, then null and RING_ENDED', () => {
    const ring = new ByteRing(createRing(1024));
    ring.reset();
    ring.writeRecord(new Uint8Array([1]));
    ring.writeRecord(new Uint8Array([2, 2]));
    ring.finish(RING_ENDED);
    expect(ring.state()).toBe(RING_ENDED);
    expect(take(ring)).toEqual(new Uint8Array([1]));
    expect(take(ring)).toEqual(new Uint8Array([2, 2]));
    const t0 = performance.now();
    expect(ring.claimRecord(5_000)).toBeNull(); // finished: no wait
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(ring.state()).toBe(RING_ENDED);
  });

  test('failed: RING_FAILED after the queued records', () => {
    const ring = new ByteRing(createRing(1024));
    ring.reset();
    ring.writeRecord(new Uint8Array([7]));
    ring.finish(RING_FAILED);
    expect(take(ring)).toEqual(new Uint8Array([7]));
    expect(ring.claimRecord(0)).toBeNull();
    expect(ring.state()).toBe(RING_FAILED);
  });

  test('open and empty: claimRecord waits about its timeout, then null', () => {
    const ring = new ByteRing(createRing(1024));
    ring.reset();
    const t0 = performance.now();
    expect(ring.claimRecord(50)).toBeNull();
    const waited = performance.now() - t0;
    expect(waited).toBeGreaterThanOrEqual(40);
    expect(waited).toBeLessThan(2_000);
    expect(ring.state()).toBe(RING_OPEN);
  });

  test('reset starts a new open, empty stream', () => {
    const ring = new ByteRing(createRing(1024));
    ring.reset();
    ring.writeRecord(new Uint8Array([1, 2, 3]));
    ring.finish(RING_FAILED);
    ring.reset();
    expect(ring.state()).toBe(RING_OPEN);
    expect(ring.filled()).toBe(0);
    expect(ring.claimRecord(0)).toBeNull();
  });
});

const PRODUCER = path.join(REPO_ROOT, 'test/channel/fixtures/ring-producer.mjs');
const DIST_READY = fs.existsSync(path.join(REPO_ROOT, 'dist/channel/byte-ring.js'));

/** Same function as the producer's streamByte. */
function streamByte(i: number): number {
  return (i ^ (i >>> 7) ^ (i >>> 13) ^ (i >>> 21)) & 255;
}

describe.skipIf(!DIST_READY)('a producer thread (dist/channel/byte-ring.js, build first)', () => {
  async function stream(opts: { totalBytes: number; ringSize: number; maxRecord: number; failAtEnd?: boolean }) {
    const buffers = createRing(opts.ringSize);
    const ring = new ByteRing(buffers);
    ring.reset();
    const worker = new Worker(PRODUCER, { workerData: { buffers, totalBytes: opts.totalBytes, maxRecord: opts.maxRecord, seed: 42, failAtEnd: !!opts.failAtEnd } });
    let gone: string | null = null;
    const report = new Promise<{ bytes: number; records: number; checksum: number; fullWaits: number }>((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', (e) => { gone = String(e); reject(e); });
      worker.once('exit', (code) => { gone ??= `producer exited (${code})`; });
    });
    report.catch(() => {});
    try {
      const deadline = performance.now() + 60_000;
      // Let the ring fill before reading, so the producer meets a full ring (waitForSpace) too.
      let sawNearlyFull = false;
      while (!sawNearlyFull && ring.state() === RING_OPEN && performance.now() < deadline) {
        sawNearlyFull = ring.filled() > opts.ringSize - (opts.maxRecord + 4);
        if (!sawNearlyFull) await new Promise((r) => setTimeout(r, 2));
      }
      // Then the consumer blocks this thread in claimRecord (≤ 200 ms at a time), as the VM does.
      let offset = 0;
      let records = 0;
      let checksum = 0;
      let badAt = -1;
      for (;;) {
        if (performance.now() > deadline) throw new Error(`consumer deadline: ${offset} bytes read`);
        const rec = ring.claimRecord(200);
        if (rec === null) {
          if (ring.state() !== RING_OPEN) break;
          // Let the worker's events in: a producer that died must fail the test, not stall it.
          await new Promise((r) => setImmediate(r));
          if (gone !== null && ring.state() === RING_OPEN && ring.filled() === 0) throw new Error(`${gone} after ${offset} bytes`);
          continue;
        }
        for (let k = 0; k < rec.length; k++) {
          const b = rec[k]!;
          if (badAt < 0 && b !== streamByte(offset + k)) badAt = offset + k;
          checksum = (Math.imul(checksum, 31) + b) | 0;
        }
        offset += rec.length;
        records++;
        ring.release();
      }
      const sent = await report;
      return { sent, got: { bytes: offset, records, checksum }, badAt, state: ring.state(), sawNearlyFull };
    } finally {
      await worker.terminate();
    }
  }

  test('50 MB in records of random sizes arrive in order with matching checksums', async () => {
    const r = await stream({ totalBytes: 50 * 1024 * 1024, ringSize: 1024 * 1024, maxRecord: 70_000 });
    expect(r.badAt).toBe(-1);
    expect(r.got).toEqual({ bytes: r.sent.bytes, records: r.sent.records, checksum: r.sent.checksum });
    expect(r.sent.bytes).toBe(50 * 1024 * 1024);
    expect(r.state).toBe(RING_ENDED);
    expect(r.sawNearlyFull).toBe(true);
  }, 90_000);

  test('a stream that fails after its bytes ends in RING_FAILED with every byte read', async () => {
    const r = await stream({ totalBytes: 3 * 1024 * 1024, ringSize: 64 * 1024, maxRecord: 20_000, failAtEnd: true });
    expect(r.badAt).toBe(-1);
    expect(r.got).toEqual({ bytes: r.sent.bytes, records: r.sent.records, checksum: r.sent.checksum });
    expect(r.state).toBe(RING_FAILED);
  }, 90_000);
});
