// One HTTP request/response on the I/O host: undici does the protocol; this class turns its callbacks
// into the pull-style steps the VM's blocking calls need (write body, wait head, read body), with
// bounded buffering both ways so a 1 GiB download or upload keeps memory flat.
import type { Dispatcher } from 'undici';
import { luaSocketError } from './luasocket-errors.js';
import { RING_ENDED, RING_FAILED, type ByteRing } from '../vm/byte-ring.js';

export interface ExchangeRequest {
  origin: string;
  method: string;
  path: string;
  /** name, value, name, value… as latin1 strings (one char per byte, so bytes survive to the wire). */
  headers: string[];
  hasBody: boolean;
  /** LuaSocket's per-wait timeout; null = wait forever. */
  timeoutMs: number | null;
}

export interface ResponseHead {
  status: number;
  statusText: string;
  /** Raw header name/value pairs in arrival order, as bytes. */
  headers: Uint8Array[];
}

export interface BodyRead {
  /** undici's pieces as received (for chunked bodies: the HTTP chunks). */
  pieces?: Uint8Array[];
  /** Across threads the pieces travel as one transferable buffer plus their lengths. */
  chunk?: Uint8Array;
  sizes?: number[];
  done: boolean;
  error?: string;
}

const PAUSE_ABOVE = 4 * 1024 * 1024;
const RESUME_BELOW = 1024 * 1024;

interface Controller { pause(): void; resume(): void; abort(reason: Error): void; rawHeaders?: Buffer[] }

export class HttpExchange {
  private head: ResponseHead | null = null;
  private readonly chunks: Buffer[] = [];
  private queued = 0;
  private ended = false;
  private failure: string | null = null;
  private wake: (() => void) | null = null;
  private controller: Controller | null = null;
  private paused = false;
  // Request body: the VM pushes chunks; undici pulls them through an async iterator.
  private readonly bodyChunks: (Uint8Array | null)[] = [];
  private bodyPull: (() => void) | null = null;
  private bodyTaken: (() => void) | null = null;
  /** Once the VM asks to stream, body bytes go straight into shared memory (see ByteRing). */
  private ring: ByteRing | null = null;
  private ringWaiting = false;
  private ringFinished: (() => void) | null = null;

  constructor(req: ExchangeRequest, dispatcher: Dispatcher) {
    const timeout = req.timeoutMs === null ? 0 : Math.max(1, req.timeoutMs);
    const handler = {
      onRequestStart: (controller: Controller) => { this.controller = controller; },
      onResponseStart: (controller: Controller, status: number, _headers: unknown, statusText: string) => {
        this.head = { status, statusText: statusText ?? '', headers: (controller.rawHeaders ?? []).map((b) => new Uint8Array(b)) };
        this.notify();
      },
      onResponseData: (controller: Controller, chunk: Buffer) => {
        this.chunks.push(chunk);
        this.queued += chunk.length;
        if (this.ring) this.pumpRing();
        if (this.queued > PAUSE_ABOVE && !this.paused) { this.paused = true; controller.pause(); }
        this.notify();
      },
      onResponseEnd: () => { this.ended = true; if (this.ring) this.pumpRing(); this.notify(); },
      onResponseError: (_c: Controller, err: Error) => { this.fail(err); },
    };
    dispatcher.dispatch({
      origin: req.origin,
      path: req.path,
      method: req.method,
      headers: req.headers,
      body: req.hasBody ? this.bodyIterable() : null,
      headersTimeout: timeout,
      bodyTimeout: timeout,
      reset: false,
    } as Dispatcher.DispatchOptions, handler as unknown as Dispatcher.DispatchHandler);
  }

