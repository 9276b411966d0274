// The value rule, shared by both sides: only copied plain data crosses between Lua and the app
// (README "Embedding: values"). Each side converts with its own code (src/vm/lua-values.ts on the
// VM side); what counts as plain, and the words of the error, live here once.

/** Tables nested deeper than this are refused (a guard against runaway structures, not a real limit). */
export const MAX_VALUE_DEPTH = 200;

/** A value that cannot cross, named where it was found (`args[2].cb`). */
export class ValueRuleError extends TypeError {
  constructor(where: string, what: string) {
    super(`${where}: ${what} cannot be copied between Lua and JS (only nil, booleans, numbers, strings, byte arrays and tables of them)`);
    this.name = 'ValueRuleError';
  }
}

export const cycleMessage = 'a table that contains itself';

/** Plain JS data as the rule allows it (what the VM side produces and accepts). */
export type PlainValue = null | undefined | boolean | number | bigint | string | Uint8Array | PlainValue[] | { [key: string]: PlainValue };

export function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** What the rule calls a JS value it refuses ("a function", "a Map"), or null when v is allowed at the top. */
export function unsupportedJs(v: unknown): string | null {
  switch (typeof v) {
    case 'undefined': case 'boolean': case 'number': case 'bigint': case 'string': return null;
    case 'function': return 'a function';
    case 'symbol': return 'a symbol';
    default:
      if (v === null || v instanceof Uint8Array || v instanceof ArrayBuffer || Array.isArray(v) || isPlainObject(v as object)) return null;
      return `a ${(v as object).constructor?.name ?? 'non-plain object'}`;
  }
}

/**
 * Checks a JS value against the rule before it is posted to the VM thread: structured clone would
 * quietly turn a class instance into an object and copy a cycle, so both are refused here by name.
 */
export function assertPlain(v: unknown, where: string, seen = new Set<object>(), depth = 0): void {
  const bad = unsupportedJs(v);
  if (bad) throw new ValueRuleError(where, bad);
  if (v === null || typeof v !== 'object' || v instanceof Uint8Array || v instanceof ArrayBuffer) return;
  if (seen.has(v)) throw new ValueRuleError(where, cycleMessage);
  if (depth >= MAX_VALUE_DEPTH) throw new ValueRuleError(where, `a structure nested deeper than ${MAX_VALUE_DEPTH}`);
  if (typeof v === 'bigint') return;
  seen.add(v);
  if (Array.isArray(v)) v.forEach((x, i) => assertPlain(x, `${where}[${i}]`, seen, depth + 1));
  else for (const [k, x] of Object.entries(v)) assertPlain(x, `${where}.${k}`, seen, depth + 1);
  seen.delete(v);
}
