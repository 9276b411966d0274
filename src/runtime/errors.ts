// The library's errors (README "Embedding: errors"). Only copied data: a LuaError carries the error
// value as plain JS data (the value rule), never a reference into the VM.
import type { PlainValue } from '../channel/plain-values.js';

/** A Lua error the script did not catch, or a chunk that does not compile. */
export class LuaError extends Error {
  /** Lua's traceback; chunk names are the script's (`chunkName`) and `luahttp/...` for luahttp's own files. */
  readonly traceback: string;
  /** The error value itself (a string for `error("x")`, a table's copy for `error({code = 1})`). */
  readonly value: PlainValue;

  constructor(message: string, traceback: string, value: PlainValue) {
    super(message);
    this.name = 'LuaError';
    this.traceback = traceback;
    this.value = value;
  }
}

/** Which limit ended a run; the names of `limits` without their unit. */
export type LimitName = 'timeout' | 'cpu' | 'memory' | 'output' | 'responseBytes' | 'requests' | 'concurrentRequests';

/** A limit ended the run. The runtime stays usable (its VM is replaced when the limit killed it). */
export class LimitError extends Error {
  readonly limit: LimitName;

  constructor(limit: LimitName, message: string) {
    super(message);
    this.name = 'LimitError';
    this.limit = limit;
  }
}

/**
 * The sandbox stopped the run: the script called something the profile does not allow (os.execute,
 * io.popen, …) and did not catch the error. Network policy refusals are not errors: LuaSocket's
 * calls return `nil, "<reason>"` and the script decides.
 */
export class PolicyError extends LuaError {
  constructor(message: string, traceback: string, value: PlainValue) {
    super(message, traceback, value);
    this.name = 'PolicyError';
  }
}

/** The run's `signal` was aborted (also when it already was before the run began). */
export function abortError(): Error {
  return new DOMException('The operation was aborted', 'AbortError');
}
