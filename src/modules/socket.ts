// The JS part of `socket.core`: clocks and sleeping. Numbers are floats, as LuaSocket's C core pushes them.
import type { LuaApi, LuaCFunction } from '../vm/lua-api.js';
import { LUAHTTP_VERSION } from '../version.js';

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

export function socketCore(api: LuaApi): Record<string, LuaCFunction> {
  return {
    /** socket.gettime(): seconds since the epoch with sub-millisecond precision. */
    gettime(L) {
      api.pushNumber(L, (performance.timeOrigin + performance.now()) / 1000);
      return 1;
    },
    /** socket.sleep(s): blocks the script (never the I/O host); negative or NaN returns at once. */
    sleep(L) {
      const s = api.toNumber(L, 1);
      if (s > 0) Atomics.wait(sleepCell, 0, 0, Math.min(s, 2 ** 31 / 1000) * 1000);
      return 0;
    },
    luahttp_version(L) {
      api.pushText(L, LUAHTTP_VERSION);
      return 1;
    },
  };
}
