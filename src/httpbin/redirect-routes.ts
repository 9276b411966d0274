import type { HttpbinRequest } from './httpbin-request.js';
import { pythonInt } from './python-numbers.js';
import { fixedReply, HTML_UTF8, redirectReply, wireHeaderValue, type FixedReply } from './reply.js';
import { ANY_METHOD, type Route } from './router.js';
import { argCaseInsensitive, argExact } from './url-encoded.js';

/** httpbin's `assert n > 0`: an AssertionError, i.e. a 500. */
class RedirectCountError extends Error {}

function positiveCount(text: string): bigint {
  const n = BigInt(text);
  if (n <= 0n) throw new RedirectCountError('assert n > 0');
  return n;
}

/** Flask `url_for(..., _external=True)`: scheme http, authority from the Host header. */
function external(request: HttpbinRequest, path: string): string {
  return `http://${request.host}${path}`;
}

/** `app.make_response('')` with a Location: empty HTML body, no redirect page. */
function bareRedirect(location: string, status = 302): FixedReply {
  return fixedReply(status, [['Content-Type', HTML_UTF8], ['Location', location]], '');
}

/** /redirect, /relative-redirect, /absolute-redirect and /redirect-to. Each chain ends at /get. */
export const redirectRoutes: readonly Route[] = [
  {
    rule: '/redirect/<int:n>',
    methods: ['GET'],
    handle: ({ request, params }) => {
      const n = positiveCount(params.n as string);
      const absolute = (argExact(request.args, 'absolute') ?? 'false').toLowerCase() === 'true';
      if (n === 1n) return redirectReply(absolute ? external(request, '/get') : '/get');
      return absolute
        ? redirectReply(external(request, `/absolute-redirect/${n - 1n}`))
        : redirectReply(`/relative-redirect/${n - 1n}`);
    },
  },
  {
    rule: '/relative-redirect/<int:n>',
    methods: ['GET'],
    handle: ({ params }) => {
      const n = positiveCount(params.n as string);
      return bareRedirect(n === 1n ? '/get' : `/relative-redirect/${n - 1n}`);
    },
  },
  {
    rule: '/absolute-redirect/<int:n>',
    methods: ['GET'],
    handle: ({ request, params }) => {
      const n = positiveCount(params.n as string);
      return redirectReply(external(request, n === 1n ? '/get' : `/absolute-redirect/${n - 1n}`));
    },
  },
  {
    rule: '/redirect-to',
    methods: ANY_METHOD,
    handle: ({ request }) => {
      const url = argCaseInsensitive(request.args, 'url');
      // httpbin fails with a 500 when `url` is missing, and so do we.
      if (url === undefined) throw new Error('redirect-to needs ?url=');
      let status = 302;
      const requested = argCaseInsensitive(request.args, 'status_code');
      if (requested !== undefined) {
        const code = pythonInt(requested);
        if (code >= 300n && code < 400n) status = Number(code);
      }
      return bareRedirect(wireHeaderValue(url), status);
    },
  },
];
