import { parseHeaderOptions } from './header-options.js';

/** One `multipart/form-data` part. A part is a file when its Content-Disposition has a `filename` (even an empty one), as in werkzeug. */
export interface MultipartPart {
  name: string;
  filename: string | undefined;
  /** The part's Content-Type header as sent, if any. */
  contentType: string | undefined;
  body: Buffer;
}

/** The body is not a well-formed multipart document; the server answers 400. */
export class MultipartError extends Error {}

const utf8Lenient = new TextDecoder('utf-8');

/**
 * Splits a multipart body into parts. Accepts CRLF and bare-LF line ends
 * (werkzeug does, and hand-built Lua multipart bodies often use "\n"), and a
 * preamble before the first delimiter. Parts without a `name` are dropped.
 */
export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
  if (boundary === '') throw new MultipartError('empty boundary');
  const dash = Buffer.from('--' + boundary, 'latin1');
  const nlDash = Buffer.concat([Buffer.from('\n'), dash]);
  let delimiter = body.subarray(0, dash.length).equals(dash) ? 0 : body.indexOf(nlDash);
  if (delimiter === -1) throw new MultipartError('no opening boundary');
  if (delimiter !== 0) delimiter += 1;

  const parts: MultipartPart[] = [];
  for (;;) {
    let pos = delimiter + dash.length;
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts;
    pos = skipLineEnd(body, pos);

    const headers = new Map<string, string>();
    for (;;) {
      const lineEnd = body.indexOf(0x0a, pos);
      if (lineEnd === -1) throw new MultipartError('unterminated part headers');
      const line = utf8Lenient.decode(body.subarray(pos, body[lineEnd - 1] === 0x0d && lineEnd > pos ? lineEnd - 1 : lineEnd));
      pos = lineEnd + 1;
      if (line === '') break;
      const colon = line.indexOf(':');
      if (colon > 0) {
        const key = line.slice(0, colon).trim().toLowerCase();
        if (!headers.has(key)) headers.set(key, line.slice(colon + 1).trim());
      }
    }

    const next = body.indexOf(nlDash, pos - 1);
    if (next === -1) throw new MultipartError('missing closing boundary');
    const contentEnd = next > pos && body[next - 1] === 0x0d ? next - 1 : Math.max(next, pos);
    delimiter = next + 1;

    const disposition = headers.get('content-disposition');
    if (disposition === undefined) throw new MultipartError('part without Content-Disposition');
    const { params } = parseHeaderOptions(disposition);
    const name = params.get('name');
    if (name === undefined) continue;
    parts.push({ name, filename: params.get('filename'), contentType: headers.get('content-type'), body: body.subarray(pos, contentEnd) });
  }
}

function skipLineEnd(body: Buffer, pos: number): number {
  // RFC 2046 allows transport padding (spaces, tabs) after the delimiter.
  while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
  if (body[pos] === 0x0d && body[pos + 1] === 0x0a) return pos + 2;
  if (body[pos] === 0x0a) return pos + 1;
  throw new MultipartError('garbage after boundary');
}
