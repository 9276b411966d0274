import { deleteCookieHeader, parseCookieHeader, setCookieHeader } from './cookies.js';
import { jsonObject } from './json.js';
import { jsonReply, redirectReply, type FixedReply } from './reply.js';
import type { Route } from './router.js';
import { firstValues } from './url-encoded.js';

// httpbin's ENV_COOKIES: analytics cookies hidden unless `?show_env`.
const ENV_COOKIES = new Set([
  '_gauges_unique', '_gauges_unique_year', '_gauges_unique_month', '_gauges_unique_day',
  '_gauges_unique_hour', '__utmz', '__utma', '__utmb',
]);

/** `redirect(url_for('view_cookies'))` carrying one Set-Cookie header per cookie, in query order. */
function redirectWithCookies(setCookies: string[]): FixedReply {
  const reply = redirectReply('/cookies');
  reply.headers.push(...setCookies.map((value): [string, string] => ['Set-Cookie', value]));
  return reply;
}

/** /cookies, /cookies/set (query and path forms) and /cookies/delete. */
export const cookieRoutes: readonly Route[] = [
  {
    rule: '/cookies',
    methods: ['GET'],
    handle: ({ request }) => {
      const showEnv = request.showEnv;
      const cookies = new Map(parseCookieHeader(request.headers.get('Cookie')).filter(([name]) => showEnv || !ENV_COOKIES.has(name)));
      return jsonReply(jsonObject({ cookies }));
    },
  },
  {
    rule: '/cookies/set',
    methods: ['GET'],
    handle: ({ request }) => redirectWithCookies(firstValues(request.args).map(([name, value]) => setCookieHeader(name, value))),
  },
  {
    rule: '/cookies/set/<name>/<value>',
    methods: ['GET'],
    handle: ({ params }) => redirectWithCookies([setCookieHeader(params.name as string, params.value as string)]),
  },
  {
    rule: '/cookies/delete',
    methods: ['GET'],
    handle: ({ request }) => redirectWithCookies(firstValues(request.args).map(([name]) => deleteCookieHeader(name))),
  },
];
