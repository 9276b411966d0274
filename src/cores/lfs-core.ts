// The JS half of `lfs` (LuaFileSystem 1.8.0): synchronous calls on the real filesystem, one Lua-callable
// function per system call. lua/lfs.lua gives the results lfs's shapes (argument checks, tables, the
// directory and lock objects). Every filesystem access of `lfs` is in this file, so a capability check
// (the embedding API's sandbox profile) has one place to go.
//
// Conventions: paths arrive as Lua byte strings, already cut at their first NUL (C sees no more); a
// failure returns nil, strerror's text, errno (luaL_fileresult's shape, the text added by the Lua side).
import fs from 'node:fs';
import type { LuaApi, LuaCFunction } from '../vm/lua-api.js';
import { isSystemError, systemError } from '../vm/stdlib/os-errors.js';

// stat's S_IFMT types, as lfs's mode2string names them.
const S_IFMT = 0o170000;
const MODE_NAMES: Record<number, string> = {
  0o100000: 'file', 0o040000: 'directory', 0o120000: 'link', 0o140000: 'socket',
  0o010000: 'named pipe', 0o020000: 'char device', 0o060000: 'block device',
};

function permissions(mode: bigint): string {
  const m = Number(mode);
  const flags = 'rwxrwxrwx';
  let out = '';
  for (let i = 0; i < 9; i++) out += m & (0o400 >> i) ? flags[i] : '-';
  return out;
}

/** tv_sec of a timestamp in nanoseconds (floor: a time before 1970 rounds down, as the kernel's). */
function seconds(ns: bigint): bigint {
  const s = ns / 1_000_000_000n;
  return ns < 0n && s * 1_000_000_000n !== ns ? s - 1n : s;
}

export function lfsCore(api: LuaApi): Record<string, LuaCFunction> {
  const m = api.m;
  const path = (L: number, i = 1): Buffer => Buffer.from(api.checkBytes(L, i));
  const failure = (L: number, e: unknown): number => {
    if (!isSystemError(e)) throw e;
    const { errno, message } = systemError(e);
    api.pushNil(L);
    api.pushText(L, message);
    api.pushInteger(L, errno);
    return 3;
  };
  const done = (L: number, action: () => void): number => {
    try {
      action();
    } catch (e) {
      return failure(L, e);
    }
    api.pushBoolean(L, true);
    return 1;
  };
  /** Open directories by handle; a handle is released when the iteration ends or the object closes. */
  const dirs = new Map<number, fs.Dir>();
  let nextDir = 1;

  return {
    /** stat (follow = true) or lstat: lfs's 14 members in its order, or nil, message, errno. */
    stat(L) {
      let st: fs.BigIntStats;
      try {
        st = api.toBoolean(L, 2) ? fs.statSync(path(L), { bigint: true }) : fs.lstatSync(path(L), { bigint: true });
      } catch (e) {
        return failure(L, e);
      }
      api.pushText(L, MODE_NAMES[Number(st.mode) & S_IFMT] ?? 'other');
      for (const v of [st.dev, st.ino, st.nlink, st.uid, st.gid, st.rdev,
        seconds(st.atimeNs), seconds(st.mtimeNs), seconds(st.ctimeNs), st.size]) m._lua_pushinteger(L, v);
      api.pushText(L, permissions(st.mode));
      m._lua_pushinteger(L, st.blocks);
      m._lua_pushinteger(L, st.blksize);
      return 14;
    },
    readlink(L) {
      try {
        api.pushBytes(L, fs.readlinkSync(path(L), { encoding: 'buffer' }));
        return 1;
      } catch (e) {
        return failure(L, e);
      }
    },
    // lfs creates directories rwxrwxr-x (before the umask).
    mkdir: (L) => done(L, () => fs.mkdirSync(path(L), 0o775)),
    rmdir: (L) => done(L, () => fs.rmdirSync(path(L))),
    link: (L) => done(L, () => {
      if (api.toBoolean(L, 3)) fs.symlinkSync(path(L, 1), path(L, 2)); else fs.linkSync(path(L, 1), path(L, 2));
    }),
    unlink: (L) => done(L, () => fs.unlinkSync(path(L))),
    /** utime(file, NULL) without times; else the two times in whole seconds. */
    touch: (L) => done(L, () => {
      if (api.toBoolean(L, 2)) {
        const now = Date.now() / 1000;
        fs.utimesSync(path(L), now, now);
      } else {
        // Dates, not numbers: Node reads a negative number of seconds as "now"; utime(2) takes it as 1969.
        fs.utimesSync(path(L), new Date(api.toNumber(L, 3) * 1000), new Date(api.toNumber(L, 4) * 1000));
      }
    }),
    /** A bare userdata for the directory and lock objects (lfs.lua gives it the metatable). */
    newudata(L) {
      m._lua_newuserdatauv(L, 0, 0);
      return 1;
    },
    currentdir(L) {
      api.pushBytes(L, Buffer.from(process.cwd()));
      return 1;
    },
    // process.chdir takes only a JS string: a path that is not UTF-8 cannot be reached this way. It
    // changes the directory of the whole process, which is what lfs does (io and os follow it).
    chdir(L) {
      try {
        process.chdir(path(L).toString('utf8'));
      } catch (e) {
        // An embedding runs the VM in a worker thread, where Node refuses chdir (the directory is the process's).
        if ((e as NodeJS.ErrnoException).code !== 'ERR_WORKER_UNSUPPORTED_OPERATION') return failure(L, e);
        api.pushNil(L);
        api.pushText(L, 'Operation not supported (a worker thread cannot change the process directory)');
        return 2;
      }
      api.pushBoolean(L, true);
      return 1;
    },
    /** A directory handle, or nil and strerror's text. */
    opendir(L) {
      try {
        const d = fs.opendirSync(path(L), { encoding: 'buffer' as BufferEncoding });
        const id = nextDir++;
        dirs.set(id, d);
        api.pushInteger(L, id);
        return 1;
      } catch (e) {
        return failure(L, e);
      }
    },
    /** The next name (Node's Dir leaves out "." and ".."; lfs.lua gives them first), or nil at the end. */
    readdir(L) {
      const id = api.toInteger(L, 1);
      const d = dirs.get(id);
      const entry = d?.readSync();
      if (!entry) {
        if (d) { dirs.delete(id); d.closeSync(); }
        api.pushNil(L);
        return 1;
      }
      api.pushBytes(L, entry.name as unknown as Buffer);
      return 1;
    },
    closedir(L) {
      const id = api.toInteger(L, 1);
      const d = dirs.get(id);
      if (d) { dirs.delete(id); d.closeSync(); }
      return 0;
    },
  };
}
