// socket.select(recvt, sendt [, timeout]) as LuaSocket 3.1.0's select.c: objects are found through
// their `getfd` and `dirty` methods (so wrappers such as ltn12 endpoints work), dirty sockets count as
// readable at once, results are `{[i]=sock, [sock]=i}` in descriptor order, and a timeout returns the
// two empty tables plus "timeout". The wait itself is one operation on the host, which knows which
// sockets have buffered data, end of stream or a pending accept (inside luahttp's tasks it yields,
// src/vm/op-waiter.ts).
import type { LuaApi, LuaCFunction, RawLua } from '../../vm/lua-api.js';
import { LuaType } from '../../vm/lua-api.js';
import type { TcpObjects } from './tcp.js';
import type { ClassExports } from './socket-classes.js';
import { op, pause, type OpSteps } from '../../vm/op-waiter.js';

/** FD_SETSIZE: LuaSocket refuses more sockets (or larger descriptors) than select(2) can hold. */
const SETSIZE = 1024;

export function selectFunction(api: LuaApi, tcp: TcpObjects): LuaCFunction {
  const m = api.m as RawLua & ClassExports;

  /** Calls value[-1]:name() and leaves its one result on the stack (nil when there is no method). */
  const callMethod = (L: number, name: string): void => {
    api.pushText(L, name);
    m._lua_gettable(L, -2);
    if (api.type(L, -1) !== LuaType.Nil) {
      m._lua_pushvalue(L, -2);
      m._lua_callk(L, 1, 1, 0, 0);
    }
  };
  const getfd = (L: number): number => {
    callMethod(L, 'getfd');
    let fd = -1;
    if (m._lua_isnumber(L, -1)) {
      const n = api.toNumber(L, -1);
      fd = n >= 0 ? Math.trunc(n) : -1;
    }
    m._lua_settop(L, -2);
    return fd;
  };
  const dirty = (L: number): boolean => {
    callMethod(L, 'dirty');
    const d = api.toBoolean(L, -1);
    m._lua_settop(L, -2);
    return d;
  };

  /** Visits tab[1], tab[2], … until nil, with the item on top of the stack. */
  const each = (L: number, tab: number, visit: (i: number) => void): void => {
    for (let i = 1; ; i++) {
      api.pushNumber(L, i);
      m._lua_gettable(L, tab);
      if (api.type(L, -1) === LuaType.Nil) { m._lua_settop(L, -2); return; }
      visit(i);
      m._lua_settop(L, -2);
    }
  };

  const collect = (L: number, tab: number, itab: number, set: Set<number>): void => {
    const t = api.type(L, tab);
    if (t === LuaType.Nil) return;
    if (t !== LuaType.Table) api.argError(L, tab, `table expected, got ${api.typeNameAt(L, tab)}`);
    let n = 0;
    each(L, tab, () => {
      if (n >= SETSIZE) api.argError(L, tab, 'too many sockets');
      const fd = getfd(L);
      if (fd < 0) return;
      if (fd >= SETSIZE) api.argError(L, tab, 'descriptor too large for set size');
      set.add(fd);
      n++;
      api.pushNumber(L, fd);
      m._lua_pushvalue(L, -2);
      m._lua_settable(L, itab);
    });
  };

  const returnFds = (L: number, fds: number[], itab: number, tab: number, start: number): void => {
    for (const fd of fds.sort((a, b) => a - b)) {
      api.pushNumber(L, ++start);
      api.pushNumber(L, fd);
      m._lua_gettable(L, itab);
      m._lua_settable(L, tab);
    }
  };

  const makeAssoc = (L: number, tab: number): void => {
    const n = m._lua_rawlen(L, tab);
    for (let i = 1; i <= n; i++) {
      m._lua_rawgeti(L, tab, BigInt(i));
      api.pushNumber(L, i);
      m._lua_settable(L, tab);
    }
  };

  return tcp.waiting(function* select(L: number): OpSteps {
    const t = api.type(L, 3) <= LuaType.Nil ? -1 : (m._lua_isnumber(L, 3) ? api.toNumber(L, 3) : api.argError(L, 3, `number expected, got ${api.typeNameAt(L, 3)}`));
    m._lua_settop(L, 3);
    m._lua_createtable(L, 0, 0); const itab = 4;
    m._lua_createtable(L, 0, 0); const rtab = 5;
    m._lua_createtable(L, 0, 0); const wtab = 6;
    const rset = new Set<number>();
    const wset = new Set<number>();
    collect(L, 1, itab, rset);
    collect(L, 2, itab, wset);
    let ndirty = 0;
    if (api.type(L, 1) !== LuaType.Nil) {
      each(L, 1, () => {
        const fd = getfd(L);
        if (fd >= 0 && dirty(L)) {
          api.pushNumber(L, ++ndirty);
          m._lua_pushvalue(L, -2);
          m._lua_settable(L, rtab);
          rset.delete(fd);
        }
      });
    }
    // After shutdown("receive") a read never waits (Linux's recv returns 0 at once), so select counts it readable
    const readShut = [...rset].filter((fd) => (tcp.byFd.get(fd) as { readShut?: boolean } | undefined)?.readShut === true);
    const waitMs = ndirty > 0 || readShut.length > 0 ? 0 : t < 0 ? -1 : t * 1000;
    const ids = (set: Set<number>): number[] => [...set].flatMap((fd) => { const o = tcp.byFd.get(fd); return o ? [o.id] : []; });
    const recv = ids(rset);
    const send = ids(wset);
    let ready: { recv: number[]; send: number[] } = { recv: [], send: [] };
    if (recv.length + send.length > 0) {
      ready = yield* op<{ recv: number[]; send: number[] }>({ op: 'sock.select', recv, send, waitMs });
    } else if (waitMs !== 0) {
      // Nothing to watch: select(2) with no descriptors just sleeps (forever without a timeout).
      yield* pause(waitMs);
    }
    const fdsOf = (idsReady: number[], set: Set<number>): number[] =>
      [...set].filter((fd) => { const o = tcp.byFd.get(fd); return o !== undefined && idsReady.includes(o.id); });
    const readyRecv = fdsOf(ready.recv, rset);
    const rfds = readyRecv.concat(readShut.filter((fd) => !readyRecv.includes(fd)));
    const wfds = fdsOf(ready.send, wset);
    if (rfds.length + wfds.length > 0 || ndirty > 0) {
      returnFds(L, rfds, itab, rtab, ndirty);
      returnFds(L, wfds, itab, wtab, 0);
      makeAssoc(L, rtab);
      makeAssoc(L, wtab);
      m._lua_pushvalue(L, rtab);
      m._lua_pushvalue(L, wtab);
      return 2;
    }
    m._lua_pushvalue(L, rtab);
    m._lua_pushvalue(L, wtab);
    api.pushText(L, 'timeout');
    return 3;
  });
}
