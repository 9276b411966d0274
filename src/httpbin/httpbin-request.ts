import type { IncomingMessage } from 'node:http';
import { parseRequestBody, type BodyEcho } from './body-parsers.js';
import { jsonObject, type JsonObject, type JsonValue } from './json.js';
import { RequestHeaders } from './request-headers.js';
import { parseUrlEncoded, percentDecode, semiflatten, type MultiDict } from './url-encoded.js';

/** Fields httpbin's `get_dict` can report. */
export type EchoKey = 'url' | 'args' | 'form' | 'data' | 'origin' | 'headers' | 'files' | 'json' | 'method';

// httpbin's ENV_HEADERS: proxy bookkeeping it hides unless `?show_env` is given.
const ENV_HEADERS = new Set([
  'X-Varnish', 'X-Request-Start', 'X-Heroku-Queue-Depth', 'X-Real-Ip', 'X-Forwarded-Proto',
  'X-Forwarded-Protocol', 'X-Forwarded-Ssl', 'X-Heroku-Queue-Wait-Time', 'X-Forwarded-For',
  'X-Heroku-Dynos-In-Use', 'X-Forwarded-Port', 'X-Request-Id', 'Via', 'Total-Route-Time', 'Connect-Time',
]);

/** One request as httpbin's views see it. Body-derived fields are parsed on first use only, so routes that ignore the body never reject it. */
export class HttpbinRequest {
  readonly method: string;
  /** The request-target path exactly as sent (bytes as latin-1 characters). */
  readonly rawPath: string;
  /** The path percent-decoded as UTF-8, which is what werkzeug routes on. */
  readonly path: string;
  /** The query string as sent, without `?`; "" when absent. */
  readonly rawQuery: string;
  readonly args: MultiDict;
  readonly headers: RequestHeaders;
  readonly remoteAddress: string;
  /** `host:port` of the listening socket, used when a request has no Host header (werkzeug's SERVER_NAME fallback). */
  readonly serverHost: string;
  body: Buffer = Buffer.alloc(0);
  private parsedBody: BodyEcho | undefined;

  constructor(req: IncomingMessage) {
    this.method = req.method ?? 'GET';
    const target = stripAbsoluteForm(req.url ?? '/');
    const question = target.indexOf('?');
    this.rawPath = question === -1 ? target : target.slice(0, question);
    this.rawQuery = question === -1 ? '' : target.slice(question + 1);
    this.path = percentDecode(Buffer.from(this.rawPath, 'latin1'), false);
    this.args = parseUrlEncoded(Buffer.from(this.rawQuery, 'latin1'));
    this.headers = RequestHeaders.fromRaw(req.rawHeaders);
    this.remoteAddress = unmapIPv4(req.socket.remoteAddress ?? '');
    const local = unmapIPv4(req.socket.localAddress ?? '127.0.0.1');
    this.serverHost = `${local.includes(':') ? `[${local}]` : local}:${req.socket.localPort ?? 80}`;
  }

  /** The Host header, as werkzeug uses it for `request.url` and external redirects. */
  get host(): string {
    return this.headers.get('Host') ?? this.serverHost;
  }

  /** Whether `?show_env` (any value) is present. */
  get showEnv(): boolean {
    return this.args.some(([key]) => key === 'show_env');
  }

  bodyEcho(): BodyEcho {
    this.parsedBody ??= parseRequestBody(this.headers.get('Content-Type'), this.body);
    return this.parsedBody;
  }

  /**
   * httpbin `get_url`: `http://<Host><path>?<query>`, with the scheme taken
   * from X-Forwarded-Proto / X-Forwarded-Protocol / X-Forwarded-Ssl as httpbin
   * does. Path and query are echoed byte for byte as sent, where werkzeug
   * would IRI-decode them (`%20` shown as a space): the raw form shows exactly
   * what a Lua client put on the wire, which is what output comparisons need.
   */
  url(): string {
    const rest = this.host + this.rawPath + (this.rawQuery === '' ? '' : '?' + this.rawQuery);
    // Python's `a or b`: an empty first header falls through to the second.
    const forwarded = this.headers.get('X-Forwarded-Proto') || this.headers.get('X-Forwarded-Protocol');
    const scheme = forwarded ?? (this.headers.get('X-Forwarded-Ssl') === 'on' ? 'https' : 'http');
    return scheme === '' ? '//' + rest : scheme + '://' + rest;
  }

  /** `request.headers.get('X-Forwarded-For', request.remote_addr)`. */
  origin(): string {
    return this.headers.get('X-Forwarded-For') ?? this.remoteAddress;
  }

  /** httpbin `get_headers`: every header, minus the proxy ones unless `?show_env`. */
  echoHeaders(): JsonObject {
    const showEnv = this.showEnv;
    const result: JsonObject = new Map();
    for (const [name, value] of this.headers.entries) {
      if (showEnv || !ENV_HEADERS.has(name)) result.set(name, value);
    }
    return result;
  }

  /** httpbin `get_dict(*keys, **extras)`, keys in the order given (it matters only for the unsorted `/stream` lines). */
  dict(keys: readonly EchoKey[], extras: Record<string, JsonValue> = {}): JsonObject {
    const result: JsonObject = new Map();
    for (const key of keys) result.set(key, this.field(key));
    for (const [key, value] of jsonObject(extras)) result.set(key, value);
    return result;
  }

  private field(key: EchoKey): JsonValue {
    switch (key) {
      case 'url':
        return this.url();
      case 'args':
        return semiflatten(this.args);
      case 'origin':
        return this.origin();
      case 'headers':
        return this.echoHeaders();
      case 'method':
        return this.method;
      default:
        return this.bodyEcho()[key];
    }
  }
}

/** A proxy-style target (`GET http://host/path`) routes on its path, as gunicorn does. */
function stripAbsoluteForm(target: string): string {
  const match = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/[^/?]*/.exec(target);
  if (!match) return target;
  const rest = target.slice(match[0].length);
  return rest.startsWith('/') ? rest : '/' + rest;
}

/** Node reports IPv4 clients of a dual-stack socket as `::ffff:a.b.c.d`; werkzeug's remote_addr is the plain address. */
function unmapIPv4(address: string): string {
  return address.startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}
