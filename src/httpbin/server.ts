/**
 * A bundled httpbin.org for running httpbin-based Lua scripts offline, with
 * httpbin's JSON shapes, status lines and headers. Deliberate differences,
 * all for reproducible output or Node limits:
 * - No Date header; `Server: luahttp-httpbin`.
 * - /status with a list answers its first code, not a weighted random one;
 *   codes outside 100..999 are 400 "Invalid status code".
 * - /bytes and /stream-bytes without `?seed=` use seed 0 (with a seed they
 *   match httpbin.org byte for byte); /stream-bytes is capped at 2 GiB, not
 *   100 KiB, and repeats its first 100 KiB beyond that; chunk_size ≤ 1 MiB.
 * - /uuid, /cache's ETag and Last-Modified, and gzip's MTIME are constants.
 * - `url` echoes path and query as sent (werkzeug IRI-decodes them).
 * - Malformed multipart is a 400 (werkzeug silently yields an empty form);
 *   bodies over `maxBodyBytes` on echo routes are a 400 with Connection: close.
 * - /html, /encoding/utf8, /forms/post, / and /image/png are our own
 *   documents of the same type; /image (content negotiation), /digest-auth
 *   and the other image formats are not provided (404).
 * - /response-headers does not send Content-Length, Transfer-Encoding or
 *   Connection taken from the query (they still appear in the JSON).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { BodyParseError } from './body-parsers.js';
import { createByteSink } from './byte-sink.js';
import { HttpbinRequest } from './httpbin-request.js';
import { errorPageReply, fixedReply, HTML_UTF8, HttpError, type HeaderList, type Reply } from './reply.js';
import { Router } from './router.js';
import { httpbinRoutes } from './routes.js';
import { sendReply } from './send-reply.js';

export interface HttpbinHandlerOptions {
  /**
   * Largest request body buffered for the echo routes (/post, /anything, …);
   * beyond it the server answers 400 and closes the connection. Routes that
   * ignore the body drain it without a limit. Default 64 MiB: the echoed
   * JSON can be 6× the body (`\u00XX` escapes) and must stay under V8's
   * string limit.
   */
  maxBodyBytes?: number;
}

export interface HttpbinOptions extends HttpbinHandlerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
}

export interface HttpbinServer {
  port: number;
  host: string;
  /** `http://host:port`, no trailing slash. */
  url: string;
  /** Stops listening and destroys open connections (idle keep-alive ones included), so callers never wait on the keep-alive timeout. */
  close(): Promise<void>;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;

/** An httpbin.org-compatible request listener for `http.createServer`. */
export function createHttpbinHandler(options: HttpbinHandlerOptions = {}): (req: IncomingMessage, res: ServerResponse) => void {
  const router = new Router(httpbinRoutes());
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return (req, res) => {
    handleRequest(router, limit, req, res).catch(() => {
      // Reached only if writing itself failed; the client gets a reset rather than a hung socket.
      res.destroy();
    });
  };
}

/** Starts the bundled httpbin on `host:port` (default 127.0.0.1, ephemeral port). */
export async function startHttpbin(options: HttpbinOptions = {}): Promise<HttpbinServer> {
  const host = options.host ?? '127.0.0.1';
  // werkzeug serves Host-less HTTP/1.1 requests; Node 20 would reject them with 400 by default.
  const server = createServer({ requireHostHeader: false }, createHttpbinHandler(options));
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    port,
    host,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close() {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
      return closing;
    },
  };
}

async function handleRequest(router: Router, limit: number, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = new HttpbinRequest(req);
  const sink = createByteSink(res);
  const trailing = corsHeaders(request);
  const match = router.match(request.method, request.path);
  let reply: Reply;

  if (match.kind === 'found') {
    if (match.route.readsBody) {
      const body = await readBody(req, limit);
      if (body === 'aborted') return;
      if (body === 'too-large') {
        trailing.push(['Connection', 'close']);
        await sendReply(res, errorPageReply(400), trailing, request.method === 'HEAD', sink);
        return;
      }
      request.body = body;
    } else {
      req.resume();
    }
    try {
      reply = await match.route.handle({ request, params: match.params, sleep: (ms) => sink.sleep(ms) });
    } catch (error) {
      reply = errorReply(error);
    }
  } else {
    req.resume();
    if (match.kind === 'options') {
      // Flask's automatic OPTIONS answer.
      reply = fixedReply(200, [['Content-Type', HTML_UTF8], ['Allow', match.allowed.join(', ')]], '');
    } else if (match.kind === 'method-not-allowed') {
      reply = errorPageReply(405, [['Allow', match.allowed.join(', ')]]);
    } else {
      reply = errorPageReply(404);
    }
  }
  if (sink.closed) return;

  const head = request.method === 'HEAD';
  try {
    await sendReply(res, reply, trailing, head, sink);
  } catch (error) {
    // Typically a header value Node refuses (a newline smuggled through /response-headers):
    // werkzeug refuses those too, with a 500.
    if (res.headersSent) throw error;
    await sendReply(res, errorPageReply(500), trailing, head, sink);
  }
}

/** httpbin's `after_request` CORS headers (the preflight extras only for OPTIONS). */
function corsHeaders(request: HttpbinRequest): HeaderList {
  const headers: HeaderList = [
    ['Access-Control-Allow-Origin', request.headers.get('Origin') ?? '*'],
    ['Access-Control-Allow-Credentials', 'true'],
  ];
  if (request.method === 'OPTIONS') {
    headers.push(['Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, PATCH, OPTIONS'], ['Access-Control-Max-Age', '3600']);
    const requested = request.headers.get('Access-Control-Request-Headers');
    if (requested !== undefined) headers.push(['Access-Control-Allow-Headers', requested]);
  }
  return headers;
}

/** A failed view as Flask answers it: HTTP errors as themselves, unparseable bodies as 400, anything else (httpbin's uncaught ValueErrors) as 500. */
function errorReply(error: unknown): Reply {
  if (error instanceof HttpError) return errorPageReply(error.status, error.headers);
  if (error instanceof BodyParseError) return errorPageReply(400);
  return errorPageReply(500);
}

/** Buffers the whole body (Content-Length or chunked; Node undoes the chunking) up to `limit` bytes. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large' | 'aborted'> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) return Promise.resolve('too-large');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        req.off('data', onData);
        resolve('too-large');
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks, size)));
    req.once('error', () => resolve('aborted'));
    req.once('close', () => {
      if (!req.complete) resolve('aborted');
    });
  });
}
