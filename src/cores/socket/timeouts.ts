// LuaSocket's timeout.c for socket objects: a per-operation block timeout and a total timeout
// (seconds, negative = none), settimeout/gettimeout, and the retry time left for one wait.
import type { LuaApi } from '../../vm/lua-api.js';
import type { LuaArgs } from './lua-args.js';

export interface Timeouts {
  block: number;
  total: number;
  /** When the current operation started (seconds), for the total timeout. */
  start: number;
}

export const now = (): number => (performance.timeOrigin + performance.now()) / 1000;

/** timeout_getretry, in milliseconds for the host (-1 = wait forever). */
export function retryMs(o: Timeouts): number {
  let t: number;
  if (o.block < 0 && o.total < 0) return -1;
  if (o.block < 0) t = Math.max(o.total - (now() - o.start), 0);
  else if (o.total < 0) t = o.block;
  else t = Math.min(o.block, Math.max(o.total - (now() - o.start), 0));
  return t * 1000;
}

/** settimeout(t [, "b"|"t"|"r"]) on the object at arg 1: nil or negative = no limit; 0 = never wait. */
export function applySetTimeout(api: LuaApi, args: LuaArgs, L: number, o: Timeouts): void {
  const t = args.optNumber(L, 2, -1);
  const mode = args.optString(L, 3, 'b');
  if (mode[0] === 'b') o.block = t;
  else if (mode[0] === 'r' || mode[0] === 't') o.total = t;
  else api.argError(L, 3, 'invalid timeout mode');
}

/** gettimeout() → block, total (floats). */
export function pushTimeouts(api: LuaApi, L: number, o: Timeouts): number {
  api.pushNumber(L, o.block);
  api.pushNumber(L, o.total);
  return 2;
}
