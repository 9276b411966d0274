// One HTTP request/response on the I/O host: undici does the protocol; this class turns its callbacks
// into the pull-style steps the VM's blocking calls need (write body, wait head, read body), with
// bounded buffering both ways so a 1 GiB download or upload keeps memory flat.
import type zlib from 'node:zlib';
import type { Dispatcher } from 'undici';
import { luaSocketError } from '../channel/luasocket-errors.js';
import { pieceContinuesChunk, takeStatusLine } from './llhttp/response-feeder.js';
import { PieceQueue } from '../channel/piece-queue.js';
import { noteWriting, type ReuseMark } from './connection-reuse.js';
import { verbatimHeaders, wireName } from './verbatim-headers.js';
import type { Route, TlsSettings, Transport } from './transport.js';
import { RING_ENDED, RING_FAILED, type ByteRing } from '../channel/byte-ring.js';

export interface ExchangeRequest {
  origin: string;
  method: string;
  path: string;
  /** name, value, name, value… as latin1 strings (one char per byte, so bytes survive to the wire). */
  headers: string[];
  hasBody: boolean;
  /** No body, though the script gave a source (it was empty) under chunked framing (verbatim-headers.ts). */
  emptyChunked?: boolean;
  /** LuaSocket's per-wait timeout; null = wait forever. */
  timeoutMs: number | null;
  /** luahttp extension `reqt.timeout`: the whole exchange must end within this many ms. */
  deadlineMs?: number | null;
  /** The LuaSec TLS fields of the request table (https only). */
  tls?: TlsSettings;
  /** See RouteRequest.proxy. */
  proxy?: string | null;
  /** `reqt.compressed` / `--compressed`: ask for and decode gzip, deflate and br. */
  compressed?: boolean;
}

/** What `compressed` sends unless the script set its own Accept-Encoding. */
const ACCEPT_ENCODING = 'gzip, deflate, br';

/** A decoder for a Content-Encoding luahttp can undo, or null (then the body is passed on as is). */
function decoderFor(coding: string): ((first: Buffer) => zlib.Zlib & NodeJS.ReadWriteStream) | null {
  // Required here, not at the top: node:zlib costs ~1 ms of every GET script's start-up.
  const zlib = require('node:zlib') as typeof import('node:zlib');
  switch (coding.trim().toLowerCase()) {
    case 'gzip': case 'x-gzip': return () => zlib.createGunzip();
    case 'br': return () => zlib.createBrotliDecompress();
    // "deflate" is meant to be zlib-wrapped, but servers send raw deflate too (fetch accepts both).
    case 'deflate': return (first) => ((first[0]! & 0x0f) === 8 ? zlib.createInflate() : zlib.createInflateRaw());
    default: return null;
  }
}

export interface ResponseHead {
  status: number;
  /** The status line as received, without its line end (`HTTP/1.0 200 OK`, `HTTP/1.1 200 `). */
  statusLine: Uint8Array;
  /** Raw header name/value pairs in arrival order, as bytes. */
  headers: Uint8Array[];
}

export interface BodyRead {
  /** undici's pieces as received (a chunked body's HTTP chunks, cut where socket reads end). */
  pieces?: Uint8Array[];
  /** Per piece: more bytes of its HTTP chunk come in the next piece (see llhttp/response-feeder.ts). */
  continues?: boolean[];
  /** Across threads the pieces travel as one transferable buffer plus their lengths. */
  chunk?: Uint8Array;
  sizes?: number[];
  done: boolean;
  error?: string;
}

const PAUSE_ABOVE = 4 * 1024 * 1024;
const RESUME_BELOW = 1024 * 1024;

/** The request body as the VM hands over its first batch: all of it (complete) or the start. */
export interface FirstBody {
  chunks: Uint8Array[];
  complete: boolean;
}

/**
 * How often a request that found its pooled connection closed by the server is sent again: each
 * failure discards one stale connection, so a few cover a pool a restarted server left behind.
 */
const STALE_RETRIES = 4;

/** A complete request body, as a new iterable per attempt (chunks stay HTTP chunks, as streamed). */
async function* replay(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield* chunks;
}

/** undici's errors for a connection the peer closed or reset: what a stale pooled connection gives. */
function isConnectionClosed(err: unknown): boolean {
  const code = (err as { code?: string } | null)?.code;
  return code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || code === 'EPIPE';
}

