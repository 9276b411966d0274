// The network policy's two checks (src/io/transport/network-policy.ts) and the address ranges behind
// them (ip-address.ts), as tables: pattern syntax, name matching, the address actually dialled.
import { describe, expect, test } from 'vitest';
import { NetworkPolicy, parseHostPattern, type NetworkPolicyOptions, type PolicyTarget } from '../../../src/io/transport/network-policy.js';
import { formatIp, parseIp, specialRange } from '../../../src/io/transport/ip-address.js';
import { luaSocketError } from '../../../src/channel/luasocket-errors.js';
import { PolicyBlockedError } from '../../../src/io/transport/network-policy.js';

const target = (host: string, port = 80, scheme = 'http'): PolicyTarget => ({ scheme, host, port });

/** The full decision for one dial: null = allowed, else the reason. */
function decide(options: NetworkPolicyOptions, host: string, address: string, port = 80, scheme = 'http'): string | null {
  const policy = new NetworkPolicy(options);
  const t = target(host, port, scheme);
  const v = policy.checkTarget(t);
  return v.blocked ?? policy.checkAddress(address, t, v);
}

describe('address ranges', () => {
  test.each<[string, string | null]>([
    ['127.0.0.1', 'loopback'],
    ['127.255.255.254', 'loopback'],
    ['10.1.2.3', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', null],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'link-local'],
    ['100.64.0.1', 'CGNAT'],
    ['100.128.0.1', null],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.251', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['8.8.8.8', null],
    ['93.184.215.14', null],
    ['::1', 'loopback'],
    ['::', 'unspecified'],
    ['::ffff:127.0.0.1', 'IPv4-mapped'],
    ['::ffff:8.8.8.8', 'IPv4-mapped'],
    ['::ffff:7f00:1', 'IPv4-mapped'],
    ['::127.0.0.1', 'IPv4-compatible'],
    ['fd12:3456::1', 'unique local'],
    ['fc00::1', 'unique local'],
    ['fe80::1%eth0', 'link-local'],
    ['ff02::1', 'multicast'],
    ['64:ff9b::127.0.0.1', 'loopback via NAT64'],
    ['64:ff9b::8.8.8.8', null],
    ['2002:7f00:1::', 'loopback via 6to4'],
    ['2002:808:808::', null],
    ['2606:4700::1111', null],
  ])('%s is %s', (address, range) => {
    expect(specialRange(parseIp(address)!)).toBe(range);
  });

  test('IP literal parsing and formatting', () => {
    expect([...parseIp('[::ffff:127.0.0.1]')!]).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 255, 255, 127, 0, 0, 1]);
    expect(formatIp(parseIp('0:0:0:0:0:0:0:1')!)).toBe('::1');
    // Leading zeros are octal to inet_aton: not a literal here, so the resolver's reading is what gets checked
    expect(parseIp('0177.0.0.1')).toBeNull();
    // Not literals: the resolver decides what these are (and the dialled address is then checked)
    expect(parseIp('0x7f000001')).toBeNull();
    expect(parseIp('2130706433')).toBeNull();
    expect(parseIp('example.com')).toBeNull();
  });
});

describe('pattern syntax', () => {
  test.each<[string, string]>([
    ['*', 'any'],
    ['*:443', 'any'],
    ['example.com', 'name'],
    ['Example.COM.', 'name'],
    ['api.example.com:8443', 'name'],
    ['*.example.com', 'subdomains'],
    ['*.example.com:443', 'subdomains'],
    ['localhost', 'name'],
    ['10.0.0.0/8', 'address'],
    ['10.0.0.0/8:443', 'address'],
    ['127.0.0.1', 'address'],
    ['127.0.0.1:80', 'address'],
    ['::1', 'address'],
    ['[::1]', 'address'],
    ['[::1]:443', 'address'],
    ['fd00::/8', 'address'],
    ['[fd00::]/8:443', 'address'],
    ['[fd00::/8]:443', 'address'],
  ])('%s is a %s pattern', (entry, kind) => {
    expect(parseHostPattern(entry).kind).toBe(kind);
  });

  test.each(['', 'a b', 'example.com:0', 'example.com:70000', 'example.com:http', '10.0.0.0/33', '::1/129',
    '*.', 'a.*.com', '*example.com', '1.2.3', '[example.com]', 'http://example.com', 'ex@mple.com'])('%j is refused', (entry) => {
    expect(() => parseHostPattern(entry)).toThrow(`bad network pattern '${entry}'`);
  });

  test('a bad entry or option type fails the whole policy', () => {
    expect(() => new NetworkPolicy({ allow: ['ok.example', 'not ok'] })).toThrow("bad network pattern 'not ok'");
    expect(() => new NetworkPolicy({ deny: 'evil.example' as unknown as string[] })).toThrow('network.deny must be an array of strings');
    expect(() => new NetworkPolicy({ privateNetworks: 'no' as unknown as boolean })).toThrow('network.privateNetworks must be a boolean');
  });
});

