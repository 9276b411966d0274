import { brotliLikePython, deflateLikePython, gzipLikePython } from './content-codings.js';
import type { EchoKey } from './httpbin-request.js';
import { httpbinJson, jsonObject } from './json.js';
import { pythonFloat, sleepMilliseconds } from './python-numbers.js';
import { fixedReply, jsonReply } from './reply.js';
import { ANY_METHOD, type Route } from './router.js';

const BODY_ECHO: readonly EchoKey[] = ['url', 'args', 'form', 'data', 'origin', 'headers', 'files', 'json'];

/** Views that echo the request back: the method endpoints, /anything, /headers, /ip, /user-agent, /delay and the compressed echoes. */
export const echoRoutes: readonly Route[] = [
  {
    rule: '/get',
    methods: ['GET'],
    handle: ({ request }) => jsonReply(request.dict(['url', 'args', 'headers', 'origin'])),
  },
  ...(['POST', 'PUT', 'PATCH', 'DELETE'] as const).map(
    (method): Route => ({
      rule: '/' + method.toLowerCase(),
      methods: [method],
      readsBody: true,
      handle: ({ request }) => jsonReply(request.dict(BODY_ECHO)),
    }),
  ),
  ...['/anything', '/anything/<path:anything>'].map(
    (rule): Route => ({
      rule,
      methods: ANY_METHOD,
      readsBody: true,
      handle: ({ request }) => jsonReply(request.dict(['url', 'args', 'headers', 'origin', 'method', 'form', 'data', 'files', 'json'])),
    }),
  ),
  {
    rule: '/headers',
    methods: ['GET'],
    handle: ({ request }) => jsonReply(request.dict(['headers'])),
  },
  {
    rule: '/ip',
    methods: ['GET'],
    handle: ({ request }) => jsonReply(jsonObject({ origin: request.origin() })),
  },
  {
    rule: '/user-agent',
    methods: ['GET'],
    // httpbin's CaseInsensitiveDict yields None for a missing key, hence null rather than an error.
    handle: ({ request }) => jsonReply(jsonObject({ 'user-agent': request.headers.get('User-Agent') ?? null })),
  },
  {
    rule: '/delay/<delay>',
    methods: ANY_METHOD,
    readsBody: true,
    // Capped at 10 s like httpbin; note httpbin omits `json` here.
    handle: async ({ request, params, sleep }) => {
      const seconds = Math.min(pythonFloat(params.delay as string), 10);
      await sleep(sleepMilliseconds(seconds));
      return jsonReply(request.dict(['url', 'args', 'form', 'data', 'origin', 'headers', 'files']));
    },
  },
  ...(
    [
      ['/gzip', 'gzipped', 'gzip', gzipLikePython],
      ['/deflate', 'deflated', 'deflate', deflateLikePython],
      ['/brotli', 'brotli', 'br', brotliLikePython],
    ] as const
  ).map(
    ([rule, flag, coding, encode]): Route => ({
      rule,
      methods: ['GET'],
      // Encoded whatever the Accept-Encoding, as httpbin does.
      handle: ({ request }) => {
        const json = httpbinJson(request.dict(['origin', 'headers'], { method: request.method, [flag]: true }));
        return fixedReply(
          200,
          [
            ['Content-Type', 'application/json'],
            ['Content-Encoding', coding],
          ],
          encode(Buffer.from(json, 'utf8')),
        );
      },
    }),
  ),
];
