// A LuaSec-style userdata class (luaL_newmetatable + luaL_checkudata): one metatable named as LuaSec
// names it ("SSL:Connection", "SSL:Certificate", "SSL:Context"), methods in __index, __tostring with
// the userdata's address, __gc releasing the JS object. The userdata holds only the object's key.
import type { LuaApi, LuaCFunction, RawLua } from '../../vm/lua-api.js';
import type { ClassExports } from '../socket/socket-classes.js';
import { LuaArgs } from '../socket/lua-args.js';

export interface UdataSpec<O> {
  name: string;
  methods: () => Record<string, LuaCFunction>;
  /** __tostring text; `addr` is the userdata's address as 0x… */
  tostring: (o: O, addr: string) => string;
  collect?: (o: O) => void;
}

export class UdataClass<O> {
  private readonly objects = new Map<number, O>();
  private nextKey = 1;
  private made = false;
  private readonly m: RawLua & ClassExports;
  private readonly args: LuaArgs;

  constructor(private readonly api: LuaApi, private readonly spec: UdataSpec<O>) {
    this.m = api.m as RawLua & ClassExports;
    this.args = new LuaArgs(api);
  }

  push(L: number, o: O): void {
    this.make(L);
    const p = this.m._lua_newuserdatauv(L, 4, 0);
    const key = this.nextKey++;
    this.m.HEAP32[p >> 2] = key;
    this.objects.set(key, o);
    this.m._luaL_setmetatable(L, this.api.cstr(this.spec.name));
  }

  /** The object at arg, or null when it is not one of ours. */
  test(L: number, arg: number): O | null {
    this.make(L);
    const p = this.m._luaL_testudata(L, arg, this.api.cstr(this.spec.name));
    return p ? this.objects.get(this.m.HEAP32[p >> 2]!) ?? null : null;
  }

  /** luaL_checkudata: the object at arg or `bad argument #arg to 'f' (SSL:… expected, got …)`. */
  check(L: number, arg: number): O {
    const o = this.test(L, arg);
    if (o) return o;
    return this.api.argError(L, arg, `${this.spec.name} expected, got ${this.args.typeName(L, arg)}`);
  }

  private make(L: number): void {
    if (this.made) return;
    this.made = true;
    const { m, api, spec } = this;
    const at = (Lx: number): [number, O | undefined] => {
      const p = m._lua_touserdata(Lx, 1);
      return [p, p ? this.objects.get(m.HEAP32[p >> 2]!) : undefined];
    };
    m._luaL_newmetatable(L, api.cstr(spec.name));
    api.pushFunctionTable(L, spec.methods());
    api.setField(L, -2, '__index');
    api.pushFunction(L, (Lg) => {
      const [p, o] = at(Lg);
      if (o) { spec.collect?.(o); this.objects.delete(m.HEAP32[p >> 2]!); }
      return 0;
    });
    api.setField(L, -2, '__gc');
    api.pushFunction(L, (Lt) => {
      const [p, o] = at(Lt);
      if (!o) return api.argError(Lt, 1, `${spec.name} expected, got ${this.args.typeName(Lt, 1)}`);
      api.pushText(Lt, spec.tostring(o, `0x${p.toString(16).padStart(12, '0')}`));
      return 1;
    });
    api.setField(L, -2, '__tostring');
    m._lua_settop(L, -2);
  }
}
