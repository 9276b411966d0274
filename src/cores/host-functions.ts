// The embedder's functions as Lua sees them: plain C functions that copy their arguments out by the
// value rule, make one blocking round trip to the I/O side ("host.call", answered on the app's
// thread by the app's sync or async function) and push the copied result. Being plain blocking calls,
// they work in every Lua context: coroutines, pcall, gsub callbacks, sort comparators, metamethods,
// require-time code.
import { LuaScriptError, type LuaApi, type LuaCFunction } from '../vm/lua-api.js';
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
}

function hostFunction(api: LuaApi, io: HostCallIo, name: string): LuaCFunction {
  return (L) => {
    const n = api.top(L);
    const args: PlainValue[] = [];
    try {
      for (let i = 1; i <= n; i++) args.push(toPlain(api, L, i, `argument #${i} to '${name}'`));
    } catch (e) {
      if (e instanceof ValueRuleError) throw new LuaScriptError(e.message);
      throw e;
    }
    io.beforeCall();
    const reply = io.rpc().call<HostCallReply>({ op: 'host.call', name, args });
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
}

/** Sets each name as a global (a function, or a table of them), replacing what was there. */
export function installHostFunctions(api: LuaApi, L: number, names: HostFunctionNames, io: HostCallIo): void {
  const push = (tree: HostFunctionNames, prefix: string): void => {
    api.m._lua_createtable(L, 0, Object.keys(tree).length);
    for (const [k, v] of Object.entries(tree)) {
      if (v === true) api.pushFunction(L, hostFunction(api, io, prefix + k));
      else push(v, `${prefix}${k}.`);
      api.setField(L, -2, k);
    }
  };
  for (const [k, v] of Object.entries(names)) {
    if (v === true) api.pushFunction(L, hostFunction(api, io, k));
    else push(v, `${k}.`);
    api.m._lua_setglobal(L, api.cstr(k));
  }
}
