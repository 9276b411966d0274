// Stands between undici and llhttp for one connection: undici's Parser calls llhttp_execute with each
// socket read (copied into llhttp's memory); the feeder reads the response's framing lines the way
// LuaSocket does and lets llhttp see a form of them it accepts and that means the same:
//  - the status line: LuaSocket's rule decides (luasocket-lines.ts); llhttp is handed
//    `HTTP/x.y <code>` (an unsolicited 100 as 102: undici destroys the connection on a 100, while any
//    other 1xx is an interim response to it), and the line as received goes to HttpExchange;
//  - header lines: every Content-Length value past its first number is blanked, and a second
//    Content-Length header is renamed, in llhttp's copy only (undici reads header names and values
//    from the socket's own bytes); the values must name one length (commonContentLength);
//  - chunk-size lines that are not plain hex + CRLF (`5; name="q"`, ` 5`, a bare LF, `-5`) and the
//    line after chunk data (LuaSocket reads and drops it) are replaced by their meaning.
// Everything else — header lines, trailers, body bytes — reaches llhttp as it came, at its own
// address, so undici's views of it are the received bytes and a body stays byte-exact. Framing
// decisions (chunked, by length, to the close, no body) stay llhttp's: the feeder reads them from
// llhttp's state after each head.
import { refusedResponse } from '../../channel/luasocket-errors.js';
import { ChunkSizeReader, commonContentLength, llhttpVersion, luaSocketStatusCode } from './luasocket-lines.js';

/** The parts of llhttp's wasm exports the feeder uses. */
export interface LlhttpExports {
  memory: { buffer: ArrayBuffer };
  llhttp_execute(p: number, data: number, len: number): number;
  llhttp_get_error_pos(p: number): number;
  malloc(size: number): number;
}

/** The fields of undici's Parser the feeder reads or sets. */
export interface UndiciParser {
  ptr: number | null;
  /** Content-Length as undici compares it with the body (it appends repeated values: "55"). */
  contentLength: string;
  headersMaxSize: number;
}

/** llhttp 9's `llhttp_t` on wasm32 (checked by adopt-parser.ts before any parser is fed). */
export const LLHTTP_CONTENT_LENGTH = 32;
export const LLHTTP_FLAGS = 50;
const F_CHUNKED = 0x8;
const F_CONTENT_LENGTH = 0x20;
const HPE_OK = 0;
const HPE_PAUSED = 21;

const LF = 10;
const CR = 13;
const SP = 32;
const HT = 9;
const CONTENT_LENGTH = 'content-length';

/** Says that luahttp does not read a reply without a status line (README: HTTP/0.9). */
export const HTTP09_REFUSED = 'invalid response (not HTTP/1.x; HTTP/0.9 is not supported by luahttp)';

const enum Mode {
  /** Reading a status line (never fed as received: its canonical form is). */
  Status,
  Headers,
  /** A body of `remaining` bytes (Content-Length). */
  Length,
  ChunkSize,
  /** `remaining` bytes of a chunk. */
  ChunkData,
  /** The line after a chunk's data. */
  ChunkEnd,
  Trailers,
  /** Everything as received: a body that ends at the close, or after an upgrade. */
  Raw,
}

/** The feeder's position in the response, copied at the start of each run (see execute). */
interface FeedState {
  mode: Mode;
  remaining: number;
  /** At the start of a header, trailer or chunk line. */
  lineStart: boolean;
  /** A CR began the line: an LF next makes it the empty line. */
  crAtLineStart: boolean;
  inName: boolean;
  nameLength: number;
  /** The name read so far is a prefix of "content-length". */
  nameIsContentLength: boolean;
  /** 0: not a Content-Length value; 1: the first one (llhttp reads it); 2: a later one (renamed). */
  contentLengthValue: 0 | 1 | 2;
  /** In the first value: 0 before its number, 1 in it, 2 after it (blanked). */
  numberState: 0 | 1 | 2;
  contentLengthSeen: boolean;
  /** The last header was a Content-Length (a folded line would continue it). */
  lastWasContentLength: boolean;
  /** Every Content-Length value of this head, as received. */
  contentLengths: string[];
  currentValue: string;
  /** The current chunk-size line is plain hex + CRLF, all in this socket read. */
  sizeCanonical: boolean;
  sizeDigits: number;
  sizeCr: boolean;
}

