// Lua values <-> plain JS data, by the value rule (src/channel/plain-values.ts, README "Embedding:
// values"): everything is copied, nothing is referenced. Strings stay bytes until the last step: a Lua
// string becomes a JS string only when it is valid UTF-8 (else a Uint8Array), so both come back exact.
import { LuaType, type LuaApi } from './lua-api.js';
import { cycleMessage, isPlainObject, MAX_VALUE_DEPTH, unsupportedJs, ValueRuleError, type PlainValue } from '../channel/plain-values.js';

// ignoreBOM: a leading EF BB BF is part of the string, not a marker to drop.
const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** Bytes as the rule shows them: a string when they are UTF-8, otherwise the bytes themselves. */
export function bytesToPlain(b: Uint8Array): string | Uint8Array {
  try {
    return strictUtf8.decode(b);
  } catch {
    return b;
  }
}

function integerToPlain(n: bigint): number | bigint {
  return n <= MAX_SAFE && n >= -MAX_SAFE ? Number(n) : n;
}

/** The Lua value at idx as plain JS data; throws ValueRuleError for functions, userdata, threads, cycles. */
export function toPlain(api: LuaApi, L: number, idx: number, where = 'value', path = new Set<number>(), depth = 0): PlainValue {
  const m = api.m;
  idx = m._lua_absindex(L, idx);
  const t = api.type(L, idx);
  switch (t) {
    case LuaType.None:
    case LuaType.Nil:
      return null;
    case LuaType.Boolean:
      return api.toBoolean(L, idx);
    case LuaType.Number:
      return m._lua_isinteger(L, idx) ? integerToPlain(m._lua_tointegerx(L, idx, 0)) : m._lua_tonumberx(L, idx, 0);
    case LuaType.String:
      return bytesToPlain(api.toBytes(L, idx)!);
    case LuaType.Table:
      return tableToPlain(api, L, idx, where, path, depth);
    case LuaType.LightUserdata:
      // NULL is lua-cjson's cjson.null (JSON null); any other pointer is refused below.
      if (m._lua_touserdata(L, idx) === 0) return null;
      throw new ValueRuleError(where, 'a userdata');
    default:
      throw new ValueRuleError(where, `a ${api.typeNameAt(L, idx)}`);
  }
}

function tableToPlain(api: LuaApi, L: number, idx: number, where: string, path: Set<number>, depth: number): PlainValue {
  const m = api.m;
  const p = m._lua_topointer(L, idx);
  if (path.has(p)) throw new ValueRuleError(where, cycleMessage);
  if (depth >= MAX_VALUE_DEPTH || !m._lua_checkstack(L, 4)) throw new ValueRuleError(where, `a table nested deeper than ${MAX_VALUE_DEPTH}`);
  path.add(p);
  const keys: (number | string)[] = [];
  const values: PlainValue[] = [];
  let integerKeys = 0;
  m._lua_pushnil(L);
  while (m._lua_next(L, idx)) {
    // The key is read without lua_tolstring on numbers: converting it in place would derail lua_next.
    let key: number | string;
    const kt = api.type(L, -2);
    if (kt === LuaType.Number && m._lua_isinteger(L, -2)) {
      const k = integerToPlain(m._lua_tointegerx(L, -2, 0));
      key = typeof k === 'bigint' ? k.toString() : k;
      if (typeof key === 'number') integerKeys++;
    } else if (kt === LuaType.Number) {
      key = String(m._lua_tonumberx(L, -2, 0));
    } else if (kt === LuaType.String) {
      const k = bytesToPlain(api.toBytes(L, -2)!);
      if (typeof k !== 'string') throw new ValueRuleError(where, 'a table key that is not UTF-8');
      key = k;
    } else {
      throw new ValueRuleError(where, `a table key of type ${api.typeNameAt(L, -2)}`);
    }
    values.push(toPlain(api, L, -1, `${where}[${typeof key === 'number' ? key : JSON.stringify(key)}]`, path, depth + 1));
    keys.push(key);
    m._lua_settop(L, -2);
  }
  path.delete(p);
  const n = keys.length;
  // A sequence: exactly the keys 1..n. An empty table is an empty object, as lua-cjson encodes it.
  if (n > 0 && integerKeys === n && keys.every((k) => (k as number) >= 1 && (k as number) <= n)) {
    const arr: PlainValue[] = new Array(n);
    keys.forEach((k, i) => { arr[(k as number) - 1] = values[i]!; });
    return arr;
  }
  const obj: Record<string, PlainValue> = {};
  keys.forEach((k, i) => { obj[String(k)] = values[i]!; });
  return obj;
}

/** Pushes plain JS data as one Lua value; throws ValueRuleError (nothing pushed) for what the rule refuses. */
export function pushPlain(api: LuaApi, L: number, v: unknown, where = 'value', seen = new Set<object>(), depth = 0): void {
  const top = api.top(L);
  try {
    pushValue(api, L, v, where, seen, depth);
  } catch (e) {
    api.m._lua_settop(L, top);
    throw e;
  }
}

function pushValue(api: LuaApi, L: number, v: unknown, where: string, seen: Set<object>, depth: number): void {
  const m = api.m;
  const bad = unsupportedJs(v);
  if (bad) throw new ValueRuleError(where, bad);
  if (v === null || v === undefined) { m._lua_pushnil(L); return; }
  switch (typeof v) {
    case 'boolean': api.pushBoolean(L, v); return;
    // A JS number that is an integer becomes a Lua integer (1 and 1.0 are one number in JS).
    case 'number': if (Number.isSafeInteger(v) && !Object.is(v, -0)) m._lua_pushinteger(L, BigInt(v)); else m._lua_pushnumber(L, v); return;
    case 'bigint':
      if (v < INT64_MIN || v > INT64_MAX) throw new ValueRuleError(where, 'a bigint outside the 64-bit integer range');
      m._lua_pushinteger(L, v);
      return;
    case 'string': api.pushText(L, v); return;
    default: break;
  }
  if (v instanceof Uint8Array) { api.pushBytes(L, v); return; }
  if (v instanceof ArrayBuffer) { api.pushBytes(L, new Uint8Array(v)); return; }
  const o = v as object;
  if (seen.has(o)) throw new ValueRuleError(where, cycleMessage);
  if (depth >= MAX_VALUE_DEPTH || !m._lua_checkstack(L, 4)) throw new ValueRuleError(where, `a structure nested deeper than ${MAX_VALUE_DEPTH}`);
  seen.add(o);
  if (Array.isArray(o)) {
    m._lua_createtable(L, o.length, 0);
    o.forEach((x, i) => {
      pushValue(api, L, x, `${where}[${i}]`, seen, depth + 1);
      m._lua_rawseti(L, -2, BigInt(i + 1));
    });
  } else if (isPlainObject(o)) {
    const entries = Object.entries(o);
    m._lua_createtable(L, 0, entries.length);
    for (const [k, x] of entries) {
      api.pushText(L, k);
      pushValue(api, L, x, `${where}.${k}`, seen, depth + 1);
      m._lua_rawset(L, -3);
    }
  }
  seen.delete(o);
}