export class HttpExchange {
  private head: ResponseHead | null = null;
  /** Received body pieces not yet read (a queue: a body can be a million one-byte chunks). */
  private readonly chunks = new PieceQueue();
  private queued = 0;
  private ended = false;
  private failure: string | null = null;
  private wake: (() => void) | null = null;
  /** undici's handles on the request: abort it, and resume the socket after onData returned false. */
  private abortRequest: ((reason: Error) => void) | null = null;
  private resumeSocket: (() => void) | null = null;
  private paused = false;
  // Request body: the VM pushes chunks; undici pulls them through an async iterator.
  private readonly bodyChunks: (Uint8Array | null)[] = [];
  private bodyPull: (() => void) | null = null;
  private bodyTaken: (() => void) | null = null;
  /** Once the VM asks to stream, body bytes go straight into shared memory (see ByteRing). */
  private ring: ByteRing | null = null;
  private ringWaiting = false;
  private ringFinished: (() => void) | null = null;

  private deadline: NodeJS.Timeout | null = null;
  /**
   * LuaSocket's per-wait timeout, on luahttp's own timer: undici's headersTimeout/bodyTimeout run on
   * its coarse 500 ms clock (http.TIMEOUT = 0.2 gave up after 1.0 s, and a server closing during the
   * overshoot gave "closed" instead of "timeout"). It runs only while luahttp waits for the server:
   * not while the script produces the request body or has not read what already arrived.
   */
  private readonly waitMs: number | null;
  private waitTimer: NodeJS.Timeout | null = null;
  /**
   * The whole request body when the VM had it before sending (no body: empty), so the request can be
   * sent again; null when the body streams (then it goes on a new connection, never a stale one).
   */
  private readonly replayBody: Uint8Array[] | null;
  private staleRetries = 0;
  /** The Content-Encoding decoder when `compressed` applies to this response. */
  private decoder: (zlib.Zlib & NodeJS.ReadWriteStream) | null = null;
  private makeDecoder: ((first: Buffer) => zlib.Zlib & NodeJS.ReadWriteStream) | null = null;

