import { describe, expect, it } from 'vitest';
import { RequestHeaders, werkzeugHeaderName } from '../../src/httpbin/request-headers.js';

describe('werkzeugHeaderName', () => {
  it.each([
    ['user-agent', 'User-Agent'],
    ['TE', 'Te'],
    ['DNT', 'Dnt'],
    ['X-API-KEY', 'X-Api-Key'],
    ['x-b3-traceid', 'X-B3-Traceid'],
    ['content-md5', 'Content-Md5'],
    ['x_under_score', 'X-Under-Score'],
  ])('%s becomes %s, as Python str.title() after the CGI round trip', (raw, expected) => {
    expect(werkzeugHeaderName(raw)).toBe(expected);
  });
});

describe('RequestHeaders', () => {
  it('merges repeats with ",", keeps first-seen order and drops empty Content-Type', () => {
    const headers = RequestHeaders.fromRaw(['Host', 'h', 'accept', 'a', 'Content-Type', '', 'ACCEPT', 'b', 'X-Empty', '']);
    expect(headers.entries).toEqual([
      ['Host', 'h'],
      ['Accept', 'a,b'],
      ['X-Empty', ''],
    ]);
    expect(headers.get('accept')).toBe('a,b');
  });
});
