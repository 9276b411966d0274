// Puts a ResponseFeeder (response-feeder.ts) between undici's HTTP/1 parser and llhttp, for one
// connection luahttp opened: called by the transport right after undici set up the connection
// (undici builds its Parser synchronously inside the connect callback). It changes nothing global and
// nothing of any other connection: the host application's own undici (even the same copy, which
// shares llhttp's instance) and Node's fetch parse as before. Only what undici's Parser holds for this
// socket changes: its llhttp exports object (execute goes through the feeder), lenient flags on its
// llhttp parser, and its onMessageComplete (the feeder learns where a message ended).
import type { LlhttpExports, UndiciParser } from './response-feeder.js';
import { LLHTTP_CONTENT_LENGTH, LLHTTP_FLAGS, ResponseFeeder } from './response-feeder.js';

/**
 * llhttp's lenient modes, each for something LuaSocket 3.1.0 accepts:
 * - optional_cr_before_lf: bare-LF line ends (LuaSocket's receive("*l") ends a line at LF);
 * - spaces_after_chunk_size: `5 ;a=b` (the feeder passes plain sizes only; kept for safety);
 * - headers: any byte in a header value (NUL, obs-text) and obs-fold continuation lines, which
 *   LuaSocket joins to the value (llhttp hands the continuation over as more of the same value);
 * - version: any HTTP/x.y version (LuaSocket matches "HTTP/%d*%.%d*").
 * Not turned on: a CR without LF ending a line, data after `Connection: close`, a missing CRLF after
 * chunk data (the feeder handles that line), keep-alive and Transfer-Encoding overrides.
 */
const LENIENT_FLAGS = ['headers', 'optional_cr_before_lf', 'spaces_after_chunk_size', 'version'];

type Exports = LlhttpExports & Record<string, unknown> & {
  llhttp_alloc(type: number): number;
  llhttp_init(p: number, type: number, settings: number): void;
  llhttp_settings_init(settings: number): void;
  llhttp_free(p: number): void;
  free(p: number): void;
};

interface AdoptableParser extends UndiciParser {
  llhttp: Exports;
  onMessageComplete(): number;
}

const TYPE_RESPONSE = 2;

/** Per llhttp instance (its exports object): a scratch buffer for the feeder, or null when unusable. */
const instances = new WeakMap<object, number | null>();

let kParser: symbol | undefined;

/** Hands this connection's responses to a ResponseFeeder; a no-op for HTTP/2 or an unknown undici. */
export function adoptParser(socket: unknown): void {
  kParser ??= (require('undici/lib/core/symbols') as { kParser: symbol }).kParser;
  const parser = (socket as Record<symbol, unknown> | null)?.[kParser] as AdoptableParser | undefined;
  if (!parser || typeof parser.ptr !== 'number' || typeof parser.onMessageComplete !== 'function') return;
  const llhttp = parser.llhttp;
  if (!llhttp || typeof llhttp.llhttp_execute !== 'function') return;
  const scratch = usableInstance(llhttp);
  if (scratch === null) return;
  for (const flag of LENIENT_FLAGS) (llhttp[`llhttp_set_lenient_${flag}`] as (p: number, on: number) => void)(parser.ptr, 1);
  const feeder = new ResponseFeeder(llhttp, parser, scratch);
  // Inherits every other export from undici's (frozen) object.
  parser.llhttp = Object.create(llhttp, {
    llhttp_execute: { value: (p: number, data: number, len: number): number => feeder.execute(p, data, len) },
  }) as Exports;
  const onMessageComplete = parser.onMessageComplete;
  parser.onMessageComplete = function messageComplete(this: AdoptableParser): number {
    feeder.messageComplete = true;
    return onMessageComplete.call(this);
  };
}

/**
 * Whether this llhttp build has the exports and the `llhttp_t` layout the feeder reads (flags and
 * content_length after a head, status and version beside them): checked once per instance on a
 * parser of its own with no callbacks (undici's are not called), fed a head with a Content-Length
 * and a chunked one.
 */
function usableInstance(x: Exports): number | null {
  const known = instances.get(x);
  if (known !== undefined) return known;
  let scratch: number | null = null;
  try {
    const needed = ['llhttp_alloc', 'llhttp_init', 'llhttp_settings_init', 'llhttp_free', 'llhttp_get_error_pos', 'malloc', 'free', ...LENIENT_FLAGS.map((f) => `llhttp_set_lenient_${f}`)];
    if (needed.every((n) => typeof x[n] === 'function') && layoutMatches(x)) scratch = x.malloc(64);
  } catch {
    scratch = null;
  }
  instances.set(x, scratch || null);
  return scratch || null;
}

function layoutMatches(x: Exports): boolean {
  const settings = x.malloc(512);
  const p = x.llhttp_alloc(TYPE_RESPONSE);
  const text = x.malloc(128);
  try {
    new Uint8Array(x.memory.buffer, settings, 512).fill(0);
    x.llhttp_settings_init(settings);
    const probe = (head: string): DataView | null => {
      x.llhttp_init(p, TYPE_RESPONSE, settings);
      new Uint8Array(x.memory.buffer, text, head.length).set(Buffer.from(head, 'latin1'));
      return x.llhttp_execute(p, text, head.length) === 0 ? new DataView(x.memory.buffer) : null;
    };
    let v = probe('HTTP/1.1 201 A\r\nContent-Length: 7\r\n\r\n');
    if (!v || v.getUint16(p + 52, true) !== 201 || v.getUint8(p + 42) !== 1 || v.getUint8(p + 43) !== 1
      || v.getBigUint64(p + LLHTTP_CONTENT_LENGTH, true) !== 7n || (v.getUint16(p + LLHTTP_FLAGS, true) & 0x28) !== 0x20) return false;
    v = probe('HTTP/1.0 202 B\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab');
    return v !== null && v.getUint16(p + 52, true) === 202 && v.getUint8(p + 43) === 0
      && v.getBigUint64(p + LLHTTP_CONTENT_LENGTH, true) === 3n && (v.getUint16(p + LLHTTP_FLAGS, true) & 0x28) === 0x08;
  } finally {
    x.llhttp_free(p);
    x.free(text);
    x.free(settings);
  }
}
