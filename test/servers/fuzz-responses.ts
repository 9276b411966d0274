// The differential fuzz suite's responses: response N of seed S is a valid HTTP/1.x response form
// (Content-Length, chunked, close-delimited, bodiless, HTTP/1.0; optional interim 100, odd reasons,
// repeated headers, bare-LF lines) plus at most one mutation (truncation, bad sizes, oversized lines,
// NULs, stalls, early close, lenient-but-legal framing). The same (seed, n) always gives the same
// bytes, so native LuaSocket's results can be recorded once (test/fuzz/response-fuzz.golden).
import net from 'node:net';

/** What a case does to its valid form; the fuzz test classifies differences by it. */
export const MUTATIONS = [
  'none', 'truncate', 'early-close', 'stall', 'bad-chunk-size', 'negative-chunk-size', 'chunk-ext',
  'chunk-ext-quoted', 'long-header-line', 'nul-in-header', 'nul-in-reason', 'cl-tab', 'cl-duplicate',
  'cl-list', 'cl-too-long', 'cl-and-chunked', 'bad-status-line', 'http09', 'no-colon-header',
  'space-before-colon', 'bare-lf-chunk-size', 'junk-after-chunk',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

export interface FuzzCase {
  /** The bytes the server sends before it acts on `end`. */
  bytes: Buffer;
  /** close: the connection closes after the bytes; stall: it stays silent (the client times out). */
  end: 'close' | 'stall';
  form: string;
  mutation: Mutation;
}

/** mulberry32: a small deterministic PRNG (the same sequence on every machine and Node version). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FORMS = ['length', 'chunked', 'close-delimited', 'no-body', 'http10'] as const;
const REASONS = ['OK', '', ' ', 'All Good', 'Fine\xe9', 'o\tk'];

export function fuzzCase(seed: number, n: number): FuzzCase {
  const r = rng(seed * 1_000_003 + n);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  // Half the cases are valid forms; the others carry one mutation.
  const mutation: Mutation = r() < 0.5 ? 'none' : pick(MUTATIONS.slice(1));
  let form: string = pick(FORMS);
  if (mutation.startsWith('chunk') || mutation.endsWith('chunk-size') || mutation === 'cl-and-chunked' || mutation === 'junk-after-chunk') form = 'chunked';
  if (mutation.startsWith('cl-') && mutation !== 'cl-and-chunked') form = 'length';
  const bareLf = r() < 0.15;
  const eol = bareLf ? '\n' : '\r\n';
  const body = Buffer.from(Array.from({ length: int(0, 40) }, () => int(0, 255)));
  const code = form === 'no-body' ? pick([204, 304]) : pick([200, 200, 200, 201, 404, 500]);
  let reason = pick(REASONS);
  if (mutation === 'nul-in-reason') reason = 'O\0K';
  const version = form === 'http10' ? 'HTTP/1.0' : 'HTTP/1.1';
  let status = reason === '' && r() < 0.5 ? `${version} ${code}` : `${version} ${code} ${reason}`;
  if (mutation === 'bad-status-line') status = pick([`HTTP/1.1 ${code}0 OK`, `HTTP/1.1 2x0 OK`, `HTTP/1.1  ${code} OK`, `HTTP/x.y ${code} OK`]);
  const headers: string[] = [];
  for (let i = int(0, 3); i > 0; i--) headers.push(`${pick(['X-A', 'X-B', 'Set-Cookie', 'x-a'])}: ${pick(['1', 'two words', '', 'a=b; c'])}`);
  if (mutation === 'long-header-line') headers.push(`X-Long: ${'L'.repeat(int(20_000, 200_000))}`);
  if (mutation === 'nul-in-header') headers.push('X-Nul: a\0b');
  if (mutation === 'no-colon-header') headers.push('X-No-Colon');
  if (mutation === 'space-before-colon') headers.push('X-Space : v');
  let payload = Buffer.alloc(0);
  let end: FuzzCase['end'] = 'close';
  if (form === 'length' || form === 'http10') {
    const value = mutation === 'cl-tab' ? `${body.length}\t`
      : mutation === 'cl-list' ? `${body.length}, ${body.length}`
        : mutation === 'cl-too-long' ? `${body.length + int(1, 50)}` : `${body.length}`;
    headers.push(`Content-Length: ${value}`);
    if (mutation === 'cl-duplicate') headers.push(`Content-Length: ${body.length}`);
    payload = body;
  } else if (form === 'chunked') {
    headers.push('Transfer-Encoding: chunked');
    if (mutation === 'cl-and-chunked') headers.push(`Content-Length: ${int(0, 10)}`);
    const parts: Buffer[] = [];
    let off = 0;
    let k = 0;
    while (off < body.length) {
      const size = Math.min(body.length - off, int(1, 15));
      let sizeLine = size.toString(16);
      if (k === 0 && mutation === 'bad-chunk-size') sizeLine = pick(['zz', '0x5', '', ' 5']);
      if (k === 0 && mutation === 'negative-chunk-size') sizeLine = `-${sizeLine}`;
      if (mutation === 'chunk-ext') sizeLine += pick([' ;a=b', ';a', '\t;x=1']);
      if (mutation === 'chunk-ext-quoted') sizeLine += pick(['; name="q"', ';n="a;b"', ' ; x = "y"']);
      const sizeEol = mutation === 'bare-lf-chunk-size' ? '\n' : '\r\n';
      const after = mutation === 'junk-after-chunk' && k === 0 ? 'XY\r\n' : '\r\n';
      parts.push(Buffer.from(sizeLine + sizeEol, 'latin1'), body.subarray(off, off + size), Buffer.from(after, 'latin1'));
      off += size;
      k++;
    }
    parts.push(Buffer.from(`0${eol}${r() < 0.2 ? `X-Trailer: t${eol}` : ''}${eol}`, 'latin1'));
    payload = Buffer.concat(parts);
  } else if (form === 'close-delimited') {
    payload = body;
  }
  const interim = r() < 0.15 && mutation !== 'http09' ? Buffer.from(`HTTP/1.1 100 Continue${eol}${eol}`, 'latin1') : Buffer.alloc(0);
  const head = Buffer.from(`${status}${eol}${headers.map((h) => h + eol).join('')}${eol}`, 'latin1');
  let bytes = Buffer.concat([interim, head, payload]);
  if (mutation === 'http09') bytes = Buffer.from(`<html>not a status line</html>${eol}`, 'latin1');
  if (mutation === 'truncate') bytes = bytes.subarray(0, int(1, Math.max(1, bytes.length - 1)));
  if (mutation === 'early-close') bytes = Buffer.alloc(0);
  if (mutation === 'stall') { bytes = bytes.subarray(0, int(0, bytes.length - 1)); end = 'stall'; }
  return { bytes, end, form: `${form}${interim.length ? '+100' : ''}${bareLf ? '+lf' : ''}`, mutation };
}

export interface FuzzServer { url: string; close(): Promise<void> }

/** GET /<seed>/<n> answers with fuzzCase(seed, n); a stalled case's socket closes after stallMs. */
export function startFuzzServer(stallMs = 3000): Promise<FuzzServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    sock.on('error', () => {});
    const lifetime = setTimeout(() => sock.destroy(), 20_000);
    lifetime.unref();
    let buf = '';
    sock.on('data', (d: Buffer) => {
      if (buf.includes('\r\n\r\n')) return;
      buf += d.toString('latin1');
      if (!buf.includes('\r\n\r\n')) return;
      const m = /^GET \/(\d+)\/(\d+) /.exec(buf);
      if (!m) { sock.destroy(); return; }
      const c = fuzzCase(Number(m[1]), Number(m[2]));
      if (c.end === 'close') { sock.end(c.bytes); return; }
      sock.write(c.bytes);
      setTimeout(() => sock.destroy(), stallMs).unref();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      resolve({
        url: `http://127.0.0.1:${port}`,
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((done) => server.close(() => done()));
        },
      });
    });
  });
}