function freshState(): FeedState {
  return {
    mode: Mode.Status, remaining: 0, lineStart: true, crAtLineStart: false, inName: false, nameLength: 0,
    nameIsContentLength: false, contentLengthValue: 0, numberState: 0, contentLengthSeen: false,
    lastWasContentLength: false, contentLengths: [], currentValue: '', sizeCanonical: true, sizeDigits: 0, sizeCr: false,
  };
}

let currentStatusLine: Buffer | null = null;
let feeding: { view: DataView; ptr: number } | null = null;

/**
 * The status line of the response head being delivered (call from undici's onHeaders), as LuaSocket's
 * receive("*l") returns it: the received bytes without CRs. Null where no feeder parsed the head (HTTP/2).
 */
export function takeStatusLine(): Buffer | null {
  const line = currentStatusLine;
  currentStatusLine = null;
  return line;
}

/**
 * For the body piece undici is delivering right now (call from onData): true when more bytes of the
 * same HTTP chunk follow in a later piece (llhttp's content_length holds what is left of it). False
 * when it ends a chunk, or when no feeder is parsing (HTTP/2, a decoded body).
 */
export function pieceContinuesChunk(): boolean {
  return feeding !== null && feeding.view.getBigUint64(feeding.ptr + LLHTTP_CONTENT_LENGTH, true) > 0n;
}

export class ResponseFeeder {
  private s: FeedState = freshState();
  /** The state where the current run began: a pause inside the run is replayed from it. */
  private runState: FeedState = freshState();
  private readonly size = new ChunkSizeReader();
  private statusParts: Buffer[] = [];
  private statusLength = 0;
  /** Set by the parser's onMessageComplete (adopt-parser.ts). */
  messageComplete = false;

  private u8 = new Uint8Array(0);
  private view = new DataView(new ArrayBuffer(0));
  private ptr = 0;
  private runStart = 0;
  /** Replaying a paused run: nothing is fed. */
  private replaying = false;

  constructor(private readonly llhttp: LlhttpExports, private readonly parser: UndiciParser, private readonly scratch: number) {}

  /** llhttp_execute as undici calls it: `len` bytes at `data` in llhttp's memory. */
  execute(ptr: number, data: number, len: number): number {
    const buffer = this.llhttp.memory.buffer;
    if (this.u8.buffer !== buffer) {
      this.u8 = new Uint8Array(buffer);
      this.view = new DataView(buffer);
    }
    this.ptr = ptr;
    const outer = feeding;
    feeding = { view: this.view, ptr };
    try {
      this.startRun(data);
      const r = this.advance(data, data + len);
      if (r !== HPE_OK) return r;
      return this.flush(data + len);
    } finally {
      feeding = outer;
      currentStatusLine = null;
    }
  }

  private startRun(at: number): void {
    this.runStart = at;
    this.runState = { ...this.s, contentLengths: [...this.s.contentLengths] };
  }

  /**
   * Feeds llhttp the received bytes from the run's start to `to`. A pause (undici's backpressure, or
   * the end of a connection's last response) leaves llhttp at its error position: the feeder's state
   * is replayed from the run's start to there, so it matches the bytes undici puts back.
   */
  private flush(to: number): number {
    if (this.replaying || to <= this.runStart) { this.runStart = Math.max(this.runStart, to); return HPE_OK; }
    const from = this.runStart;
    const r = this.llhttp.llhttp_execute(this.ptr, from, to - from);
    if (r === HPE_PAUSED) {
      const at = this.llhttp.llhttp_get_error_pos(this.ptr);
      this.s = this.runState;
      this.replaying = true;
      try { this.advance(from, at); } finally { this.replaying = false; }
      return r;
    }
    this.startRun(to);
    return r;
  }

  /** Feeds llhttp `text` instead of the received bytes up to `resumeAt` (already flushed to the line). */
  private feedInstead(text: string, resumeAt: number): number {
    for (let i = 0; i < text.length; i++) this.u8[this.scratch + i] = text.charCodeAt(i);
    const r = this.llhttp.llhttp_execute(this.ptr, this.scratch, text.length);
    this.startRun(resumeAt);
    return r;
  }

  /** Skips received bytes llhttp must not see (they are replaced, or held until their line ends). */
  private skipTo(at: number): void {
    if (!this.replaying) this.startRun(at);
  }

