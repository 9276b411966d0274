export const LUAHTTP_VERSION = "0.1.0";
