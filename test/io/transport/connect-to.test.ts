// curl's --connect-to HOST1:PORT1:HOST2:PORT2 (src/io/transport/connect-to.ts): parsing, including bracketed
// IPv6 literals and empty fields, malformed values, and which rule a host:port resolves through.
import { describe, expect, test } from 'vitest';
import { parseConnectTo, resolveConnectTo, type ConnectToRule } from '../../../src/io/transport/connect-to.js';

describe('parseConnectTo', () => {
  test.each<[string, Partial<ConnectToRule>]>([
    ['example.com:80:127.0.0.1:8080', { fromHost: 'example.com', fromPort: '80', toHost: '127.0.0.1', toPort: '8080' }],
    ['EXAMPLE.com:80:Target.local:81', { fromHost: 'example.com', fromPort: '80', toHost: 'Target.local', toPort: '81' }],
    ['::127.0.0.1:8080', { fromHost: '', fromPort: '', toHost: '127.0.0.1', toPort: '8080' }],
    ['example.com:80::8080', { fromHost: 'example.com', fromPort: '80', toHost: '', toPort: '8080' }],
    ['example.com:80:127.0.0.1:', { fromHost: 'example.com', fromPort: '80', toHost: '127.0.0.1', toPort: '' }],
    [':::', { fromHost: '', fromPort: '', toHost: '', toPort: '' }],
    ['[::1]:80:[fe80::2]:8080', { fromHost: '::1', fromPort: '80', toHost: 'fe80::2', toPort: '8080' }],
    ['example.com:443:[::1]:8443', { fromHost: 'example.com', fromPort: '443', toHost: '::1', toPort: '8443' }],
    ['[2001:DB8::1]::127.0.0.1:80', { fromHost: '2001:db8::1', fromPort: '', toHost: '127.0.0.1', toPort: '80' }],
  ])('%s', (spec, rule) => {
    expect(parseConnectTo(spec)).toMatchObject(rule);
  });

  test.each([
    'bad',
    'example.com:80',
    'a:80:b:81:c',
    '[::1:80:b:81',
    '[::1]x:80:b:81',
    'a:80:[::1]x:81',
  ])('malformed: %s', (spec) => {
    expect(() => parseConnectTo(spec)).toThrow(/bad --connect-to value/);
  });

  // Regression test (fixed): curl accepts an empty PORT2 after a bracketed HOST2 ("keep the port"), as it does
  // after a plain host name; luahttp's parser drops the empty field after ']' and rejects the value.
  test('an empty PORT2 after a bracketed IPv6 HOST2', () => {
    expect(parseConnectTo('example.com:80:[::1]:')).toMatchObject({ fromHost: 'example.com', fromPort: '80', toHost: '::1', toPort: '' });
  });

  // Regression test (fixed): curl rejects a PORT2 that is not a number in 0..65535 ("No valid port number in
  // connect to host string"); luahttp accepts it and later dials port NaN or 99999.
  test.each(['a:80:b:http', 'a:80:b:99999', 'a:80:b:-1'])('a PORT2 that is not a port: %s', (spec) => {
    expect(() => parseConnectTo(spec)).toThrow();
  });
});

describe('resolveConnectTo', () => {
  const rules = (...specs: string[]) => specs.map(parseConnectTo);

  test('no rule, or no matching rule: the original address', () => {
    expect(resolveConnectTo([], 'example.com', 80)).toEqual({ host: 'example.com', port: 80 });
    expect(resolveConnectTo(rules('other.com:80:127.0.0.1:1', 'example.com:81:127.0.0.1:2'), 'example.com', 80)).toEqual({ host: 'example.com', port: 80 });
  });

  test('the first matching rule wins', () => {
    const r = rules('other.com:80:127.0.0.1:1', 'example.com:80:127.0.0.1:2', 'example.com:80:127.0.0.1:3', '::127.0.0.1:4');
    expect(resolveConnectTo(r, 'example.com', 80)).toMatchObject({ host: '127.0.0.1', port: 2 });
    expect(resolveConnectTo(r, 'other.com', 80)).toMatchObject({ host: '127.0.0.1', port: 1 });
    expect(resolveConnectTo(r, 'third.com', 8080)).toMatchObject({ host: '127.0.0.1', port: 4 });
  });

  test('empty HOST1 / PORT1 match any host / port', () => {
    expect(resolveConnectTo(rules(':80:127.0.0.1:1'), 'any.example', 80)).toMatchObject({ host: '127.0.0.1', port: 1 });
    expect(resolveConnectTo(rules(':80:127.0.0.1:1'), 'any.example', 81)).toEqual({ host: 'any.example', port: 81 });
    expect(resolveConnectTo(rules('example.com::127.0.0.1:1'), 'example.com', 12345)).toMatchObject({ host: '127.0.0.1', port: 1 });
  });

  test('empty HOST2 / PORT2 keep the original host / port', () => {
    expect(resolveConnectTo(rules('example.com:80::8080'), 'example.com', 80)).toMatchObject({ host: 'example.com', port: 8080 });
    expect(resolveConnectTo(rules('example.com:80:127.0.0.1:'), 'example.com', 80)).toMatchObject({ host: '127.0.0.1', port: 80 });
  });

  test('host names match case-insensitively', () => {
    expect(resolveConnectTo(rules('Example.COM:80:127.0.0.1:1'), 'EXAMPLE.com', 80)).toMatchObject({ host: '127.0.0.1', port: 1 });
  });

  test('an IPv6 URL host matches with or without brackets', () => {
    const r = rules('[::1]:80:127.0.0.1:1');
    expect(resolveConnectTo(r, '[::1]', 80)).toMatchObject({ host: '127.0.0.1', port: 1 });
    expect(resolveConnectTo(r, '::1', 80)).toMatchObject({ host: '127.0.0.1', port: 1 });
  });

  test('the plaintext mark of an internal rule is carried to the result', () => {
    const r: ConnectToRule[] = [{ fromHost: 'httpbin.org', fromPort: '443', toHost: '127.0.0.1', toPort: '9', plaintext: true }];
    expect(resolveConnectTo(r, 'httpbin.org', 443)).toEqual({ host: '127.0.0.1', port: 9, plaintext: true });
  });
});
