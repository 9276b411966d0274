// The only module that touches the Lua C API. Every Lua string crosses here as bytes:
// wasmoon's own conversions stop at NUL and replace invalid UTF-8 (ref/wasmoon.md §1).
import path from 'node:path';
import { raiseWasmTieringBudget } from '../startup/wasm-tiering-budget.js';
import { withMemoryMaximum } from './wasm-memory-maximum.js';

export const LUA_REGISTRYINDEX = -1001000;
export enum LuaType { None = -1, Nil = 0, Boolean = 1, LightUserdata = 2, Number = 3, String = 4, Table = 5, Function = 6, Userdata = 7, Thread = 8 }
export const LUA_OK = 0;
export const LUA_YIELD = 1;

/** Raw Emscripten exports we use. Integers are BigInt in this build (WASM_BIGINT). */
export interface RawLua {
  HEAPU8: Uint8Array;
  HEAPU32: Uint32Array;
  HEAP32: Int32Array;
  HEAPF64: Float64Array;
  _malloc(n: number): number;
  _free(p: number): void;
  addFunction(fn: (...a: number[]) => number, sig: string): number;
  _luaL_newstate(): number;
  _luaL_openlibs(L: number): void;
  _luaL_loadbufferx(L: number, buf: number, len: number, name: number, mode: number): number;
  _luaL_traceback(L: number, L1: number, msg: number, level: number): void;
  _luaL_argerror(L: number, arg: number, msg: number): number;
  _luaL_ref(L: number, t: number): number;
  _lua_close(L: number): void;
  _lua_gettop(L: number): number;
  _lua_settop(L: number, idx: number): void;
  _lua_pushvalue(L: number, idx: number): void;
  _lua_type(L: number, idx: number): number;
  _lua_tolstring(L: number, idx: number, lenPtr: number): number;
  _lua_tonumberx(L: number, idx: number, isnum: number): number;
  _lua_tointegerx(L: number, idx: number, isnum: number): bigint;
  _lua_toboolean(L: number, idx: number): number;
  _lua_isinteger(L: number, idx: number): number;
  _lua_touserdata(L: number, idx: number): number;
  _lua_pushnil(L: number): void;
  _lua_pushnumber(L: number, n: number): void;
  _lua_pushinteger(L: number, n: bigint): void;
  _lua_pushlstring(L: number, p: number, len: number): number;
  _lua_pushboolean(L: number, b: number): void;
  _lua_pushlightuserdata(L: number, p: number): void;
  _lua_pushcclosure(L: number, fn: number, n: number): void;
  _lua_createtable(L: number, narr: number, nrec: number): void;
  _lua_setfield(L: number, idx: number, k: number): void;
  _lua_getfield(L: number, idx: number, k: number): number;
  _lua_rawseti(L: number, idx: number, n: bigint): void;
  _lua_rawgeti(L: number, idx: number, n: bigint): number;
  _lua_rawlen(L: number, idx: number): number;
  _lua_rawset(L: number, idx: number): void;
  _lua_checkstack(L: number, n: number): number;
  _lua_stringtonumber(L: number, s: number): number;
  _lua_setglobal(L: number, name: number): void;
  _lua_getglobal(L: number, name: number): number;
  _lua_pcallk(L: number, nargs: number, nres: number, msgh: number, ctx: number, k: number): number;
  _lua_callk(L: number, nargs: number, nres: number, ctx: number, k: number): void;
  _lua_error(L: number): number;
  _lua_newuserdatauv(L: number, size: number, nuv: number): number;
  _lua_newthread(L: number): number;
  _lua_resume(L: number, from: number, nargs: number, nresPtr: number): number;
  _lua_xmove(from: number, to: number, n: number): void;
  _lua_pushthread(L: number): number;
  _lua_resetthread(L: number): number;
  _lua_next(L: number, idx: number): number;
  _lua_topointer(L: number, idx: number): number;
  _lua_checkstack(L: number, n: number): number;
  _lua_absindex(L: number, idx: number): number;
  _lua_rawset(L: number, idx: number): void;
  _lua_sethook(L: number, hook: number, mask: number, count: number): void;
  _lua_gethook(L: number): number;
  _luaL_where(L: number, level: number): void;
  _lua_concat(L: number, n: number): void;
  _lua_rotate(L: number, idx: number, n: number): void;
}

