import { describe, expect, it } from 'vitest';
import { dumpJson, httpbinJson, jsonObject, PyFloat, pythonFloatRepr } from '../../src/httpbin/json.js';
import { JsonRecursionError, parseJson } from '../../src/httpbin/json-parse.js';

// Expected strings below were produced by CPython 3.11's json and repr().
describe('pythonFloatRepr', () => {
  it.each([
    [0.1, '0.1'],
    [1e16, '1e+16'],
    [1e15, '1000000000000000.0'],
    [1.5e-5, '1.5e-05'],
    [1e-4, '0.0001'],
    [123456789.123, '123456789.123'],
    [1e22, '1e+22'],
    [5e-324, '5e-324'],
    [-0, '-0.0'],
    [100, '100.0'],
    [2.5e100, '2.5e+100'],
    [1.7976931348623157e308, '1.7976931348623157e+308'],
    [0.30000000000000004, '0.30000000000000004'],
    [12345678901234567, '1.2345678901234568e+16'],
  ])('repr(%d) is %s', (value, text) => {
    expect(pythonFloatRepr(value)).toBe(text);
  });
});

describe('dumpJson', () => {
  it('pretty-prints like Flask: sorted keys, ", " before each newline, {} and [] when empty', () => {
    const value = jsonObject({ b: [1, jsonObject({})], a: jsonObject({ y: null, x: [] }) });
    expect(httpbinJson(value)).toBe('{\n  "a": {\n    "x": [], \n    "y": null\n  }, \n  "b": [\n    1, \n    {}\n  ]\n}\n');
  });

  it('escapes like ensure_ascii', () => {
    expect(dumpJson('\u007f\u2028"\\/\b\f\u0000\u00e9\u{1f600}')).toBe('"\\u007f\\u2028\\"\\\\/\\b\\f\\u0000\\u00e9\\ud83d\\ude00"');
  });

  it('sorts keys by code point, as Python 3 does', () => {
    const keys = ['\ufb01', '\u{1f600}', '\ud800', 'a', 'Z', ''];
    const sorted = dumpJson(new Map(keys.map((k) => [k, null])), { sortKeys: true });
    expect(sorted).toBe('{"": null, "Z": null, "a": null, "\\ud800": null, "\\ufb01": null, "\\ud83d\\ude00": null}');
  });

  it('keeps insertion order and the single-line form without options', () => {
    expect(dumpJson(jsonObject({ url: 'u', id: 0 }))).toBe('{"url": "u", "id": 0}');
  });
});

describe('parseJson', () => {
  it('keeps ints exact, marks floats, and accepts NaN and Infinity', () => {
    expect(dumpJson(parseJson('[1e400, -1e400, NaN, -0, 1E2, 0.5e-3, 123456789012345678901234567890]') ?? 'invalid')).toBe(
      '[Infinity, -Infinity, NaN, 0, 100.0, 0.0005, 123456789012345678901234567890]',
    );
    expect(parseJson('2.0')).toEqual(new PyFloat(2));
  });

  it('keeps the first position and the last value of a repeated key', () => {
    expect(dumpJson(parseJson('{"a": 1, "b": 2, "a": 3}') ?? 'invalid')).toBe('{"a": 3, "b": 2}');
  });

  it('treats __proto__ as data', () => {
    expect(dumpJson(parseJson('{"__proto__": {"x": 1}}') ?? 'invalid')).toBe('{"__proto__": {"x": 1}}');
  });

  it.each(['', '01', '[1,]', '{"a":1,}', '"\\x"', '"\\u12"', '"\u0001"', '\ufeff{}', 'true false', '1.', '.5', "{'a': 1}"])(
    'rejects %j as Python does',
    (text) => {
      expect(parseJson(text)).toBeUndefined();
    },
  );

  it('raises where CPython would hit its recursion limit', () => {
    expect(() => parseJson('['.repeat(5000))).toThrow(JsonRecursionError);
  });
});
