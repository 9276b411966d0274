import { createHash } from 'node:crypto';
import type { HttpbinRequest } from './httpbin-request.js';
import { httpbinJson, type JsonObject, type JsonValue } from './json.js';
import { fixedReply, jsonReply, wireHeaderValue, type FixedReply, type HeaderList } from './reply.js';
import type { Route } from './router.js';
import { statusCodeReply } from './status-code-reply.js';

/** /cache's Last-Modified. httpbin sends the current time; a constant keeps outputs reproducible. */
export const CACHE_LAST_MODIFIED = 'Mon, 01 Jan 2024 00:00:00 GMT';

/** /cache's ETag. httpbin sends a fresh `uuid4().hex`; ours is a fixed 32-hex-digit value. */
export const CACHE_ETAG = createHash('md5').update('luahttp-httpbin /cache').digest('hex');

function getEcho(request: HttpbinRequest, extra: HeaderList): FixedReply {
  return jsonReply(request.dict(['url', 'args', 'headers', 'origin']), extra);
}

/** httpbin `parse_multi_value_header`: comma list, optional `W/` and quotes stripped. */
function entityTags(header: string | undefined): string[] {
  if (!header) return [];
  return header.split(',').map((part) => /\s*(?:W\/)?"?([^"]*)"?\s*/.exec(part)?.[1] ?? '');
}

// Framing is Node's job; echoing these from the query would corrupt the response.
const UNSENDABLE = new Set(['content-length', 'transfer-encoding', 'connection']);

/**
 * httpbin's /response-headers: the body lists the response's own headers,
 * Content-Length included, so it is re-rendered until that length stops
 * changing (httpbin's fixed-point loop).
 */
function responseHeadersReply(request: HttpbinRequest): FixedReply {
  const extra: HeaderList = request.args.map(([name, value]) => [name, value]);
  let body = '';
  for (let round = 0; round < 16; round++) {
    const headers: HeaderList = [['Content-Type', 'application/json'], ['Content-Length', String(Buffer.byteLength(body))], ...extra];
    const listed: JsonObject = new Map();
    for (const [name] of headers) {
      const values = headers.filter(([other]) => other.toLowerCase() === name.toLowerCase()).map(([, value]) => value);
      listed.set(name, values.length === 1 ? (values[0] as string) : (values as JsonValue[]));
    }
    const next = httpbinJson(listed);
    if (next === body) break;
    body = next;
  }
  const sent = extra.filter(([name]) => !UNSENDABLE.has(name.toLowerCase())).map(([name, value]): [string, string] => [name, wireHeaderValue(value)]);
  return fixedReply(200, [['Content-Type', 'application/json'], ...sent], body);
}

/** /cache, /cache/{n}, /etag/{etag} and /response-headers. */
export const cacheRoutes: readonly Route[] = [
  {
    rule: '/cache',
    methods: ['GET'],
    handle: ({ request }) => {
      // Python's `a or b`: an empty header does not count as conditional.
      if (request.headers.get('If-Modified-Since') || request.headers.get('If-None-Match')) return statusCodeReply(304);
      return getEcho(request, [['Last-Modified', CACHE_LAST_MODIFIED], ['ETag', CACHE_ETAG]]);
    },
  },
  {
    rule: '/cache/<int:value>',
    methods: ['GET'],
    handle: ({ request, params }) => getEcho(request, [['Cache-Control', `public, max-age=${BigInt(params.value as string)}`]]),
  },
  {
    rule: '/etag/<etag>',
    methods: ['GET'],
    handle: ({ request, params }) => {
      const etag = params.etag as string;
      const ifNoneMatch = entityTags(request.headers.get('If-None-Match'));
      const ifMatch = entityTags(request.headers.get('If-Match'));
      const wireEtag = wireHeaderValue(etag);
      if (ifNoneMatch.length > 0) {
        if (ifNoneMatch.includes(etag) || ifNoneMatch.includes('*')) {
          const reply = statusCodeReply(304);
          reply.headers.push(['ETag', wireEtag]);
          return reply;
        }
      } else if (ifMatch.length > 0 && !ifMatch.includes(etag) && !ifMatch.includes('*')) {
        return statusCodeReply(412);
      }
      return getEcho(request, [['ETag', wireEtag]]);
    },
  },
  {
    rule: '/response-headers',
    methods: ['GET', 'POST'],
    handle: ({ request }) => responseHeadersReply(request),
  },
];
