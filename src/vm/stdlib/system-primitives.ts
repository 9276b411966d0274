// The JS half of the `io` and `os` libraries: real files, environment, processes. The Lua half
// (lua/runtime/io.lua, os.lua) gives them the exact shapes of liolib/loslib.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { LuaApi, LuaCFunction } from '../lua-api.js';
import { LuaType } from '../lua-api.js';
import { FileTable, LuaFile } from './file-table.js';
import { isSystemError, systemError } from './os-errors.js';

export interface SystemHooks {
  /** Ends the script with an exit status (the CLI exits the process); `close` = os.exit's 2nd argument:
   *  close the Lua state first, running __gc and pending __close. Never returns. */
  exit(code: number, close: boolean): never;
}

type ShellRun = import('node:child_process').SpawnSyncReturns<Buffer>;
/** node:child_process costs ~2 ms to load and only io.popen/os.execute use it. */
function spawnSync(cmd: string, args: string[], options: import('node:child_process').SpawnSyncOptions): ShellRun {
  return (require('node:child_process') as typeof import('node:child_process')).spawnSync(cmd, args, options) as ShellRun;
}

function shellStatus(r: ShellRun): [boolean, string, number] {
  if (r.signal) return [false, 'signal', os.constants.signals[r.signal] ?? 0];
  const code = r.status ?? 1;
  return [code === 0, 'exit', code];
}

function uniqueTempPath(prefix: string): string {
  return path.join(os.tmpdir(), `${prefix}${process.pid.toString(36)}${Math.random().toString(36).slice(2, 8)}`);
}

