/**
 * httpbin's JSON text, reproduced byte for byte: Flask's `jsonify` with
 * `JSONIFY_PRETTYPRINT_REGULAR`, i.e. Python `json.dumps(obj, indent=2,
 * separators=(", ", ": "), sort_keys=True)` plus a final newline.
 */

/**
 * A Python float. Kept apart from integers because Python re-serialises a
 * parsed `1.0` as `1.0` and `1e400` as `Infinity`; a JS number would print `1`.
 */
export class PyFloat {
  constructor(readonly value: number) {}
}

/**
 * A decoded JSON value. Integers are `bigint` when they come from a request
 * body (Python ints are unbounded) and `number` when the server makes them.
 * Objects are Maps so keys like `__proto__` from a request are plain data and
 * insertion order survives for the unsorted `/stream` lines.
 */
export type JsonValue = null | boolean | string | number | bigint | PyFloat | JsonValue[] | JsonObject;
export type JsonObject = Map<string, JsonValue>;

/** Builds a JsonObject from server-chosen keys (never from request data: object key order differs for numeric keys). */
export function jsonObject(entries: Record<string, JsonValue>): JsonObject {
  return new Map(Object.entries(entries));
}

export interface DumpOptions {
  /** Spaces per level; undefined gives Python's single-line form. */
  indent?: number;
  sortKeys?: boolean;
}

/** Python `json.dumps(value, indent=…, separators=(", ", ": "), sort_keys=…)` with the default `ensure_ascii=True`. */
export function dumpJson(value: JsonValue, options: DumpOptions = {}): string {
  const out: string[] = [];
  writeValue(value, 0, options, out);
  return out.join('');
}

/** The body of every httpbin JSON endpoint: pretty, sorted, newline-terminated (httpbin's own `jsonify` wrapper adds the newline). */
export function httpbinJson(value: JsonValue): string {
  return dumpJson(value, { indent: 2, sortKeys: true }) + '\n';
}

function writeValue(value: JsonValue, level: number, options: DumpOptions, out: string[]): void {
  if (value === null) out.push('null');
  else if (value === true) out.push('true');
  else if (value === false) out.push('false');
  else if (typeof value === 'string') out.push(quoteString(value));
  else if (typeof value === 'bigint') out.push(value.toString());
  else if (typeof value === 'number') out.push(Number.isInteger(value) ? String(value) : pythonFloatRepr(value));
  else if (value instanceof PyFloat) out.push(pythonFloatRepr(value.value));
  else if (Array.isArray(value)) writeContainer('[', ']', value, level, options, out, (item) => writeValue(item, level + 1, options, out));
  else {
    const keys = [...value.keys()];
    if (options.sortKeys) keys.sort(compareCodePoints);
    writeContainer('{', '}', keys, level, options, out, (key) => {
      out.push(quoteString(key), ': ');
      writeValue(value.get(key) as JsonValue, level + 1, options, out);
    });
  }
}

function writeContainer<T>(
  open: string,
  close: string,
  items: readonly T[],
  level: number,
  options: DumpOptions,
  out: string[],
  writeItem: (item: T) => void,
): void {
  if (items.length === 0) {
    out.push(open, close);
    return;
  }
  const indent = options.indent;
  // Python keeps the item separator's trailing space even before a newline,
  // which is why every httpbin line but the last in a block ends in ", ".
  const separator = indent === undefined ? ', ' : ', \n' + ' '.repeat(indent * (level + 1));
  out.push(open);
  if (indent !== undefined) out.push('\n', ' '.repeat(indent * (level + 1)));
  items.forEach((item, i) => {
    if (i > 0) out.push(separator);
    writeItem(item);
  });
  if (indent !== undefined) out.push('\n', ' '.repeat(indent * level));
  out.push(close);
}

// Python's ESCAPE_ASCII: backslash, quote, and everything outside ' '..'~'.
const NEEDS_ESCAPE = /[\\"\u0000-\u001f\u007f-\uffff]/g;
const SHORT_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '"': '\\"',
  '\b': '\\b',
  '\f': '\\f',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** Python `json.dumps(str)` with ensure_ascii: UTF-16 code units as lowercase `\uXXXX`. */
export function quoteString(s: string): string {
  return (
    '"' +
    s.replace(NEEDS_ESCAPE, (ch) => SHORT_ESCAPES[ch] ?? '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0')) +
    '"'
  );
}

/**
 * Python 3 sorts str keys by code point; JS sorts by UTF-16 unit, which puts
 * astral characters (surrogate pairs) before U+E000..U+FFFF. Compare code
 * points instead; a lone surrogate is its own code point, as in Python.
 */
function compareCodePoints(a: string, b: string): number {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a.codePointAt(i) as number;
    const y = b.codePointAt(j) as number;
    if (x !== y) return x - y;
    i += x > 0xffff ? 2 : 1;
    j += y > 0xffff ? 2 : 1;
  }
  return (a.length - i) - (b.length - j);
}

/**
 * Python's `repr(float)`: shortest round-trip digits (the same digits JS
 * picks), fixed notation while the decimal exponent is in (-4, 16], always
 * with a `.0`, else `1e+16` / `1.5e-05` style with a two-digit exponent.
 */
export function pythonFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (x === Infinity) return 'Infinity';
  if (x === -Infinity) return '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = Math.abs(x).toExponential().split('e') as [string, string];
  const digits = mantissa.replace('.', '');
  const exponent = Number(exponentText);
  const pointPosition = exponent + 1;
  let text: string;
  if (pointPosition > -4 && pointPosition <= 16) {
    if (pointPosition <= 0) text = '0.' + '0'.repeat(-pointPosition) + digits;
    else if (pointPosition >= digits.length) text = digits + '0'.repeat(pointPosition - digits.length) + '.0';
    else text = digits.slice(0, pointPosition) + '.' + digits.slice(pointPosition);
  } else {
    const fraction = digits.length > 1 ? '.' + digits.slice(1) : '';
    text = digits[0] + fraction + 'e' + (exponent < 0 ? '-' : '+') + String(Math.abs(exponent)).padStart(2, '0');
  }
  return (x < 0 ? '-' : '') + text;
}
