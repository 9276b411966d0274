/**
 * Fixed response bodies. Those that are httpbin's own short strings (teapot,
 * robots.txt, /deny, /xml, /json) match httpbin.org exactly; the long
 * templates (/html, /encoding/utf8, /forms/post, the landing page) are our
 * own shorter documents of the same kind and content type.
 */
import { jsonObject, type JsonObject } from './json.js';

const lines = (...parts: string[]): string => parts.join('\n');

/** /status/418 body (httpbin ASCII_ART). */
export const TEAPOT = lines(
  '',
  '    -=[ teapot ]=-',
  '',
  '       _...._',
  "     .'  _ _ `.",
  '    | ."` ^ `". _,',
  '    \\_;`"---"`|//',
  '      |       ;/',
  '      \\_     _/',
  '        `"""`',
  '',
);

/** /deny body (httpbin ANGRY_ASCII). */
export const ANGRY = lines(
  '',
  "          .-''''''-.",
  "        .' _      _ '.",
  '       /   O      O   \\',
  '      :                :',
  '      |                |',
  '      :       __       :',
  '       \\  .-"`  `"-.  /',
  "        '.          .'",
  "          '-......-'",
  "     YOU SHOULDN'T BE HERE",
  '',
);

export const ROBOTS_TXT = 'User-agent: *\nDisallow: /deny\n';

/** /status/402 body, verbatim from httpbin. */
export const PAYMENT_REQUIRED = 'Fuck you, pay me!';

/** /xml: httpbin's sample.xml as Jinja renders it (trailing newline stripped; 522 bytes). */
export const SAMPLE_XML = lines(
  "<?xml version='1.0' encoding='us-ascii'?>",
  '',
  '<!--  A SAMPLE set of slides  -->',
  '',
  '<slideshow ',
  '    title="Sample Slide Show"',
  '    date="Date of publication"',
  '    author="Yours Truly"',
  '    >',
  '',
  '    <!-- TITLE SLIDE -->',
  '    <slide type="all">',
  '      <title>Wake up to WonderWidgets!</title>',
  '    </slide>',
  '',
  '    <!-- OVERVIEW -->',
  '    <slide type="all">',
  '        <title>Overview</title>',
  '        <item>Why <em>WonderWidgets</em> are great</item>',
  '        <item/>',
  '        <item>Who <em>buys</em> WonderWidgets</item>',
  '    </slide>',
  '',
  '</slideshow>',
);

/** /json document. */
export function sampleJson(): JsonObject {
  return jsonObject({
    slideshow: jsonObject({
      author: 'Yours Truly',
      date: 'date of publication',
      slides: [
        jsonObject({ title: 'Wake up to WonderWidgets!', type: 'all' }),
        jsonObject({
          items: ['Why <em>WonderWidgets</em> are great', 'Who <em>buys</em> WonderWidgets'],
          title: 'Overview',
          type: 'all',
        }),
      ],
      title: 'Sample Slide Show',
    }),
  });
}

/** /html: a public-domain Moby-Dick passage (Chapter 1), standing in for httpbin's moby.html. */
export const MOBY_HTML = lines(
  '<!DOCTYPE html>',
  '<html>',
  '  <head>',
  '  </head>',
  '  <body>',
  '      <h1>Herman Melville - Moby-Dick</h1>',
  '',
  '      <div>',
  '        <p>',
  '          Call me Ishmael. Some years ago\u2014never mind how long precisely\u2014having little or no money in my purse, ' +
    'and nothing particular to interest me on shore, I thought I would sail about a little and see the watery part of ' +
    'the world. It is a way I have of driving off the spleen and regulating the circulation. Whenever I find myself ' +
    'growing grim about the mouth; whenever it is a damp, drizzly November in my soul; then, I account it high time to ' +
    'get to sea as soon as I can.',
  '        </p>',
  '      </div>',
  '  </body>',
  '</html>',
);

