import { createHash } from 'node:crypto';
import { ANGRY, FORMS_POST_HTML, MOBY_HTML, ROBOTS_TXT, SAMPLE_XML, sampleJson, UTF8_DEMO } from './documents.js';
import { jsonObject } from './json.js';
import { pigPng } from './png.js';
import { pythonB64Decode } from './python-base64.js';
import { decodeUtf8 } from './body-parsers.js';
import { fixedReply, HTML_UTF8, jsonReply, redirectReply } from './reply.js';
import type { Route } from './router.js';

/** /uuid's answer. httpbin returns a fresh uuid4; ours is one fixed, well-formed version-4 UUID. */
export const FIXED_UUID = (() => {
  const hex = createHash('sha256').update('luahttp-httpbin /uuid').digest('hex').slice(0, 32).split('');
  hex[12] = '4';
  hex[16] = '89ab'[parseInt(hex[16] as string, 16) & 3] as string;
  const h = hex.join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
})();

const text = (body: string, contentType = HTML_UTF8): Route['handle'] => () => fixedReply(200, [['Content-Type', contentType]], body);

/** httpbin `/links/{n}/{offset}`: n clamped to 1..200, the current page unlinked. */
function linkPage(nText: string, offsetText: string): string {
  const requested = BigInt(nText);
  const n = requested < 1n ? 1 : requested > 200n ? 200 : Number(requested);
  const offset = BigInt(offsetText);
  let html = '<html><head><title>Links</title></head><body>';
  for (let i = 0; i < n; i++) {
    html += BigInt(i) === offset ? `${i} ` : `<a href='/links/${n}/${i}'>${i}</a> `;
  }
  return html + '</body></html>';
}

/** Fixed documents and small generated bodies: formats, images, links, base64, uuid. */
export function documentRoutes(landingPage: () => string): readonly Route[] {
  return [
    { rule: '/', methods: ['GET'], handle: () => fixedReply(200, [['Content-Type', HTML_UTF8]], landingPage()) },
    { rule: '/html', methods: ['GET'], handle: text(MOBY_HTML) },
    { rule: '/json', methods: ['GET'], handle: () => jsonReply(sampleJson()) },
    { rule: '/xml', methods: ['GET'], handle: text(SAMPLE_XML, 'application/xml') },
    { rule: '/robots.txt', methods: ['GET'], handle: text(ROBOTS_TXT, 'text/plain') },
    { rule: '/deny', methods: ['GET'], handle: text(ANGRY, 'text/plain') },
    { rule: '/encoding/utf8', methods: ['GET'], handle: text(UTF8_DEMO) },
    { rule: '/forms/post', methods: ['GET'], handle: text(FORMS_POST_HTML) },
    { rule: '/image/png', methods: ['GET'], handle: () => fixedReply(200, [['Content-Type', 'image/png']], pigPng()) },
    { rule: '/uuid', methods: ['GET'], handle: () => jsonReply(jsonObject({ uuid: FIXED_UUID })) },
    {
      rule: '/links/<int:n>/<int:offset>',
      methods: ['GET'],
      handle: ({ params }) => fixedReply(200, [['Content-Type', HTML_UTF8]], linkPage(params.n as string, params.offset as string)),
    },
    {
      rule: '/links/<int:n>',
      methods: ['GET'],
      handle: ({ params }) => redirectReply(`/links/${BigInt(params.n as string)}/0`),
    },
    {
      rule: '/base64/<value>',
      methods: ['GET'],
      // urlsafe_b64decode(...).decode('utf-8'), with httpbin's hint on any failure.
      handle: ({ params }) => {
        const bytes = pythonB64Decode(params.value as string, true);
        const decoded = bytes === undefined ? undefined : decodeUtf8(bytes);
        return fixedReply(200, [['Content-Type', HTML_UTF8]], decoded ?? 'Incorrect Base64 data try: SFRUUEJJTiBpcyBhd2Vzb21l');
      },
    },
  ];
}