  constructor(req: ExchangeRequest, transport: Transport, body?: FirstBody) {
    this.waitMs = req.timeoutMs === null ? null : Math.max(1, req.timeoutMs);
    const trace = transport.trace;
    const started = Date.now();
    const connectsBefore = transport.connects;
    let headers = req.headers;
    const compressed = req.compressed ?? transport.compressed;
    if (!req.hasBody) headers = verbatimHeaders(req.method, headers, req.emptyChunked === true, !transport.http2 || !req.origin.startsWith('https:'));
    if (compressed && !headers.some((h, i) => i % 2 === 0 && h.toLowerCase() === 'accept-encoding')) {
      headers = [...headers, 'Accept-Encoding', ACCEPT_ENCODING];
    }
    this.replayBody = !req.hasBody ? [] : body?.complete ? body.chunks : null;
    if (req.hasBody && !body?.complete) this.bodyChunks.push(...(body?.chunks ?? []));
    // undici's own (legacy) handler interface: the controller-style one costs a wrapper, a
    // controller and two header objects per response that luahttp never reads (raw headers only).
    // A request sent again (see retryable) uses it again: undici is done with a failed attempt.
    const handler: ReuseMark & Record<string, unknown> = {
      reused: undefined,
      onConnect: (abort: (reason: Error) => void) => {
        this.abortRequest = abort;
        noteWriting(handler);
        // Ended (deadline, close) while this attempt waited for a connection.
        if (this.failure !== null) abort(new Error('closed by luahttp'));
      },
      onRequestSent: () => { this.armWait(); },
      onResponseStarted: () => { this.armWait(); },
      onHeaders: (status: number, rawHeaders: Buffer[], resume: () => void, statusText: string): boolean => {
        // Interim responses (1xx, RFC 9110 §15.2) are skipped: the final one follows on this exchange.
        const statusLine = takeStatusLine() ?? Buffer.from(`HTTP/1.1 ${status}${statusText ? ` ${statusText}` : ''}`, 'latin1');
        if (status < 200) return true;
        this.resumeSocket = resume;
        this.armWait();
        let raw: Uint8Array[] = rawHeaders;
        if (compressed) raw = this.startDecoding(raw);
        this.head = { status, statusLine, headers: raw };
        if (trace) {
          if (handler.reused ?? transport.connects === connectsBefore) trace('* Re-using existing connection');
          trace(`< ${Buffer.from(statusLine).toString('latin1')}`);
          for (let i = 0; i + 1 < rawHeaders.length; i += 2) trace(`< ${rawHeaders[i]!.toString('latin1')}: ${rawHeaders[i + 1]!.toString('latin1')}`);
          trace(`* head after ${Date.now() - started} ms`);
        }
        this.notify();
        return !this.paused;
      },
      onData: (chunk: Buffer): boolean => {
        if (!this.paused) this.armWait();
        if (this.makeDecoder) {
          this.decoder ??= this.openDecoder(this.makeDecoder(chunk));
          this.decoder.write(chunk);
        } else {
          this.take(chunk, pieceContinuesChunk());
        }
        return !this.paused;
      },
      onComplete: () => {
        trace?.(`* response ended after ${Date.now() - started} ms`);
        if (this.makeDecoder) {
          if (this.decoder) this.decoder.end(); else this.finish();
          return;
        }
        this.finish();
      },
      onError: (err: Error) => {
        if (this.retryable(err, handler)) {
          trace?.(`* connection closed by the server before any response (${err.message}): sending again on another connection`);
          send();
          return;
        }
        trace?.(`* failed after ${Date.now() - started} ms: ${err.message}`);
        // undici reports any parse error after a Content-Length header as a length mismatch (which
        // reads as "closed", a network failure scripts retry); before the head is complete it is a
        // malformed head (a repeated or non-numeric Content-Length), LuaSocket's message for that.
        if (this.head === null && (err as { code?: string }).code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH') {
          this.fail(new Error('malformed reponse headers'));
          return;
        }
        this.fail(err);
      },
    };
    if (req.deadlineMs != null) {
      this.deadline = setTimeout(() => {
        this.fail({ code: 'UND_ERR_HEADERS_TIMEOUT' });
        this.abortRequest?.(new Error('luahttp: request deadline'));
      }, Math.max(1, req.deadlineMs));
      this.deadline.unref();
    }
    let route: Route;
    // A body that streams cannot be sent twice: it goes on a new connection, never one the server
    // may have closed while it sat in the pool.
    const fresh = this.replayBody === null;
    try {
      route = transport.route({ origin: req.origin, path: req.path, headers, timeoutMs: req.timeoutMs, tls: req.tls, proxy: req.proxy, fresh });
    } catch (e) {
      this.fail(e);
      return;
    }
    if (trace) {
      trace(`> ${req.method} ${route.origin === req.origin ? req.path : route.path} HTTP/1.1${route.proxy ? `   (${req.origin} via proxy ${route.proxy})` : `   (${req.origin})`}`);
      for (let i = 0; i + 1 < route.headers.length; i += 2) trace(`> ${wireName(route.headers[i]!)}: ${route.headers[i + 1]}`);
    }
    const send = (): void => {
      handler.reused = undefined;
      route.dispatcher.dispatch({
        origin: route.origin,
        path: route.path,
        method: req.method,
        headers: route.headers,
        body: !req.hasBody ? null : this.replayBody ? replay(this.replayBody) : this.bodyIterable(),
        // 0 = off: luahttp's own timer (armWait) keeps the time.
        headersTimeout: 0,
        bodyTimeout: 0,
        reset: fresh,
      } as Dispatcher.DispatchOptions, handler as unknown as Dispatcher.DispatchHandler);
    };
    this.armWait();
    send();
  }

  /**
   * A request whose pooled connection turned out closed by the server (it failed before any byte of
   * a response, on a connection an earlier request used) is sent again when its body can be; undici
   * discarded that connection, so the next attempt takes another or opens one.
   */
  private retryable(err: unknown, mark: ReuseMark): boolean {
    return mark.reused === true && this.head === null && this.failure === null && !this.ended
      && this.replayBody !== null && isConnectionClosed(err) && this.staleRetries++ < STALE_RETRIES;
  }

  /** Decides whether this response is decoded; then Content-Encoding and Content-Length (of the coded bytes) are dropped. */
  private startDecoding(raw: Uint8Array[]): Uint8Array[] {
    const text = (b: Uint8Array): string => Buffer.from(b).toString('latin1');
    const i = raw.findIndex((h, k) => k % 2 === 0 && text(h).toLowerCase() === 'content-encoding');
    if (i < 0) return raw;
    this.makeDecoder = decoderFor(text(raw[i + 1]!));
    if (!this.makeDecoder) return raw;
    return raw.filter((_, k) => {
      const name = text(raw[k - (k % 2)]!).toLowerCase();
      return name !== 'content-encoding' && name !== 'content-length';
    });
  }

