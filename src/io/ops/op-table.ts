// Host operations by name. Each protocol module contributes its own table (http-ops.ts, …); the RPC
// server dispatches on `op`, so adding a protocol never touches another's code.
import type { RpcHandler, RpcReply } from '../../channel/rpc-server.js';

export type OpHandler = (msg: { op: string } & Record<string, unknown>) => Promise<RpcReply>;
export type OpTable = Record<string, OpHandler>;

export function dispatchOps(...tables: OpTable[]): RpcHandler {
  const ops: OpTable = Object.assign({}, ...tables);
  return (msg) => {
    const op = ops[msg.op];
    if (!op) return Promise.reject(new Error(`unknown host op ${msg.op}`));
    return op(msg);
  };
}
