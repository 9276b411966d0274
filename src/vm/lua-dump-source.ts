// A string.dump chunk carries its main function's source name ("@/path/to/file.lua"), and that name,
// not the chunkname given to lua_load, is what error messages and tracebacks print. The package can be
// built in one directory and run from another, so the name is rewritten to the running path before
// the chunk is loaded. Layout from Lua 5.4's ldump.c/lundump.c.

/** Lua 5.4's header for this engine: signature, version 5.4, format 0, LUAC_DATA, sizeof(Instruction,
 *  lua_Integer, lua_Number) = 4, 8, 8, LUAC_INT 0x5678 and LUAC_NUM 370.5, both little-endian. */
const LUA54_HEADER = Uint8Array.from([
  0x1b, 0x4c, 0x75, 0x61, 0x54, 0x00,
  0x19, 0x93, 0x0d, 0x0a, 0x1a, 0x0a,
  4, 8, 8,
  0x78, 0x56, 0, 0, 0, 0, 0, 0,
  0, 0, 0, 0, 0, 0x28, 0x77, 0x40,
]);
/** After the header: one byte, the main function's number of upvalues; then its source. */
const SOURCE_AT = LUA54_HEADER.length + 1;

/** dumpSize: 7-bit groups, most significant first, the last one marked with 0x80. */
function readSize(b: Uint8Array, at: number): { size: number; end: number } | null {
  let size = 0;
  for (let i = at; i < b.length && i < at + 5; i++) {
    size = size * 128 + (b[i]! & 0x7f);
    if (b[i]! & 0x80) return { size, end: i + 1 };
  }
  return null;
}

function writeSize(size: number): Uint8Array {
  const groups = [size & 0x7f];
  for (let x = Math.floor(size / 128); x > 0; x = Math.floor(x / 128)) groups.unshift(x & 0x7f);
  groups[groups.length - 1]! |= 0x80;
  return Uint8Array.from(groups);
}

/**
 * The dump with its main function's source replaced by `source` (e.g. "@/abs/lua/ltn12.lua"), or null
 * when the bytes are not a Lua 5.4 dump this engine wrote (the caller then parses the source).
 * Nested functions store no source of their own ("same as parent"), so they follow.
 */
export function replaceDumpSource(dump: Uint8Array, source: Uint8Array): Uint8Array | null {
  if (dump.length <= SOURCE_AT) return null;
  for (let i = 0; i < LUA54_HEADER.length; i++) if (dump[i] !== LUA54_HEADER[i]) return null;
  const old = readSize(dump, SOURCE_AT);
  // Size 0 is a stripped dump (no source, no line info): not what the build writes.
  if (!old || old.size === 0 || old.end + old.size - 1 > dump.length) return null;
  const rest = dump.subarray(old.end + old.size - 1);
  const size = writeSize(source.length + 1);
  const out = new Uint8Array(SOURCE_AT + size.length + source.length + rest.length);
  out.set(dump.subarray(0, SOURCE_AT), 0);
  out.set(size, SOURCE_AT);
  out.set(source, SOURCE_AT + size.length);
  out.set(rest, SOURCE_AT + size.length + source.length);
  return out;
}
