import type { ServerResponse } from 'node:http';
import type { ByteSink, HeaderList, Reply } from './reply.js';
import { statusLineReason } from './status-reasons.js';

/** Identifies this server instead of `gunicorn/19.9.0`; constant so recorded outputs stay byte-stable. */
export const SERVER_HEADER = 'luahttp-httpbin';

/**
 * Writes a reply with werkzeug's status line and a deterministic header set:
 * `Server`, the route's headers (Content-Length placed right after
 * Content-Type, where werkzeug puts it), then the CORS headers httpbin adds in
 * `after_request`. Node's Date header is disabled; Node still appends its
 * `Connection`/`Keep-Alive` pair, which does not vary between runs.
 */
export async function sendReply(res: ServerResponse, reply: Reply, trailing: HeaderList, head: boolean, sink: ByteSink): Promise<void> {
  const headers: HeaderList = [['Server', SERVER_HEADER]];
  let routeHeaders = reply.headers;
  if (reply.kind === 'fixed' && hasBodyStatus(reply.status) && !hasHeader(routeHeaders, 'content-length')) {
    routeHeaders = withContentLength(routeHeaders, reply.body.length);
  }
  headers.push(...routeHeaders, ...trailing);
  // An informational status is final here (httpbin's /status/1xx), so nothing
  // may follow it on the connection; closing keeps clients from waiting.
  if (reply.status < 200) headers.push(['Connection', 'close']);

  res.sendDate = false;
  res.writeHead(reply.status, statusLineReason(reply.status), headers.flat());
  if (head || !hasBodyStatus(reply.status)) {
    res.end();
    return;
  }
  if (reply.kind === 'fixed') {
    res.end(reply.body);
    return;
  }
  await reply.stream(sink);
  if (!res.destroyed) res.end();
}

/** Statuses that never carry a body and for which werkzeug sets no Content-Length. */
function hasBodyStatus(status: number): boolean {
  return status >= 200 && status !== 204;
}

function hasHeader(headers: HeaderList, lowerName: string): boolean {
  return headers.some(([name]) => name.toLowerCase() === lowerName);
}

function withContentLength(headers: HeaderList, length: number): HeaderList {
  const typeIndex = headers.findIndex(([name]) => name.toLowerCase() === 'content-type');
  const result = [...headers];
  result.splice(typeIndex + 1, 0, ['Content-Length', String(length)]);
  return result;
}
