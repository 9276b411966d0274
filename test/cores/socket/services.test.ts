// resolveService/resolvableHost against what glibc's getaddrinfo did under native LuaSocket 3.1.0
// (values observed with lua5.4 on Debian 12; the differential scripts test/lua/socket-service-names.lua
// and error-malformed-url.lua compare the same cases end to end).
import { describe, expect, test } from 'vitest';
import { resolvableHost, resolveService } from '../../../src/cores/socket/services.js';

describe('resolveService reads a port string as getaddrinfo does', () => {
  test.each([
    ['80', 80], ['', 0], [' 0', 0], ['+0', 0], ['-0', 0], ['\t7', 7], ['\n7', 7], ['010', 10],
    ['65535', 65535], ['65536', 0], ['70000', 4464], ['2147483647', 65535], ['4294967297', 1],
    ['-4294967295', 1], ['-18446744073709551615', 1],
  ])('numeric %j → %i', (serv, port) => {
    expect(resolveService(serv, 'tcp')).toEqual({ port });
    expect(resolveService(serv, 'udp', true)).toEqual({ port });
  });

  test.each(['-1', '-65535', '2147483648', '4294967295', '18446744073709551615', '18446744073709551616', '99999999999999999999'])(
    'negative as a C int: %j is EAI_SERVICE, even with AI_NUMERICSERV', (serv) => {
      expect(resolveService(serv, 'tcp')).toEqual({ error: 'service' });
      expect(resolveService(serv, 'udp', true)).toEqual({ error: 'service' });
    });

  test.each([' ', '+', '-', '80 ', '0x10', '1e2', '80.0', ' 80x', '8 0'])('not a number: %j', (serv) => {
    expect(resolveService(serv, 'udp', true)).toEqual({ error: 'noname' });
    expect(resolveService(serv, 'tcp')).toEqual({ error: 'service' });
  });

  test('names come from /etc/services for the protocol, aliases included, case-sensitive', () => {
    expect(resolveService('http', 'tcp')).toEqual({ port: 80 });
    expect(resolveService('www', 'tcp')).toEqual({ port: 80 });
    expect(resolveService('ntp', 'udp')).toEqual({ port: 123 });
    expect(resolveService('ntp', 'tcp')).toEqual({ error: 'service' });
    expect(resolveService('NTP', 'udp')).toEqual({ error: 'service' });
    expect(resolveService('ntp', 'udp', true)).toEqual({ error: 'noname' });
  });
});

describe('resolvableHost', () => {
  test.each(['127.0.0.1', '::1', 'localhost', 'example.com', 'a-b_c.d'])('%j may resolve', (h) => {
    expect(resolvableHost(h)).toBe(true);
  });
  test.each(['', '[:', '127.0.0.1:80', '%31%32%37.0.0.1', 'a b', 'a/b', 'a?b', 'a#b', 'u@h'])('%j cannot', (h) => {
    expect(resolvableHost(h)).toBe(false);
  });
});
