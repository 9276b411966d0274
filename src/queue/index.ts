// Scale-out (README "Scale-out"): Lua jobs on BullMQ + Redis. bullmq and ioredis load only when one
// of these functions runs.
export { createLuaWorker, type LuaWorker, type LuaWorkerOptions } from './worker.js';
export { enqueueLua, type LuaJobSpec, type EnqueueOptions } from './enqueue.js';
export { cancelLuaJob } from './cancel.js';
export type { LuaQueueConnection } from './connection.js';
export type { LuaJobData } from './job-data.js';
