// undici parses HTTP/1 with llhttp compiled to wasm. Two things luahttp needs from that parser are
// set up here, when undici builds it on its first connection:
//  - its tiering budget (start-up: see installLlhttpHooks);
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

type Callback = (...args: number[]) => number;
type ModuleCtor = new (bytes: Uint8Array) => object;
type InstanceCtor = new (module: object, imports?: { env?: Record<string, unknown> }) => { exports: Record<string, unknown> };

let memory: { buffer: ArrayBuffer } | null = null;
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

function instrument(env: Record<string, unknown>): void {
  const onBody = env.wasm_on_body as Callback | undefined;
  const onHeadersComplete = env.wasm_on_headers_complete as Callback | undefined;
  if (typeof onBody !== 'function' || typeof onHeadersComplete !== 'function') return;
  env.wasm_on_body = (p: number, at: number, len: number): number => {
    bodyParser = p;
    try { return onBody(p, at, len); } finally { bodyParser = 0; }
  };
  env.wasm_on_headers_complete = (p: number, ...rest: number[]): number => {
    headParser = p;
    try { return onHeadersComplete(p, ...rest); } finally { headParser = 0; }
  };
}

/**
 * Installs one-shot hooks on WebAssembly.Module and WebAssembly.Instance for the next large module
 * (llhttp's; wasmoon's small addFunction modules pass through):
 * - llhttp's parser is one 33 KB function; the first response uses up its tiering budget and the
 *   TurboFan compile that follows (130–200 ms) delayed process exit (ref/startup.md §0.2). The budget
 *   is fixed when the module is compiled, so it is raised only while undici builds this module.
 * - its instance gets the chunk-tracking wrappers above around two of undici's callbacks.
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
    return instance;
  } as unknown as InstanceCtor;
  PatchedInstance.prototype = OriginalInstance.prototype;
  wasm.Module = PatchedModule;
  wasm.Instance = PatchedInstance;
}
