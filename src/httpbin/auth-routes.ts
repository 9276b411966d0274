import { pythonB64Decode } from './python-base64.js';
import type { HttpbinRequest } from './httpbin-request.js';
import { jsonObject } from './json.js';
import { fixedReply, HTML_UTF8, jsonReply } from './reply.js';
import type { Route } from './router.js';
import { statusCodeReply } from './status-code-reply.js';

/**
 * werkzeug's `request.authorization` for Basic: scheme matched
 * case-insensitively, Python's lenient base64, split at the first ':'.
 * Credentials are compared as UTF-8, like the path parameters.
 */
function basicCredentials(request: HttpbinRequest): { user: string; password: string } | undefined {
  const header = request.headers.get('Authorization');
  if (header === undefined) return undefined;
  const match = /^\s*(\S+)\s+([\s\S]*)$/.exec(header);
  if (!match || (match[1] as string).toLowerCase() !== 'basic') return undefined;
  const decoded = pythonB64Decode(match[2] as string);
  if (decoded === undefined) return undefined;
  const colon = decoded.indexOf(0x3a);
  if (colon === -1) return undefined;
  const text = (bytes: Buffer): string => new TextDecoder('utf-8').decode(bytes);
  return { user: text(decoded.subarray(0, colon)), password: text(decoded.subarray(colon + 1)) };
}

function basicAuthRoute(rule: string, failureStatus: number): Route {
  return {
    rule,
    methods: ['GET'],
    handle: ({ request, params }) => {
      const credentials = basicCredentials(request);
      if (!credentials || credentials.user !== params.user || credentials.password !== params.passwd) {
        return statusCodeReply(failureStatus);
      }
      return jsonReply(jsonObject({ authenticated: true, user: params.user as string }));
    },
  };
}

/** /basic-auth (401 + challenge on failure), /hidden-basic-auth (bare 404 on failure) and /bearer. */
export const authRoutes: readonly Route[] = [
  basicAuthRoute('/basic-auth/<user>/<passwd>', 401),
  basicAuthRoute('/hidden-basic-auth/<user>/<passwd>', 404),
  {
    rule: '/bearer',
    methods: ['GET'],
    handle: ({ request }) => {
      const authorization = request.headers.get('Authorization');
      if (authorization === undefined || !authorization.startsWith('Bearer ')) {
        return fixedReply(401, [['Content-Type', HTML_UTF8], ['WWW-Authenticate', 'Bearer']], '');
      }
      // Header text stays latin-1 decoded, as werkzeug reports every header value.
      return jsonReply(jsonObject({ authenticated: true, token: authorization.slice('Bearer '.length) }));
    },
  },
];
