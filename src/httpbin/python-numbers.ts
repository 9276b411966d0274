/**
 * Python's `int(text)` and `float(text)` for query and path parameters.
 * httpbin lets their ValueError escape, so a bad parameter is a 500, not a
 * 400; routes mirror that by throwing PythonValueError.
 */
export class PythonValueError extends Error {}

const DIGITS = String.raw`[0-9](?:_?[0-9])*`;
const INT_TEXT = new RegExp(String.raw`^[+-]?${DIGITS}$`);
const FLOAT_TEXT = new RegExp(String.raw`^[+-]?(?:${DIGITS}(?:\.(?:${DIGITS})?)?|\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);
const FLOAT_SPECIAL = /^([+-]?)(inf|infinity|nan)$/i;

/** `int(text)`: surrounding whitespace, a sign and digit-separating underscores are allowed. */
export function pythonInt(text: string): bigint {
  const trimmed = text.trim();
  if (!INT_TEXT.test(trimmed)) throw new PythonValueError(`invalid literal for int() with base 10: '${text}'`);
  return BigInt(trimmed.replace(/_/g, ''));
}

/** `float(text)`, including `inf` and `nan` spellings. */
export function pythonFloat(text: string): number {
  const trimmed = text.trim();
  const special = FLOAT_SPECIAL.exec(trimmed);
  if (special) {
    if ((special[2] as string).toLowerCase() === 'nan') return NaN;
    return special[1] === '-' ? -Infinity : Infinity;
  }
  if (!FLOAT_TEXT.test(trimmed)) throw new PythonValueError(`could not convert string to float: '${text}'`);
  return Number(trimmed.replace(/_/g, ''));
}

/** `min(n, cap)` for an unbounded Python int, as a JS number. */
export function clampInt(n: bigint, cap: number): number {
  return n > BigInt(cap) ? cap : Number(n);
}

/** `time.sleep(seconds)` rejects negative, NaN (ValueError) and infinite (OverflowError) values. */
export function sleepMilliseconds(seconds: number): number {
  if (!(seconds >= 0) || seconds === Infinity) throw new PythonValueError('invalid sleep length');
  return seconds * 1000;
}
