import { describe, expect, it } from 'vitest';
import { deleteCookieHeader, parseCookieHeader, quoteCookieValue, setCookieHeader } from '../../src/httpbin/cookies.js';

describe('cookies', () => {
  it('quotes values werkzeug would quote, with octal escapes for , ; and non-ASCII bytes', () => {
    expect(quoteCookieValue('plain-value_1')).toBe('plain-value_1');
    expect(quoteCookieValue('a b')).toBe('"a b"');
    expect(quoteCookieValue('a,b;c"d\\')).toBe('"a\\054b\\073c\\"d\\\\"');
    expect(quoteCookieValue('\u00e9')).toBe('"\\303\\251"');
    expect(setCookieHeader('k', 'v')).toBe('k=v; Path=/');
    expect(deleteCookieHeader('k')).toBe('k=; Expires=Thu, 01-Jan-1970 00:00:00 GMT; Max-Age=0; Path=/');
  });

  it('parses what it writes, keeping the first of repeated names', () => {
    expect(parseCookieHeader('a=1; b="x\\054y \\303\\251"; a=2; flag')).toEqual([
      ['a', '1'],
      ['b', 'x,y \u00e9'],
      ['flag', ''],
    ]);
  });
});
