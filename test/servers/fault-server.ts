// A raw-TCP HTTP server that misbehaves on purpose, selected by request path, so the differential
// scripts can prove luahttp's errors are LuaSocket-shaped and that nothing hangs (DESIGN.md "Testing").
// node:net only: an HTTP library would refuse to send most of these responses.
//
// Every socket lives at most SOCKET_LIFETIME_MS, the server at most SERVER_LIFETIME_MS, and
// close() destroys everything at once.
import net from 'node:net';

export interface FaultServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

export interface FaultServerOptions {
  port?: number;
  host?: string;
  /** Hard cap on one connection (stalling routes rely on it to go away). */
  socketLifetimeMs?: number;
  /** Hard cap on the whole server, so a forgotten server cannot keep a test process alive. */
  serverLifetimeMs?: number;
}

const CRLF = '\r\n';

/** The request as read off the wire: head text, raw bytes (head + body), parsed target. */
interface RawRequest {
  raw: Buffer;
  method: string;
  path: string;
  query: URLSearchParams;
}

type Route = (sock: net.Socket, req: RawRequest) => void;

function send(sock: net.Socket, text: string | Buffer, end = true): void {
  if (sock.destroyed) return;
  if (end) sock.end(text);
  else sock.write(text);
}

function response(status: string, headers: string[], body: string | Buffer = ''): Buffer {
  const head = `${status}${CRLF}${headers.map((h) => h + CRLF).join('')}${CRLF}`;
  return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')]);
}

/** Writes the parts PACE_MS apart, then closes (a few parts: bounded by the socket's lifetime). */
const PACE_MS = 5;
function paced(sock: net.Socket, parts: Buffer[]): void {
  const next = (i: number): void => {
    if (sock.destroyed) return;
    if (i === parts.length) { sock.end(); return; }
    sock.write(parts[i]!);
    setTimeout(() => next(i + 1), PACE_MS).unref();
  };
  next(0);
}

