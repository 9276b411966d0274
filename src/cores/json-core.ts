// The JS half of cjson (lua/luahttp/json.lua): encode (json-encode.ts) and decode, whose parser is here:
// lua_cjson.c 2.1.0's, token for token, run over the bytes of the Lua string and building the Lua value
// through the C API. In Lua it took ~170 ms for a 1.3 MB document; here most of the time goes to the
// Lua API calls.
//
// Kept from the C code: the input is a C string (a NUL byte is the end), whitespace is space, tab, CR,
// LF; numbers are what glibc's strtod reads (hex, inf, nan, "+1" and "01" when invalid numbers are
// allowed, json_is_invalid_number's refusals when not) and are pushed as floats; \u escapes with
// surrogate pairs become UTF-8, other bytes pass through untouched; every error is
// "Expected <what> but found <token> at character <n>" with the C code's token names and positions.
// The parser keeps its own stack instead of recursing, so decode_max_depth and lua_checkstack (not the
// JS stack) bound the nesting, as in the C code.
import type { LuaApi, LuaCFunction } from '../vm/lua-api.js';
import { jsonEncoder } from './json-encode.js';

const enum T { ObjBegin, ObjEnd, ArrBegin, ArrEnd, String, Number, Boolean, Null, Colon, Comma, End, Whitespace, Error, Unknown }
const TOKEN_NAMES = ['T_OBJ_BEGIN', 'T_OBJ_END', 'T_ARR_BEGIN', 'T_ARR_END', 'T_STRING', 'T_NUMBER', 'T_BOOLEAN',
  'T_NULL', 'T_COLON', 'T_COMMA', 'T_END', 'T_WHITESPACE', 'T_ERROR', 'T_UNKNOWN'];

/** ch2token of lua_cjson.c. */
const CH2TOKEN = new Uint8Array(256).fill(T.Error);
CH2TOKEN[0x7b] = T.ObjBegin; CH2TOKEN[0x7d] = T.ObjEnd; CH2TOKEN[0x5b] = T.ArrBegin; CH2TOKEN[0x5d] = T.ArrEnd;
CH2TOKEN[0x2c] = T.Comma; CH2TOKEN[0x3a] = T.Colon; CH2TOKEN[0] = T.End;
for (const c of ' \t\n\r') CH2TOKEN[c.charCodeAt(0)] = T.Whitespace;
for (const c of 'fiInNt"+-0123456789') CH2TOKEN[c.charCodeAt(0)] = T.Unknown;

/** escape2char: the byte an escape stands for; 'u' needs the \uXXXX reader; 0 is an invalid escape. */
const ESCAPE = new Uint8Array(256);
for (const [k, v] of [['"', '"'], ['\\', '\\'], ['/', '/'], ['b', '\b'], ['t', '\t'], ['n', '\n'], ['f', '\f'], ['r', '\r'], ['u', 'u']]) {
  ESCAPE[k!.charCodeAt(0)] = v!.charCodeAt(0);
}

/** strtod's NaNs: "nan" is positive, "-nan" negative (printed "nan" / "-nan" by lua5.4). */
const bits = new DataView(new ArrayBuffer(8));
bits.setBigUint64(0, 0x7ff8000000000000n);
const NAN_POSITIVE = bits.getFloat64(0);
bits.setBigUint64(0, 0xfff8000000000000n);
const NAN_NEGATIVE = bits.getFloat64(0);

/** A parse error: the message the Lua side raises. */
class JsonError {
  constructor(readonly message: string) {}
}

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39;
const isHex = (c: number): boolean => isDigit(c) || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66);
const hexValue = (c: number): number => (isDigit(c) ? c - 0x30 : (c | 0x20) - 0x61 + 10);

/** Integer keys as BigInt (lua_rawseti takes a 64-bit integer in this build), made once. */
const SMALL_INDEXES: bigint[] = Array.from({ length: 4096 }, (_, i) => BigInt(i));

