import { httpbinJson, type JsonValue } from './json.js';
import { statusName } from './status-reasons.js';

/** Response headers in wire order. Values are latin-1 strings (one char per byte), as Node writes them. */
export type HeaderList = Array<[string, string]>;

/** A response whose body is known up front; the sender adds Content-Length unless the status forbids a body. */
export interface FixedReply {
  kind: 'fixed';
  status: number;
  headers: HeaderList;
  body: Buffer;
}

/** A response produced over time (/stream, /drip, /stream-bytes, /range). Sent chunked unless headers carry a Content-Length. */
export interface StreamReply {
  kind: 'stream';
  status: number;
  headers: HeaderList;
  stream(sink: ByteSink): Promise<void>;
}

export type Reply = FixedReply | StreamReply;

/** Where a streaming route writes. Both promises settle early once the client has gone, so generators stop instead of leaking timers. */
export interface ByteSink {
  /** Resolves when the socket can take more (backpressure), or at once if closed. */
  write(chunk: Buffer): Promise<void>;
  sleep(ms: number): Promise<void>;
  readonly closed: boolean;
}

/** Thrown by a route to answer with werkzeug's HTML error page for `status`. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly headers: HeaderList = [],
  ) {
    super(`HTTP ${status}`);
  }
}

/** Flask's default mimetype for `make_response` / `Response`. */
export const HTML_UTF8 = 'text/html; charset=utf-8';

export function fixedReply(status: number, headers: HeaderList, body: Buffer | string): FixedReply {
  return { kind: 'fixed', status, headers, body: typeof body === 'string' ? Buffer.from(body, 'utf8') : body };
}

/** httpbin `jsonify(value)`. */
export function jsonReply(value: JsonValue, extraHeaders: HeaderList = [], status = 200): FixedReply {
  return fixedReply(status, [['Content-Type', 'application/json'], ...extraHeaders], httpbinJson(value));
}

/** Flask `Response(body, status, headers=…)`: given headers first, then the default HTML Content-Type unless one was given. */
export function plainReply(status: number, body: Buffer | string = '', headers: HeaderList = []): FixedReply {
  const hasType = headers.some(([name]) => name.toLowerCase() === 'content-type');
  return fixedReply(status, hasType ? [...headers] : [...headers, ['Content-Type', HTML_UTF8]], body);
}

// werkzeug 0.14's exception descriptions, as httpbin.org still serves them (note the double spaces).
const DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'The browser (or proxy) sent a request that this server could not understand.',
  404: 'The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.',
  405: 'The method is not allowed for the requested URL.',
  413: 'The data value transmitted exceeds the capacity limit.',
  500: 'The server encountered an internal error and was unable to complete your request.  Either the server is overloaded or there is an error in the application.',
};

/** werkzeug `HTTPException.get_response()`: the HTML 3.2 error page with `Content-Type: text/html`. */
export function errorPageReply(status: number, headers: HeaderList = []): FixedReply {
  const name = statusName(status);
  const description = DESCRIPTIONS[status] ?? '';
  const body =
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n' +
    `<title>${status} ${name}</title>\n` +
    `<h1>${name}</h1>\n` +
    `<p>${description}</p>\n`;
  return fixedReply(status, [['Content-Type', 'text/html'], ...headers], body);
}

/** Flask `redirect(location)`: 302 with werkzeug's "Redirecting..." page (no trailing newline) and a Location header. */
export function redirectReply(location: string, status = 302): FixedReply {
  const escaped = escapeHtml(location);
  const body =
    '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n' +
    '<title>Redirecting...</title>\n' +
    '<h1>Redirecting...</h1>\n' +
    `<p>You should be redirected automatically to target URL: <a href="${escaped}">${escaped}</a>.  If not click the link.`;
  return fixedReply(status, [['Content-Type', HTML_UTF8], ['Location', wireHeaderValue(location)]], body);
}

/** werkzeug `escape` (quote included, apostrophe not). */
export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Text destined for a header goes out as UTF-8 bytes, as Python encodes it; Node writes header strings as latin-1. */
export function wireHeaderValue(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}