const ROUTES: Record<string, Route> = {
  // Content-Length promises 100 bytes; 10 arrive, then the connection closes → "closed".
  '/truncated': (s) => send(s, response('HTTP/1.1 200 OK', ['Content-Length: 100'], '0123456789')),
  '/bad-chunk': (s) =>
    send(s, response('HTTP/1.1 200 OK', ['Transfer-Encoding: chunked'], `5${CRLF}hello${CRLF}zz${CRLF}garbage${CRLF}0${CRLF}${CRLF}`)),
  // Never answers; the socket lifetime ends it.
  '/stall-head': () => {},
  // Head and part of the body, then silence.
  '/stall-body': (s) => send(s, response('HTTP/1.1 200 OK', ['Content-Length: 100'], '0123456789'), false),
  '/dup-headers': (s) =>
    send(s, response('HTTP/1.1 200 OK', ['Set-Cookie: a=1', 'X-A: first', 'Set-Cookie: b=2', 'X-A: second', 'Content-Length: 2'], 'ok')),
  // obs-fold: a continuation line starting with whitespace.
  '/folded': (s) =>
    send(s, response('HTTP/1.1 200 OK', ['X-Folded: first', '   second', 'Content-Length: 2'], 'ok')),
  '/trailers': (s) =>
    send(s, response('HTTP/1.1 200 OK', ['Transfer-Encoding: chunked', 'Trailer: X-Trailer'],
      `4${CRLF}wiki${CRLF}5${CRLF}pedia${CRLF}0${CRLF}X-Trailer: done${CRLF}${CRLF}`)),
  // HTTP/1.0 response delimited by close.
  '/http10': (s) => send(s, response('HTTP/1.0 200 OK', ['Content-Type: text/plain'], 'body of an HTTP/1.0 response\n')),
  '/close-delimited': (s) => send(s, response('HTTP/1.1 200 OK', ['Content-Type: text/plain'], 'read until the server closes\n')),
  '/no-reason': (s) => send(s, response('HTTP/1.1 200', ['Content-Length: 9'], 'no reason')),
  '/lower-reason': (s) => send(s, response('HTTP/1.1 404 NOT FOUND', ['Content-Length: 9'], 'not found')),
  // Chunk sizes 1, 0x1f, 0x100 and 7 with an extension; hex in mixed case.
  '/chunked': (s) => {
    const parts = ['a', 'b'.repeat(0x1f), 'c'.repeat(0x100), 'defghij'];
    const body = `1${CRLF}${parts[0]}${CRLF}1F${CRLF}${parts[1]}${CRLF}100${CRLF}${parts[2]}${CRLF}7;ext=1${CRLF}${parts[3]}${CRLF}0${CRLF}${CRLF}`;
    send(s, response('HTTP/1.1 200 OK', ['Transfer-Encoding: chunked', 'Content-Type: text/plain'], body));
  },
  '/empty-204': (s) => send(s, response('HTTP/1.1 204 No Content', ['X-Empty: yes'])),
  '/304': (s) => send(s, response('HTTP/1.1 304 Not Modified', ['ETag: "abc"'])),
  // The raw request bytes, so scripts can print what went on the wire.
  '/capture': (s, req) => send(s, response('HTTP/1.1 200 OK', ['Content-Type: application/octet-stream', `Content-Length: ${req.raw.length}`], req.raw)),
  '/http09': (s) => send(s, 'garbage, not an HTTP/1.x status line\n'),
  // A chunked body written in pieces 5 ms apart, so the client reads chunks in parts: a 100,000-byte
  // chunk in three writes, a chunk whose size line, data and CRLF are separate writes, then two
  // chunks in one write.
  '/chunked-split': (s) => {
    const big = Buffer.alloc(100000, 'x');
    paced(s, [
      Buffer.from(`HTTP/1.1 200 OK${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}186A0${CRLF}`, 'latin1'),
      big.subarray(0, 30000), big.subarray(30000, 70001), Buffer.concat([big.subarray(70001), Buffer.from(CRLF)]),
      Buffer.from(`5${CRLF}`), Buffer.from('hello'), Buffer.from(CRLF),
      Buffer.from(`3${CRLF}abc${CRLF}4${CRLF}defg${CRLF}0${CRLF}${CRLF}`),
    ]);
  },
  // A chunk of 0x100 bytes announced, 50 sent, then the connection closes.
  '/chunked-truncated': (s) => {
    paced(s, [
      Buffer.from(`HTTP/1.1 200 OK${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}3${CRLF}abc${CRLF}100${CRLF}`, 'latin1'),
      Buffer.alloc(50, 'y'),
    ]);
  },
  '/close-immediately': (s) => s.destroy(),
  // Silence, then the connection closes after ?ms= (a wait of http.TIMEOUT below that must end in "timeout").
  '/stall-then-close': (s, req) => { closeAfter(s, req); },
  '/stall-body-then-close': (s, req) => {
    send(s, response('HTTP/1.1 200 OK', ['Content-Length: 100'], '0123456789'), false);
    closeAfter(s, req);
  },
  // An unsolicited interim response before the final one (RFC 9110 §15.2), and one before a final
  // response that fails (its body is cut short).
  '/continue-then-ok': (s) => send(s, Buffer.concat([response('HTTP/1.1 100 Continue', []), response('HTTP/1.1 200 OK', ['Content-Length: 5'], 'hello')])),
  '/continue-then-truncated': (s) => send(s, Buffer.concat([response('HTTP/1.1 100 Continue', []), response('HTTP/1.1 200 OK', ['Content-Length: 100'], 'short')])),
  '/early-hints-then-ok': (s) =>
    send(s, Buffer.concat([response('HTTP/1.1 103 Early Hints', ['Link: </a.css>; rel=preload']), response('HTTP/1.1 200 OK', ['Content-Length: 5'], 'hello')])),
  '/early-hints-then-truncated': (s) =>
    send(s, Buffer.concat([response('HTTP/1.1 103 Early Hints', ['Link: </a.css>; rel=preload']), response('HTTP/1.1 200 OK', ['Content-Length: 100'], 'short')])),
  // Status lines: cut across two socket writes, an empty reason after the space, non-ASCII bytes.
  '/status-split': (s) => paced(s, [Buffer.from('HTTP/1.1 200 All'), Buffer.from(` Good${CRLF}Content-Length: 2${CRLF}${CRLF}ok`)]),
  '/status-split-code': (s) => paced(s, [Buffer.from('HTTP/1.1 2'), Buffer.from(`01 Cre`), Buffer.from(`ated${CRLF}Content-Length: 2${CRLF}${CRLF}ok`)]),
  '/empty-reason': (s) => send(s, response('HTTP/1.1 200 ', ['Content-Length: 2'], 'ok')),
  '/latin1-reason': (s) => send(s, response('HTTP/1.1 200 \xe9t\xe9 \xff', ['Content-Length: 2'], 'ok')),
  // Line ends as LuaSocket reads them: bare LF in the head and in a chunked body.
  '/bare-lf': (s) => send(s, 'HTTP/1.1 200 OK\nContent-Type: text/plain\nContent-Length: 5\n\nhello'),
  '/bare-lf-chunk-data': (s) => send(s, `HTTP/1.1 200 OK\nTransfer-Encoding: chunked\n\n5${CRLF}hello\n3${CRLF}abc\n0${CRLF}${CRLF}`),
  // Chunk extensions (RFC 9112 §7.1.1 allows whitespace before the ";").
  '/chunk-ext-space': (s) => send(s, response('HTTP/1.1 200 OK', ['Transfer-Encoding: chunked'], `5 ;a=b${CRLF}hello${CRLF}3\t;x${CRLF}abc${CRLF}0${CRLF}${CRLF}`)),
  // Framing LuaSocket reads and HTTP allows that llhttp refuses as it comes (the feeder hands llhttp
  // their meaning): chunk extensions with blanks and quoted values, a chunk-size line ended by a bare
  // LF, a Content-Length with trailing whitespace, a list of equal values, a repeated header.
  '/chunk-ext-quoted': (s) => send(s, response('HTTP/1.1 200 OK', ['Transfer-Encoding: chunked'], `5; name="q"${CRLF}hello${CRLF}3 ; x = "y"${CRLF}abc${CRLF}4;n="a;b"${CRLF}defg${CRLF}0${CRLF}${CRLF}`)),
  '/chunk-size-bare-lf': (s) => send(s, response('HTTP/1.1 200 OK', ['Transfer-Encoding: chunked'], `5\nhello${CRLF}3\nabc${CRLF}0\n\n`)),
  '/cl-trailing-tab': (s) => send(s, response('HTTP/1.1 200 OK', ['Content-Length: 5\t'], 'hello')),
  '/cl-list-equal': (s) => send(s, response('HTTP/1.1 200 OK', ['Content-Length: 5, 5'], 'hello')),
  '/cl-repeated-equal': (s) => send(s, response('HTTP/1.1 200 OK', ['Content-Length: 5', 'X-Between: 1', 'content-length: 5'], 'hello')),
  // Content-Length values that differ: no length to trust (LuaSocket reads to the close).
  '/cl-list-differ': (s) => send(s, response('HTTP/1.1 200 OK', ['Content-Length: 5, 6'], 'hellox')),
  '/cl-repeated-differ': (s) => send(s, response('HTTP/1.1 200 OK', ['Content-Length: 5', 'Content-Length: 6'], 'hellox')),
  // The same forms cut across socket reads: inside a repeated header's name, a value, a chunk-size
  // line and the CRLF after chunk data.
  '/odd-framing-split': (s) => paced(s, [
    Buffer.from(`HTTP/1.1 200 OK${CRLF}Content-Length: 5${CRLF}Con`), Buffer.from(`tent-Length: 5,`), Buffer.from(` 5\t${CRLF}${CRLF}hel`), Buffer.from('lo'),
  ]),
  '/chunk-lines-split': (s) => paced(s, [
    Buffer.from(`HTTP/1.1 200 OK${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}5; na`), Buffer.from(`me="q"${CRLF}hel`), Buffer.from('lo\r'),
    Buffer.from('\n3'), Buffer.from('\nabc\r\n'), Buffer.from('0\n'), Buffer.from('\n'),
  ]),
  // ?n= chunks of 20-40 bytes in every odd form the feeder rewrites (extensions with blanks and
  // quotes, bare-LF size lines, blanks around the size, junk after the data), in one write.
  '/many-odd-chunks': (s, req) => {
    const n = Math.min(Number(req.query.get('n') ?? 0), 500_000);
    const sizeLines = ['%x; name="q"\r\n', '%x\n', ' %x \r\n', '%x ; x = "y;z"\n', '%x\r\n', '%X\t\r\n'];
    const afterData = ['\r\n', '\r\n', '\n', '\r\n', 'XY\r\n', '\r\n'];
    const parts = [`HTTP/1.1 200 OK${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}`];
    for (let i = 0; i < n; i++) {
      const size = 20 + (i % 21);
      const form = i % sizeLines.length;
      const data = String.fromCharCode(97 + (i % 26)).repeat(size);
      parts.push(sizeLines[form]!.replace(/%x/i, (m) => (m === '%X' ? size.toString(16).toUpperCase() : size.toString(16))), data, afterData[form]!);
    }
    parts.push(`0\n\n`);
    send(s, Buffer.from(parts.join(''), 'latin1'));
  },
  // Bodies read to the close that end on a block boundary: LuaSocket's last (partial) block is "".
  '/close-delimited-empty': (s) => send(s, 'HTTP/1.1 200 OK\r\n\r\n'),
  '/close-delimited-one-block': (s) => send(s, `HTTP/1.1 200 OK\r\n\r\n${'b'.repeat(2048)}`),
  // Status lines: ones LuaSocket cannot read (it returns the line as the error) and one it reads
  // unanchored ("HTTP/1.1 2000 OK" is a 200 to it).
  '/status-bad-code': (s) => send(s, response('HTTP/1.1 2x0 OK', ['Content-Length: 2'], 'ok')),
  '/status-two-spaces': (s) => send(s, response('HTTP/1.1  200 OK', ['Content-Length: 2'], 'ok')),
  '/status-bad-version': (s) => send(s, response('HTTP/x.y 200 OK', ['Content-Length: 2'], 'ok')),
  '/status-four-digits': (s) => send(s, response('HTTP/1.1 2000 OK', ['Content-Length: 2'], 'ok')),
  '/status-no-version-digits': (s) => send(s, response('HTTP/. 201 Made', ['Content-Length: 2'], 'ok')),
  '/status-after-continue': (s) => send(s, Buffer.concat([response('HTTP/1.1 100 Continue', []), response('HTTP/1.1 20 OK', ['Content-Length: 2'], 'ok')])),
  // A header value of ?line= bytes, then ?count= more headers (LuaSocket reads any size).
  '/big-head': (s, req) => {
    const line = Math.min(Number(req.query.get('line') ?? 0), 16 * 1024 * 1024);
    const count = Math.min(Number(req.query.get('count') ?? 0), 200_000);
    const parts = [`HTTP/1.1 200 OK${CRLF}X-Long: `, 'v'.repeat(line), CRLF];
    for (let i = 0; i < count; i++) parts.push(`X-H${i}: ${i}${CRLF}`);
    parts.push(`Content-Length: 2${CRLF}${CRLF}ok`);
    send(s, Buffer.from(parts.join(''), 'latin1'));
  },
  // ?n= one-byte HTTP chunks ("1\r\nx\r\n" each).
  '/many-chunks': (s, req) => {
    const n = Math.min(Number(req.query.get('n') ?? 0), 2_000_000);
    const head = Buffer.from(`HTTP/1.1 200 OK${CRLF}Transfer-Encoding: chunked${CRLF}${CRLF}`, 'latin1');
    send(s, Buffer.concat([head, Buffer.from(`1${CRLF}x${CRLF}`.repeat(n), 'latin1'), Buffer.from(`0${CRLF}${CRLF}`)]));
  },
};