export function systemPrimitives(api: LuaApi, files: FileTable, hooks: SystemHooks): Record<string, LuaCFunction> {
  /** luaL_fileresult(L, 0, fname): nil, "fname: strerror" (or just strerror), errno. */
  const failure = (L: number, e: unknown, fname?: Uint8Array): number => {
    if (!isSystemError(e)) throw e;
    const { errno, message } = systemError(e);
    api.pushNil(L);
    if (fname) api.pushBytes(L, Buffer.concat([fname, Buffer.from(`: ${message}`)]));
    else api.pushText(L, message);
    api.pushInteger(L, errno);
    return 3;
  };
  const fileArg = (L: number, i = 1): LuaFile => files.get(api.toInteger(L, i));
  const pushStatus = (L: number, [ok, what, code]: [boolean, string, number]): number => {
    if (ok) api.pushBoolean(L, true); else api.pushNil(L);
    api.pushText(L, what);
    api.pushInteger(L, code);
    return 3;
  };

  return {
    fopen(L) {
      const name = api.checkBytes(L, 1);
      const mode = api.toText(L, 2) ?? 'r';
      try {
        api.pushInteger(L, files.open(Buffer.from(name), mode));
        return 1;
      } catch (e) {
        return failure(L, e, name);
      }
    },
    fclose(L) {
      const id = api.toInteger(L, 1);
      const f = files.get(id);
      try {
        f.close();
      } catch (e) {
        return failure(L, e);
      } finally {
        files.release(id);
      }
      if (f.onClose) return pushStatus(L, f.onClose() as [boolean, string, number]);
      api.pushBoolean(L, true);
      return 1;
    },
    fread(L) {
      const f = fileArg(L);
      let out: Uint8Array | null;
      try {
        if (api.type(L, 2) === LuaType.Number) out = f.readBytes(Math.max(0, api.toInteger(L, 2)));
        else {
          const fmt = api.toText(L, 2);
          if (fmt === 'l' || fmt === 'L') out = f.readLine(fmt === 'L');
          else if (fmt === 'a') out = f.readAll();
          else out = f.readNumeral();
        }
      } catch (e) {
        return failure(L, e);
      }
      if (out === null) api.pushNil(L); else api.pushBytes(L, out);
      return 1;
    },
    fwrite(L) {
      const f = fileArg(L);
      try {
        f.write(api.checkBytes(L, 2));
      } catch (e) {
        return failure(L, e);
      }
      api.pushBoolean(L, true);
      return 1;
    },
    fseek(L) {
      const f = fileArg(L);
      try {
        api.pushInteger(L, f.seek(api.toText(L, 2) as 'set' | 'cur' | 'end', api.toInteger(L, 3)));
        return 1;
      } catch (e) {
        return failure(L, e);
      }
    },
    /** print's output: lua.c's lua_writestring then lua_writeline, which fflush(stdout) after every
     *  print whatever the buffering (so print reaches a pipe at once); write errors are ignored there too. */
    printline(L) {
      const out = files.get(1);
      try {
        out.write(api.checkBytes(L, 1));
        out.flush();
      } catch (e) {
        if (!isSystemError(e)) throw e;
      }
      return 0;
    },
    fflush(L) {
      try {
        fileArg(L).flush();
      } catch (e) {
        return failure(L, e);
      }
      api.pushBoolean(L, true);
      return 1;
    },
    fsetvbuf(L) {
      const f = fileArg(L);
      f.flush();
      f.bufferMode = api.toText(L, 2) as 'no' | 'full' | 'line';
      f.bufferSize = api.optInteger(L, 3, 4096);
      api.pushBoolean(L, true);
      return 1;
    },
    tmpfile(L) {
      const name = uniqueTempPath('lua_');
      try {
        const id = files.open(Buffer.from(name), 'w+');
        fs.unlinkSync(name);
        api.pushInteger(L, id);
        return 1;
      } catch (e) {
        return failure(L, e);
      }
    },
    popen(L) {
      const cmd = Buffer.from(api.checkBytes(L, 1)).toString('latin1');
      const mode = api.toText(L, 2) ?? 'r';
      files.get(1).flush();
      const tmp = uniqueTempPath('luahttp_popen_');
      if (mode.startsWith('r')) {
        const out = fs.openSync(tmp, 'w+');
        fs.unlinkSync(tmp);
        const status = shellStatus(spawnSync('/bin/sh', ['-c', cmd], { stdio: ['inherit', out, 'inherit'] }));
        const f = new LuaFile(out, false, true);
        f.onClose = () => status;
        api.pushInteger(L, files.add(f));
      } else {
        const f = new LuaFile(fs.openSync(tmp, 'w+'), false, true, 'no');
        f.onClose = () => {
          const reader = fs.openSync(tmp, 'r');
          fs.unlinkSync(tmp);
          try {
            return shellStatus(spawnSync('/bin/sh', ['-c', cmd], { stdio: [reader, 'inherit', 'inherit'] }));
          } finally {
            fs.closeSync(reader);
          }
        };
        api.pushInteger(L, files.add(f));
      }
      return 1;
    },
    remove(L) {
      const name = api.checkBytes(L, 1);
      try {
        try {
          fs.unlinkSync(Buffer.from(name));
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code !== 'EISDIR' && code !== 'EPERM') throw e;
          fs.rmdirSync(Buffer.from(name)); // C remove() deletes empty directories too
        }
      } catch (e) {
        return failure(L, e, name);
      }
      api.pushBoolean(L, true);
      return 1;
    },
    rename(L) {
      const from = api.checkBytes(L, 1);
      const to = api.checkBytes(L, 2);
      try {
        fs.renameSync(Buffer.from(from), Buffer.from(to));
      } catch (e) {
        // Lua 5.4's os_rename reports the bare strerror (luaL_fileresult without a file name), unlike os.remove.
        return failure(L, e);
      }
      api.pushBoolean(L, true);
      return 1;
    },
    tmpname(L) {
      // Like mkstemp: the file exists (empty) when the name is returned.
      for (let i = 0; i < 100; i++) {
        const name = path.join('/tmp', `lua_${Math.random().toString(36).slice(2, 8)}`);
        try {
          fs.closeSync(fs.openSync(name, 'wx', 0o600));
          api.pushText(L, name);
          return 1;
        } catch { /* name taken: try another */ }
      }
      throw new Error('unable to generate a unique filename');
    },
    getenv(L) {
      const v = process.env[api.toText(L, 1) ?? ''];
      if (v === undefined) api.pushNil(L); else api.pushText(L, v);
      return 1;
    },
    exit(L) {
      files.flushAll();
      return hooks.exit(api.toInteger(L, 1), api.toBoolean(L, 2));
    },
    execute(L) {
      if (api.type(L, 1) <= LuaType.Nil) { api.pushBoolean(L, true); return 1; }
      files.flushAll();
      const cmd = Buffer.from(api.checkBytes(L, 1)).toString('latin1');
      return pushStatus(L, shellStatus(spawnSync('/bin/sh', ['-c', cmd], { stdio: 'inherit' })));
    },
    readfile(L) {
      const name = api.checkBytes(L, 1);
      try {
        api.pushBytes(L, fs.readFileSync(Buffer.from(name)));
        return 1;
      } catch (e) {
        if (!isSystemError(e)) throw e;
        api.pushNil(L);
        api.pushText(L, systemError(e).message);
        return 2;
      }
    },
    readable(L) {
      try {
        fs.closeSync(fs.openSync(Buffer.from(api.checkBytes(L, 1)), 'r'));
        api.pushBoolean(L, true);
      } catch {
        api.pushBoolean(L, false);
      }
      return 1;
    },
    clock(L) {
      const u = process.cpuUsage();
      api.pushNumber(L, (u.user + u.system) / 1e6);
      return 1;
    },
  };
}
