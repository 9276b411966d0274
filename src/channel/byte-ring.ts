// A single-producer, single-consumer byte ring in shared memory: the I/O host writes a response body
// into it as undici delivers it, the VM reads it without a message per batch. Measured: message
// batches capped a 200 MB download at ~600 MB/s because host and VM took turns instead of overlapping.
const WRITE = 0;
const READ = 1;
const STATE = 2;
/** Bumped on every write and on finish: the one cell the consumer sleeps on, so no wake-up is lost. */
const SEQ = 3;
/** The producer's wake-up cell: bumped by the consumer when it frees space while the producer waits. */
const SPACE_SEQ = 4;
const PRODUCER_WAITING = 5;
const CONSUMER_WAITING = 6;

/** Record length flag: see writeRecord. */
const CONTINUES = 0x80000000 | 0;

export const RING_OPEN = 0;
export const RING_ENDED = 1;
export const RING_FAILED = 2;

export interface RingBuffers { header: Int32Array; data: Uint8Array }

export function createRing(size = 4 * 1024 * 1024): RingBuffers {
  // Positions wrap at 2^32; only a size dividing 2^32 maps them to the same slot on both sides of it.
  if (size < 64 || (size & (size - 1)) !== 0) throw new RangeError(`ring size must be a power of two >= 64, got ${size}`);
  return { header: new Int32Array(new SharedArrayBuffer(32)), data: new Uint8Array(new SharedArrayBuffer(size)) };
}

/** Positions are byte counts modulo 2^32 (int32 wrap-around); differences stay exact below 2 GiB. */
export class ByteRing {
  readonly header: Int32Array;
  readonly data: Uint8Array;
  /** Consumer: whether the record claimRecord() returned last has its HTTP chunk continue in the next. */
  lastContinues = false;

  constructor(b: RingBuffers) {
    this.header = b.header;
    this.data = b.data;
  }

  /** Producer: starts a new stream (the consumer is not reading while this happens). */
  reset(): void {
    Atomics.store(this.header, WRITE, 0);
    Atomics.store(this.header, READ, 0);
    Atomics.store(this.header, STATE, RING_OPEN);
  }

  free(): number {
    return this.data.length - ((Atomics.load(this.header, WRITE) - Atomics.load(this.header, READ)) | 0);
  }

  /**
   * Producer: appends one record (a 4-byte length, then the bytes) or nothing if it does not fit.
   * Records keep undici's piece boundaries; `continues` marks a piece whose HTTP chunk goes on in
   * the next record (the length's top bit: a record is smaller than the ring).
   */
  writeRecord(bytes: Uint8Array, continues = false): boolean {
    if (this.free() < bytes.length + 4) return false;
    const w = Atomics.load(this.header, WRITE);
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, (bytes.length | (continues ? CONTINUES : 0)) >>> 0, true);
    this.copyIn(len, w);
    this.copyIn(bytes, (w + 4) | 0);
    Atomics.store(this.header, WRITE, (w + 4 + bytes.length) | 0);
    return true;
  }

  private copyIn(bytes: Uint8Array, pos: number): void {
    const at = (pos >>> 0) % this.data.length;
    const first = Math.min(bytes.length, this.data.length - at);
    this.data.set(bytes.subarray(0, first), at);
    if (first < bytes.length) this.data.set(bytes.subarray(first), 0);
  }

  private copyOut(pos: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    const at = (pos >>> 0) % this.data.length;
    const first = Math.min(n, this.data.length - at);
    out.set(this.data.subarray(at, at + first), 0);
    if (first < n) out.set(this.data.subarray(0, n - first), first);
    return out;
  }

  /** Producer: no more bytes will come (ended normally or failed). */
  finish(state: typeof RING_ENDED | typeof RING_FAILED): void {
    Atomics.store(this.header, STATE, state);
    this.signal();
  }

  /** Bytes written and not yet read. */
  filled(): number {
    return this.data.length - this.free();
  }

  /** Producer: wakes the consumer if it sleeps (a futex wake-up costs tens of µs; skip it otherwise). */
  signal(): void {
    Atomics.add(this.header, SEQ, 1);
    if (Atomics.load(this.header, CONSUMER_WAITING)) Atomics.notify(this.header, SEQ);
  }

  /** Consumer side: where the next unclaimed record starts, and the sizes of claimed ones. */
  private claim = 0;
  private readonly claimed: number[] = [];

  /**
   * Consumer: the next record, waiting up to timeoutMs; null when none is ready (then state() tells
   * whether the stream is still open). The bytes are a view into the ring (no copy) unless the record
   * wraps around its end; they stay valid until release() is called for the record.
   */
  claimRecord(timeoutMs: number): Uint8Array | null {
    if (this.claimed.length === 0) this.claim = Atomics.load(this.header, READ);
    const seq = Atomics.load(this.header, SEQ);
    if (Atomics.load(this.header, WRITE) === this.claim) {
      if (Atomics.load(this.header, STATE) !== RING_OPEN) return null;
      Atomics.store(this.header, CONSUMER_WAITING, 1);
      Atomics.wait(this.header, SEQ, seq, timeoutMs);
      Atomics.store(this.header, CONSUMER_WAITING, 0);
      if (Atomics.load(this.header, WRITE) === this.claim) return null;
    }
    const word = new DataView(this.copyOut(this.claim, 4).buffer).getUint32(0, true);
    const n = word & ~CONTINUES;
    this.lastContinues = (word & CONTINUES) !== 0;
    const at = ((this.claim + 4) >>> 0) % this.data.length;
    const record = at + n <= this.data.length ? this.data.subarray(at, at + n) : this.copyOut((this.claim + 4) | 0, n);
    this.claim = (this.claim + 4 + n) | 0;
    this.claimed.push(n);
    return record;
  }

  /** Consumer: gives the oldest claimed record's space back to the producer. */
  release(): void {
    const n = this.claimed.shift()!;
    Atomics.store(this.header, READ, (Atomics.load(this.header, READ) + 4 + n) | 0);
    if (Atomics.load(this.header, PRODUCER_WAITING)) {
      Atomics.add(this.header, SPACE_SEQ, 1);
      Atomics.notify(this.header, SPACE_SEQ);
    }
  }

  /**
   * Producer (on an event loop): resolves when the consumer has freed at least `bytes`, or after
   * timeoutMs. Atomics.waitAsync keeps the loop free; polling with a timer left both sides idle.
   */
  async waitForSpace(bytes: number, timeoutMs: number): Promise<void> {
    Atomics.store(this.header, PRODUCER_WAITING, 1);
    try {
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const seq = Atomics.load(this.header, SPACE_SEQ);
        const left = deadline - performance.now();
        if (this.free() >= bytes || left <= 0) return;
        const w = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, t: number): { async: boolean; value: Promise<string> | string } })
          .waitAsync(this.header, SPACE_SEQ, seq, left);
        if (w.async) await w.value;
      }
    } finally {
      Atomics.store(this.header, PRODUCER_WAITING, 0);
    }
  }

  state(): number {
    return Atomics.load(this.header, STATE);
  }
}