/** Closes the connection ?ms= (default 600) after the request. */
function closeAfter(s: net.Socket, req: RawRequest): void {
  setTimeout(() => s.destroy(), Math.min(Number(req.query.get('ms') ?? 600), 10_000)).unref();
}

/** Index just past the end of a complete chunked body starting at `from`, or -1 if incomplete. */
function chunkedEnd(buf: Buffer, from: number): number {
  let pos = from;
  for (;;) {
    const eol = buf.indexOf(CRLF, pos);
    if (eol < 0) return -1;
    const size = parseInt(buf.subarray(pos, eol).toString('latin1').split(';')[0]!.trim(), 16);
    if (Number.isNaN(size)) return buf.length; // malformed: take what we have
    pos = eol + 2;
    if (size === 0) {
      // trailers until an empty line
      for (;;) {
        const e = buf.indexOf(CRLF, pos);
        if (e < 0) return -1;
        if (e === pos) return e + 2;
        pos = e + 2;
      }
    }
    if (buf.length < pos + size + 2) return -1;
    pos += size + 2;
  }
}

/** Length of the complete request in buf (head + body), or -1 if more bytes are needed. */
function requestLength(buf: Buffer): number {
  const headEnd = buf.indexOf(CRLF + CRLF);
  if (headEnd < 0) return -1;
  const bodyStart = headEnd + 4;
  const head = buf.subarray(0, headEnd).toString('latin1');
  const lines = head.split(CRLF).slice(1);
  let length = 0;
  let chunked = false;
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i < 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    if (name === 'content-length') length = Number(value) || 0;
    if (name === 'transfer-encoding' && value.toLowerCase() !== 'identity') chunked = true;
  }
  if (chunked) return chunkedEnd(buf, bodyStart);
  return buf.length >= bodyStart + length ? bodyStart + length : -1;
}

