import { PythonRandom } from './python-random.js';

/** httpbin's size cap for /bytes (and its own /stream-bytes). */
export const HTTPBIN_BYTES_CAP = 100 * 1024;

/** The seed used when a request gives none. httpbin would draw from its global, unseeded generator; we stay reproducible. */
export const DEFAULT_SEED = 0n;

const cache = new Map<string, Buffer>();
const CACHE_ENTRIES = 8;

/**
 * The first 100 KiB that httpbin produces for `seed`. Generating costs about
 * 2 ms (MT19937 in JS runs near 60 MB/s), so recent seeds are kept; the
 * returned buffer is shared and must not be modified.
 */
export function seededBlock(seed: bigint): Buffer {
  const key = seed.toString();
  let block = cache.get(key);
  if (block) {
    cache.delete(key);
  } else {
    block = Buffer.allocUnsafe(HTTPBIN_BYTES_CAP);
    new PythonRandom(seed).fillBytes(block);
    if (cache.size >= CACHE_ENTRIES) cache.delete(cache.keys().next().value as string);
  }
  cache.set(key, block);
  return block;
}

/**
 * Bytes [start, start+length) of the endless stream that repeats
 * `seededBlock(seed)`. Within httpbin's 100 KiB this is exactly httpbin's
 * output; past it, repeating keeps multi-GiB /stream-bytes at memcpy speed
 * instead of the generator's 60 MB/s. A chunk inside one period is a
 * zero-copy view.
 */
export function cyclicSlice(block: Buffer, start: number, length: number): Buffer {
  const offset = start % block.length;
  if (offset + length <= block.length) return block.subarray(offset, offset + length);
  const out = Buffer.allocUnsafe(length);
  let written = 0;
  let from = offset;
  while (written < length) {
    const n = Math.min(block.length - from, length - written);
    block.copy(out, written, from, from + n);
    written += n;
    from = 0;
  }
  return out;
}
