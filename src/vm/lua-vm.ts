// A Lua 5.4 state (wasmoon) made into a real `lua`: real files, environment and exit, luahttp's
// modules preloaded, and a blocking path to the I/O host for the network.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';
import { LuaApi, LuaType, LUA_OK, type LuaCFunction } from './lua-api.js';
import { FileTable } from './stdlib/file-table.js';
import { systemPrimitives } from './stdlib/system-primitives.js';
import type { SyncRpcClient } from './sync-rpc.js';
import type { ByteRing } from './byte-ring.js';
import { socketCore } from '../modules/socket.js';
import { httpCore } from '../modules/socket/http.js';

/** Debian's lua5.4 defaults, so modules installed by LuaRocks or apt are found (`lua5.4 -e 'print(package.path)'`). */
export const DEFAULT_LUA_PATH = '/usr/local/share/lua/5.4/?.lua;/usr/local/share/lua/5.4/?/init.lua;/usr/local/lib/lua/5.4/?.lua;/usr/local/lib/lua/5.4/?/init.lua;/usr/share/lua/5.4/?.lua;/usr/share/lua/5.4/?/init.lua;./?.lua;./?/init.lua';
export const DEFAULT_LUA_CPATH = '/usr/local/lib/lua/5.4/?.so;/usr/lib/x86_64-linux-gnu/lua/5.4/?.so;/usr/lib/lua/5.4/?.so;/usr/local/lib/lua/5.4/loadall.so;./?.so';

export const LUA_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../lua');

export interface LuaVmOptions {
  /** The I/O host's RPC client, created on first use. */
  rpc: () => SyncRpcClient;
  /** Shared memory the host streams large response bodies into. */
  ring: ByteRing;
  /** Ends the program (CLI) or the run (embedding). Never returns. */
  exit: (code: number, closeState: boolean) => never;
  /** `lua -E`: ignore LUA_PATH, LUA_CPATH and LUA_INIT. */
  noEnv?: boolean;
}

export class LuaVm {
  readonly files = new FileTable();

  private constructor(readonly api: LuaApi, readonly L: number) {}

  static async create(options: LuaVmOptions): Promise<LuaVm> {
    const api = await LuaApi.load();
    const L = api.m._luaL_newstate();
    api.m._luaL_openlibs(L);
    const vm = new LuaVm(api, L);
    vm.boot(options);
    return vm;
  }

  private boot(options: LuaVmOptions): void {
    const { api, L } = this;
    const sys: Record<string, LuaCFunction> = {
      ...systemPrimitives(api, this.files, { exit: options.exit }),
      newudata: (Ls) => { api.m._lua_newuserdatauv(Ls, 0, 0); return 1; },
    };
    this.loadRuntimeFile('runtime/boot.lua');
    api.pushFunctionTable(L, sys);
    api.m._lua_createtable(L, 0, 2);
    api.pushFunctionTable(L, socketCore(api));
    api.setField(L, -2, 'socket');
    api.pushFunctionTable(L, httpCore(api, options.rpc, options.ring));
    api.setField(L, -2, 'http');
    api.m._lua_createtable(L, 0, 4);
    api.pushText(L, LUA_ROOT);
    api.setField(L, -2, 'luaroot');
    api.pushText(L, DEFAULT_LUA_PATH);
    api.setField(L, -2, 'defaultpath');
    api.pushText(L, DEFAULT_LUA_CPATH);
    api.setField(L, -2, 'defaultcpath');
    api.pushBoolean(L, options.noEnv ?? false);
    api.setField(L, -2, 'noenv');
    if (api.pcall(L, 3, 0) !== LUA_OK) throw new Error(`luahttp boot failed: ${api.toText(L, -1)}`);
  }

  /** Loads one of luahttp's Lua files and leaves the chunk on the stack. */
  loadRuntimeFile(name: string): void {
    const file = path.join(LUA_ROOT, name);
    if (this.api.load(this.L, fs.readFileSync(file), `@${file}`) !== LUA_OK) {
      throw new Error(`luahttp: cannot load ${name}: ${this.api.toText(this.L, -1)}`);
    }
  }

  /** Pushes a Lua array of byte strings. */
  pushStringArray(items: (string | Uint8Array)[]): void {
    const { api, L } = this;
    api.m._lua_createtable(L, items.length, 0);
    items.forEach((s, i) => {
      if (typeof s === 'string') api.pushText(L, s); else api.pushBytes(L, s);
      api.m._lua_rawseti(L, -2, BigInt(i + 1));
    });
  }

  /** Runs `lua_close`: __gc metamethods and pending to-be-closed variables run, as at the end of `lua`. */
  close(): void {
    this.api.m._lua_close(this.L);
  }

  resultType(idx: number): LuaType {
    return this.api.type(this.L, idx);
  }
}
