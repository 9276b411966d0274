import { execFileSync, spawn } from 'node:child_process';
import { Agent, get } from 'node:http';
import { connect } from 'node:net';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runHttpbinCli } from '../../src/httpbin/main.js';
import { startHttpbin, type HttpbinServer } from '../../src/httpbin/server.js';
import { drain, exchangeRaw, request } from './raw-http.js';

const lines = (...parts: string[]): string => parts.join('\n') + '\n';

let server: HttpbinServer;
let port: number;

beforeAll(async () => {
  server = await startHttpbin({ maxBodyBytes: 1024 * 1024 });
  port = server.port;
});

afterAll(async () => {
  await server.close();
});

describe('startHttpbin', () => {
  it('listens on 127.0.0.1 with an ephemeral port by default and reports its url', () => {
    expect(server.host).toBe('127.0.0.1');
    expect(port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${port}`);
  });

  it('close() destroys idle keep-alive sockets instead of waiting for their timeout', async () => {
    const own = await startHttpbin();
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve, reject) => {
      get(`${own.url}/get`, { agent }, (res) => {
        res.resume();
        res.on('end', resolve);
      }).on('error', reject);
    });
    const started = performance.now();
    await own.close();
    expect(performance.now() - started).toBeLessThan(1000);
    agent.destroy();
  });

  it('close() cuts in-flight streams and delays short, leaving no timers behind', async () => {
    const own = await startHttpbin();
    const pending = [drain(own.port, '/delay/10'), drain(own.port, '/drip?numbytes=5&duration=10'), drain(own.port, '/stream-bytes/2147483648')];
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = performance.now();
    await own.close();
    await Promise.all(pending);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('survives a client that hangs up mid-stream', async () => {
    const socket = connect(port, '127.0.0.1');
    socket.write('GET /stream-bytes/1000000000 HTTP/1.1\r\nHost: x\r\n\r\n');
    await new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.destroy();
    expect((await request(port, '/ip')).status).toBe(200);
  });
});

describe('/get', () => {
  it('echoes args, Title-Cased headers, origin and a Host-based url in httpbin JSON', async () => {
    const res = await request(port, '/get?a=1&a=2&b=%C3%A9&empty', {
      host: 'httpbin.org',
      headers: [
        ['User-Agent', 'LuaSocket 3.0.0'],
        ['X-API-KEY', 'k'],
        ['TE', 'trailers'],
        ['x-b3-traceid', 'abc'],
      ],
    });
    expect(res.statusLine).toBe('HTTP/1.1 200 OK');
    const body = lines(
      '{',
      '  "args": {',
      '    "a": [',
      '      "1", ',
      '      "2"',
      '    ], ',
      '    "b": "\\u00e9", ',
      '    "empty": ""',
      '  }, ',
      '  "headers": {',
      '    "Connection": "close", ',
      '    "Host": "httpbin.org", ',
      '    "Te": "trailers", ',
      '    "User-Agent": "LuaSocket 3.0.0", ',
      '    "X-Api-Key": "k", ',
      '    "X-B3-Traceid": "abc"',
      '  }, ',
      '  "origin": "127.0.0.1", ',
      '  "url": "http://httpbin.org/get?a=1&a=2&b=%C3%A9&empty"',
      '}',
    );
    expect(res.text).toBe(body);
    expect(res.headers).toEqual([
      ['Server', 'luahttp-httpbin'],
      ['Content-Type', 'application/json'],
      ['Content-Length', String(Buffer.byteLength(body))],
      ['Access-Control-Allow-Origin', '*'],
      ['Access-Control-Allow-Credentials', 'true'],
      ['Connection', 'close'],
    ]);
  });

  it('has empty args, an url without "?" and joins repeated headers with ","', async () => {
    const res = await request(port, '/get', { headers: [['X-Dup', 'a'], ['x-dup', 'b']] });
    expect(JSON.parse(res.text)).toEqual({
      args: {},
      headers: { Connection: 'close', Host: '127.0.0.1', 'X-Dup': 'a,b' },
      origin: '127.0.0.1',
      url: 'http://127.0.0.1/get',
    });
  });

  it('routes a proxy-style absolute target on its path', async () => {
    const res = await request(port, 'http://httpbin.org/get?x=1', { host: 'httpbin.org' });
    expect(JSON.parse(res.text).url).toBe('http://httpbin.org/get?x=1');
  });

  it('takes origin from X-Forwarded-For and hides proxy headers unless ?show_env', async () => {
    const headers: Array<[string, string]> = [['X-Forwarded-For', '10.1.2.3'], ['X-Forwarded-Proto', 'https'], ['Via', 'proxy']];
    const hidden = JSON.parse((await request(port, '/get', { headers })).text);
    expect(hidden.origin).toBe('10.1.2.3');
    expect(hidden.url).toBe('https://127.0.0.1/get');
    expect(Object.keys(hidden.headers)).toEqual(['Connection', 'Host']);
    const shown = JSON.parse((await request(port, '/get?show_env=1', { headers })).text);
    expect(Object.keys(shown.headers)).toEqual(['Connection', 'Host', 'Via', 'X-Forwarded-For', 'X-Forwarded-Proto']);
  });

  it('answers other methods with 405 and an Allow header', async () => {
    const res = await request(port, '/get', { method: 'POST', body: 'x' });
    expect(res.statusLine).toBe('HTTP/1.1 405 METHOD NOT ALLOWED');
    expect(res.header('Allow')).toBe('GET, HEAD, OPTIONS');
    expect(res.text).toBe(
      lines(
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">',
        '<title>405 Method Not Allowed</title>',
        '<h1>Method Not Allowed</h1>',
        '<p>The method is not allowed for the requested URL.</p>',
      ),
    );
  });

  it('answers HEAD with the GET headers and no body', async () => {
    const get = await request(port, '/get');
    const head = await request(port, '/get', { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.body.length).toBe(0);
    expect(head.header('Content-Length')).toBe(get.header('Content-Length'));
  });
});

describe('/post, /put, /patch, /delete', () => {
  it('parses an urlencoded form, leaving data empty and json null', async () => {
    const body = 'name=Lua+Socket&tag=a&tag=b&enc=%E2%82%AC&flag';
    const res = await request(port, '/post?x=1', {
      method: 'POST',
      headers: [['Content-Type', 'application/x-www-form-urlencoded']],
      body,
    });
    expect(res.text).toBe(
      lines(
        '{',
        '  "args": {',
        '    "x": "1"',
        '  }, ',
        '  "data": "", ',
        '  "files": {}, ',
        '  "form": {',
        '    "enc": "\\u20ac", ',
        '    "flag": "", ',
        '    "name": "Lua Socket", ',
        '    "tag": [',
        '      "a", ',
        '      "b"',
        '    ]',
        '  }, ',
        '  "headers": {',
        '    "Connection": "close", ',
        `    "Content-Length": "${body.length}", `,
        '    "Content-Type": "application/x-www-form-urlencoded", ',
        '    "Host": "127.0.0.1"',
        '  }, ',
        '  "json": null, ',
        '  "origin": "127.0.0.1", ',
        '  "url": "http://127.0.0.1/post?x=1"',
        '}',
      ),
    );
  });

  it('parses multipart fields and files, binary files as data URLs', async () => {
    const body = Buffer.concat([
      Buffer.from(
        [
          '--XyZ',
          'Content-Disposition: form-data; name="field"',
          '',
          'value 1',
          '--XyZ',
          'Content-Disposition: form-data; name="field"',
          '',
          'value 2',
          '--XyZ',
          'Content-Disposition: form-data; name="note"',
          '',
          'caf\u00e9',
          '--XyZ',
          'Content-Disposition: form-data; name="upload"; filename="a.txt"',
          'Content-Type: text/plain',
          '',
          'hello\nworld',
          '--XyZ',
          'Content-Disposition: form-data; name="blob"; filename="b.bin"',
          'Content-Type: image/png',
          '',
          '',
        ].join('\r\n'),
      ),
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]),
      Buffer.from('\r\n--XyZ--\r\n'),
    ]);
    const res = await request(port, '/post', {
      method: 'POST',
      headers: [['Content-Type', 'multipart/form-data; boundary=XyZ']],
      body,
    });
    expect(res.status).toBe(200);
    expect(res.text).toContain(
      lines(
        '  "data": "", ',
        '  "files": {',
        '    "blob": "data:image/png;base64,iVBOR/8A", ',
        '    "upload": "hello\\nworld"',
        '  }, ',
        '  "form": {',
        '    "field": [',
        '      "value 1", ',
        '      "value 2"',
        '    ], ',
        '    "note": "caf\\u00e9"',
        '  }, ',
      ),
    );
    expect(JSON.parse(res.text).json).toBeNull();
  });

  it('accepts bare-LF multipart bodies, as werkzeug does', async () => {
    const body = '--b\nContent-Disposition: form-data; name="k"\n\nv\n--b--\n';
    const res = await request(port, '/post', { method: 'POST', headers: [['Content-Type', 'multipart/form-data; boundary="b"']], body });
    expect(JSON.parse(res.text).form).toEqual({ k: 'v' });
  });

  it('echoes a JSON body in data and re-serialises it the Python way in json', async () => {
    const body = '{"b":[1,2.50,1e2,12345678901234567890],"a":{"z":null,"y":true},"s":"\\u00e9"}';
    const res = await request(port, '/put', { method: 'PUT', headers: [['Content-Type', 'application/json']], body });
    expect(res.text).toContain(
      lines(
        '  "data": "{\\"b\\":[1,2.50,1e2,12345678901234567890],\\"a\\":{\\"z\\":null,\\"y\\":true},\\"s\\":\\"\\\\u00e9\\"}", ',
      ),
    );
    expect(res.text).toContain(
      lines(
        '  "json": {',
        '    "a": {',
        '      "y": true, ',
        '      "z": null',
        '    }, ',
        '    "b": [',
        '      1, ',
        '      2.5, ',
        '      100.0, ',
        '      12345678901234567890',
        '    ], ',
        '    "s": "\\u00e9"',
        '  }, ',
      ),
    );
  });

  it('reports json null for a malformed JSON body and keeps it in data', async () => {
    const res = await request(port, '/patch', { method: 'PATCH', headers: [['Content-Type', 'application/json']], body: '{"a":' });
    expect(res.status).toBe(200);
    const echo = JSON.parse(res.text);
    expect(echo.json).toBeNull();
    expect(echo.data).toBe('{"a":');
  });

  it('reads a chunked request body', async () => {
    const res = await exchangeRaw(
      port,
      'POST /post HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n' +
        '5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n',
    );
    const echo = JSON.parse(res.text);
    expect(echo.data).toBe('hello world');
    expect(echo.headers['Transfer-Encoding']).toBe('chunked');
    expect(echo.headers['Content-Length']).toBeUndefined();
  });

  it('round-trips all 256 byte values through a base64 data URL in data', async () => {
    const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
    const res = await request(port, '/delete', { method: 'DELETE', body: bytes });
    const echo = JSON.parse(res.text);
    expect(echo.data).toBe('data:application/octet-stream;base64,' + bytes.toString('base64'));
    expect(Buffer.from(echo.data.split(',')[1], 'base64').equals(bytes)).toBe(true);
    expect(echo.json).toBeNull();
  });

  it('escapes valid UTF-8 bodies as \\uXXXX instead of base64', async () => {
    const res = await request(port, '/post', { method: 'POST', body: 'h\u00e9 \u{1f600}\u0000\u007f' });
    expect(res.text).toContain('  "data": "h\\u00e9 \\ud83d\\ude00\\u0000\\u007f", \n');
  });

  it('answers 405 to a GET on /post', async () => {
    const res = await request(port, '/post');
    expect(res.status).toBe(405);
    expect(res.header('Allow')).toBe('OPTIONS, POST');
  });
});

describe('/anything', () => {
  it('accepts any method, on /anything and below it, and reports the method', async () => {
    const res = await request(port, '/anything/x/y?q=1', { method: 'TRACE' });
    const echo = JSON.parse(res.text);
    expect(Object.keys(echo)).toEqual(['args', 'data', 'files', 'form', 'headers', 'json', 'method', 'origin', 'url']);
    expect(echo.method).toBe('TRACE');
    expect(echo.url).toBe('http://127.0.0.1/anything/x/y?q=1');
    expect((await request(port, '/anything', { method: 'PATCH', body: '[1]' })).text).toContain('  "json": [\n    1\n  ], \n');
  });

  it('rejects methods httpbin does not route with 405', async () => {
    expect((await request(port, '/anything', { method: 'PROPFIND' })).status).toBe(405);
  });
});

describe('/headers, /ip, /user-agent', () => {
  it('answer with only their field', async () => {
    expect((await request(port, '/headers', { headers: [['Accept', '*/*']] })).text).toBe(
      lines('{', '  "headers": {', '    "Accept": "*/*", ', '    "Connection": "close", ', '    "Host": "127.0.0.1"', '  }', '}'),
    );
    expect((await request(port, '/ip')).text).toBe(lines('{', '  "origin": "127.0.0.1"', '}'));
    expect((await request(port, '/user-agent', { headers: [['User-Agent', 'LuaSocket 3.0.0']] })).text).toBe(
      lines('{', '  "user-agent": "LuaSocket 3.0.0"', '}'),
    );
    expect(JSON.parse((await request(port, '/user-agent')).text)).toEqual({ 'user-agent': null });
  });
});

describe('/status', () => {
  it('sends the teapot with werkzeug reason phrases', async () => {
    const res = await request(port, '/status/418');
    expect(res.statusLine).toBe("HTTP/1.1 418 I'M A TEAPOT");
    expect(res.header('x-more-info')).toBe('http://tools.ietf.org/html/rfc2324');
    expect(res.text).toContain('-=[ teapot ]=-');
    expect(res.text).toContain('\\_;`"---"`|//');
  });

  it('adds Location to 3xx and WWW-Authenticate to 401', async () => {
    const redirect = await request(port, '/status/302');
    expect(redirect.statusLine).toBe('HTTP/1.1 302 FOUND');
    expect(redirect.header('location')).toBe('/redirect/1');
    expect(redirect.header('Content-Length')).toBe('0');
    expect((await request(port, '/status/401')).header('WWW-Authenticate')).toBe('Basic realm="Fake Realm"');
  });

  it('picks the first code of a list, deterministically', async () => {
    for (let i = 0; i < 3; i++) expect((await request(port, '/status/503:1,200:100', { method: 'POST' })).status).toBe(503);
  });

  it('answers 400 "Invalid status code" for garbage', async () => {
    const res = await request(port, '/status/abc');
    expect(res.status).toBe(400);
    expect(res.text).toBe('Invalid status code');
  });

  it('sends 204 without Content-Length or body', async () => {
    const res = await request(port, '/status/204');
    expect(res.status).toBe(204);
    expect(res.header('Content-Length')).toBeUndefined();
    expect(res.body.length).toBe(0);
  });
});

describe('redirects', () => {
  it('/redirect/n goes through /relative-redirect to /get', async () => {
    const first = await request(port, '/redirect/3');
    expect(first.statusLine).toBe('HTTP/1.1 302 FOUND');
    expect(first.header('Location')).toBe('/relative-redirect/2');
    expect(first.text).toBe(
      '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">\n<title>Redirecting...</title>\n<h1>Redirecting...</h1>\n' +
        '<p>You should be redirected automatically to target URL: <a href="/relative-redirect/2">/relative-redirect/2</a>.  If not click the link.',
    );
    const second = await request(port, '/relative-redirect/2');
    expect(second.header('Location')).toBe('/relative-redirect/1');
    expect(second.body.length).toBe(0);
    expect((await request(port, '/relative-redirect/1')).header('Location')).toBe('/get');
    expect((await request(port, '/redirect/1')).header('Location')).toBe('/get');
  });

  it('/absolute-redirect and ?absolute=true build the Location from the Host header', async () => {
    expect((await request(port, '/absolute-redirect/2', { host: 'httpbin.org' })).header('Location')).toBe('http://httpbin.org/absolute-redirect/1');
    expect((await request(port, '/absolute-redirect/1', { host: 'httpbin.org' })).header('Location')).toBe('http://httpbin.org/get');
    expect((await request(port, '/redirect/2?absolute=true', { host: 'h:1' })).header('Location')).toBe('http://h:1/absolute-redirect/1');
  });

  it('/redirect-to sends any URL with a 3xx status_code, for any method', async () => {
    const res = await request(port, '/redirect-to?url=http%3A%2F%2Fexample.com%2F%C3%A9&status_code=307', { method: 'POST', body: 'x' });
    expect(res.status).toBe(307);
    expect(Buffer.from(res.header('Location') as string, 'latin1').toString('utf8')).toBe('http://example.com/\u00e9');
    expect((await request(port, '/redirect-to?url=/get&status_code=200')).status).toBe(302);
  });

  it('fails like httpbin on a zero count or a missing url', async () => {
    expect((await request(port, '/redirect/0')).status).toBe(500);
    expect((await request(port, '/redirect-to')).status).toBe(500);
  });
});

describe('/bytes and /stream-bytes', () => {
  it('produces the bytes CPython random gives for the seed (seed 0 by default)', async () => {
    const seeded = await request(port, '/bytes/10?seed=1');
    expect(seeded.header('Content-Type')).toBe('application/octet-stream');
    expect([...seeded.body]).toEqual([68, 32, 130, 60, 253, 230, 241, 194, 107, 48]);
    expect([...(await request(port, '/bytes/10')).body]).toEqual([197, 215, 20, 132, 248, 207, 155, 244, 183, 111]);
  });

  it('caps /bytes at 100 KiB', async () => {
    expect((await request(port, '/bytes/999999')).body.length).toBe(102400);
  });

  it('streams chunked /stream-bytes in chunk_size pieces, matching /bytes within 100 KiB', async () => {
    const res = await request(port, '/stream-bytes/100000?seed=9&chunk_size=30000');
    expect(res.header('Transfer-Encoding')).toBe('chunked');
    expect(res.chunks).toEqual([30000, 30000, 30000, 10000]);
    expect(res.body.equals((await request(port, '/bytes/100000?seed=9')).body)).toBe(true);
  });

  it('streams far beyond httpbin\'s cap without buffering it', async () => {
    const n = 20 * 1024 * 1024 + 7;
    const res = await request(port, `/stream-bytes/${n}`);
    expect(res.body.length).toBe(n);
    expect(res.body.subarray(102400, 102410).equals(res.body.subarray(0, 10))).toBe(true);
  });
});

describe('/stream, /drip, /delay, /range', () => {
  it('/stream/n sends n single-line JSON documents with ids', async () => {
    const res = await request(port, '/stream/3?x=1');
    expect(res.header('Transfer-Encoding')).toBe('chunked');
    const sent = res.text.split('\n');
    expect(sent).toHaveLength(4);
    expect(sent[0]).toBe(
      '{"url": "http://127.0.0.1/stream/3?x=1", "args": {"x": "1"}, "headers": {"Host": "127.0.0.1", "Connection": "close"}, "origin": "127.0.0.1", "id": 0}',
    );
    expect(JSON.parse(sent[2] as string).id).toBe(2);
  });

  it('/drip paces numbytes asterisks over duration with a Content-Length', async () => {
    const started = performance.now();
    const res = await request(port, '/drip?numbytes=4&duration=0.3&code=201');
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    expect(res.status).toBe(201);
    expect(res.header('Content-Length')).toBe('4');
    expect(res.text).toBe('****');
    expect((await request(port, '/drip?numbytes=0')).status).toBe(400);
  });

  it('/delay waits, caps at 10 s, and fails on a bad number', async () => {
    const started = performance.now();
    const res = await request(port, '/delay/0.2', { method: 'POST', body: 'x' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(Object.keys(JSON.parse(res.text))).toEqual(['args', 'data', 'files', 'form', 'headers', 'origin', 'url']);
    expect((await request(port, '/delay/abc')).status).toBe(500);
  });

  it('/range/n serves a..z bytes, honouring a byte Range', async () => {
    const whole = await request(port, '/range/30');
    expect(whole.status).toBe(200);
    expect(whole.text).toBe('abcdefghijklmnopqrstuvwxyzabcd');
    expect(whole.header('Content-Range')).toBe('bytes 0-29/30');
    const part = await request(port, '/range/30', { headers: [['Range', 'bytes=24-27']] });
    expect(part.statusLine).toBe('HTTP/1.1 206 PARTIAL CONTENT');
    expect(part.text).toBe('yzab');
    expect((await request(port, '/range/30', { headers: [['Range', 'bytes=40-']] })).status).toBe(416);
    expect((await request(port, '/range/0')).status).toBe(404);
  });
});

describe('auth', () => {
  const basic = (credentials: string): [string, string] => ['Authorization', 'Basic ' + Buffer.from(credentials).toString('base64')];

  it('/basic-auth accepts matching credentials and challenges otherwise', async () => {
    const ok = await request(port, '/basic-auth/user/pa%3Ass', { headers: [basic('user:pa:ss')] });
    expect(ok.text).toBe(lines('{', '  "authenticated": true, ', '  "user": "user"', '}'));
    const denied = await request(port, '/basic-auth/user/passwd', { headers: [basic('user:wrong')] });
    expect(denied.statusLine).toBe('HTTP/1.1 401 UNAUTHORIZED');
    expect(denied.header('WWW-Authenticate')).toBe('Basic realm="Fake Realm"');
    expect(denied.body.length).toBe(0);
  });

  it('/hidden-basic-auth answers 404 on failure', async () => {
    expect((await request(port, '/hidden-basic-auth/u/p')).status).toBe(404);
    expect((await request(port, '/hidden-basic-auth/u/p', { headers: [basic('u:p')] })).status).toBe(200);
  });

  it('/bearer returns the token or a Bearer challenge', async () => {
    expect(JSON.parse((await request(port, '/bearer', { headers: [['Authorization', 'Bearer abc.def']] })).text)).toEqual({
      authenticated: true,
      token: 'abc.def',
    });
    const denied = await request(port, '/bearer', { headers: [['Authorization', 'Basic x']] });
    expect(denied.status).toBe(401);
    expect(denied.header('WWW-Authenticate')).toBe('Bearer');
  });
});

describe('cookies', () => {
  it('/cookies lists request cookies', async () => {
    const res = await request(port, '/cookies', { headers: [['Cookie', 'a=1; b="x y"; __utma=hidden']] });
    expect(res.text).toBe(lines('{', '  "cookies": {', '    "a": "1", ', '    "b": "x y"', '  }', '}'));
  });

  it('/cookies/set redirects to /cookies with one Set-Cookie per cookie', async () => {
    const res = await request(port, '/cookies/set?a=1&b=x%20y&a=2');
    expect(res.status).toBe(302);
    expect(res.header('Location')).toBe('/cookies');
    expect(res.headerAll('Set-Cookie')).toEqual(['a=1; Path=/', 'b="x y"; Path=/']);
  });

  it('/cookies/delete expires the named cookies', async () => {
    const res = await request(port, '/cookies/delete?a');
    expect(res.headerAll('Set-Cookie')).toEqual(['a=; Expires=Thu, 01-Jan-1970 00:00:00 GMT; Max-Age=0; Path=/']);
  });
});

describe('/response-headers', () => {
  it('sends query pairs as headers, repeated keys as repeated headers, and lists them with a self-consistent length', async () => {
    const res = await request(port, '/response-headers?X-Thing=1&X-Thing=2&freeform=yes');
    expect(res.headerAll('X-Thing')).toEqual(['1', '2']);
    expect(res.header('freeform')).toBe('yes');
    expect(res.text).toBe(
      lines(
        '{',
        `  "Content-Length": "${res.body.length}", `,
        '  "Content-Type": "application/json", ',
        '  "X-Thing": [',
        '    "1", ',
        '    "2"',
        '  ], ',
        '  "freeform": "yes"',
        '}',
      ),
    );
    expect(res.header('Content-Length')).toBe(String(res.body.length));
  });

  it('answers 500 instead of sending a header Node refuses', async () => {
    expect((await request(port, '/response-headers?X-Bad=a%0Db')).status).toBe(500);
  });
});

describe('content codings', () => {
  it.each([
    ['/gzip', 'gzip', 'gzipped', gunzipSync],
    ['/deflate', 'deflate', 'deflated', inflateSync],
    ['/brotli', 'br', 'brotli', brotliDecompressSync],
  ] as const)('%s is encoded regardless of Accept-Encoding', async (path, coding, flag, decode) => {
    const res = await request(port, path);
    expect(res.header('Content-Encoding')).toBe(coding);
    expect(res.header('Content-Length')).toBe(String(res.body.length));
    const echo = JSON.parse(decode(res.body).toString('utf8'));
    expect(echo).toEqual({ [flag]: true, headers: { Connection: 'close', Host: '127.0.0.1' }, method: 'GET', origin: '127.0.0.1' });
  });

  it('gzip output is reproducible (no timestamp)', async () => {
    expect((await request(port, '/gzip')).body.equals((await request(port, '/gzip')).body)).toBe(true);
  });
});

describe('documents', () => {
  it('/json is the slideshow sample', async () => {
    const res = await request(port, '/json');
    expect(res.text.startsWith('{\n  "slideshow": {\n    "author": "Yours Truly", \n')).toBe(true);
    expect(JSON.parse(res.text).slideshow.slides[1].items).toHaveLength(2);
  });

  it('/xml, /robots.txt, /deny, /html, /encoding/utf8 and /forms/post have httpbin\'s types', async () => {
    const xml = await request(port, '/xml');
    expect(xml.header('Content-Type')).toBe('application/xml');
    expect(xml.body.length).toBe(522);
    const robots = await request(port, '/robots.txt');
    expect(robots.header('Content-Type')).toBe('text/plain');
    expect(robots.text).toBe('User-agent: *\nDisallow: /deny\n');
    expect((await request(port, '/deny')).text).toContain("YOU SHOULDN'T BE HERE");
    expect((await request(port, '/html')).text).toContain('<h1>Herman Melville - Moby-Dick</h1>');
    const utf8 = await request(port, '/encoding/utf8');
    expect(utf8.header('Content-Type')).toBe('text/html; charset=utf-8');
    expect(utf8.text).toContain('\u{1f375}');
    expect((await request(port, '/forms/post')).text).toContain('action="/post"');
  });

  it('/image/png is a valid PNG', async () => {
    const res = await request(port, '/image/png');
    expect(res.header('Content-Type')).toBe('image/png');
    expect(res.body.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(res.body.subarray(12, 16).toString('latin1')).toBe('IHDR');
    expect(res.body.subarray(-8, -4).toString('latin1')).toBe('IEND');
  });

  it('/uuid is a fixed version-4 UUID', async () => {
    const first = JSON.parse((await request(port, '/uuid')).text).uuid;
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.parse((await request(port, '/uuid')).text).uuid).toBe(first);
  });

  it('/base64 decodes urlsafe base64, with httpbin\'s hint on failure', async () => {
    expect((await request(port, '/base64/SFRUUEJJTiBpcyBhd2Vzb21l')).text).toBe('HTTPBIN is awesome');
    expect((await request(port, '/base64/w6k_')).text).toBe('\u00e9?');
    expect((await request(port, '/base64/YQ')).text).toBe('Incorrect Base64 data try: SFRUUEJJTiBpcyBhd2Vzb21l');
  });

  it('/links/n/offset renders n links with the current one unlinked', async () => {
    expect((await request(port, '/links/3/1')).text).toBe(
      "<html><head><title>Links</title></head><body><a href='/links/3/0'>0</a> 1 <a href='/links/3/2'>2</a> </body></html>",
    );
    expect((await request(port, '/links/3')).header('Location')).toBe('/links/3/0');
  });
});

describe('caching', () => {
  it('/cache answers 304 to conditional requests and fixed validators otherwise', async () => {
    const fresh = await request(port, '/cache');
    expect(fresh.header('Last-Modified')).toBe('Mon, 01 Jan 2024 00:00:00 GMT');
    expect(fresh.header('ETag')).toMatch(/^[0-9a-f]{32}$/);
    expect((await request(port, '/cache', { headers: [['If-Modified-Since', 'x']] })).status).toBe(304);
    expect((await request(port, '/cache/60')).header('Cache-Control')).toBe('public, max-age=60');
  });

  it('/etag/{etag} honours If-None-Match and If-Match', async () => {
    expect((await request(port, '/etag/abc')).header('ETag')).toBe('abc');
    const notModified = await request(port, '/etag/abc', { headers: [['If-None-Match', 'W/"xyz", "abc"']] });
    expect(notModified.status).toBe(304);
    expect(notModified.header('ETag')).toBe('abc');
    expect((await request(port, '/etag/abc', { headers: [['If-Match', '"xyz"']] })).status).toBe(412);
  });
});

describe('errors and protocol details', () => {
  it('answers unknown paths with werkzeug\'s 404 page', async () => {
    const res = await request(port, '/nope');
    expect(res.statusLine).toBe('HTTP/1.1 404 NOT FOUND');
    expect(res.header('Content-Type')).toBe('text/html');
    expect(res.text).toBe(
      lines(
        '<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">',
        '<title>404 Not Found</title>',
        '<h1>Not Found</h1>',
        '<p>The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.</p>',
      ),
    );
    expect((await request(port, '/get/')).status).toBe(404);
  });

  it('answers CORS preflights like httpbin', async () => {
    const res = await request(port, '/post', {
      method: 'OPTIONS',
      headers: [['Origin', 'http://a.example'], ['Access-Control-Request-Headers', 'X-Foo']],
    });
    expect(res.status).toBe(200);
    expect(res.header('Allow')).toBe('OPTIONS, POST');
    expect(res.header('Access-Control-Allow-Origin')).toBe('http://a.example');
    expect(res.header('Access-Control-Allow-Methods')).toBe('GET, POST, PUT, DELETE, PATCH, OPTIONS');
    expect(res.header('Access-Control-Allow-Headers')).toBe('X-Foo');
  });

  it('never sends a Date header', async () => {
    for (const path of ['/get', '/nope', '/stream/1', '/status/500']) {
      expect((await request(port, path)).header('Date')).toBeUndefined();
    }
  });

  it('answers 400 to malformed multipart', async () => {
    const cases: Array<[string, string]> = [
      ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nno end'],
      ['multipart/form-data; boundary=b', 'no boundary at all'],
      ['multipart/form-data', '--b\r\n\r\n--b--'],
      ['multipart/form-data; boundary=b', '--b\r\nX: y\r\n\r\nv\r\n--b--\r\n'],
    ];
    for (const [type, body] of cases) {
      const res = await request(port, '/post', { method: 'POST', headers: [['Content-Type', type]], body });
      expect(res.statusLine).toBe('HTTP/1.1 400 BAD REQUEST');
    }
  });

  it('answers 400 and closes on a body over the limit, declared or chunked', async () => {
    const declared = await exchangeRaw(port, 'POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999\r\n\r\nabc');
    expect(declared.status).toBe(400);
    expect(declared.header('Connection')).toBe('close');
    const chunk = Buffer.alloc(600 * 1024, 0x61);
    const chunked = await exchangeRaw(
      port,
      Buffer.concat([
        Buffer.from('POST /anything HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n'),
        ...[chunk, chunk].flatMap((c) => [Buffer.from(c.length.toString(16) + '\r\n'), c, Buffer.from('\r\n')]),
        Buffer.from('0\r\n\r\n'),
      ]),
    );
    expect(chunked.status).toBe(400);
  });

  it('drains large bodies unread on routes that ignore them', async () => {
    const res = await request(port, '/status/200', { method: 'POST', body: Buffer.alloc(3 * 1024 * 1024) });
    expect(res.status).toBe(200);
  });

  it('keeps serving after hostile input', async () => {
    await exchangeRaw(port, 'GARBAGE\r\n\r\n');
    await request(port, '/post', { method: 'POST', headers: [['Content-Type', 'application/json']], body: '['.repeat(5000) });
    expect((await request(port, '/get')).status).toBe(200);
  });

  it('sends informational statuses as final and closes the connection', async () => {
    const res = await request(port, '/status/102');
    expect(res.statusLine).toBe('HTTP/1.1 102 PROCESSING');
  });
});

describe('runHttpbinCli', () => {
  it('prints the listening line to stderr and stops on SIGTERM', async () => {
    const handlers = new Map<string, () => void>();
    const onSpy = vi.spyOn(process, 'on').mockImplementation(((event: string, listener: () => void) => {
      handlers.set(event, listener);
      return process;
    }) as typeof process.on);
    const offSpy = vi.spyOn(process, 'off').mockImplementation((() => process) as typeof process.off);
    const writeSpy = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const running = runHttpbinCli(['--port', '0', '--host=127.0.0.1']);
      await vi.waitFor(() => expect(writeSpy).toHaveBeenCalled());
      const line = String(writeSpy.mock.calls[0]?.[0]);
      expect(line).toMatch(/^httpbin listening on http:\/\/127\.0\.0\.1:\d+\n$/);
      const url = line.trim().split(' ').pop() as string;
      expect((await request(Number(new URL(url).port), '/ip')).status).toBe(200);
      handlers.get('SIGTERM')?.();
      await running;
      expect(handlers.has('SIGINT')).toBe(true);
    } finally {
      onSpy.mockRestore();
      offSpy.mockRestore();
      writeSpy.mockRestore();
    }
  });

  it('answers unknown options and bad ports with one line and exit status 2 (whole CLI: test/cli/cli-parity.test.ts)', async () => {
    const written: string[] = [];
    const write = process.stderr.write;
    process.stderr.write = ((s: string) => { written.push(s); return true; }) as typeof process.stderr.write;
    try {
      for (const args of [['--verbose', 'x'], ['--port', 'http'], ['--host']]) {
        process.exitCode = 0;
        await runHttpbinCli(args);
        expect(process.exitCode).toBe(2);
      }
    } finally {
      process.stderr.write = write;
      process.exitCode = 0;
    }
    expect(written.map((l) => l.replace(/ \(usage.*\)\n$/, ''))).toEqual([
      "luahttp httpbin: unknown option '--verbose'", "luahttp httpbin: bad port 'http': a number from 0 to 65535", "luahttp httpbin: '--host' needs a value",
    ]);
  });
});

const hasLuaSocket = (() => {
  try {
    execFileSync('lua5.4', ['-e', 'require("socket.http")'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!hasLuaSocket)('native LuaSocket against the server', () => {
  it('round-trips a chunked ltn12 upload and follows redirects', async () => {
    const script = `
      local http, ltn12 = require("socket.http"), require("ltn12")
      local out = {}
      local _, code = http.request{ url = "${server.url}/anything?x=1", method = "POST",
        source = ltn12.source.string("a\\0b"), headers = { ["transfer-encoding"] = "chunked" },
        sink = ltn12.sink.table(out) }
      io.write(code, "\\n", table.concat(out))
      local body, c2 = http.request("${server.url}/redirect/2")
      io.write(c2, "\\n", body)
    `;
    const child = spawn('lua5.4', ['-e', script]);
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    await new Promise((resolve) => child.on('close', resolve));
    expect(stdout.startsWith('200\n')).toBe(true);
    expect(stdout).toContain('  "data": "a\\u0000b", \n');
    expect(stdout).toContain('  "Transfer-Encoding": "chunked", \n');
    expect(stdout).toContain(`200\n{\n  "args": {}, \n`);
    expect(stdout).toContain(`  "url": "http://127.0.0.1:${port}/get"\n`);
  });
});
