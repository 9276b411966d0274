// The build step after tsc: `node dist/vm/lua-bytecode-build.js [luaDir] [outFile]` dumps every .lua
// file under lua/ with the engine luahttp runs on (a dump only loads in the Lua build that wrote it),
// unstripped so line numbers and local names stay in messages and tracebacks.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { LuaApi, LUA_OK } from './lua-api.js';
import { encodeBytecodeArchive, type BytecodeEntry } from './lua-bytecode-archive.js';
import { LUA_BYTECODE_FILE } from './lua-chunks.js';

/** Paths of the .lua files under dir, relative with '/' separators, sorted so builds are reproducible. */
function luaFilesUnder(dir: string, prefix = ''): string[] {
  const out: string[] = [];
  for (const d of fs.readdirSync(path.join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${d.name}` : d.name;
    if (d.isDirectory()) out.push(...luaFilesUnder(dir, rel));
    else if (d.isFile() && d.name.endsWith('.lua')) out.push(rel);
  }
  return out.sort();
}

/**
 * string.dump of each file. One that does not compile is left out (and named in `skipped`): at run
 * time it is parsed and fails with the same message as without this step.
 */
export function dumpLuaFiles(api: LuaApi, luaDir: string): { entries: BytecodeEntry[]; skipped: string[] } {
  const L = api.m._luaL_newstate();
  api.m._luaL_openlibs(L);
  const entries: BytecodeEntry[] = [];
  const skipped: string[] = [];
  try {
    for (const name of luaFilesUnder(luaDir)) {
      const file = path.join(luaDir, name);
      // Stat before reading: an edit in between leaves a recorded mtime older than the file, and the
      // size or CRC then tells.
      const st = fs.statSync(file);
      api.getGlobal(L, 'string');
      api.getField(L, -1, 'dump');
      // The name is replaced by the running path at load time (lua-dump-source.ts).
      const src = fs.readFileSync(file);
      if (api.load(L, src, `@${name}`, 't') !== LUA_OK) {
        skipped.push(`${name}: ${api.toText(L, -1)}`);
      } else {
        api.pushBoolean(L, false);
        if (api.pcall(L, 2, 1) !== LUA_OK) throw new Error(`string.dump(${name}): ${api.toText(L, -1)}`);
        entries.push({ name, size: st.size, mtimeMs: st.mtimeMs, crc32: zlib.crc32(src), dump: api.toBytes(L, -1)! });
      }
      api.m._lua_settop(L, 0);
    }
  } finally {
    api.m._lua_close(L);
  }
  return { entries, skipped };
}

/** Writes the archive through a temporary file, so a process starting meanwhile never reads half of it. */
export async function buildLuaBytecode(luaDir: string, outFile: string): Promise<{ files: number; bytes: number; skipped: string[] }> {
  const { entries, skipped } = dumpLuaFiles(await LuaApi.load(), luaDir);
  const archive = encodeBytecodeArchive(entries);
  fs.mkdirSync(path.dirname(outFile), { recursive: true });
  const tmp = `${outFile}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, archive);
  fs.renameSync(tmp, outFile);
  return { files: entries.length, bytes: archive.length, skipped };
}

if (require.main === module) {
  const [luaDir = path.resolve(__dirname, '../../lua'), outFile = LUA_BYTECODE_FILE] = process.argv.slice(2);
  buildLuaBytecode(luaDir, outFile).then(({ files, bytes, skipped }) => {
    for (const s of skipped) process.stderr.write(`lua-bytecode-build: left out (parsed at run time) ${s}\n`);
    process.stdout.write(`lua-bytecode-build: ${files} files, ${bytes} bytes -> ${path.relative(process.cwd(), outFile)}\n`);
  }, (e: unknown) => {
    process.stderr.write(`lua-bytecode-build: ${(e as Error)?.stack ?? String(e)}\n`);
    process.exitCode = 1;
  });
}