/** How the engine is built. */
export interface EngineOptions {
  /** Raise V8's wasm tiering budget while the engine compiles (process-wide: the CLI only). Default true. */
  tuneTiering?: boolean;
  /** The most memory the wasm heap may grow to (the Lua heap and luahttp's own data): see wasm-memory-maximum.ts. */
  memoryMaxBytes?: number;
}

/** A JS function Lua can call: reads its arguments from L, pushes results, returns their count. */
export type LuaCFunction = (L: number) => number;

/** A JS error meant for the script: becomes a Lua error (catchable by pcall) with this message. */
export class LuaScriptError extends Error {}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function glueWasmPath(): string {
  return path.join(path.dirname(require.resolve('wasmoon')), 'glue.wasm');
}

/**
 * wasmoon's glue is an ASSERTIONS build: each `_lua_*` export is a JS wrapper that asserts and
 * `apply`s. The C API runs several times per request and per body chunk, so we call the wasm
 * instance's exports directly; everything else (heap views, malloc, addFunction) stays wasmoon's.
 */
function captureInstanceExports(memoryMaxBytes?: number): { exports: () => Record<string, unknown> | null; restore: () => void } {
  type Instantiate = (...a: unknown[]) => Promise<{ instance: { exports: Record<string, unknown> } }>;
  const wasm = (globalThis as unknown as { WebAssembly: { instantiate: Instantiate } }).WebAssembly;
  const original = wasm.instantiate;
  let found: Record<string, unknown> | null = null;
  wasm.instantiate = async (...args: unknown[]) => {
    if (memoryMaxBytes !== undefined && args[0] instanceof Uint8Array) args[0] = withMemoryMaximum(args[0], memoryMaxBytes);
    const r = await original.apply(wasm, args);
    const ex = r.instance?.exports;
    if (ex && typeof ex.lua_pushlstring === 'function') found = ex;
    return r;
  };
  return { exports: () => found, restore: () => { wasm.instantiate = original; } };
}

function withDirectExports(m: RawLua, exports: Record<string, unknown> | null): RawLua {
  if (!exports) return m;
  const direct = Object.create(m) as Record<string, unknown>;
  for (const [name, fn] of Object.entries(exports)) {
    if (typeof fn === 'function' && /^luaL?_/.test(name)) direct[`_${name}`] = fn;
  }
  return direct as unknown as RawLua;
}

export class LuaApi {
  readonly m: RawLua;
  private readonly lenPtr: number;
  /** Interned C strings for field names: allocated once, never freed. */
  private readonly cstrings = new Map<string, number>();

  private staging: number;
  private stagingSize = 64 * 1024;

  constructor(m: RawLua) {
    this.m = m;
    this.lenPtr = m._malloc(8);
    this.staging = m._malloc(this.stagingSize);
  }

  static async load(env?: Record<string, string>, engine: EngineOptions = {}): Promise<LuaApi> {
    const { LuaFactory } = require('wasmoon') as typeof import('wasmoon');
    const tune = engine.tuneTiering ?? true;
    // A script's first milliseconds of Lua made V8 start a TurboFan compile of the interpreter that
    // process exit then waited for: print("hi") took 90 ms instead of 50. With a 100x budget, short
    // scripts stay on Liftoff and busy ones still tier up within milliseconds (fib(30) unchanged).
    // V8 flags are process-wide: only the CLI does this.
    const restoreBudget = tune ? raiseWasmTieringBudget() : () => {};
    const capture = captureInstanceExports(engine.memoryMaxBytes);
    try {
      const lw = await new LuaFactory(glueWasmPath(), env).getLuaModule();
      return new LuaApi(withDirectExports(lw.module as unknown as RawLua, capture.exports()));
    } finally {
      capture.restore();
      restoreBudget();
    }
  }

  /** A NUL-terminated copy of an ASCII/UTF-8 name on the wasm heap, cached for the process. */
  cstr(s: string): number {
    let p = this.cstrings.get(s);
    if (p === undefined) {
      const b = encoder.encode(s);
      p = this.m._malloc(b.length + 1);
      this.m.HEAPU8.set(b, p);
      this.m.HEAPU8[p + b.length] = 0;
      this.cstrings.set(s, p);
    }
    return p;
  }

  /** Bytes of the string (or number) at idx, copied out of the heap; null for other types. */
  toBytes(L: number, idx: number): Uint8Array | null {
    const p = this.m._lua_tolstring(L, idx, this.lenPtr);
    if (!p) return null;
    const n = this.m.HEAPU32[this.lenPtr >> 2]!;
    return this.m.HEAPU8.slice(p, p + n);
  }

