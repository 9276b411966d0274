// undici parses HTTP/1 with llhttp compiled to wasm. What luahttp needs from that parser is set up
// here, when undici builds it on its first connection:
//  - its tiering budget (start-up: see installLlhttpHooks);
//  - LuaSocket's tolerance: every parser gets llhttp's lenient flags for what LuaSocket reads and HTTP
//    allows (LENIENT_FLAGS);
//  - the status line as received (see takeStatusLine) and unsolicited `100 Continue` skipped like
//    any other interim response (undici destroys the connection on one);
//  - where an HTTP chunk ends. undici hands a chunked body over in pieces cut where socket reads
//    end, while LuaSocket's "http-chunked" source returns exactly one string per chunk (a 64 KiB
//    chunk came as two strings of 65,298 and 238 bytes). llhttp's own state says it: while it
//    delivers a piece of a chunked body, its content_length field holds the bytes of that chunk
//    still to come.
import { raiseWasmTieringBudget } from '../startup/wasm-tiering-budget.js';

/** Offsets in llhttp 9's `llhttp_t` on wasm32 (llhttp.h: 8 four-byte fields, then these). */
const CONTENT_LENGTH = 32;
const HTTP_MAJOR = 42;
const STATUS_CODE = 52;

/**
 * llhttp's lenient modes luahttp turns on, each for something LuaSocket 3.1.0 accepts:
 * - optional_cr_before_lf: bare-LF line ends (LuaSocket's receive("*l") ends a line at LF);
 * - spaces_after_chunk_size: `5 ;a=b` (LuaSocket reads tonumber(size, 16), blanks allowed);
 * - headers: any byte in a header value (NUL, obs-text) and obs-fold continuation lines, which
 *   LuaSocket joins to the value (llhttp hands the continuation over as more of the same value);
 * - version: any HTTP/x.y version (LuaSocket matches "HTTP/%d*%.%d*").
 * Not turned on: a CR without LF ending a line (LuaSocket drops the CR and reads on), data after
 * `Connection: close`, a missing CRLF after chunk data, keep-alive and Transfer-Encoding overrides.
 */
const LENIENT_FLAGS = ['headers', 'optional_cr_before_lf', 'spaces_after_chunk_size', 'version'];

type Callback = (...args: number[]) => number;
type ModuleCtor = new (bytes: Uint8Array) => object;
type InstanceCtor = new (module: object, imports?: { env?: Record<string, unknown> }) => { exports: Record<string, unknown> };

let memory: { buffer: ArrayBuffer } | null = null;
type Exports = Record<string, unknown> & { llhttp_get_http_major?: (p: number) => number; llhttp_get_http_minor?: (p: number) => number };
let llhttpExports: Exports | null = null;
/** Status text bytes per parser, since the message began (null: no space after the code). */
const statusParts = new Map<number, Buffer[] | null>();
/** The status line of the head undici is handing over right now (see takeStatusLine). */
let currentStatusLine: Buffer | null = null;
/** The parser whose on_body / on_headers_complete callback is running (0: none). */
let bodyParser = 0;
let headParser = 0;
/** Whether the field offsets above match this llhttp build: checked on every response head. */
let layoutMatches: boolean | null = null;

let cachedView: DataView | null = null;

/** A view of llhttp's memory (a new one after the memory grew: the old buffer is detached then). */
function view(): DataView | null {
  if (!memory) return null;
  if (cachedView === null || cachedView.buffer !== memory.buffer) cachedView = new DataView(memory.buffer);
  return cachedView;
}

/**
 * Called from undici's onHeaders: llhttp_t must show the status undici reports and HTTP/1.x at the
 * offsets assumed above; one mismatch turns chunk tracking off for the process (pieces are then
 * passed on as undici cuts them, as before).
 */
export function checkLlhttpLayout(status: number): void {
  if (layoutMatches === false || !headParser) return;
  const dv = view();
  if (!dv) return;
  const ok = dv.getUint16(headParser + STATUS_CODE, true) === status && dv.getUint8(headParser + HTTP_MAJOR) === 1;
  layoutMatches = ok;
}

/**
 * For the body piece undici is delivering right now (call from onData): true when more bytes of
 * the same HTTP chunk follow in a later piece. False when it ends a chunk, when the body is not
 * parsed by llhttp (HTTP/2, a decoded body) or when the layout check failed.
 */
export function pieceContinuesChunk(): boolean {
  if (!layoutMatches || !bodyParser) return false;
  const dv = view();
  return dv !== null && dv.getBigUint64(bodyParser + CONTENT_LENGTH, true) > 0n;
}

/**
 * The status line of the response head being delivered (call from undici's onHeaders): rebuilt from
 * llhttp's version, code and every status-text span, so it is the line as received even when it came
 * in several socket reads (undici keeps only the last span: `200 All Good` became `200 l Good`) and
 * keeps a trailing space after the code (`HTTP/1.1 200 `). Bytes as received (undici decodes them as
 * UTF-8). Null where llhttp did not parse the head (HTTP/2).
 */
export function takeStatusLine(): Buffer | null {
  const line = currentStatusLine;
  currentStatusLine = null;
  return line;
}