  private advance(from: number, end: number): number {
    let pos = from;
    while (pos < end) {
      let r = HPE_OK;
      switch (this.s.mode) {
        case Mode.Status: r = this.status(pos, end); pos = this.nextPos; break;
        case Mode.Headers: r = this.headers(pos, end); pos = this.nextPos; break;
        case Mode.Length: {
          const n = Math.min(this.s.remaining, end - pos);
          pos += n;
          this.s.remaining -= n;
          if (this.s.remaining === 0) this.startMessage();
          break;
        }
        case Mode.ChunkSize: r = this.chunkSize(pos, end); pos = this.nextPos; break;
        case Mode.ChunkData: {
          const n = Math.min(this.s.remaining, end - pos);
          pos += n;
          this.s.remaining -= n;
          if (this.s.remaining === 0) { this.s.mode = Mode.ChunkEnd; this.s.lineStart = true; }
          break;
        }
        case Mode.ChunkEnd: r = this.chunkEnd(pos, end); pos = this.nextPos; break;
        case Mode.Trailers: r = this.trailers(pos, end); pos = this.nextPos; break;
        default: pos = end;
      }
      if (r !== HPE_OK) return r;
    }
    return HPE_OK;
  }

  /** Where the last mode step stopped. */
  private nextPos = 0;

  private startMessage(): void {
    this.s = freshState();
    this.statusParts = [];
    this.statusLength = 0;
  }

  private status(pos: number, end: number): number {
    // The previous message's bytes go first.
    const r = this.flush(pos);
    if (r !== HPE_OK) { this.nextPos = end; return r; }
    const stop = this.findLf(pos, end);
    this.statusParts.push(Buffer.from(this.u8.subarray(pos, stop)));
    this.statusLength += stop - pos;
    const ended = stop < end;
    // LuaSocket reads 5 bytes first: without "HTTP/" the reply is HTTP/0.9 to it.
    if (this.statusLength >= 5 || ended) {
      const first = Buffer.concat(this.statusParts);
      this.statusParts = [first];
      if (first.length < 5 || first.toString('latin1', 0, 5) !== 'HTTP/') throw refusedResponse(HTTP09_REFUSED);
    }
    if (!ended) {
      if (this.statusLength > this.parser.headersMaxSize) throw Object.assign(new Error('Headers Overflow Error'), { code: 'UND_ERR_HEADERS_OVERFLOW' });
      this.skipTo(end);
      this.nextPos = end;
      return HPE_OK;
    }
    const received = Buffer.concat(this.statusParts);
    const line = received.includes(CR) ? Buffer.from(received.filter((b) => b !== CR)) : received;
    const text = line.toString('latin1');
    const code = luaSocketStatusCode(text);
    // LuaSocket returns a status line it cannot read as the error message.
    if (code === null) throw refusedResponse(text);
    this.statusParts = [];
    this.statusLength = 0;
    this.pendingStatusLine = line;
    this.messageComplete = false;
    this.s.mode = Mode.Headers;
    this.s.lineStart = true;
    this.nextPos = stop + 1;
    return this.feedInstead(`HTTP/${llhttpVersion(text)} ${code === 100 ? 102 : code}\r\n`, stop + 1);
  }

  private pendingStatusLine: Buffer | null = null;