describe('decisions', () => {
  test('an empty policy blocks private addresses only (the library default)', () => {
    expect(decide({}, 'example.com', '93.184.215.14')).toBeNull();
    expect(decide({}, '127.0.0.1', '127.0.0.1')).toBe('loopback address 127.0.0.1');
    expect(decide({}, 'localhost', '::1')).toBe('loopback address ::1');
    expect(decide({}, 'metadata', '169.254.169.254')).toBe('link-local address 169.254.169.254');
    expect(decide({}, '[::ffff:127.0.0.1]', '::ffff:127.0.0.1')).toBe('IPv4-mapped address ::ffff:127.0.0.1');
    expect(decide({ privateNetworks: true }, '127.0.0.1', '127.0.0.1')).toBeNull();
  });

  test('schemes', () => {
    expect(decide({ schemes: ['https'], privateNetworks: true }, 'example.com', '93.184.215.14', 80, 'http')).toBe('scheme http not allowed');
    expect(decide({ schemes: ['https:'], privateNetworks: true }, 'example.com', '93.184.215.14', 443, 'https')).toBeNull();
    expect(decide({ schemes: ['http', 'https'] }, 'example.com', '93.184.215.14', 25, 'tcp')).toBe('scheme tcp not allowed');
  });

  test('deny by name, suffix, port, address and CIDR; deny wins over allow', () => {
    const o = { privateNetworks: true, allow: ['*'], deny: ['evil.example', '*.bad.example', 'mail.example:25', '10.0.0.0/8', '[::1]:22'] };
    expect(decide(o, 'evil.example', '8.8.8.8')).toBe('host evil.example denied');
    expect(decide(o, 'EVIL.example.', '8.8.8.8')).toBe('host evil.example denied');
    expect(decide(o, 'sub.evil.example', '8.8.8.8')).toBeNull();
    expect(decide(o, 'a.b.bad.example', '8.8.8.8')).toBe('host a.b.bad.example denied');
    expect(decide(o, 'bad.example', '8.8.8.8')).toBeNull();
    expect(decide(o, 'mail.example', '8.8.8.8', 25)).toBe('host mail.example denied');
    expect(decide(o, 'mail.example', '8.8.8.8', 587)).toBeNull();
    expect(decide(o, 'intranet.example', '10.20.30.40')).toBe('address 10.20.30.40 denied');
    expect(decide(o, 'intranet.example', '::ffff:10.20.30.40')).toBe('address ::ffff:10.20.30.40 denied');
    expect(decide(o, '::1', '::1', 22)).toBe('address ::1 denied');
    expect(decide(o, '::1', '::1', 80)).toBeNull();
  });

  test('allow: names admit their public addresses; addresses and CIDRs also admit private ones', () => {
    const o = { allow: ['api.example.com', '*.cdn.example', '10.1.0.0/16', '127.0.0.1:8080'] };
    expect(decide(o, 'api.example.com', '93.184.215.14')).toBeNull();
    expect(decide(o, 'other.example.com', '93.184.215.14')).toBe('host other.example.com not in the allow list');
    expect(decide(o, 'img.cdn.example', '93.184.215.14')).toBeNull();
    // A name on the list that resolves to a private address stays blocked (DNS could say anything)
    expect(decide(o, 'api.example.com', '127.0.0.1')).toBe('loopback address 127.0.0.1');
    // A listed block is reached by literal or by any name resolving into it
    expect(decide(o, '10.1.2.3', '10.1.2.3')).toBeNull();
    expect(decide(o, 'db.internal', '10.1.2.3')).toBeNull();
    expect(decide(o, 'db.internal', '10.2.0.1')).toBe('host db.internal not in the allow list');
    expect(decide(o, '127.0.0.1', '127.0.0.1', 8080)).toBeNull();
    expect(decide(o, '127.0.0.1', '127.0.0.1', 8081)).toBe('host 127.0.0.1 not in the allow list');
  });

  test('lookups: refused for denied names and names outside a name-only allow list', () => {
    const p = new NetworkPolicy({ allow: ['*.example.com'], deny: ['secret.example.com', 'mail.example.com:25'] });
    expect(p.checkLookup('www.example.com')).toBeNull();
    expect(p.checkLookup('secret.example.com')).toBe('host secret.example.com denied');
    expect(p.checkLookup('mail.example.com')).toBeNull();
    expect(p.checkLookup('intranet.corp')).toBe('host intranet.corp not in the allow list');
    expect(p.checkLookup('127.0.0.1')).toBeNull();
    expect(new NetworkPolicy({ allow: ['10.0.0.0/8'] }).checkLookup('intranet.corp')).toBeNull();
  });

  test('a refusal reads as LuaSocket-style text', () => {
    expect(luaSocketError(new PolicyBlockedError('loopback address 127.0.0.1'))).toBe('blocked by policy (loopback address 127.0.0.1)');
  });
});
