// luahttp as a library (README "Embedding"): Lua 5.4 scripts written for LuaSocket/LuaSec, run in a
// sandboxed VM thread, with the app's functions, limits and a network policy. Importing this module
// changes nothing in the process: no V8 flags, no patched globals, no global undici dispatcher.
export { createRuntime, type Runtime } from './runtime/runtime.js';
export { createPool, type Pool } from './runtime/pool.js';
export { LuaError, LimitError, PolicyError, type LimitName } from './runtime/errors.js';
export { ValueRuleError, type PlainValue } from './channel/plain-values.js';
export type { RuntimeOptions, RuntimeLimits, NetworkOptions, RunOptions, PoolOptions, HostFunction, HostFunctions } from './runtime/options.js';
export { LUAHTTP_VERSION as version } from './version.js';
export { createLuaWorker, enqueueLua, cancelLuaJob, type LuaWorker, type LuaWorkerOptions, type LuaJobSpec, type EnqueueOptions, type LuaQueueConnection, type LuaJobData } from './queue/index.js';