function statusLine(p: number, code: number): Buffer | null {
  const major = llhttpExports?.llhttp_get_http_major;
  const minor = llhttpExports?.llhttp_get_http_minor;
  if (typeof major !== 'function' || typeof minor !== 'function') return null;
  const parts = statusParts.get(p);
  const start = Buffer.from(`HTTP/${major(p)}.${minor(p)} ${String(code).padStart(3, '0')}`, 'latin1');
  if (parts === undefined || parts === null) return start;
  return Buffer.concat([start, Buffer.from(' '), ...parts]);
}

function instrument(env: Record<string, unknown>): void {
  const onBody = env.wasm_on_body as Callback | undefined;
  const onHeadersComplete = env.wasm_on_headers_complete as Callback | undefined;
  const onStatus = env.wasm_on_status as Callback | undefined;
  const onMessageBegin = env.wasm_on_message_begin as Callback | undefined;
  if (typeof onBody !== 'function' || typeof onHeadersComplete !== 'function'
    || typeof onStatus !== 'function' || typeof onMessageBegin !== 'function') return;
  env.wasm_on_body = (p: number, at: number, len: number): number => {
    bodyParser = p;
    try { return onBody(p, at, len); } finally { bodyParser = 0; }
  };
  env.wasm_on_message_begin = (p: number): number => {
    statusParts.set(p, null);
    return onMessageBegin(p);
  };
  env.wasm_on_status = (p: number, at: number, len: number): number => {
    // The bytes are llhttp's copy of the socket read, in its own memory; copied out, since the
    // next read reuses that buffer.
    const part = memory ? Buffer.from(new Uint8Array(memory.buffer, at, len)) : Buffer.alloc(0);
    const parts = statusParts.get(p);
    if (parts) parts.push(part); else statusParts.set(p, [part]);
    return onStatus(p, at, len);
  };
  env.wasm_on_headers_complete = (p: number, code: number, upgrade: number, keepAlive: number): number => {
    headParser = p;
    currentStatusLine = statusLine(p, code);
    statusParts.delete(p);
    // undici destroys the connection on a 100 it did not ask for (it never sends Expect); RFC 9110
    // §15.2 says a client skips unexpected 1xx. Reported as 102, undici treats it as the interim
    // response it is (no body, the final response follows); HttpExchange skips every 1xx.
    try { return onHeadersComplete(p, code === 100 ? 102 : code, upgrade, keepAlive); } finally {
      headParser = 0;
      currentStatusLine = null;
    }
  };
}

/** A copy of llhttp's exports whose llhttp_alloc also sets LENIENT_FLAGS on each new parser. */
function lenientExports(exports: Record<string, unknown>): Record<string, unknown> {
  const alloc = exports.llhttp_alloc as ((type: number) => number) | undefined;
  if (typeof alloc !== 'function') return exports;
  const setters = LENIENT_FLAGS
    .map((f) => exports[`llhttp_set_lenient_${f}`])
    .filter((f): f is (p: number, on: number) => void => typeof f === 'function');
  return {
    ...exports,
    llhttp_alloc: (type: number): number => {
      const p = alloc(type);
      if (p) for (const set of setters) set(p, 1);
      return p;
    },
  };
}

/**
 * Installs one-shot hooks on WebAssembly.Module and WebAssembly.Instance for the next large module
 * (llhttp's; wasmoon's small addFunction modules pass through):
 * - llhttp's parser is one 33 KB function; the first response uses up its tiering budget and the
 *   TurboFan compile that follows (130–200 ms) delayed process exit (ref/startup.md §0.2). The budget
 *   is fixed when the module is compiled, so it is raised only while undici builds this module.
 * - its instance gets the wrappers above around undici's callbacks, and lenient parsers.
 */
export function installLlhttpHooks(): void {
  const wasm = (globalThis as unknown as { WebAssembly: { Module: ModuleCtor; Instance: InstanceCtor } }).WebAssembly;
  const OriginalModule = wasm.Module;
  const OriginalInstance = wasm.Instance;
  let llhttp: object | null = null;
  const PatchedModule = function Module(bytes: Uint8Array) {
    if (bytes.byteLength < 16384) return new OriginalModule(bytes);
    const restoreBudget = raiseWasmTieringBudget();
    try {
      // undici tries llhttp's SIMD build first and falls back: the hook stays until one compiles.
      llhttp = new OriginalModule(bytes);
      wasm.Module = OriginalModule;
      return llhttp;
    } finally {
      restoreBudget();
    }
  } as unknown as ModuleCtor;
  PatchedModule.prototype = OriginalModule.prototype;
  const PatchedInstance = function Instance(module: object, imports?: { env?: Record<string, unknown> }) {
    if (llhttp === null || module !== llhttp) return new OriginalInstance(module, imports);
    wasm.Instance = OriginalInstance;
    if (imports?.env) instrument(imports.env);
    const instance = new OriginalInstance(module, imports);
    const mem = instance.exports.memory as { buffer: ArrayBuffer } | undefined;
    if (mem && mem.buffer instanceof ArrayBuffer) memory = mem;
    llhttpExports = instance.exports as Exports;
    // An instance's exports object is frozen: undici gets an object of the same shape whose
    // exports make lenient parsers (undici reads nothing else of it).
    return { exports: lenientExports(instance.exports) };
  } as unknown as InstanceCtor;
  PatchedInstance.prototype = OriginalInstance.prototype;
  wasm.Module = PatchedModule;
  wasm.Instance = PatchedInstance;
}