  private heapBuffer: Buffer | null = null;
  /** One Buffer over the whole wasm heap (renewed when memory grows): a Buffer per string showed in profiles. */
  private heap(): Buffer & { latin1Slice(start: number, end: number): string } {
    const buf = this.m.HEAPU8.buffer;
    if (this.heapBuffer?.buffer !== buf) this.heapBuffer = Buffer.from(buf);
    return this.heapBuffer as Buffer & { latin1Slice(start: number, end: number): string };
  }

  /** The string's bytes as a latin1 JS string (one char per byte: lossless), read in place. */
  toLatin1(L: number, idx: number): string | null {
    const p = this.m._lua_tolstring(L, idx, this.lenPtr);
    if (!p) return null;
    return this.heap().latin1Slice(p, p + this.m.HEAPU32[this.lenPtr >> 2]!);
  }

  /** Only for names, paths in messages and other text: lossy for invalid UTF-8 by design. */
  toText(L: number, idx: number): string | null {
    const p = this.m._lua_tolstring(L, idx, this.lenPtr);
    if (!p) return null;
    const n = this.m.HEAPU32[this.lenPtr >> 2]!;
    return decoder.decode(this.m.HEAPU8.subarray(p, p + n));
  }

  /** Bytes → Lua string through one reusable heap buffer (a malloc/free per chunk showed in profiles). */
  pushBytes(L: number, u8: Uint8Array): void {
    const m = this.m;
    this.reserveStaging(u8.length);
    m.HEAPU8.set(u8, this.staging);
    m._lua_pushlstring(L, this.staging, u8.length);
  }

  /** Several byte arrays → one Lua string of their n bytes, each copied once into the staging buffer. */
  pushByteParts(L: number, parts: Uint8Array[], n: number): void {
    const m = this.m;
    this.reserveStaging(n);
    const heap = m.HEAPU8;
    let at = this.staging;
    for (const p of parts) { heap.set(p, at); at += p.length; }
    m._lua_pushlstring(L, this.staging, n);
  }

  private reserveStaging(n: number): void {
    if (n <= this.stagingSize) return;
    this.m._free(this.staging);
    this.stagingSize = Math.max(n, this.stagingSize * 2);
    this.staging = this.m._malloc(this.stagingSize);
  }

