// The ESM entry: the library is built as CommonJS (Node loads it faster); this re-exports it by name.
import luahttp from '../dist/index.js';

export const { createRuntime, createPool, LuaError, LimitError, PolicyError, ValueRuleError, version, createLuaWorker, enqueueLua, cancelLuaJob } = luahttp;
