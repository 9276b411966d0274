// socket.dns (LuaSocket's inet.c): toip/tohostname behave like gethostbyname/gethostbyaddr (IPv4,
// errors are h_errno's "host not found"), getaddrinfo/getnameinfo like their POSIX namesakes (errors
// are gai_strerror texts). The lookups run on the I/O host, one operation each (yielding inside
// luahttp's tasks, src/vm/op-waiter.ts).
import type { LuaApi, LuaCFunction } from '../../vm/lua-api.js';
import { LuaScriptError, LuaType } from '../../vm/lua-api.js';
import type { TcpObjects } from './tcp.js';
import { EAI_SERVICE, resolveService } from './services.js';
import { op, type OpSteps } from '../../vm/op-waiter.js';

interface Resolved { name?: string; ip?: string[]; error?: string }

export function dnsFunctions(api: LuaApi, tcp: TcpObjects): Record<string, LuaCFunction> {
  const m = api.m;
  const checkString = (L: number, arg: number): string => {
    const s = api.toText(L, arg);
    if (s === null) api.argError(L, arg, `string expected, got ${api.typeNameAt(L, arg)}`);
    return s;
  };
  const fail = (L: number, msg: string): number => { api.pushNil(L); api.pushText(L, msg); return 2; };
  const pushArray = (L: number, items: string[]): void => {
    m._lua_createtable(L, items.length, 0);
    items.forEach((s, i) => { api.pushText(L, s); m._lua_rawseti(L, -2, BigInt(i + 1)); });
  };
  /** inet_pushresolved: {name=, alias={}, ip={…}} */
  const pushResolved = (L: number, r: Resolved): void => {
    m._lua_createtable(L, 0, 3);
    api.pushText(L, r.name!);
    api.setField(L, -2, 'name');
    pushArray(L, []);
    api.setField(L, -2, 'alias');
    pushArray(L, r.ip!);
    api.setField(L, -2, 'ip');
  };
  const hostbyname = (L: number): OpSteps<Resolved> => op<Resolved>({ op: 'dns.hostbyname', host: checkString(L, 1) });

  return {
    /** dns.toip(address) → first IPv4 address, resolved | nil, "host not found" */
    toip: tcp.waiting(function* toip(L: number): OpSteps {
      const r = yield* hostbyname(L);
      if (r.error || !r.ip?.length) return fail(L, r.error ?? 'host not found');
      api.pushText(L, r.ip[0]!);
      pushResolved(L, r);
      return 2;
    }),
    /** dns.tohostname(address) → canonical name, resolved | nil, "host not found" */
    tohostname: tcp.waiting(function* tohostname(L: number): OpSteps {
      const r = yield* hostbyname(L);
      if (r.error || !r.ip?.length) return fail(L, r.error ?? 'host not found');
      api.pushText(L, r.name!);
      pushResolved(L, r);
      return 2;
    }),
    /** dns.gethostname() → this machine's name */
    gethostname(L) {
      api.pushText(L, tcp.call<{ name: string }>({ op: 'dns.gethostname' }).name);
      return 1;
    },
    /** dns.getaddrinfo(host) → { {family="inet"|"inet6", addr=…}, … } | nil, err */
    getaddrinfo: tcp.waiting(function* getaddrinfo(L: number): OpSteps {
      const r = yield* op<{ list?: { family: string; address: string }[]; error?: string }>({ op: 'dns.getaddrinfo', host: checkString(L, 1) });
      if (r.error || !r.list) return fail(L, r.error ?? 'host or service not provided, or not known');
      m._lua_createtable(L, r.list.length, 0);
      r.list.forEach((a, i) => {
        m._lua_createtable(L, 0, 2);
        api.pushText(L, a.family);
        api.setField(L, -2, 'family');
        api.pushText(L, a.address);
        api.setField(L, -2, 'addr');
        m._lua_rawseti(L, -2, BigInt(i + 1));
      });
      return 1;
    }),
    /** dns.getnameinfo(host, serv) → names [, service] | nil, err; both nil is an error. */
    getnameinfo: tcp.waiting(function* getnameinfo(L: number): OpSteps {
      const host = api.type(L, 1) <= LuaType.Nil ? null : checkString(L, 1);
      const serv = api.type(L, 2) <= LuaType.Nil ? null : checkString(L, 2);
      if (host === null && serv === null) throw new LuaScriptError('host and serv cannot be both nil');
      // LuaSocket resolves host and serv with getaddrinfo (SOCK_STREAM) before asking for names
      const service = serv === null ? null : resolveService(serv, 'tcp');
      if (service !== null && 'error' in service) return fail(L, EAI_SERVICE);
      const port = service === null ? null : service.port;
      const r = yield* op<{ names?: string[]; service?: string; error?: string }>({ op: 'dns.getnameinfo', host, port });
      if (r.error) return fail(L, r.error);
      pushArray(L, r.names ?? []);
      if (serv === null) return 1;
      api.pushText(L, r.service ?? serv);
      return 2;
    }),
  };
}