  private headers(pos: number, end: number): number {
    const s = this.s;
    const u8 = this.u8;
    while (pos < end) {
      if (s.lineStart) {
        const b = u8[pos]!;
        if (b === LF) return this.headEnd(pos + 1, end);
        if (s.crAtLineStart) {
          s.crAtLineStart = false;
        } else if (b === CR) {
          s.crAtLineStart = true;
          pos++;
          continue;
        }
        s.lineStart = false;
        if (b === SP || b === HT) {
          // An obs-fold line continues the previous value; LuaSocket would append it to a
          // Content-Length ("5" .. " 5"), which then names no length.
          if (s.lastWasContentLength) throw refusedResponse('malformed reponse headers');
          s.inName = false;
          s.contentLengthValue = 0;
        } else {
          s.inName = true;
          s.nameLength = 0;
          s.nameIsContentLength = true;
          s.lastWasContentLength = false;
        }
      }
      if (s.inName) {
        for (; pos < end; pos++) {
          const b = u8[pos]!;
          if (b === 58 /* : */) {
            s.inName = false;
            const isContentLength = s.nameIsContentLength && s.nameLength === CONTENT_LENGTH.length;
            s.contentLengthValue = !isContentLength ? 0 : s.contentLengthSeen ? 2 : 1;
            if (isContentLength) { s.contentLengthSeen = true; s.numberState = 0; s.currentValue = ''; }
            pos++;
            break;
          }
          if (b === LF) break;
          const c = b >= 65 && b <= 90 ? b + 32 : b;
          s.nameIsContentLength &&= s.nameLength < CONTENT_LENGTH.length && c === CONTENT_LENGTH.charCodeAt(s.nameLength);
          // A later Content-Length header: llhttp refuses a second one even when equal, so in its copy
          // the name's fourth byte changes ("conxent-…", no header llhttp knows); undici still reads the
          // name as received. Content-Type and the rest that begin "cont" mean nothing to llhttp.
          if (s.nameLength === 3 && s.nameIsContentLength && s.contentLengthSeen && !this.replaying) u8[pos] = 120 /* x */;
          s.nameLength++;
        }
        if (s.inName && pos < end) { s.inName = false; s.contentLengthValue = 0; }
        continue;
      }
      if (s.contentLengthValue === 0) {
        const lf = this.findLf(pos, end);
        if (lf === end) return this.done(end);
        pos = lf + 1;
        s.lineStart = true;
        continue;
      }
      pos = this.contentLengthValue(pos, end);
    }
    return this.done(end);
  }

  /** Reads a Content-Length value up to its line's end; returns where it stopped. */
  private contentLengthValue(pos: number, end: number): number {
    const s = this.s;
    const u8 = this.u8;
    for (; pos < end; pos++) {
      const b = u8[pos]!;
      if (b === LF) {
        s.contentLengths.push(s.currentValue);
        s.lastWasContentLength = true;
        s.contentLengthValue = 0;
        s.lineStart = true;
        return pos + 1;
      }
      if (b === CR) continue;
      if (s.currentValue.length < 256) s.currentValue += String.fromCharCode(b);
      if (s.contentLengthValue !== 1) continue;
      // llhttp reads the first number only: what follows it (`, 5`, a TAB) is blanked in its copy;
      // the values as received are checked at the head's end.
      const digit = b >= 48 && b <= 57;
      if (s.numberState === 0 && digit) s.numberState = 1;
      else if (s.numberState === 1 && !digit) s.numberState = 2;
      else if (s.numberState === 0 && b !== SP && b !== HT) s.numberState = 2;
      if (s.numberState === 2 && !this.replaying) u8[pos] = SP;
    }
    return pos;
  }

  /** The head ends at `after` (just past its empty line). */
  private headEnd(after: number, end: number): number {
    const s = this.s;
    const length = s.contentLengths.length > 0 ? commonContentLength(s.contentLengths) : '';
    if (length === null) throw refusedResponse('malformed reponse headers');
    currentStatusLine = this.pendingStatusLine;
    const r = this.flush(after);
    currentStatusLine = null;
    // After the head's values reached undici (it appends repeated ones: "55"), before its body ends
    // (a message that ended with its head, like a Content-Length: 0, has had undici reset it already).
    if (length !== '' && !this.replaying && !this.messageComplete) this.parser.contentLength = length;
    // Paused, the state is already replayed to where llhttp stopped (see flush).
    if (r !== HPE_OK) { this.nextPos = end; return r; }
    this.afterHead();
    this.nextPos = after;
    return HPE_OK;
  }

  /** What llhttp decided the body is. */
  private afterHead(): void {
    if (this.messageComplete) { this.startMessage(); return; }
    const flags = this.view.getUint16(this.ptr + LLHTTP_FLAGS, true);
    const s = this.s;
    s.lineStart = true;
    s.crAtLineStart = false;
    if (flags & F_CHUNKED) {
      s.mode = Mode.ChunkSize;
      this.size.reset();
      s.sizeCanonical = true;
      s.sizeDigits = 0;
      s.sizeCr = false;
    } else if (flags & F_CONTENT_LENGTH) {
      s.mode = Mode.Length;
      s.remaining = Number(this.view.getBigUint64(this.ptr + LLHTTP_CONTENT_LENGTH, true));
      if (s.remaining === 0) this.startMessage();
    } else {
      s.mode = Mode.Raw;
    }
  }

  private done(end: number): number {
    this.nextPos = end;
    return HPE_OK;
  }

