// dist/lua-bytecode.bin: every Lua file of luahttp's as string.dump output, with the size, mtime and
// CRC-32 of the source it was made from. Layout: 8-byte magic, uint32 LE length of a JSON index, the
// index, then the dumps back to back (offsets in the index count from the end of the index).
//
// JSON for the index because it is a few hundred bytes read once per process; the dumps stay bytes.

const MAGIC = Buffer.from('LHBC\x00\x00\x00\x01', 'latin1');

export interface BytecodeEntry {
  /** Path under lua/, with '/' separators (e.g. "socket/http.lua"). */
  name: string;
  /** The source's size and fs.Stats.mtimeMs when it was dumped: both unchanged means fresh. */
  size: number;
  mtimeMs: number;
  /** zlib.crc32 of the source, for when only the mtime differs: npm gives every installed file the
   *  same mtime (1985-10-26), and cp without -p gives the copy's time. */
  crc32: number;
  dump: Uint8Array;
}

interface IndexEntry {
  size: number;
  mtimeMs: number;
  crc32: number;
  offset: number;
  length: number;
}

export function encodeBytecodeArchive(entries: BytecodeEntry[]): Buffer {
  const index: Record<string, IndexEntry> = {};
  let offset = 0;
  for (const e of entries) {
    index[e.name] = { size: e.size, mtimeMs: e.mtimeMs, crc32: e.crc32, offset, length: e.dump.length };
    offset += e.dump.length;
  }
  const json = Buffer.from(JSON.stringify(index));
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length);
  return Buffer.concat([MAGIC, length, json, ...entries.map((e) => e.dump)]);
}

/** The archive's entries by name (dumps are views into `file`), or null if it is not one. */
export function decodeBytecodeArchive(file: Buffer): Map<string, BytecodeEntry> | null {
  if (file.length < MAGIC.length + 4 || !file.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const jsonEnd = MAGIC.length + 4 + file.readUInt32LE(MAGIC.length);
  if (jsonEnd > file.length) return null;
  let index: Record<string, IndexEntry>;
  try {
    index = JSON.parse(file.toString('utf8', MAGIC.length + 4, jsonEnd)) as Record<string, IndexEntry>;
  } catch {
    return null;
  }
  const out = new Map<string, BytecodeEntry>();
  for (const [name, e] of Object.entries(index)) {
    const start = jsonEnd + e.offset;
    if (start + e.length > file.length) return null;
    out.set(name, { name, size: e.size, mtimeMs: e.mtimeMs, crc32: e.crc32, dump: file.subarray(start, start + e.length) });
  }
  return out;
}
