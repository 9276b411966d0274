const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Map([...ALPHABET].map((ch, i) => [ch, i]));

/**
 * Python `base64.b64decode(text)` (non-validating `binascii.a2b_base64`):
 * characters outside the alphabet are skipped, a `=` ends the data once it
 * completes a quantum, and leftover bits without padding are an "Incorrect
 * padding" error (undefined here). `urlSafe` first maps `-_` to `+/`, as
 * `urlsafe_b64decode` does.
 */
export function pythonB64Decode(text: string, urlSafe = false): Buffer | undefined {
  const input = urlSafe ? text.replace(/-/g, '+').replace(/_/g, '/') : text;
  const values: number[] = [];
  let terminated = false;
  for (let i = 0; i < input.length; i++) {
    const ch = input[i] as string;
    if (ch === '=') {
      const quadPosition = values.length % 4;
      if (quadPosition < 2) continue;
      // After two data characters a single '=' is ignored unless the next significant character is another '='.
      if (quadPosition === 2 && nextSignificant(input, i + 1) !== '=') continue;
      terminated = true;
      break;
    }
    const value = VALUE.get(ch);
    if (value !== undefined) values.push(value);
  }
  if (!terminated && values.length % 4 !== 0) return undefined;
  if (values.length % 4 === 1) return undefined;
  const out: number[] = [];
  for (let i = 0; i + 1 < values.length; i += 4) {
    const [a, b, c, d] = [values[i] as number, values[i + 1] as number, values[i + 2], values[i + 3]];
    out.push((a << 2) | (b >> 4));
    if (c !== undefined) out.push(((b & 15) << 4) | (c >> 2));
    if (c !== undefined && d !== undefined) out.push(((c & 3) << 6) | d);
  }
  return Buffer.from(out);
}

function nextSignificant(text: string, from: number): string | undefined {
  for (let i = from; i < text.length; i++) {
    const ch = text[i] as string;
    if (ch === '=' || VALUE.has(ch)) return ch;
  }
  return undefined;
}