  private chunkSize(pos: number, end: number): number {
    const s = this.s;
    const u8 = this.u8;
    const lineStart = s.lineStart ? pos : -1;
    if (s.lineStart) {
      s.lineStart = false;
      this.size.reset();
      s.sizeCanonical = true;
      s.sizeDigits = 0;
      s.sizeCr = false;
    }
    // Canonical: 1-12 hex digits (exact as a double), CR, LF — llhttp reads it as LuaSocket does.
    for (; pos < end; pos++) {
      const b = u8[pos]!;
      if (b === LF) break;
      this.size.push(b);
      if (!s.sizeCanonical) continue;
      if (s.sizeCr) s.sizeCanonical = false;
      else if (b === CR) { if (s.sizeDigits > 0) s.sizeCr = true; else s.sizeCanonical = false; }
      else if (((b >= 48 && b <= 57) || (b >= 65 && b <= 70) || (b >= 97 && b <= 102)) && s.sizeDigits < 12) s.sizeDigits++;
      else s.sizeCanonical = false;
    }
    if (pos === end) {
      // The line goes on in the next read: its bytes so far are held back (only their meaning is kept).
      const r = lineStart >= 0 ? this.flush(lineStart) : HPE_OK;
      if (r !== HPE_OK) { this.nextPos = end; return r; }
      s.sizeCanonical = false;
      this.skipTo(end);
      return this.done(end);
    }
    const size = this.size.result();
    const canonical = s.sizeCanonical && s.sizeCr && lineStart >= 0;
    s.lineStart = true;
    if (size !== null && size > 0) {
      s.mode = Mode.ChunkData;
      s.remaining = Number(size);
    } else {
      // LuaSocket reads any size up to 0 as the last chunk, trailers after it.
      s.mode = Mode.Trailers;
      s.crAtLineStart = false;
    }
    this.nextPos = pos + 1;
    if (canonical) return HPE_OK;
    if (lineStart >= 0) {
      const r = this.flush(lineStart);
      if (r !== HPE_OK) { this.nextPos = end; return r; }
    }
    if (size === null) throw refusedResponse('invalid chunk size');
    if (this.replaying) return HPE_OK;
    return this.feedInstead(`${size > 0 ? size.toString(16) : '0'}\r\n`, pos + 1);
  }

  private chunkEnd(pos: number, end: number): number {
    const s = this.s;
    const u8 = this.u8;
    if (s.lineStart && pos + 1 < end && u8[pos] === CR && u8[pos + 1] === LF) {
      s.mode = Mode.ChunkSize;
      this.nextPos = pos + 2;
      return HPE_OK;
    }
    // Anything else up to the LF: LuaSocket reads the line and drops it; llhttp gets CRLF.
    const lineStart = s.lineStart ? pos : -1;
    s.lineStart = false;
    const lf = this.findLf(pos, end);
    if (lineStart >= 0) {
      const r = this.flush(lineStart);
      if (r !== HPE_OK) { this.nextPos = end; return r; }
    }
    if (lf === end) {
      this.skipTo(end);
      return this.done(end);
    }
    s.mode = Mode.ChunkSize;
    s.lineStart = true;
    this.nextPos = lf + 1;
    if (this.replaying) return HPE_OK;
    return this.feedInstead('\r\n', lf + 1);
  }

  private trailers(pos: number, end: number): number {
    const s = this.s;
    const u8 = this.u8;
    while (pos < end) {
      if (s.lineStart) {
        const b = u8[pos]!;
        if (b === LF) {
          // The message ends here; the next one (a final response after a 1xx) starts after it.
          this.startMessage();
          this.nextPos = pos + 1;
          return HPE_OK;
        }
        if (!s.crAtLineStart && b === CR) { s.crAtLineStart = true; pos++; continue; }
        s.crAtLineStart = false;
        s.lineStart = false;
      }
      const lf = this.findLf(pos, end);
      if (lf === end) return this.done(end);
      pos = lf + 1;
      s.lineStart = true;
    }
    return this.done(end);
  }

  /** The position of the next LF before `end`, or `end`. */
  private findLf(pos: number, end: number): number {
    const u8 = this.u8;
    // Most lines are short: a loop beats making a subarray for indexOf.
    const near = Math.min(end, pos + 64);
    for (; pos < near; pos++) if (u8[pos] === LF) return pos;
    if (pos === end) return end;
    const i = u8.subarray(pos, end).indexOf(LF);
    return i === -1 ? end : pos + i;
  }
}
