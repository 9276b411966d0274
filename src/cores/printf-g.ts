// C's "%.<precision>g" of a double, byte for byte as glibc and musl print it (lua-cjson writes every
// number this way). JS's toExponential picks the digits from the exact binary value too, but breaks an
// exact tie upwards where printf rounds it to even ("%.1g" of 2.5 is "2", toExponential(0) says "3e+0");
// such ties are detected exactly (BigInt) and rounded as printf does.

/** The double's exact value as mantissa × 2^exponent (mantissa an integer). */
function exactParts(x: number): [bigint, number] {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  if (biased === 0) return [mantissa, -1074];
  mantissa |= 1n << 52n;
  return [mantissa, biased - 1075];
}

/** Whether digits × 10^(exp10 - (digits.length - 1)) is exactly x (x > 0). */
function isExactly(x: number, digits: string, exp10: number): boolean {
  const [m, e2] = exactParts(x);
  const k = exp10 - (digits.length - 1);
  // digits × 10^k == m × 2^e2, cross-multiplied into integers
  let left = BigInt(digits);
  let right = m;
  if (k >= 0) left *= 10n ** BigInt(k); else right *= 10n ** BigInt(-k);
  if (e2 >= 0) right <<= BigInt(e2); else left <<= BigInt(-e2);
  return left === right;
}

/** The `precision` significant digits of x > 0 rounded as printf does, and the decimal exponent. */
function roundedDigits(x: number, precision: number): [string, number] {
  // One digit more, then rounded by hand: exact unless that digit is a 5, which may be a rounded
  // 4999… or 5000…1 (then toExponential decides) or an exact tie (then printf's half-to-even does).
  const [longer, longerExp] = x.toExponential(precision).split('e') as [string, string];
  const more = longer.replace('.', '');
  const last = more.charCodeAt(precision) - 0x30;
  if (last === 5) {
    const [mant, exp] = x.toExponential(precision - 1).split('e') as [string, string];
    const head = more.slice(0, precision);
    if (isExactly(x, more, Number(longerExp)) && (head.charCodeAt(precision - 1) - 0x30) % 2 === 0) {
      return [head, Number(longerExp)];
    }
    return [mant.replace('.', ''), Number(exp)];
  }
  let exp10 = Number(longerExp);
  let digits = more.slice(0, precision);
  if (last > 5) {
    // round up, carrying
    const up = (BigInt(digits) + 1n).toString();
    if (up.length > precision) { digits = up.slice(0, precision); exp10++; } else digits = up;
  }
  return [digits, exp10];
}

/** printf("%.<precision>g", x) for a finite x; precision 1..14 (cjson's range). */
export function printfG(x: number, precision: number): string {
  if (x === 0) return Object.is(x, -0) ? '-0' : '0';
  const sign = x < 0 ? '-' : '';
  const [digits, exp10] = roundedDigits(Math.abs(x), precision);
  if (exp10 < -4 || exp10 >= precision) {
    const frac = digits.slice(1).replace(/0+$/, '');
    const e = Math.abs(exp10);
    return `${sign}${digits[0]}${frac ? '.' + frac : ''}e${exp10 < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  if (exp10 >= 0) {
    const int = digits.slice(0, exp10 + 1);
    const frac = digits.slice(exp10 + 1).replace(/0+$/, '');
    return `${sign}${int}${frac ? '.' + frac : ''}`;
  }
  const frac = ('0'.repeat(-exp10 - 1) + digits).replace(/0+$/, '');
  return `${sign}0.${frac}`;
}
