import { dumpJson, jsonObject } from './json.js';
import { PAYMENT_REQUIRED, TEAPOT } from './documents.js';
import { plainReply, type FixedReply, type HeaderList } from './reply.js';

// httpbin sends the redirect and info headers with the lower-case names it wrote them with.
const REDIRECT: HeaderList = [['location', '/redirect/1']];

const SPECIAL: Readonly<Record<number, { body?: string; headers: HeaderList }>> = {
  301: { headers: REDIRECT },
  302: { headers: REDIRECT },
  303: { headers: REDIRECT },
  304: { body: '', headers: [] },
  305: { headers: REDIRECT },
  307: { headers: REDIRECT },
  401: { headers: [['WWW-Authenticate', 'Basic realm="Fake Realm"']] },
  402: { body: PAYMENT_REQUIRED, headers: [['x-more-info', 'http://vimeo.com/22053820']] },
  406: {
    // Plain json.dumps: insertion order, one line, no newline.
    body: dumpJson(
      jsonObject({
        message: 'Client did not request a supported media type.',
        accept: ['image/webp', 'image/svg+xml', 'image/jpeg', 'image/png', 'image/*'],
      }),
    ),
    headers: [['Content-Type', 'application/json']],
  },
  407: { headers: [['Proxy-Authenticate', 'Basic realm="Fake Realm"']] },
  418: { body: TEAPOT, headers: [['x-more-info', 'http://tools.ietf.org/html/rfc2324']] },
};

/** httpbin `helpers.status_code(code)`: an empty HTML response with the extras httpbin attaches to a few codes. */
export function statusCodeReply(code: number): FixedReply {
  const special = SPECIAL[code];
  return plainReply(code, special?.body ?? '', special?.headers ?? []);
}