export function jsonCore(api: LuaApi): Record<string, LuaCFunction> {
  const m = api.m;
  const lenPtr = m._malloc(4);
  /** A NUL-terminated number text for lua_stringtonumber (hex numbers only: rare). */
  const numberText = (L: number, text: string): number => {
    const p = m._malloc(text.length + 1);
    for (let i = 0; i < text.length; i++) m.HEAPU8[p + i] = text.charCodeAt(i);
    m.HEAPU8[p + text.length] = 0;
    const ok = m._lua_stringtonumber(L, p);
    m._free(p);
    if (!ok) return NaN;
    const v = m._lua_tonumberx(L, -1, 0);
    m._lua_settop(L, -2);
    return v;
  };

  return {
    /** encode(value, precision, invalidMode, maxDepth, sparseConvert, sparseRatio, sparseSafe): the text, or nil and cjson's message. */
    encode: jsonEncoder(api),
    /** decode(text, allowInvalidNumbers, maxDepth): the value, or nil and cjson's message. */
    decode(L) {
      const base = m._lua_gettop(L);
      const strPtr = m._lua_tolstring(L, 1, lenPtr);
      const n = m.HEAPU32[lenPtr >> 2]!;
      const src = Buffer.from(m.HEAPU8.slice(strPtr, strPtr + n)) as Buffer & { latin1Slice(a: number, b: number): string };
      const invalidNumbersOk = m._lua_toboolean(L, 2) !== 0;
      const maxDepth = m._lua_tonumberx(L, 3, 0);
      const at = (i: number): number => (i < n ? src[i]! : 0);

      // The current token (json_token_t).
      let pos = 0;
      let type: T = T.End as T;
      let index = 0;
      let errorText = '';
      let num = 0;
      let bool = false;
      // A string token: raw bytes of the input (start, length) or decoded bytes in tmp.
      let strStart = 0;
      let strLen = 0;
      let strEscaped = false;
      let tmp: Uint8Array | null = null;

      const setError = (text: string, at0: number): void => {
        type = T.Error;
        index = at0;
        errorText = text;
      };

      const readString = (): void => {
        let i = pos + 1;
        // The common case: no escape before the closing quote.
        while (i < n) {
          const c = src[i]!;
          if (c === 0x22 || c === 0x5c || c === 0) break;
          i++;
        }
        if (i < n && src[i] === 0x22) {
          type = T.String;
          strStart = pos + 1;
          strLen = i - pos - 1;
          strEscaped = false;
          pos = i + 1;
          return;
        }
        tmp ??= new Uint8Array(n);
        let len = 0;
        for (let j = pos + 1; j < i; j++) tmp[len++] = src[j]!;
        for (;;) {
          const c = at(i);
          if (c === 0x22) break;
          if (c === 0) { setError('unexpected end of string', i); return; }
          if (c === 0x5c) {
            const e = ESCAPE[at(i + 1)]!;
            if (e === 0x75) {
              const cp0 = hex4(i + 2);
              let cp = cp0;
              let escapeLen = 6;
              if (cp < 0) { setError('invalid unicode escape code', i); return; }
              if ((cp & 0xf800) === 0xd800) {
                if (cp & 0x400 || at(i + 6) !== 0x5c || at(i + 7) !== 0x75) { setError('invalid unicode escape code', i); return; }
                const low = hex4(i + 8);
                if (low < 0 || (low & 0xfc00) !== 0xdc00) { setError('invalid unicode escape code', i); return; }
                cp = (((cp & 0x3ff) << 10) | (low & 0x3ff)) + 0x10000;
                escapeLen = 12;
              }
              if (cp <= 0x7f) tmp[len++] = cp;
              else if (cp <= 0x7ff) { tmp[len++] = 0xc0 | (cp >> 6); tmp[len++] = 0x80 | (cp & 0x3f); }
              else if (cp <= 0xffff) {
                tmp[len++] = 0xe0 | (cp >> 12); tmp[len++] = 0x80 | ((cp >> 6) & 0x3f); tmp[len++] = 0x80 | (cp & 0x3f);
              } else {
                tmp[len++] = 0xf0 | (cp >> 18); tmp[len++] = 0x80 | ((cp >> 12) & 0x3f);
                tmp[len++] = 0x80 | ((cp >> 6) & 0x3f); tmp[len++] = 0x80 | (cp & 0x3f);
              }
              i += escapeLen;
              continue;
            }
            if (e === 0) { setError('invalid escape code', i); return; }
            tmp[len++] = e;
            i += 2;
            continue;
          }
          tmp[len++] = c;
          i++;
        }
        type = T.String;
        strLen = len;
        strEscaped = true;
        pos = i + 1;
      };

      const hex4 = (i: number): number => {
        let v = 0;
        for (let k = 0; k < 4; k++) {
          const c = at(i + k);
          if (!isHex(c)) return -1;
          v = (v << 4) | hexValue(c);
        }
        return v;
      };

      const lowerIs = (i: number, word: string): boolean => {
        for (let k = 0; k < word.length; k++) if ((at(i + k) | 0x20) !== word.charCodeAt(k)) return false;
        return true;
      };

      /** json_is_invalid_number: '+', hex, leading zeros, inf, nan. */
      const isInvalidNumber = (): boolean => {
        let i = pos;
        let c = at(i);
        if (c === 0x2b) return true;
        if (c === 0x2d) c = at(++i);
        if (c === 0x30) {
          const c2 = at(i + 1);
          return (c2 | 0x20) === 0x78 || isDigit(c2);
        }
        // A signed char in C: bytes >= 0x80 are "<= '9'" too.
        if (c <= 0x39 || c >= 0x80) return false;
        return lowerIs(i, 'inf') || lowerIs(i, 'nan');
      };

      /** strtod (glibc) at pos: sets num and pos, or returns false when nothing converts. */
      const strtod = (): boolean => {
        let q = pos;
        let neg = false;
        let c = at(q);
        if (c === 0x2d || c === 0x2b) { neg = c === 0x2d; c = at(++q); }
        let v: number;
        let end: number;
        if (c === 0x30 && (at(q + 1) | 0x20) === 0x78) {
          let e = q + 2;
          while (isHex(at(e))) e++;
          const intEnd = e;
          if (at(e) === 0x2e) { e++; while (isHex(at(e))) e++; }
          if (e === q + 2 || (intEnd === q + 2 && e === q + 3)) {
            v = 0; // only the "0" converts
            end = q + 1;
          } else {
            let exp = 'p0';
            let pe = e;
            if ((at(pe) | 0x20) === 0x70) {
              let k = pe + 1;
              if (at(k) === 0x2b || at(k) === 0x2d) k++;
              if (isDigit(at(k))) {
                while (isDigit(at(k))) k++;
                exp = src.latin1Slice(pe, k);
                pe = k;
              }
            }
            v = numberText(L, `0x${src.latin1Slice(q + 2, e)}${exp}`);
            end = exp === 'p0' ? e : pe;
          }
        } else if (isDigit(c) || c === 0x2e) {
          let e = q;
          let value = 0;
          let digits = 0;
          while (isDigit(at(e))) { value = value * 10 + (at(e) - 0x30); e++; digits++; }
          let simple = digits > 0 && digits <= 15;
          if (at(e) === 0x2e) {
            e++;
            simple = false;
            while (isDigit(at(e))) { e++; digits++; }
          }
          if (digits === 0) return false;
          if ((at(e) | 0x20) === 0x65) {
            let k = e + 1;
            if (at(k) === 0x2b || at(k) === 0x2d) k++;
            if (isDigit(at(k))) {
              while (isDigit(at(k))) k++;
              e = k;
              simple = false;
            }
          }
          // Up to 15 digits an integer is exact; otherwise JS's conversion, correctly rounded as strtod's.
          v = simple ? value : Number(src.latin1Slice(q, e));
          end = e;
        } else if (lowerIs(q, 'inf')) {
          v = Infinity;
          end = lowerIs(q + 3, 'inity') ? q + 8 : q + 3;
        } else if (lowerIs(q, 'nan')) {
          end = q + 3;
          if (at(end) === 0x28) {
            let k = end + 1;
            while (isHex(at(k)) || (at(k) | 0x20) >= 0x61 && (at(k) | 0x20) <= 0x7a || at(k) === 0x5f) k++;
            if (at(k) === 0x29) end = k + 1;
          }
          num = neg ? NAN_NEGATIVE : NAN_POSITIVE;
          pos = end;
          return true;
        } else {
          return false;
        }
        num = neg ? -v : v;
        pos = end;
        return true;
      };

      /** json_next_token. */
      const next = (): void => {
        let c = at(pos);
        let t = CH2TOKEN[c]!;
        while (t === T.Whitespace) { c = at(++pos); t = CH2TOKEN[c]!; }
        index = pos;
        if (t === T.Error) { setError('invalid token', pos); return; }
        if (t === T.End) { type = T.End; return; }
        if (t !== T.Unknown) { type = t; pos++; return; }
        if (c === 0x22) { readString(); return; }
        if (c === 0x2d || isDigit(c)) {
          if (!invalidNumbersOk && isInvalidNumber()) { setError('invalid number', pos); return; }
          if (strtod()) type = T.Number; else setError('invalid number', pos);
          return;
        }
        if (c === 0x74 && at(pos + 1) === 0x72 && at(pos + 2) === 0x75 && at(pos + 3) === 0x65) {
          type = T.Boolean; bool = true; pos += 4; return;
        }
        if (c === 0x66 && at(pos + 1) === 0x61 && at(pos + 2) === 0x6c && at(pos + 3) === 0x73 && at(pos + 4) === 0x65) {
          type = T.Boolean; bool = false; pos += 5; return;
        }
        if (c === 0x6e && at(pos + 1) === 0x75 && at(pos + 2) === 0x6c && at(pos + 3) === 0x6c) {
          type = T.Null; pos += 4; return;
        }
        if (invalidNumbersOk && isInvalidNumber()) {
          if (strtod()) type = T.Number; else setError('invalid number', pos);
          return;
        }
        setError('invalid token', pos);
      };

      const fail = (expected: string): never => {
        const found = type === T.Error ? errorText : TOKEN_NAMES[type]!;
        throw new JsonError(`Expected ${expected} but found ${found} at character ${index + 1}`);
      };

      const pushString = (): void => {
        if (strEscaped) api.pushBytes(L, tmp!.subarray(0, strLen));
        else m._lua_pushlstring(L, strPtr + strStart, strLen);
      };

      let depth = 0;
      /** json_decode_descend: pos is just after the bracket. */
      const descend = (slots: number): void => {
        depth++;
        if (depth <= maxDepth && m._lua_checkstack(L, slots)) return;
        throw new JsonError(`Found too many nested data structures (${depth}) at character ${pos}`);
      };

      // The token type read through functions: TypeScript cannot see next() change it.
      const current = (): T => type;
      const is = (t: T): boolean => type === t;
      // Open containers: -1 for an object, else the array's next index.
      const open: number[] = [];
      try {
        next();
        for (;;) {
          // A value starts with the current token.
          let more = false;
          switch (current()) {
            case T.String: pushString(); break;
            case T.Number: m._lua_pushnumber(L, num); break;
            case T.Boolean: m._lua_pushboolean(L, bool ? 1 : 0); break;
            case T.Null: m._lua_pushlightuserdata(L, 0); break;
            case T.ObjBegin:
              descend(3);
              m._lua_createtable(L, 0, 0);
              next();
              if (is(T.ObjEnd)) { depth--; break; }
              if (!is(T.String)) fail('object key string');
              pushString();
              next();
              if (!is(T.Colon)) fail('colon');
              next();
              open.push(-1);
              continue;
            case T.ArrBegin:
              descend(2);
              m._lua_createtable(L, 0, 0);
              next();
              if (is(T.ArrEnd)) { depth--; break; }
              open.push(1);
              continue;
            default:
              fail('value');
          }
          // The value is on the stack: store it in its container; close the containers that end here.
          while (open.length > 0 && !more) {
            const top = open.length - 1;
            const slot = open[top]!;
            if (slot < 0) {
              m._lua_rawset(L, -3);
              next();
              if (is(T.ObjEnd)) { depth--; open.pop(); continue; }
              if (!is(T.Comma)) fail('comma or object end');
              next();
              if (!is(T.String)) fail('object key string');
              pushString();
              next();
              if (!is(T.Colon)) fail('colon');
              next();
            } else {
              m._lua_rawseti(L, -2, slot < 4096 ? SMALL_INDEXES[slot]! : BigInt(slot));
              open[top] = slot + 1;
              next();
              if (is(T.ArrEnd)) { depth--; open.pop(); continue; }
              if (!is(T.Comma)) fail('comma or array end');
              next();
            }
            more = true;
          }
          if (!more) break;
        }
        next();
        if (!is(T.End)) fail('the end');
        return 1;
      } catch (e) {
        if (!(e instanceof JsonError)) throw e;
        m._lua_settop(L, base);
        api.pushNil(L);
        api.pushText(L, e.message);
        return 2;
      }
    },
  };
}
