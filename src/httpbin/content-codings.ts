import { brotliCompressSync, crc32, deflateRawSync, deflateSync } from 'node:zlib';

/**
 * httpbin's `filters.gzip`: Python `GzipFile(compresslevel=4)` framing (no
 * file name, XFL 0, OS 255) around raw deflate. Python stamps the current
 * time as MTIME; we write 0 so the bytes are reproducible from run to run.
 */
export function gzipLikePython(content: Buffer): Buffer {
  const header = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0xff]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc32(content), 0);
  trailer.writeUInt32LE(content.length >>> 0, 4);
  return Buffer.concat([header, deflateRawSync(content, { level: 4 }), trailer]);
}

/**
 * httpbin's `filters.deflate`: `zlib.compressobj()` defaults (level 6, zlib
 * wrapper, 32 KiB window). Node's defaults are the same parameters, though
 * Node's zlib (Chromium's fork) may choose different, equally valid, bits.
 */
export function deflateLikePython(content: Buffer): Buffer {
  return deflateSync(content);
}

/** httpbin's `filters.brotli`: `brotli.compress(content)` defaults (quality 11, lgwin 22), Node's defaults as well. */
export function brotliLikePython(content: Buffer): Buffer {
  return brotliCompressSync(content);
}