export function startFaultServer(opts: FaultServerOptions = {}): Promise<FaultServer> {
  const socketLifetimeMs = opts.socketLifetimeMs ?? 20_000;
  const serverLifetimeMs = opts.serverLifetimeMs ?? 30 * 60_000;
  const host = opts.host ?? '127.0.0.1';
  const sockets = new Set<net.Socket>();

  const server = net.createServer((sock) => {
    sockets.add(sock);
    const lifetime = setTimeout(() => sock.destroy(), socketLifetimeMs);
    lifetime.unref();
    sock.on('close', () => {
      clearTimeout(lifetime);
      sockets.delete(sock);
    });
    sock.on('error', () => {});
    let buf = Buffer.alloc(0);
    let answered = false;
    sock.on('data', (data: Buffer) => {
      if (answered) return;
      buf = Buffer.concat([buf, data]);
      const len = requestLength(buf);
      if (len < 0) return;
      answered = true;
      const raw = buf.subarray(0, len);
      const requestLine = raw.subarray(0, raw.indexOf(CRLF)).toString('latin1');
      const [method = '', target = '/'] = requestLine.split(' ');
      const url = new URL(target, 'http://fault.invalid');
      // `;params` are part of the path for LuaSocket (url.parse); route on what precedes them.
      const routePath = url.pathname.split(';')[0]!;
      const route = ROUTES[routePath];
      const req: RawRequest = { raw, method, path: routePath, query: url.searchParams };
      if (route) route(sock, req);
      else send(sock, response('HTTP/1.1 404 Not Found', ['Content-Length: 14', 'Content-Type: text/plain'], 'no such fault\n'));
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      const port = (server.address() as net.AddressInfo).port;
      const close = (): Promise<void> => {
        clearTimeout(serverTimer);
        for (const s of sockets) s.destroy();
        sockets.clear();
        return new Promise((done) => server.close(() => done()));
      };
      const serverTimer = setTimeout(() => void close(), serverLifetimeMs);
      serverTimer.unref();
      resolve({ port, url: `http://${host}:${port}`, close });
    });
  });
}