  pushText(L: number, s: string): void {
    // Short ASCII (status texts, names, error strings) is written straight into the staging buffer:
    // TextEncoder.encode allocated and cost ~2 µs per call in the request loop's profile.
    const n = s.length;
    if (n <= 256) {
      const heap = this.m.HEAPU8;
      const at = this.staging;
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c > 0x7f) break;
        heap[at + i] = c;
      }
      if (i === n) {
        this.m._lua_pushlstring(L, at, n);
        return;
      }
    }
    this.pushBytes(L, encoder.encode(s));
  }

  pushInteger(L: number, n: number): void {
    this.m._lua_pushinteger(L, BigInt(n));
  }

  pushNumber(L: number, n: number): void {
    this.m._lua_pushnumber(L, n);
  }

  pushBoolean(L: number, b: boolean): void {
    this.m._lua_pushboolean(L, b ? 1 : 0);
  }

  pushNil(L: number): void {
    this.m._lua_pushnil(L);
  }

  type(L: number, idx: number): LuaType {
    return this.m._lua_type(L, idx);
  }

  top(L: number): number {
    return this.m._lua_gettop(L);
  }

  toNumber(L: number, idx: number): number {
    return this.m._lua_tonumberx(L, idx, 0);
  }

  /** For handles, lengths, codes: goes through lua_tonumberx because lua_tointegerx returns a
   *  BigInt in this build, and allocating one per call showed in the body-streaming profile. */
  toInteger(L: number, idx: number): number {
    return Math.trunc(this.m._lua_tonumberx(L, idx, 0));
  }

  toBoolean(L: number, idx: number): boolean {
    return this.m._lua_toboolean(L, idx) !== 0;
  }

  optInteger(L: number, idx: number, dflt: number): number {
    return this.type(L, idx) <= LuaType.Nil ? dflt : this.toInteger(L, idx);
  }

  /** Raises `bad argument #arg to 'fn' (msg)` exactly as luaL_argerror does. Never returns. */
  argError(L: number, arg: number, msg: string): never {
    const b = encoder.encode(msg);
    const p = this.m._malloc(b.length + 1);
    this.m.HEAPU8.set(b, p);
    this.m.HEAPU8[p + b.length] = 0;
    this.m._luaL_argerror(L, arg, p); // longjmps; the buffer is tiny and argument errors are rare
    throw new Error('unreachable');
  }

  checkBytes(L: number, arg: number): Uint8Array {
    const b = this.toBytes(L, arg);
    if (b === null) this.argError(L, arg, `string expected, got ${this.typeNameAt(L, arg)}`);
    return b;
  }

  typeNameAt(L: number, idx: number): string {
    const t = this.type(L, idx);
    return t === LuaType.None ? 'no value' : LuaType[t]!.toLowerCase().replace('lightuserdata', 'userdata');
  }

  /** Every JS function Lua can call, by the index kept in its closure's upvalue. */
  private readonly functions: LuaCFunction[] = [];
  private trampoline = 0;

  /**
   * One wasm function pointer serves every JS function (the index is the closure's upvalue):
   * each addFunction builds a small wasm module, and boot registers ~100 functions.
   * JS exceptions become Lua errors; Lua's own longjmps pass through.
   */
  private dispatcher(): number {
    if (this.trampoline) return this.trampoline;
    const upvalue = LUA_REGISTRYINDEX - 1; // lua_upvalueindex(1)
    this.trampoline = this.m.addFunction((L: number) => this.guarded(L, this.functions[this.m._lua_tonumberx(L, upvalue, 0)]!), 'ii');
    return this.trampoline;
  }

  /** Runs fn(L) for Lua: JS exceptions become Lua errors; Lua's own longjmps pass through. */
  private guarded(L: number, fn: LuaCFunction): number {
    let message: string;
    try {
      return fn(L);
    } catch (e) {
      if (typeof e === 'number') throw e; // Emscripten longjmp (lua_error / lua_yield) must keep unwinding
      message = e instanceof LuaScriptError ? e.message : `luahttp internal error: ${(e as Error)?.stack ?? String(e)}`;
    }
    this.pushText(L, message);
    return this.m._lua_error(L);
  }

  /**
   * A lua_KFunction (continuation) for lua_callk/lua_yieldk made of a JS function, with pushFunction's
   * error handling. Lua calls it when a C function's callee yielded and the coroutine is resumed.
   */
  continuation(fn: (L: number, status: number, ctx: number) => number): number {
    return this.m.addFunction((L: number, status: number, ctx: number) => this.guarded(L, (Lk) => fn(Lk, status, ctx)), 'iiii');
  }

  pushFunction(L: number, fn: LuaCFunction): void {
    const trampoline = this.dispatcher();
    this.functions.push(fn);
    this.m._lua_pushnumber(L, this.functions.length - 1);
    this.m._lua_pushcclosure(L, trampoline, 1);
  }

  /** Creates a table of JS functions and leaves it on the stack. */
  pushFunctionTable(L: number, fns: Record<string, LuaCFunction>): void {
    this.m._lua_createtable(L, 0, Object.keys(fns).length);
    for (const [name, fn] of Object.entries(fns)) {
      this.pushFunction(L, fn);
      this.m._lua_setfield(L, -2, this.cstr(name));
    }
  }

  setField(L: number, idx: number, name: string): void {
    this.m._lua_setfield(L, idx, this.cstr(name));
  }

  getField(L: number, idx: number, name: string): LuaType {
    return this.m._lua_getfield(L, idx, this.cstr(name));
  }

  getGlobal(L: number, name: string): LuaType {
    return this.m._lua_getglobal(L, this.cstr(name));
  }

  /** Loads a chunk from bytes; returns the load status with the function or message on the stack. */
  load(L: number, src: Uint8Array, chunkname: string, mode: 't' | 'b' | 'bt' = 'bt'): number {
    const m = this.m;
    const p = m._malloc(src.length || 1);
    m.HEAPU8.set(src, p);
    const st = m._luaL_loadbufferx(L, p, src.length, this.cstr(chunkname), this.cstr(mode));
    m._free(p);
    return st;
  }

  pcall(L: number, nargs: number, nres: number, msgh = 0): number {
    return this.m._lua_pcallk(L, nargs, nres, msgh, 0, 0);
  }
}
