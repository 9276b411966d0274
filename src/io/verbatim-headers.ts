// Two things LuaSocket puts on the wire that undici leaves out, for the methods undici sends no body
// for (its writeH1 `expectsPayload` list below: GET, DELETE, HEAD, OPTIONS, lower-case methods…):
// - the script's own `Content-Length: 0` (undici takes Content-Length over and drops a zero, RFC 9110's
//   "SHOULD NOT" for a request without content);
// - for a `source` that gave no bytes, `Transfer-Encoding: chunked` and the last chunk `0\r\n\r\n`
//   (undici sends no framing for an empty body).
// The header travels through undici under a placeholder name (undici refuses or consumes the real one)
// and is put back, with the script's spelling, into the request undici builds: the documented
// `undici:request:create` hook, whose request.headers undici writes as they are. The last chunk goes
// on undici's socket right after the head, when undici reports the request sent (HTTP/1.1 only).
// For PUT/POST and the other payload methods undici always frames an empty body as
// `Content-Length: 0` (RFC 9110 §8.6's advice), where LuaSocket sends no length: a deliberate
// difference (README, test/lua/deliberate/request-empty-body-payload-methods.lua).
import diagnostics from 'node:diagnostics_channel';
import type net from 'node:net';

const PLACEHOLDER = 'x-luahttp-verbatim-';
/** undici's writeH1 `expectsPayload` methods (exact spelling): an empty body gets Content-Length: 0. */
const PAYLOAD_METHODS = new Set(['PUT', 'POST', 'PATCH', 'QUERY', 'PROPFIND', 'PROPPATCH']);
const LAST_CHUNK = '0\r\n\r\n';

/** Requests whose head announces chunked framing, and the socket their head goes out on. */
const lastChunkDue = new WeakMap<object, net.Socket | null>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  diagnostics.subscribe('undici:request:create', (msg) => {
    const request = (msg as { request: { headers?: unknown } }).request;
    const headers = request.headers;
    if (!Array.isArray(headers)) return;
    for (let i = 0; i + 1 < headers.length; i += 2) {
      const name = headers[i];
      if (typeof name !== 'string' || !name.startsWith(PLACEHOLDER)) continue;
      headers[i] = name.slice(PLACEHOLDER.length);
      if (headers[i].toLowerCase() === 'transfer-encoding') lastChunkDue.set(request, null);
    }
  });
  diagnostics.subscribe('undici:client:sendHeaders', (msg) => {
    const { request, socket } = msg as { request: object; socket: net.Socket };
    if (lastChunkDue.has(request)) lastChunkDue.set(request, socket);
  });
  // Published right after undici wrote a body-less request's head (writeBuffer), before it reads.
  diagnostics.subscribe('undici:request:bodySent', (msg) => {
    const { request } = msg as { request: object };
    const socket = lastChunkDue.get(request);
    if (!socket) return;
    lastChunkDue.delete(request);
    if (!socket.destroyed) socket.write(LAST_CHUNK, 'latin1');
  });
}

/** A header name as it goes on the wire (for --trace). */
export function wireName(name: string): string {
  return name.startsWith(PLACEHOLDER) ? name.slice(PLACEHOLDER.length) : name;
}

/**
 * The headers to dispatch for a request without body bytes. `emptyChunked`: the script sent a source
 * that gave nothing (LuaSocket frames it chunked); `http1Only`: the connection cannot turn out to be
 * HTTP/2 (which has no chunked framing). Other requests are returned unchanged.
 */
export function verbatimHeaders(method: string, headers: string[], emptyChunked: boolean, http1Only: boolean): string[] {
  if (PAYLOAD_METHODS.has(method)) return headers;
  let out = headers;
  for (let i = 0; i + 1 < headers.length; i += 2) {
    if (headers[i]!.toLowerCase() === 'content-length' && /^0+$/.test(headers[i + 1]!)) {
      if (out === headers) out = [...headers];
      out[i] = PLACEHOLDER + headers[i]!;
    }
  }
  const hasLength = out !== headers;
  if (emptyChunked && http1Only && !hasLength) out = [...out, `${PLACEHOLDER}Transfer-Encoding`, 'chunked'];
  if (out !== headers) install();
  return out;
}
