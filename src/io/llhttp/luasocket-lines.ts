// How LuaSocket 3.1.0's http.lua reads the lines of a response that decide its framing, for the
// feeder (response-feeder.ts) to hand llhttp a form of them that llhttp accepts and that means the
// same. Each rule cites the Lua it reproduces.

/**
 * The status code LuaSocket reads from a status line (CRs already dropped, as receive("*l") does):
 * `string.find(status, "HTTP/%d*%.%d* (%d%d%d)")`, unanchored, so `HTTP/1.1 2000 OK` is 200 and
 * `HTTP/. 200` is 200 too. Null: LuaSocket returns the line itself as the error.
 */
export function luaSocketStatusCode(line: string): number | null {
  const m = /HTTP\/\d*\.\d* (\d\d\d)/.exec(line);
  return m ? Number(m[1]) : null;
}

/**
 * The HTTP version llhttp is told (it decides keep-alive by it): the line's own when it is
 * `HTTP/<digit>.<digit>`, else 1.0, whose connections are not reused (LuaSocket reads any version).
 */
export function llhttpVersion(line: string): string {
  const m = /^HTTP\/(\d)\.(\d)(?!\d)/.exec(line);
  return m ? `${m[1]}.${m[2]}` : '1.0';
}

const isDigit = (c: string): boolean => c >= '0' && c <= '9';

/**
 * The Content-Length of a response from every Content-Length value it carries, or null when they
 * do not name one length. LuaSocket joins repeated headers with ", " and reads the result with
 * tonumber, so `5, 5`, two `5` headers and `5<TAB>` are no number to it and it reads to the close;
 * RFC 9110 §8.6 lets a client read a list of identical values (and surrounding whitespace) as that
 * one value, which is what the server meant. Values that differ are refused (LuaSocket's "malformed
 * reponse headers"): there is no length to trust.
 */
export function commonContentLength(values: string[]): string | null {
  let common: string | null = null;
  for (const value of values) {
    for (const part of value.split(',')) {
      const digits = part.replace(/^[ \t]+|[ \t]+$/g, '');
      if (digits === '' || ![...digits].every(isDigit)) return null;
      const n = BigInt(digits).toString();
      if (common !== null && common !== n) return null;
      common = n;
    }
  }
  return common;
}

const enum SizeState { Blank, Sign, Digits, TrailingBlank, Extension, Invalid }

const TWO_64 = 1n << 64n;

/**
 * A chunk-size line as LuaSocket reads it, byte by byte (a line may come in several socket reads):
 * `tonumber(string.gsub(line, ";.*", ""), 16)` on the line without its CRs. Lua's tonumber skips
 * blanks around the number, takes an optional sign, wraps at 2^64, and returns nil for anything else
 * (an empty line, "0x5", "zz", a NUL).
 */
export class ChunkSizeReader {
  private state = SizeState.Blank;
  private negative = false;
  private digits = 0;
  /** The value while it fits a double exactly (13 hex digits), then `big`. */
  private value = 0;
  private big: bigint | null = null;

  reset(): void {
    this.state = SizeState.Blank;
    this.negative = false;
    this.digits = 0;
    this.value = 0;
    this.big = null;
  }

  /** One byte of the line (not its LF). */
  push(b: number): void {
    if (b === 13 || this.state === SizeState.Extension || this.state === SizeState.Invalid) return;
    if (b === 59 /* ; */) { this.state = SizeState.Extension; return; }
    // C's isspace in the "C" locale, without \n (the line's end) and \r (dropped above).
    const blank = b === 32 || (b >= 9 && b <= 12);
    const digit = b >= 48 && b <= 57 ? b - 48 : b >= 65 && b <= 70 ? b - 55 : b >= 97 && b <= 102 ? b - 87 : -1;
    if (this.state === SizeState.Blank) {
      if (blank) return;
      if (b === 45 /* - */ || b === 43 /* + */) { this.negative = b === 45; this.state = SizeState.Sign; return; }
      this.state = SizeState.Sign;
    }
    if (this.state === SizeState.Sign) {
      if (digit < 0) { this.state = SizeState.Invalid; return; }
      this.state = SizeState.Digits;
      this.add(digit);
    } else if (this.state === SizeState.Digits) {
      if (digit >= 0) this.add(digit);
      else this.state = blank ? SizeState.TrailingBlank : SizeState.Invalid;
    } else if (!blank) {
      this.state = SizeState.Invalid;
    }
  }

  private add(digit: number): void {
    if (++this.digits <= 13) { this.value = this.value * 16 + digit; return; }
    this.big = ((this.big ?? BigInt(this.value)) * 16n + BigInt(digit)) % TWO_64;
  }

  /** The size as a Lua integer (signed 64-bit), or null where tonumber gives nil. */
  result(): bigint | number | null {
    if (this.state === SizeState.Invalid || this.digits === 0) return null;
    if (this.big === null) return this.negative ? -this.value : this.value;
    return BigInt.asIntN(64, this.negative ? TWO_64 - this.big : this.big);
  }
}
