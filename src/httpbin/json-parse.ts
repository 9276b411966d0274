import { PyFloat, type JsonValue } from './json.js';

/**
 * Python `json.loads` as httpbin applies it to a request body: ints stay
 * exact (bigint), numbers with a fraction or exponent become floats, and the
 * non-standard `NaN`, `Infinity`, `-Infinity` are accepted. Returns undefined
 * where Python raises ValueError (httpbin then reports `"json": null`).
 */
export function parseJson(text: string): JsonValue | undefined {
  const parser = new PythonJsonParser(text);
  try {
    parser.skipWhitespace();
    const value = parser.parseValue(0);
    parser.skipWhitespace();
    return parser.atEnd() ? value : undefined;
  } catch (error) {
    if (error instanceof JsonSyntaxError) return undefined;
    throw error;
  }
}

/**
 * Python's C scanner recurses per nesting level and hits RecursionError near
 * depth 1000; httpbin does not catch that, so the request fails with a 500.
 */
export class JsonRecursionError extends Error {
  constructor() {
    super('maximum recursion depth exceeded while decoding a JSON document');
  }
}

class JsonSyntaxError extends Error {}

const MAX_DEPTH = 990;
const NUMBER = /-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/y;
const HEX4 = /^[0-9a-fA-F]{4}$/;
const SIMPLE_ESCAPES: Record<string, string> = { '"': '"', '\\': '\\', '/': '/', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t' };

class PythonJsonParser {
  private pos = 0;

  constructor(private readonly text: string) {}

  atEnd(): boolean {
    return this.pos === this.text.length;
  }

  skipWhitespace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t.charCodeAt(this.pos);
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.pos++;
    }
  }

  parseValue(depth: number): JsonValue {
    if (depth > MAX_DEPTH) throw new JsonRecursionError();
    const t = this.text;
    const c = t[this.pos];
    if (c === '"') return this.parseString();
    if (c === '{') return this.parseObject(depth);
    if (c === '[') return this.parseArray(depth);
    for (const [word, value] of LITERALS) {
      if (t.startsWith(word, this.pos)) {
        this.pos += word.length;
        return value;
      }
    }
    NUMBER.lastIndex = this.pos;
    const match = NUMBER.exec(t);
    if (!match) throw new JsonSyntaxError();
    this.pos += match[0].length;
    if (match[1] === undefined && match[2] === undefined) return BigInt(match[0]);
    return new PyFloat(Number(match[0]));
  }

  private parseObject(depth: number): JsonValue {
    const result = new Map<string, JsonValue>();
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === '}') {
      this.pos++;
      return result;
    }
    for (;;) {
      if (this.text[this.pos] !== '"') throw new JsonSyntaxError();
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.pos] !== ':') throw new JsonSyntaxError();
      this.pos++;
      this.skipWhitespace();
      // Python keeps the first position of a repeated key and the last value; Map.set does the same.
      result.set(key, this.parseValue(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.pos++];
      if (next === '}') return result;
      if (next !== ',') throw new JsonSyntaxError();
      this.skipWhitespace();
    }
  }

  private parseArray(depth: number): JsonValue {
    const result: JsonValue[] = [];
    this.pos++;
    this.skipWhitespace();
    if (this.text[this.pos] === ']') {
      this.pos++;
      return result;
    }
    for (;;) {
      result.push(this.parseValue(depth + 1));
      this.skipWhitespace();
      const next = this.text[this.pos++];
      if (next === ']') return result;
      if (next !== ',') throw new JsonSyntaxError();
      this.skipWhitespace();
    }
  }

  private parseString(): string {
    const t = this.text;
    let pos = this.pos + 1;
    let result = '';
    let runStart = pos;
    for (;;) {
      if (pos >= t.length) throw new JsonSyntaxError();
      const c = t.charCodeAt(pos);
      if (c === 0x22) break;
      // strict=True: raw control characters are not allowed inside strings.
      if (c < 0x20) throw new JsonSyntaxError();
      if (c !== 0x5c) {
        pos++;
        continue;
      }
      result += t.slice(runStart, pos);
      const escape = t[pos + 1];
      if (escape === undefined) throw new JsonSyntaxError();
      if (escape === 'u') {
        const hex = t.slice(pos + 2, pos + 6);
        if (!HEX4.test(hex)) throw new JsonSyntaxError();
        result += String.fromCharCode(parseInt(hex, 16));
        pos += 6;
      } else {
        const simple = SIMPLE_ESCAPES[escape];
        if (simple === undefined) throw new JsonSyntaxError();
        result += simple;
        pos += 2;
      }
      runStart = pos;
    }
    result += t.slice(runStart, pos);
    this.pos = pos + 1;
    return result;
  }
}

const LITERALS: ReadonlyArray<readonly [string, JsonValue]> = [
  ['null', null],
  ['true', true],
  ['false', false],
  ['NaN', new PyFloat(NaN)],
  ['Infinity', new PyFloat(Infinity)],
  ['-Infinity', new PyFloat(-Infinity)],
];
