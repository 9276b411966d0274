/** Cookie handling as werkzeug 0.14 (httpbin.org's) parses and writes it. */

/**
 * `dict(request.cookies.items())`: `;`-separated `name=value` pairs, trimmed,
 * double-quoted values unquoted, the first value of a repeated name kept.
 */
export function parseCookieHeader(header: string | undefined): Array<[string, string]> {
  const result = new Map<string, string>();
  if (header === undefined) return [];
  // Node hands header bytes over as latin-1 characters; werkzeug decodes cookies as UTF-8.
  const text = new TextDecoder('utf-8').decode(Buffer.from(header, 'latin1'));
  for (const piece of text.split(';')) {
    const eq = piece.indexOf('=');
    const name = (eq === -1 ? piece : piece.slice(0, eq)).trim();
    if (name === '' || result.has(name)) continue;
    result.set(name, eq === -1 ? '' : unquoteCookieValue(piece.slice(eq + 1).trim()));
  }
  return [...result];
}

/** werkzeug `_cookie_unquote`: strips the quotes and resolves `\ooo` octal and `\x` escapes. */
function unquoteCookieValue(value: string): string {
  if (value.length < 2 || !value.startsWith('"') || !value.endsWith('"')) return value;
  const inner = value.slice(1, -1);
  const bytes: number[] = [];
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i] as string;
    if (ch === '\\' && /^[0-3][0-7]{2}$/.test(inner.slice(i + 1, i + 4))) {
      bytes.push(parseInt(inner.slice(i + 1, i + 4), 8));
      i += 3;
    } else if (ch === '\\' && i + 1 < inner.length) {
      bytes.push(...Buffer.from(inner[++i] as string, 'utf8'));
    } else {
      bytes.push(...Buffer.from(ch, 'utf8'));
    }
  }
  return new TextDecoder('utf-8').decode(Uint8Array.from(bytes));
}

// werkzeug's _legal_cookie_chars; any other byte forces quoting.
const LEGAL = new Set(Buffer.from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-.^_`|~:/=", 'latin1'));

/** werkzeug `_cookie_quote`: UTF-8 bytes; if any is illegal, wrap in quotes and escape `,` `;` controls and non-ASCII as `\ooo`. */
export function quoteCookieValue(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  if (bytes.every((b) => LEGAL.has(b))) return bytes.toString('latin1');
  let out = '"';
  for (const b of bytes) {
    if (LEGAL.has(b)) out += String.fromCharCode(b);
    else if (b === 0x22) out += '\\"';
    else if (b === 0x5c) out += '\\\\';
    else if (b === 0x2c || b === 0x3b || b < 0x20 || b >= 0x7f) out += '\\' + b.toString(8).padStart(3, '0');
    else out += String.fromCharCode(b);
  }
  return out + '"';
}

/** `response.set_cookie(key, value)` on plain http: `name=value; Path=/`. */
export function setCookieHeader(name: string, value: string): string {
  return `${Buffer.from(name, 'utf8').toString('latin1')}=${quoteCookieValue(value)}; Path=/`;
}

/** `response.delete_cookie(key)`: werkzeug 0.14 writes an epoch Expires (dash-separated date) and Max-Age=0. */
export function deleteCookieHeader(name: string): string {
  return `${Buffer.from(name, 'utf8').toString('latin1')}=; Expires=Thu, 01-Jan-1970 00:00:00 GMT; Max-Age=0; Path=/`;
}