/** /encoding/utf8: one line per script, covering 1-, 2-, 3- and 4-byte UTF-8 sequences. */
export const UTF8_DEMO = lines(
  '<h1>Unicode Demo</h1>',
  '',
  '<pre>',
  'UTF-8 encoded sample plain-text file',
  '\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e\u203e',
  '',
  'Latin-1:      caf\u00e9, na\u00efve, \u00c5ngstr\u00f6m, \u00bfQu\u00e9 tal? \u00a9 \u00b1 \u00bd',
  'Greek:        \u03ba\u1f79\u03c3\u03bc\u03b5 \u2014 \u0393\u03b1\u03b6\u03ad\u03b5\u03c2 \u03ba\u03b1\u1f76 \u03bc\u03c5\u03c1\u03c4\u03b9\u1f72\u03c2',
  'Cyrillic:     \u0421\u044a\u0435\u0448\u044c \u0436\u0435 \u0435\u0449\u0451 \u044d\u0442\u0438\u0445 \u043c\u044f\u0433\u043a\u0438\u0445 \u0444\u0440\u0430\u043d\u0446\u0443\u0437\u0441\u043a\u0438\u0445 \u0431\u0443\u043b\u043e\u043a',
  'Hebrew:       \u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd',
  'Arabic:       \u0645\u0631\u062d\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645',
  'Mathematics:  \u2200x\u2208\u211d: \u2308x\u2309 = \u2212\u230a\u2212x\u230b, \u03b1 \u2227 \u00ac\u03b2 = \u00ac(\u00ac\u03b1 \u2228 \u03b2), \u222e E\u22c5da = Q/\u03b5\u2080',
  'Arrows:       \u2190 \u2191 \u2192 \u2193 \u2194 \u21d2 \u21d4',
  'Box drawing:  \u250c\u2500\u252c\u2500\u2510 \u2554\u2550\u2566\u2550\u2557',
  'Japanese:     \u3044\u308d\u306f\u306b\u307b\u3078\u3068 \u3061\u308a\u306c\u308b\u3092',
  'Chinese:      \u4f60\u597d\uff0c\u4e16\u754c',
  'Korean:       \uc548\ub155\ud558\uc138\uc694',
  'Emoji:        \u{1f375} \u{1f40d} \u{1f30d} \u{1d11e}',
  '</pre>',
  '',
);

/** /forms/post: a pizza-order form posting to /post, as httpbin's does. */
export const FORMS_POST_HTML = lines(
  '<!DOCTYPE html>',
  '<html>',
  '  <head>',
  '  </head>',
  '  <body>',
  '  <form method="post" action="/post">',
  '   <p><label>Customer name: <input name="custname"></label></p>',
  '   <p><label>Telephone: <input type=tel name="custtel"></label></p>',
  '   <p><label>E-mail address: <input type=email name="custemail"></label></p>',
  '   <fieldset>',
  '    <legend> Pizza Size </legend>',
  '    <p><label> <input type=radio name=size value="small"> Small </label></p>',
  '    <p><label> <input type=radio name=size value="medium"> Medium </label></p>',
  '    <p><label> <input type=radio name=size value="large"> Large </label></p>',
  '   </fieldset>',
  '   <fieldset>',
  '    <legend> Pizza Toppings </legend>',
  '    <p><label> <input type=checkbox name="topping" value="bacon"> Bacon </label></p>',
  '    <p><label> <input type=checkbox name="topping" value="cheese"> Extra Cheese </label></p>',
  '    <p><label> <input type=checkbox name="topping" value="onion"> Onion </label></p>',
  '    <p><label> <input type=checkbox name="topping" value="mushroom"> Mushroom </label></p>',
  '   </fieldset>',
  '   <p><label>Preferred delivery time: <input type=time min="11:00" max="21:00" step="900" name="delivery"></label></p>',
  '   <p><label>Delivery instructions: <textarea name="comments"></textarea></label></p>',
  '   <p><button>Submit order</button></p>',
  '  </form>',
  '  </body>',
  '</html>',
);

/** `/`: a plain index instead of httpbin's Swagger UI. */
export function landingPage(paths: readonly string[]): string {
  const items = paths.map((path) => `    <li><code>${path.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}</code></li>`);
  return lines(
    '<!DOCTYPE html>',
    '<html>',
    '  <head><title>luahttp httpbin</title></head>',
    '  <body>',
    '  <h1>luahttp httpbin</h1>',
    '  <p>An offline, deterministic httpbin.org for running LuaSocket scripts.</p>',
    '  <ul>',
    ...items,
    '  </ul>',
    '  </body>',
    '</html>',
    '',
  );
}
