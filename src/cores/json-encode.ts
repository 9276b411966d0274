// The JS half of cjson.encode (lua/luahttp/json.lua): lua_cjson.c 2.1.0's json_append_data, walking the
// Lua value through the C API (raw access: lua_next, lua_rawgeti, no metamethods) and writing the JSON
// bytes into one buffer. In Lua the 1.3 MB benchmark document took ~105 ms, most of it in function
// calls and printf per number.
//
// Kept from the C code: lua_array_length's rules (positive integer keys only; "excessively sparse"
// per the ratio and safe settings; C's int conversion of a huge index, INT_MIN on x86-64), holes as
// null, number keys written as "%.14g" strings, escaping (control bytes as \u00xx, `/` as `\/`, DEL),
// other bytes untouched, and the error messages. An explicit stack instead of recursion, so
// encode_max_depth and lua_checkstack bound the nesting, not the JS stack.
import type { LuaApi, LuaCFunction } from '../vm/lua-api.js';
import { LuaType } from '../vm/lua-api.js';
import { printfG } from './printf-g.js';

const INT_MIN = -2147483648;

/** char2escape: the escape of each byte, or null for the byte itself. */
const ESCAPES: (Uint8Array | null)[] = Array.from({ length: 256 }, (_, c) => {
  const named: Record<number, string> = { 0x08: '\\b', 0x09: '\\t', 0x0a: '\\n', 0x0c: '\\f', 0x0d: '\\r', 0x22: '\\"', 0x5c: '\\\\', 0x2f: '\\/' };
  if (named[c]) return Buffer.from(named[c]!, 'latin1');
  if (c < 0x20 || c === 0x7f) return Buffer.from(`\\u${c.toString(16).padStart(4, '0')}`, 'latin1');
  return null;
});

const TYPE_NAMES = ['nil', 'boolean', 'userdata', 'number', 'string', 'table', 'function', 'userdata', 'thread'];

/** An encoding error: the message the Lua side raises. */
class EncodeError {
  constructor(readonly message: string) {}
}

/** C's (int) of a double on x86-64 (cvttsd2si: out of range is INT_MIN). */
function cInt(d: number): number {
  return d >= 2147483648 || d < -2147483648 || d !== d ? INT_MIN : Math.trunc(d);
}

/** Where an open table stands: an array's next index, or an object's first-member flag. */
interface Frame { array: boolean; length: number; next: number }

