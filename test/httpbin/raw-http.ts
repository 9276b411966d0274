import { connect } from 'node:net';

/** A response read off the wire, with the status line and header order exactly as sent. */
export interface RawResponse {
  statusLine: string;
  status: number;
  headers: Array<[string, string]>;
  /** The body after undoing chunked framing; `chunks` lists the chunk sizes when it was chunked. */
  body: Buffer;
  chunks: number[] | undefined;
  text: string;
  header(name: string): string | undefined;
  headerAll(name: string): string[];
}

/** Sends raw bytes on a fresh connection and reads until the server closes it. */
export function exchangeRaw(port: number, request: Buffer | string, headOnly = false): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const parts: Buffer[] = [];
    socket.on('data', (chunk) => parts.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      try {
        resolve(parseResponse(Buffer.concat(parts), headOnly));
      } catch (error) {
        reject(error);
      }
    });
    socket.write(request);
  });
}

/** Sends a GET and throws the response away as it arrives; resolves with the byte count when the server closes. */
export function drain(port: number, target: string): Promise<number> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let received = 0;
    socket.on('data', (chunk) => (received += chunk.length));
    socket.on('error', () => undefined);
    socket.on('close', () => resolve(received));
    socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  });
}

export interface RequestSpec {
  method?: string;
  headers?: Array<[string, string]>;
  body?: Buffer | string;
  /** Default `127.0.0.1`; pass null to send no Host header. */
  host?: string | null;
}

/** One request with `Connection: close`, the given headers in order, and Content-Length when there is a body. */
export function request(port: number, target: string, spec: RequestSpec = {}): Promise<RawResponse> {
  const method = spec.method ?? 'GET';
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body);
  const lines = [`${method} ${target} HTTP/1.1`];
  if (spec.host !== null) lines.push(`Host: ${spec.host ?? '127.0.0.1'}`);
  for (const [name, value] of spec.headers ?? []) lines.push(`${name}: ${value}`);
  if (body !== undefined) lines.push(`Content-Length: ${body.length}`);
  lines.push('Connection: close', '', '');
  const head = Buffer.from(lines.join('\r\n'), 'latin1');
  return exchangeRaw(port, body === undefined ? head : Buffer.concat([head, body]), method === 'HEAD');
}

function parseResponse(raw: Buffer, headOnly: boolean): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end === -1) throw new Error(`incomplete response: ${JSON.stringify(raw.toString('latin1'))}`);
  const [statusLine, ...headerLines] = raw.subarray(0, end).toString('latin1').split('\r\n') as [string, ...string[]];
  const headers = headerLines.map((line): [string, string] => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon), line.slice(colon + 1).trim()];
  });
  const find = (name: string): string[] => headers.filter(([key]) => key.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
  let body = raw.subarray(end + 4);
  let chunks: number[] | undefined;
  if (!headOnly && find('transfer-encoding')[0] === 'chunked') {
    chunks = [];
    const pieces: Buffer[] = [];
    let pos = 0;
    for (;;) {
      const lineEnd = body.indexOf('\r\n', pos);
      const size = lineEnd === -1 ? 0 : parseInt(body.subarray(pos, lineEnd).toString('latin1'), 16);
      // A missing or zero size ends the body (a cut-off stream parses as what arrived).
      if (!(size > 0)) break;
      chunks.push(size);
      pieces.push(body.subarray(lineEnd + 2, lineEnd + 2 + size));
      pos = lineEnd + 2 + size + 2;
    }
    body = Buffer.concat(pieces);
  }
  return {
    statusLine,
    status: Number(statusLine.split(' ')[1]),
    headers,
    body,
    chunks,
    text: body.toString('utf8'),
    header: (name) => find(name)[0],
    headerAll: find,
  };
}
