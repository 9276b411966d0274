// The JS part of `socket.core`: clocks, sleeping, TCP and UDP objects, select and dns. Numbers are floats,
// as LuaSocket's C core pushes them.
import type { LuaApi, LuaCFunction } from '../vm/lua-api.js';
import { TcpObjects, type SocketIo } from './socket/tcp.js';
import { UdpObjects } from './socket/udp.js';
import { selectFunction } from './socket/select.js';
import { dnsFunctions } from './socket/dns.js';
import { LuaArgs } from './socket/lua-args.js';

const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Each VM's TCP objects, for LuaSec's ssl.wrap (src/cores/ssl/ssl-core.ts takes connections over). */
const tcpByApi = new WeakMap<LuaApi, TcpObjects>();
export function tcpObjectsOf(api: LuaApi): TcpObjects | undefined {
  return tcpByApi.get(api);
}

export function socketCore(api: LuaApi, io: SocketIo): Record<string, LuaCFunction> {
  const tcp = new TcpObjects(api, io);
  tcpByApi.set(api, tcp);
  const udp = new UdpObjects(api, tcp);
  const dns = dnsFunctions(api, tcp);
  const args = new LuaArgs(api);
  return {
    /** socket.gettime(): seconds since the epoch with sub-millisecond precision. */
    gettime(L) {
      api.pushNumber(L, (performance.timeOrigin + performance.now()) / 1000);
      return 1;
    },
    /** socket.sleep(s): blocks the script (never the I/O host); negative or NaN returns at once;
     *  a non-number is luaL_checknumber's argument error, as in LuaSocket. */
    sleep(L) {
      const s = args.checkNumber(L, 1);
      if (s > 0) Atomics.wait(sleepCell, 0, 0, Math.min(s, 2 ** 31 / 1000) * 1000);
      return 0;
    },
    /** socket.__unload(): LuaSocket's C core runs socket_close() here when the library is unloaded, a no-op on Unix; there is nothing to release either. */
    __unload() {
      return 0;
    },
    ...tcp.coreFunctions(),
    ...udp.coreFunctions(),
    select: selectFunction(api, tcp),
    ...Object.fromEntries(Object.entries(dns).map(([k, f]) => [`dns_${k}`, f])),
  };
}
