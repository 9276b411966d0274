// The embedder's functions as Lua sees them: plain C functions that copy their arguments out by the
// value rule, make one blocking round trip to the I/O side ("host.call", answered on the app's
// thread by the app's sync or async function) and push the copied result. Being plain blocking calls,
// they work in every Lua context: coroutines, pcall, gsub callbacks, sort comparators, metamethods,
// require-time code. Inside luahttp's tasks the same call is submitted for a ticket and waited for by
// yielding (lua/runtime/host-call.lua), so several tasks' calls are pending at once.
import { LUA_OK, LUA_REGISTRYINDEX, LuaScriptError, type LuaApi, type LuaCFunction } from '../vm/lua-api.js';
import type { TicketPort } from '../vm/tickets.js';
import { pushPlain, toPlain } from '../vm/lua-values.js';
import { ValueRuleError, type PlainValue } from '../channel/plain-values.js';
import type { SyncRpcClient } from '../channel/sync-rpc.js';

/** Names only (functions stay on the app's side): a nested object becomes a Lua table. */
export interface HostFunctionNames { [name: string]: true | HostFunctionNames }

/** The I/O side's answer to "host.call". */
export interface HostCallReply { value?: PlainValue; none?: boolean; error?: string }

export interface HostCallIo {
  rpc: () => SyncRpcClient;
  /** Runs before each call: buffered output goes out first, so the app sees it in order. */
  beforeCall: () => void;
  /** Where tasks submit calls, with the registry reference of host-call.lua's wrapper maker (absent: always block). */
  tasks?: { tickets: TicketPort; wrapperRef: number };
}

/** The three C functions behind one host function: blocking call, submit, and results by ticket. */
function hostFunctions(api: LuaApi, io: HostCallIo, name: string, replies: Map<number, HostCallReply>): { call: LuaCFunction; start: LuaCFunction; finish: LuaCFunction } {
  const argsOf = (L: number): PlainValue[] => {
    const n = api.top(L);
    const args: PlainValue[] = [];
    try {
      for (let i = 1; i <= n; i++) args.push(toPlain(api, L, i, `argument #${i} to '${name}'`));
    } catch (e) {
      if (e instanceof ValueRuleError) throw new LuaScriptError(e.message);
      throw e;
    }
    return args;
  };
  const results = (L: number, reply: HostCallReply): number => {
    if (reply.error !== undefined) throw new LuaScriptError(reply.error);
    if (reply.none) return 0;
    try {
      pushPlain(api, L, reply.value, `result of '${name}'`);
    } catch (e) {
      if (e instanceof ValueRuleError) throw new LuaScriptError(e.message);
      throw e;
    }
    return 1;
  };
  return {
    call: (L) => {
      const args = argsOf(L);
      io.beforeCall();
      return results(L, io.rpc().call<HostCallReply>({ op: 'host.call', name, args }));
    },
    start: (L) => {
      const args = argsOf(L);
      io.beforeCall();
      const ticket = io.tasks!.tickets.submit({ op: 'host.call', name, args }, [], (r) => { replies.set(ticket, r as HostCallReply); });
      api.pushInteger(L, ticket);
      return 1;
    },
    finish: (L) => {
      const ticket = api.toInteger(L, 1);
      const reply = replies.get(ticket) ?? { error: `luahttp: the call to '${name}' was not answered` };
      replies.delete(ticket);
      return results(L, reply);
    },
  };
}

/** Sets each name as a global (a function, or a table of them), replacing what was there. */
export function installHostFunctions(api: LuaApi, L: number, names: HostFunctionNames, io: HostCallIo): void {
  const replies = new Map<number, HostCallReply>();
  const pushHostFunction = (name: string): void => {
    const fns = hostFunctions(api, io, name, replies);
    if (!io.tasks) { api.pushFunction(L, fns.call); return; }
    api.m._lua_rawgeti(L, LUA_REGISTRYINDEX, BigInt(io.tasks.wrapperRef));
    api.pushFunction(L, fns.call);
    api.pushFunction(L, fns.start);
    api.pushFunction(L, fns.finish);
    if (api.pcall(L, 3, 1) !== LUA_OK) throw new Error(`luahttp: host function '${name}': ${api.toText(L, -1)}`);
  };
  const push = (tree: HostFunctionNames, prefix: string): void => {
    api.m._lua_createtable(L, 0, Object.keys(tree).length);
    for (const [k, v] of Object.entries(tree)) {
      if (v === true) pushHostFunction(prefix + k);
      else push(v, `${prefix}${k}.`);
      api.setField(L, -2, k);
    }
  };
  for (const [k, v] of Object.entries(names)) {
    if (v === true) pushHostFunction(k);
    else push(v, `${k}.`);
    api.m._lua_setglobal(L, api.cstr(k));
  }
}