export function jsonEncoder(api: LuaApi): LuaCFunction {
  const m = api.m;
  const lenPtr = m._malloc(4);
  let out = new Uint8Array(64 * 1024);
  let used = 0;
  const reserve = (n: number): void => {
    if (used + n <= out.length) return;
    const bigger = new Uint8Array(Math.max(out.length * 2, used + n));
    bigger.set(out.subarray(0, used));
    out = bigger;
  };
  const writeAscii = (s: string): void => {
    reserve(s.length);
    for (let i = 0; i < s.length; i++) out[used++] = s.charCodeAt(i);
  };
  const writeByte = (b: number): void => {
    reserve(1);
    out[used++] = b;
  };
  /** json_append_string of the string at idx. */
  const writeString = (L: number, idx: number): void => {
    const p = m._lua_tolstring(L, idx, lenPtr);
    const n = m.HEAPU32[lenPtr >> 2]!;
    const heap = m.HEAPU8;
    reserve(n * 6 + 2);
    out[used++] = 0x22;
    for (let i = p, end = p + n; i < end; i++) {
      const c = heap[i]!;
      const esc = ESCAPES[c];
      if (esc === null) out[used++] = c;
      else for (let k = 0; k < esc!.length; k++) out[used++] = esc![k]!;
    }
    out[used++] = 0x22;
  };

  return (L) => {
    // Arguments: value, precision, invalid-number mode (0 off, 1 on, 2 null), max depth, sparse
    // convert, sparse ratio, sparse safe.
    const precision = m._lua_tonumberx(L, 2, 0);
    const invalidMode = m._lua_tonumberx(L, 3, 0);
    const maxDepth = m._lua_tonumberx(L, 4, 0);
    const sparseConvert = m._lua_toboolean(L, 5) !== 0;
    const sparseRatio = m._lua_tonumberx(L, 6, 0);
    const sparseSafe = m._lua_tonumberx(L, 7, 0);
    const base = m._lua_gettop(L);
    used = 0;

    /** json_append_number of the number at idx. */
    const writeNumber = (L2: number, idx: number): void => {
      const num = m._lua_tonumberx(L2, idx, 0);
      if (!Number.isFinite(num)) {
        if (invalidMode === 0) throw new EncodeError('Cannot serialise number: must not be NaN or Inf');
        if (invalidMode === 2) { writeAscii('null'); return; }
        writeAscii(num !== num ? 'nan' : num > 0 ? 'inf' : '-inf');
        return;
      }
      if (precision !== 14) { writeAscii(printfG(num, precision)); return; }
      // Integers up to 14 digits print as themselves.
      if (Number.isInteger(num) && Math.abs(num) < 1e14 && !Object.is(num, -0)) { writeAscii(String(num)); return; }
      // Lua's own float text is "%.14g" from the WASM libc's printf (faster than JS's toExponential),
      // with ".0" added when it looks like an integer: taken back off.
      m._lua_pushnumber(L2, num);
      const p = m._lua_tolstring(L2, -1, lenPtr);
      let n = m.HEAPU32[lenPtr >> 2]!;
      const heap = m.HEAPU8;
      if (heap[p + n - 2] === 0x2e && heap[p + n - 1] === 0x30) n -= 2;
      reserve(n);
      out.set(heap.subarray(p, p + n), used);
      used += n;
      m._lua_settop(L2, -2);
    };

    /** lua_array_length of the table on top: its length, or -1 for an object. */
    const arrayLength = (): number => {
      let max = 0;
      let items = 0;
      m._lua_pushnil(L);
      while (m._lua_next(L, -2) !== 0) {
        const k = m._lua_type(L, -2) === LuaType.Number ? m._lua_tonumberx(L, -2, 0) : 0;
        if (k !== 0 && Math.floor(k) === k && k >= 1) {
          if (k > max) max = cInt(k);
          items++;
          m._lua_settop(L, -2);
          continue;
        }
        m._lua_settop(L, -3);
        return -1;
      }
      if (sparseRatio > 0 && max > Math.imul(items, sparseRatio) && max > sparseSafe) {
        if (!sparseConvert) throw new EncodeError('Cannot serialise table: excessively sparse array');
        return -1;
      }
      return max;
    };

    const frames: Frame[] = [];
    try {
      m._lua_pushvalue(L, 1);
      let pending = true; // a value to write is on top of the stack
      for (;;) {
        if (pending) {
          pending = false;
          const t = m._lua_type(L, -1);
          if (t === LuaType.Table) {
            const depth = frames.length + 1;
            if (depth > maxDepth || !m._lua_checkstack(L, 3)) throw new EncodeError(`Cannot serialise, excessive nesting (${depth})`);
            const length = arrayLength();
            if (length > 0) {
              writeByte(0x5b);
              frames.push({ array: true, length, next: 1 });
            } else {
              writeByte(0x7b);
              m._lua_pushnil(L);
              frames.push({ array: false, length: 0, next: 1 });
            }
          } else {
            if (t === LuaType.String) writeString(L, -1);
            else if (t === LuaType.Number) writeNumber(L, -1);
            else if (t === LuaType.Boolean) writeAscii(m._lua_toboolean(L, -1) ? 'true' : 'false');
            else if (t === LuaType.Nil || (t === LuaType.LightUserdata && m._lua_touserdata(L, -1) === 0)) writeAscii('null');
            else throw new EncodeError(`Cannot serialise ${TYPE_NAMES[t] ?? 'no value'}: type not supported`);
            m._lua_settop(L, -2);
          }
        }
        const f = frames[frames.length - 1];
        if (!f) break;
        if (f.array) {
          if (f.next <= f.length) {
            if (f.next > 1) writeByte(0x2c);
            m._lua_rawgeti(L, -1, BigInt(f.next++));
            pending = true;
            continue;
          }
          writeByte(0x5d);
        } else {
          // stack: table, previous key
          if (m._lua_next(L, -2) !== 0) {
            if (f.next === 0) writeByte(0x2c); else f.next = 0;
            const kt = m._lua_type(L, -2);
            if (kt === LuaType.Number) {
              writeByte(0x22);
              writeNumber(L, -2);
              writeAscii('":');
            } else if (kt === LuaType.String) {
              writeString(L, -2);
              writeByte(0x3a);
            } else {
              throw new EncodeError(`Cannot serialise ${TYPE_NAMES[kt]}: table key must be a number or string`);
            }
            pending = true;
            continue;
          }
          writeByte(0x7d);
        }
        frames.pop();
        m._lua_settop(L, -2); // the finished table
      }
      m._lua_settop(L, base);
      api.pushBytes(L, out.subarray(0, used));
      if (out.length > 4 * 1024 * 1024) out = new Uint8Array(64 * 1024); // keep no huge buffer between calls
      return 1;
    } catch (e) {
      if (!(e instanceof EncodeError)) throw e;
      m._lua_settop(L, base);
      api.pushNil(L);
      api.pushText(L, e.message);
      return 2;
    }
  };
}