  private fail(err: unknown): void {
    if (this.failure === null && !this.ended) this.failure = luaSocketError(err);
    if (this.ring) this.pumpRing();
    this.notify();
    this.bodyTaken?.();
    this.bodyPull?.();
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  private waitForEvent(): Promise<void> {
    return new Promise((resolve) => { this.wake = resolve; });
  }

  private async *bodyIterable(): AsyncGenerator<Uint8Array> {
    for (;;) {
      while (this.bodyChunks.length === 0) {
        if (this.failure !== null) return;
        await new Promise<void>((r) => { this.bodyPull = r; });
        this.bodyPull = null;
      }
      const chunk = this.bodyChunks.shift()!;
      this.bodyTaken?.();
      if (chunk === null) return;
      yield chunk;
    }
  }

  /** Hands one request-body chunk (null = end) to undici; resolves once undici took it. */
  async write(chunk: Uint8Array | null): Promise<string | null> {
    if (this.failure !== null) return this.failure;
    this.bodyChunks.push(chunk);
    const taken = new Promise<void>((r) => { this.bodyTaken = r; });
    this.bodyPull?.();
    await taken;
    this.bodyTaken = null;
    return this.failure;
  }

  async waitHead(): Promise<ResponseHead | { error: string }> {
    while (this.head === null) {
      if (this.failure !== null) return { error: this.failure };
      await this.waitForEvent();
    }
    return this.head;
  }

  /** The next body bytes (up to maxBytes), waiting for at least one byte, the end, or an error. */
  async read(maxBytes: number): Promise<BodyRead> {
    while (this.chunks.length === 0) {
      if (this.failure !== null) return { done: true, error: this.failure };
      if (this.ended) return { done: true };
      await this.waitForEvent();
    }
    const parts: Buffer[] = [];
    let n = 0;
    while (this.chunks.length && n + this.chunks[0]!.length <= maxBytes) {
      const c = this.chunks.shift()!;
      parts.push(c);
      n += c.length;
    }
    if (parts.length === 0) {
      const c = this.chunks[0]!;
      parts.push(c.subarray(0, maxBytes));
      this.chunks[0] = c.subarray(maxBytes);
      n = maxBytes;
    }
    this.queued -= n;
    if (this.paused && this.queued < RESUME_BELOW) { this.paused = false; this.controller?.resume(); }
    const done = this.chunks.length === 0 && (this.ended || this.failure !== null);
    return { pieces: parts, done: done && this.failure === null, error: undefined };
  }

  /** Switches the rest of the body to the shared ring; the VM then reads without round trips. */
  streamInto(ring: ByteRing, onFinished: () => void): void {
    ring.reset();
    this.ring = ring;
    this.ringFinished = onFinished;
    this.pumpRing();
  }

  /** Moves queued chunks into the ring as space allows; polls while the VM is the slower side. */
  private pumpRing(): void {
    const ring = this.ring!;
    while (this.chunks.length && ring.writeRecord(this.chunks[0]!)) {
      this.queued -= this.chunks.shift()!.length;
    }
    if (this.paused && this.queued < RESUME_BELOW) { this.paused = false; this.controller?.resume(); }
    ring.signal();
    if (this.chunks.length === 0) {
      if (this.failure !== null || this.ended) {
        ring.finish(this.failure !== null ? RING_FAILED : RING_ENDED);
        this.ring = null;
        this.ringFinished?.();
      }
    } else if (!this.ringWaiting) {
      // The ring is full: continue as soon as the VM frees room for the next piece.
      this.ringWaiting = true;
      void ring.waitForSpace(this.chunks[0]!.length + 4, 1000).then(() => {
        this.ringWaiting = false;
        if (this.ring) this.pumpRing();
      });
    }
  }

  /** The error that ended a streamed body, for the VM to report. */
  error(): string | null {
    return this.failure;
  }

  /** Resolves once the response ended or failed, or after ms. */
  settled(ms: number): Promise<void> {
    if (this.ended || this.failure !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      const check = (): void => {
        if (this.ended || this.failure !== null) { clearTimeout(timer); resolve(); } else this.wake = check;
      };
      this.wake = check;
    });
  }

  abort(): void {
    this.ring = null;
    if (!this.ended && this.failure === null) {
      this.failure = 'closed';
      this.controller?.abort(new Error('closed by luahttp'));
    }
    this.bodyTaken?.();
    this.bodyPull?.();
  }
}
