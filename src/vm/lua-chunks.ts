// Loads luahttp's own Lua files, from the build's bytecode when it is fresh: parsing them cost ~8 ms
// per process in wasm, undumping ~0.5 ms. Either way the chunk is named "@<root>/<name>", so messages
// and tracebacks are the same as from source.
import fs from 'node:fs';
import path from 'node:path';
import { LUA_OK, type LuaApi } from './lua-api.js';
import { decodeBytecodeArchive, type BytecodeEntry } from './lua-bytecode-archive.js';
import { replaceDumpSource } from './lua-dump-source.js';

/** Written by lua-bytecode-build.ts; the same path from dist/vm/ (package) and src/vm/ (tests). */
export const LUA_BYTECODE_FILE = path.resolve(__dirname, '../../dist/lua-bytecode.bin');

export type ChunkOrigin = 'bytecode' | 'source';

/** Read once per process and shared by every state: null when missing or not an archive. */
const archives = new Map<string, Map<string, BytecodeEntry> | null>();

function archiveAt(file: string): Map<string, BytecodeEntry> | null {
  let archive = archives.get(file);
  if (archive === undefined) {
    let bytes: Buffer | null = null;
    try {
      bytes = fs.readFileSync(file);
    } catch { /* no build step run (a git checkout): parse the sources */ }
    archive = bytes && decodeBytecodeArchive(bytes);
    archives.set(file, archive);
  }
  return archive;
}

export class LuaChunks {
  /** Where each file's last load came from, so tests can tell the two paths apart. */
  readonly origins = new Map<string, ChunkOrigin>();

  /**
   * displayRoot: the directory chunk names show (default: root). The library shows "luahttp", so a
   * message or traceback never carries the install path.
   */
  constructor(readonly root: string, readonly bytecodeFile = LUA_BYTECODE_FILE, readonly displayRoot = root) {}

  /**
   * Pushes the chunk of lua/<name> (LUA_OK) or lua_load's message (its status). A source that cannot
   * be read throws Node's error, as reading it did before bytecode.
   */
  load(api: LuaApi, L: number, name: string): number {
    const file = path.join(this.root, name);
    const chunkname = `@${path.join(this.displayRoot, name)}`;
    const dump = this.freshDump(name, file);
    const named = dump && replaceDumpSource(dump, Buffer.from(chunkname));
    if (named) {
      if (api.load(L, named, chunkname, 'b') === LUA_OK) {
        this.origins.set(name, 'bytecode');
        return LUA_OK;
      }
      // lundump rejected it (another engine build?): the source still works.
      api.m._lua_settop(L, -2);
    }
    this.origins.set(name, 'source');
    return api.load(L, fs.readFileSync(file), chunkname);
  }

  /**
   * The dump of name if the source is the one it was made from: same size and mtime, or (installed by
   * npm or copied, so another mtime) same size and CRC-32. Loading all 19 files took 2.4 ms on the
   * mtime path, 4.0 ms on the CRC path (reads, node:zlib) and 7.7 ms from source (2 vCPU gVisor).
   */
  private freshDump(name: string, file: string): Uint8Array | null {
    const entry = archiveAt(this.bytecodeFile)?.get(name);
    if (!entry) return null;
    const st = fs.statSync(file, { throwIfNoEntry: false });
    if (!st || st.size !== entry.size) return null;
    if (st.mtimeMs === entry.mtimeMs) return entry.dump;
    // Loaded here: node:zlib costs ~0.4 ms and the mtime path never needs it.
    const zlib = require('node:zlib') as typeof import('node:zlib');
    return zlib.crc32(fs.readFileSync(file)) === entry.crc32 ? entry.dump : null;
  }
}