  private openDecoder(d: zlib.Zlib & NodeJS.ReadWriteStream): zlib.Zlib & NodeJS.ReadWriteStream {
    d.on('data', (c: Buffer) => this.take(c));
    d.on('end', () => this.finish());
    d.on('error', (e: Error) => {
      this.fail(new Error(`content decoding failed (${e.message})`));
      this.abortRequest?.(e);
    });
    return d;
  }

  private take(chunk: Buffer, continues = false): void {
    this.chunks.push(chunk, continues);
    this.queued += chunk.length;
    if (this.ring) this.pumpRing();
    if (this.queued > PAUSE_ABOVE && !this.paused) {
      // The script reads slower than the bytes come: stop reading the socket, and stop inflating
      // (a small compressed body can decode to gigabytes).
      this.paused = true; // onData's answer pauses undici's reading
      this.disarmWait(); // the script is the slow side now
      this.decoder?.pause();
    }
    this.notify();
  }

  private resumeIfDrained(): void {
    if (this.paused && this.queued < RESUME_BELOW) {
      this.paused = false;
      this.armWait();
      this.decoder?.resume();
      this.resumeSocket?.();
    }
  }

  private finish(): void {
    this.ended = true;
    this.clearDeadline();
    this.disarmWait();
    if (this.ring) this.pumpRing();
    this.notify();
  }

  private clearDeadline(): void {
    if (this.deadline) { clearTimeout(this.deadline); this.deadline = null; }
  }

  /** (Re)starts the per-wait timer: luahttp now waits for the server. */
  private armWait(): void {
    if (this.waitMs === null || this.ended || this.failure !== null) return;
    if (this.waitTimer) { this.waitTimer.refresh(); return; }
    this.waitTimer = setTimeout(() => {
      this.waitTimer = null;
      this.fail({ code: 'UND_ERR_HEADERS_TIMEOUT' });
      this.abortRequest?.(new Error('luahttp: timeout'));
    }, this.waitMs);
    this.waitTimer.unref();
  }

  private disarmWait(): void {
    if (this.waitTimer) { clearTimeout(this.waitTimer); this.waitTimer = null; }
  }

  private fail(err: unknown): void {
    this.clearDeadline();
    this.disarmWait();
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

  /** The request body for undici: what the VM streams, chunk by chunk (one HTTP chunk each). */
  private async *bodyIterable(): AsyncGenerator<Uint8Array> {
    for (;;) {
      while (this.bodyChunks.length === 0) {
        if (this.failure !== null) return;
        // Waiting for the script's next chunk is no wait for the server.
        this.disarmWait();
        await new Promise<void>((r) => { this.bodyPull = r; });
        this.bodyPull = null;
        this.armWait();
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
      // Woken by the first piece of a socket read: let the event loop finish this round of reads
      // first, so the script wakes once for several pieces (a 200 MiB download: 700 → 790 MB/s).
      if (!this.ended && this.failure === null) await new Promise<void>((r) => { setImmediate(r); });
    }
    const parts: Uint8Array[] = [];
    const continues: boolean[] = [];
    let n = 0;
    while (this.chunks.length && n + this.chunks.at(0)!.bytes.length <= maxBytes) {
      const c = this.chunks.shift()!;
      parts.push(c.bytes);
      continues.push(c.continues);
      n += c.bytes.length;
    }
    if (parts.length === 0) {
      const c = this.chunks.at(0)!;
      parts.push(c.bytes.subarray(0, maxBytes));
      continues.push(true);
      c.bytes = c.bytes.subarray(maxBytes);
      n = maxBytes;
    }
    this.queued -= n;
    this.resumeIfDrained();
    const done = this.chunks.length === 0 && (this.ended || this.failure !== null);
    return { pieces: parts, continues, done: done && this.failure === null, error: undefined };
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
    for (let c = this.chunks.at(0); c && ring.writeRecord(c.bytes, c.continues); c = this.chunks.at(0)) {
      this.queued -= c.bytes.length;
      this.chunks.shift();
    }
    this.resumeIfDrained();
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
      void ring.waitForSpace(this.chunks.at(0)!.bytes.length + 4, 1000).then(() => {
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
    this.clearDeadline();
    this.disarmWait();
    this.ring = null;
    if (!this.ended && this.failure === null) {
      this.failure = 'closed';
      this.abortRequest?.(new Error('closed by luahttp'));
    }
    this.bodyTaken?.();
    this.bodyPull?.();
  }
}
