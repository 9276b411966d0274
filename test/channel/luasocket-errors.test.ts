// The one table from transport failures to LuaSocket's messages (src/channel/luasocket-errors.ts):
// error codes, undici's errors, llhttp's parser reasons, and the same errors produced for real by
// undici against a raw loopback server.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Agent, errors, request } from 'undici';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { failedInHandshake, luaSocketError } from '../../src/channel/luasocket-errors.js';

const withCode = (code: string, message = code) => Object.assign(new Error(message), { code });
const parserError = (reason: string) => new errors.HTTPParserError(`Response does not match the HTTP/1.1 protocol (${reason})`);

describe('the mapping table', () => {
  test.each<[string, unknown, string]>([
    ['ECONNREFUSED', withCode('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), 'connection refused'],
    ['ENOTFOUND', withCode('ENOTFOUND', 'getaddrinfo ENOTFOUND example.invalid'), 'host or service not provided, or not known'],
    ['EAI_NONAME', withCode('EAI_NONAME'), 'host or service not provided, or not known'],
    ['EAI_ADDRFAMILY', withCode('EAI_ADDRFAMILY'), 'Address family for hostname not supported'],
    ['ETIMEDOUT', withCode('ETIMEDOUT'), 'timeout'],
    ['ECONNRESET', withCode('ECONNRESET'), 'closed'],
    ['EPIPE', withCode('EPIPE'), 'closed'],
    ['UND_ERR_CONNECT_TIMEOUT', new errors.ConnectTimeoutError(), 'timeout'],
    ['UND_ERR_HEADERS_TIMEOUT', new errors.HeadersTimeoutError(), 'timeout'],
    ['UND_ERR_BODY_TIMEOUT', new errors.BodyTimeoutError(), 'timeout'],
    ['UND_ERR_SOCKET', new errors.SocketError('other side closed'), 'closed'],
    ['UND_ERR_CLOSED', new errors.ClientClosedError(), 'closed'],
    ['UND_ERR_RES_CONTENT_LENGTH_MISMATCH', new errors.ResponseContentLengthMismatchError(), 'closed'],
    ['invalid chunk size', parserError('Invalid character in chunk size'), 'invalid chunk size'],
    ['invalid chunk extension', parserError('Invalid character in chunk extensions'), 'invalid chunk size'],
    ['invalid header token', parserError('Invalid header token'), 'malformed reponse headers'],
    ['invalid header value char', parserError('Invalid header value char'), 'malformed reponse headers'],
    ['not HTTP/1.x', parserError('Expected HTTP/, RTSP/ or ICE/'), 'invalid response (not HTTP/1.x; HTTP/0.9 is not supported by luahttp)'],
    // Node 24 adds advice after OpenSSL's text; scripts see the same string on every Node.
    ['certificate verify, Node 20', withCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate'),
      'certificate verify failed (unable to verify the first certificate)'],
    ['certificate verify, Node 24', withCode('UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'unable to verify the first certificate; if the root CA is installed locally, try running Node.js with --use-system-ca'),
      'certificate verify failed (unable to verify the first certificate)'],
    ['self-signed, Node 24', withCode('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate; if the root CA is installed locally, try running Node.js with --use-system-ca'),
      'certificate verify failed (self-signed certificate)'],
  ])('%s', (_name, error, message) => {
    expect(luaSocketError(error)).toBe(message);
  });

  test('a non-TLS answer to a handshake is "wrong version number" with every OpenSSL (3.5.5 says "packet length too long")', () => {
    const tooLong = () => Object.assign(withCode('ERR_SSL_PACKET_LENGTH_TOO_LONG', 'error:0A0000C6:SSL routines::packet length too long'), { reason: 'packet length too long' });
    expect(luaSocketError(failedInHandshake(tooLong()))).toBe('wrong version number');
    expect(luaSocketError(tooLong())).toBe('packet length too long');
    const wrongVersion = Object.assign(withCode('ERR_SSL_WRONG_VERSION_NUMBER'), { reason: 'wrong version number' });
    expect(luaSocketError(failedInHandshake(wrongVersion))).toBe('wrong version number');
  });

  test('a code found through cause, or the first member of an AggregateError', () => {
    expect(luaSocketError(Object.assign(new Error('fetch failed'), { cause: withCode('ECONNREFUSED') }))).toBe('connection refused');
    expect(luaSocketError(new AggregateError([withCode('ECONNREFUSED'), withCode('ENETUNREACH')]))).toBe('connection refused');
  });

  test('an unknown failure keeps its message', () => {
    expect(luaSocketError(new Error('something else'))).toBe('something else');
    expect(luaSocketError('a string')).toBe('a string');
  });
});

// A raw server answering each path with fixed bytes (null: never answers).
const REPLIES: Record<string, string | null> = {
  '/bad-chunk': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n',
  '/bad-header': 'HTTP/1.1 200 OK\r\nNoColonHere\r\nContent-Length: 2\r\n\r\nok',
  '/bad-header-value': 'HTTP/1.1 200 OK\r\nX-A: a\x01b\r\nContent-Length: 2\r\n\r\nok',
  '/http09': 'garbage, not an HTTP/1.x status line\n',
  '/truncated': 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123',
  '/stall': null,
};

let server: net.Server;
let port: number;
let closedPort: number;
let agent: Agent;
beforeAll(async () => {
  server = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', (d) => {
      const reply = REPLIES[d.toString('latin1').split(' ')[1] ?? ''];
      if (reply !== null && reply !== undefined) s.end(reply, 'latin1');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  agent = new Agent({ headersTimeout: 300, bodyTimeout: 300, connect: { timeout: 2_000 } });
});
afterAll(async () => {
  await agent?.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
});

async function failureOf(url: string): Promise<unknown> {
  try {
    const res = await request(url, { dispatcher: agent });
    await res.body.arrayBuffer();
  } catch (e) {
    return e;
  }
  throw new Error(`${url} did not fail`);
}

describe('real undici failures', () => {
  test.each<[string, string]>([
    ['/bad-chunk', 'invalid chunk size'],
    ['/bad-header', 'malformed reponse headers'],
    ['/bad-header-value', 'malformed reponse headers'],
    ['/http09', 'invalid response (not HTTP/1.x; HTTP/0.9 is not supported by luahttp)'],
    ['/truncated', 'closed'],
    ['/stall', 'timeout'],
  ])('%s → %s', async (p, message) => {
    expect(luaSocketError(await failureOf(`http://127.0.0.1:${port}${p}`))).toBe(message);
  });

  test('a port nothing listens on → connection refused', async () => {
    expect(luaSocketError(await failureOf(`http://127.0.0.1:${closedPort}/`))).toBe('connection refused');
  });
});
