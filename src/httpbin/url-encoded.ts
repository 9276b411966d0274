import type { JsonObject, JsonValue } from './json.js';

/** Ordered (key, value) pairs, like werkzeug's MultiDict: repeated keys are kept. */
export type MultiDict = Array<[string, string]>;

const utf8Lenient = new TextDecoder('utf-8');

/**
 * werkzeug `url_unquote`: `%XX` with two hex digits becomes a byte, any other
 * `%` is kept literally, and the bytes are decoded as UTF-8 with U+FFFD for
 * invalid sequences (errors='replace'). `plus` also turns `+` into a space.
 */
export function percentDecode(input: Buffer, plus: boolean): string {
  const out = Buffer.allocUnsafe(input.length);
  let n = 0;
  for (let i = 0; i < input.length; i++) {
    const b = input[i] as number;
    if (b === 0x25 && isHex(input[i + 1]) && isHex(input[i + 2])) {
      out[n++] = (hexValue(input[i + 1] as number) << 4) | hexValue(input[i + 2] as number);
      i += 2;
    } else {
      out[n++] = plus && b === 0x2b ? 0x20 : b;
    }
  }
  return utf8Lenient.decode(out.subarray(0, n));
}

/** werkzeug `url_decode` (used for both `request.args` and urlencoded `request.form`): `&`-separated, empty pieces skipped, `key` alone means an empty value. */
export function parseUrlEncoded(input: Buffer): MultiDict {
  const pairs: MultiDict = [];
  let start = 0;
  while (start <= input.length) {
    let end = input.indexOf(0x26, start);
    if (end === -1) end = input.length;
    const piece = input.subarray(start, end);
    if (piece.length > 0) {
      const eq = piece.indexOf(0x3d);
      if (eq === -1) pairs.push([percentDecode(piece, true), '']);
      else pairs.push([percentDecode(piece.subarray(0, eq), true), percentDecode(piece.subarray(eq + 1), true)]);
    }
    start = end + 1;
  }
  return pairs;
}

/** httpbin's `semiflatten`: one value stays a string, repeated keys become an array, key order is first appearance. */
export function semiflatten(pairs: MultiDict): JsonObject {
  const grouped = new Map<string, string[]>();
  for (const [key, value] of pairs) {
    const values = grouped.get(key);
    if (values) values.push(value);
    else grouped.set(key, [value]);
  }
  const result: JsonObject = new Map();
  for (const [key, values] of grouped) {
    result.set(key, values.length === 1 ? (values[0] as string) : (values as JsonValue[]));
  }
  return result;
}

/** httpbin's `CaseInsensitiveDict(request.args.items())[name]`: the first value of the first key matching case-insensitively. */
export function argCaseInsensitive(pairs: MultiDict, name: string): string | undefined {
  const wanted = name.toLowerCase();
  return pairs.find(([key]) => key.toLowerCase() === wanted)?.[1];
}

/** `request.args.get(name)`: the first value of an exact key. */
export function argExact(pairs: MultiDict, name: string): string | undefined {
  return pairs.find(([key]) => key === name)?.[1];
}

/** `dict(request.args.items())`: first value per distinct key, in first-appearance order. */
export function firstValues(pairs: MultiDict): MultiDict {
  const seen = new Set<string>();
  const result: MultiDict = [];
  for (const [key, value] of pairs) {
    if (seen.has(key)) continue;
    seen.add(key);
    result.push([key, value]);
  }
  return result;
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
}

function hexValue(b: number): number {
  return b <= 0x39 ? b - 0x30 : (b | 0x20) - 0x61 + 10;
}
