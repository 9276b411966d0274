// The sandbox's real guard (VM side): the io/os primitives under lua/runtime/io.lua and boot.lua, with
// every path checked against the granted directories by its real path (symlinks resolved) before the
// primitive runs, and no process control. Lua code cannot reach around it: these are JS functions.
import fs from 'node:fs';
import path from 'node:path';
import type { LuaApi, LuaCFunction } from '../vm/lua-api.js';
import { LuaScriptError } from '../vm/lua-api.js';

export interface FsGrants {
  /** Directories whose files may be read (and, for `write`, written, created, removed, renamed). */
  read: string[];
  write: string[];
  /** Directories `require` may load Lua files from (the runtime's packagePath). */
  modules: string[];
}

/** The text a denial starts with (lua/runtime/sandbox.lua uses the same). */
export const SANDBOX_DENIED = 'not allowed in the luahttp sandbox: ';

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
const EACCES = 13;

/** Real paths of the granted directories; a directory that does not exist grants nothing. */
export function realDirectories(dirs: string[]): string[] {
  const out: string[] = [];
  for (const d of dirs) {
    try { out.push(fs.realpathSync.native(path.resolve(d))); } catch { /* grants nothing */ }
  }
  return out;
}

/** The real path a name would open: itself if it exists, else its real parent directory plus the name. */
function realTarget(name: string): string | null {
  const abs = path.resolve(name);
  try {
    return fs.realpathSync.native(abs);
  } catch {
    try { return path.join(fs.realpathSync.native(path.dirname(abs)), path.basename(abs)); } catch { return null; }
  }
}

function within(dirs: string[], target: string): boolean {
  return dirs.some((d) => target === d || target.startsWith(d.endsWith(path.sep) ? d : d + path.sep));
}

/** Whether a path (as Lua bytes) lies inside dirs by its real path; invalid UTF-8 never does. */
function pathWithin(bytes: Uint8Array | null, dirs: string[]): boolean {
  if (!bytes) return false;
  let name: string;
  try { name = strictUtf8.decode(bytes); } catch { return false; }
  const target = realTarget(name);
  return target !== null && within(dirs, target);
}

/** For files luahttp itself reads on a script's behalf (TLS options): inside these grants or not. */
export function readCheck(dirs: string[]): (bytes: Uint8Array | null) => boolean {
  const real = realDirectories(dirs);
  return (bytes) => pathWithin(bytes, real);
}

export function sandboxPrimitives(api: LuaApi, grants: FsGrants, env: Record<string, string>): (base: Record<string, LuaCFunction>) => Record<string, LuaCFunction> {
  const readDirs = realDirectories([...grants.read, ...grants.write]);
  const writeDirs = realDirectories(grants.write);
  const moduleDirs = realDirectories(grants.modules);

  const allowed = (L: number, arg: number, dirs: string[]): boolean => {
    const bytes = api.toBytes(L, arg);
    if (!bytes) return true; // not a string: the primitive raises its own argument error
    return pathWithin(bytes, dirs);
  };
  /** luaL_fileresult's failure for a refused path: nil, "name: Permission denied", 13. */
  const refuse = (L: number, arg: number): number => {
    api.pushNil(L);
    api.pushBytes(L, Buffer.concat([api.toBytes(L, arg) ?? Buffer.alloc(0), Buffer.from(': Permission denied')]));
    api.pushInteger(L, EACCES);
    return 3;
  };
  const deny = (what: string): LuaCFunction => () => { throw new LuaScriptError(SANDBOX_DENIED + what); };

  return (base) => ({
    ...base,
    fopen(L) {
      const mode = api.toText(L, 2) ?? 'r';
      const writes = !mode.startsWith('r') || mode.includes('+');
      return allowed(L, 1, writes ? writeDirs : readDirs) ? base.fopen!(L) : refuse(L, 1);
    },
    remove: (L) => (allowed(L, 1, writeDirs) ? base.remove!(L) : refuse(L, 1)),
    rename: (L) => (allowed(L, 1, writeDirs) && allowed(L, 2, writeDirs) ? base.rename!(L) : refuse(L, 1)),
    readfile(L) {
      if (allowed(L, 1, [...readDirs, ...moduleDirs])) return base.readfile!(L);
      api.pushNil(L);
      api.pushText(L, 'Permission denied');
      return 2;
    },
    readable(L) {
      if (allowed(L, 1, [...readDirs, ...moduleDirs])) return base.readable!(L);
      api.pushBoolean(L, false);
      return 1;
    },
    tmpfile: deny('io.tmpfile'),
    tmpname: deny('os.tmpname'),
    popen: deny('io.popen'),
    execute: deny('os.execute'),
    getenv(L) {
      const v = Object.hasOwn(env, api.toText(L, 1) ?? '') ? env[api.toText(L, 1)!] : undefined;
      if (v === undefined) api.pushNil(L); else api.pushText(L, v);
      return 1;
    },
  });
}
