/**
 * Request headers as werkzeug's EnvironHeaders shows them behind gunicorn:
 * names become `HTTP_X_API_KEY` in the WSGI environ and come back through
 * Python's `str.title()` as `X-Api-Key`; repeated headers were joined with ","
 * by gunicorn; an empty Content-Type or Content-Length is dropped. Order is
 * first appearance on the wire.
 */
export class RequestHeaders {
  private constructor(readonly entries: ReadonlyArray<readonly [string, string]>) {}

  /** From Node's `rawHeaders` (name, value, name, value, …), values as latin-1 strings. */
  static fromRaw(rawHeaders: readonly string[]): RequestHeaders {
    const merged = new Map<string, string>();
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
      const name = werkzeugHeaderName(rawHeaders[i] as string);
      const value = rawHeaders[i + 1] as string;
      if ((name === 'Content-Type' || name === 'Content-Length') && value === '') continue;
      const previous = merged.get(name);
      merged.set(name, previous === undefined ? value : previous + ',' + value);
    }
    return new RequestHeaders([...merged]);
  }

  /** Case-insensitive lookup, like `request.headers.get(name)`. */
  get(name: string): string | undefined {
    const wanted = name.toLowerCase();
    return this.entries.find(([key]) => key.toLowerCase() === wanted)?.[1];
  }
}

/**
 * Python `str.title()` applied after the CGI round trip (`_` and `-` are the
 * same there): a letter is upper-cased when the previous character is not a
 * letter, so `x-b3-traceid` becomes `X-B3-Traceid` and `dnt` becomes `Dnt`.
 */
export function werkzeugHeaderName(name: string): string {
  let result = '';
  let previousIsLetter = false;
  for (const ch of name.replace(/_/g, '-')) {
    const lower = ch.toLowerCase();
    const upper = ch.toUpperCase();
    const isLetter = lower !== upper;
    result += isLetter ? (previousIsLetter ? lower : upper) : ch;
    previousIsLetter = isLetter;
  }
  return result;
}
