// lauxlib-style argument checks and results shared by the socket objects (tcp.ts, udp.ts): messages
// name a userdata by its __name, as luaL_typeerror does (`bad argument #2 to 'settimeout' (number
// expected, got tcp{client})`).
import type { LuaApi, RawLua } from '../../vm/lua-api.js';
import { LuaType } from '../../vm/lua-api.js';
import type { SocketAddress } from '../../io/raw-sockets.js';
import type { ClassExports } from './socket-classes.js';

export class LuaArgs {
  private readonly m: RawLua & ClassExports;

  constructor(private readonly api: LuaApi) {
    this.m = api.m as RawLua & ClassExports;
  }

  /** LuaSocket's failure: nil, message. */
  fail(L: number, msg: string): number {
    this.api.pushNil(L);
    this.api.pushText(L, msg);
    return 2;
  }

  typeName(L: number, arg: number): string {
    if (this.api.type(L, arg) === LuaType.Userdata && this.m._lua_getmetatable(L, arg)) {
      const t = this.api.getField(L, -1, '__name');
      const name = t === LuaType.String ? this.api.toText(L, -1) : null;
      this.m._lua_settop(L, -3);
      if (name) return name;
    }
    return this.api.typeNameAt(L, arg);
  }

  checkString(L: number, arg: number): string {
    const s = this.api.toText(L, arg);
    if (s === null) this.api.argError(L, arg, `string expected, got ${this.typeName(L, arg)}`);
    return s;
  }

  optString(L: number, arg: number, dflt: string): string {
    return this.api.type(L, arg) <= LuaType.Nil ? dflt : this.checkString(L, arg);
  }

  checkNumber(L: number, arg: number): number {
    if (!this.m._lua_isnumber(L, arg)) this.api.argError(L, arg, `number expected, got ${this.typeName(L, arg)}`);
    return this.api.toNumber(L, arg);
  }

  optNumber(L: number, arg: number, dflt: number): number {
    return this.api.type(L, arg) <= LuaType.Nil ? dflt : this.checkNumber(L, arg);
  }

  /** luaL_checktype(L, arg, LUA_TTABLE)'s message, with userdata named by __name. */
  checkTable(L: number, arg: number): void {
    if (this.api.type(L, arg) !== LuaType.Table) this.api.argError(L, arg, `table expected, got ${this.typeName(L, arg)}`);
  }

  /** options.c's opt_setboolean: the option value must be a boolean. */
  optionBoolean(L: number, arg: number): boolean {
    if (this.api.type(L, arg) !== LuaType.Boolean) this.api.argError(L, arg, `boolean expected, got ${this.typeName(L, arg)}`);
    return this.api.toBoolean(L, arg);
  }

  /** options.c's opt_setint: lua_tonumber (0 for a non-number) cast to int. */
  optionInt(L: number, arg: number): number {
    return Math.trunc(this.api.toNumber(L, arg) || 0);
  }

  /** address, port, family (getsockname gives the port as a string in 3.1.0, getpeername a number). */
  pushName(L: number, a: SocketAddress, portAsString: boolean): number {
    this.api.pushText(L, a.address);
    if (portAsString) this.api.pushText(L, String(a.port)); else this.api.pushInteger(L, a.port);
    this.api.pushText(L, a.family);
    return 3;
  }
}
