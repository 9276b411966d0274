// LuaSocket's object classes as userdata (auxiliar.c): `tcp{client}`, `udp{connected}`… each a
// metatable with the methods, `class`, the `<family>{any}` and `select{able}` group flags, __gc and
// __tostring (`tcp{client}: 0x…`). Shared by TCP and UDP objects; the userdata holds the object key.
import type { LuaApi, LuaCFunction, RawLua } from '../../vm/lua-api.js';

/** Lua C API exports used for classes (present in wasmoon's build, not in RawLua's list). */
export interface ClassExports {
  _luaL_newmetatable(L: number, name: number): number;
  _luaL_setmetatable(L: number, name: number): void;
  _luaL_testudata(L: number, idx: number, name: number): number;
  _lua_gettable(L: number, idx: number): number;
  _lua_settable(L: number, idx: number): void;
  _lua_isnumber(L: number, idx: number): number;
  _lua_getmetatable(L: number, idx: number): number;
}

export interface ClassSpec<O> {
  family: 'tcp' | 'udp';
  classes: readonly string[];
  methods: () => Record<string, LuaCFunction>;
  /** Whether objects of the class take part in socket.select (select{able}). */
  selectable: (cls: string) => boolean;
  /** __gc: release what the object holds. */
  collect: (o: O) => void;
}

export class SocketClasses<O extends { cls: string }> {
  readonly objects = new Map<number, O>();
  private made = false;
  private readonly m: RawLua & ClassExports;

  constructor(private readonly api: LuaApi, private readonly spec: ClassSpec<O>) {
    this.m = api.m as RawLua & ClassExports;
  }

  private name(cls: string): number {
    return this.api.cstr(`${this.spec.family}{${cls}}`);
  }

  /** Pushes a new userdata for o under `key`, with its class metatable. */
  push(L: number, key: number, o: O): void {
    this.make(L);
    const p = this.m._lua_newuserdatauv(L, 4, 0);
    this.m.HEAP32[p >> 2] = key;
    this.objects.set(key, o);
    this.m._luaL_setmetatable(L, this.name(o.cls));
  }

  /** The object at arg 1 if its class is one of `classes`; else LuaSocket's argument error. */
  check(L: number, classes: readonly string[], expected: string): O {
    for (const c of classes) {
      const p = this.m._luaL_testudata(L, 1, this.name(c));
      if (p) {
        const o = this.objects.get(this.m.HEAP32[p >> 2]!);
        if (o) return o;
      }
    }
    return this.api.argError(L, 1, `${expected} expected`);
  }

  /** Moves the object at arg 1 to another class (master → client, unconnected → connected…). */
  setClass(L: number, o: O, cls: string): void {
    (o as { cls: string }).cls = cls;
    this.m._lua_pushvalue(L, 1);
    this.m._luaL_setmetatable(L, this.name(cls));
    this.m._lua_settop(L, -2);
  }

  private make(L: number): void {
    if (this.made) return;
    this.made = true;
    const { m, api, spec } = this;
    const methods = spec.methods();
    const objectAt = (Lo: number): [number, O | undefined] => {
      const p = m._lua_touserdata(Lo, 1);
      const key = p ? m.HEAP32[p >> 2]! : 0;
      return [p, p ? this.objects.get(key) : undefined];
    };
    for (const cls of spec.classes) {
      const name = `${spec.family}{${cls}}`;
      m._luaL_newmetatable(L, api.cstr(name));
      api.pushFunctionTable(L, methods);
      api.pushText(L, name);
      api.setField(L, -2, 'class');
      api.setField(L, -2, '__index');
      api.pushBoolean(L, true);
      api.setField(L, -2, `${spec.family}{any}`);
      if (spec.selectable(cls)) { api.pushBoolean(L, true); api.setField(L, -2, 'select{able}'); }
      api.pushFunction(L, (Lg) => {
        const [p, o] = objectAt(Lg);
        if (o) { spec.collect(o); this.objects.delete(m.HEAP32[p >> 2]!); }
        return 0;
      });
      api.setField(L, -2, '__gc');
      api.pushFunction(L, (Lt) => {
        const [p, o] = objectAt(Lt);
        api.pushText(Lt, `${spec.family}{${o?.cls ?? cls}}: 0x${p.toString(16).padStart(8, '0')}`);
        return 1;
      });
      api.setField(L, -2, '__tostring');
      m._lua_settop(L, -2);
    }
  }
}
