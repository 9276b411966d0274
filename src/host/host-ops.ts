// What the I/O host does for each RPC from the VM. HTTP is batched so a small GET is one round trip:
// the request, its head and the first body bytes travel together.
import type { RpcHandler, RpcReply } from './rpc-server.js';
import { HttpExchange, type BodyRead, type ExchangeRequest, type ResponseHead } from './http-exchange.js';
import type { Transport } from './transport.js';
import type { ByteRing } from '../vm/byte-ring.js';

/** Largest body batch per round trip: big enough to amortise the RPC, small enough to stay flat. */
const READ_BATCH = 1024 * 1024;
const DEFAULT_CONNECT_TIMEOUT_MS = 60_000;

export interface HeadAndBody { head?: ResponseHead; error?: string; body?: BodyRead }

function withTransfer(value: HeadAndBody | BodyRead): RpcReply {
  const body = 'chunk' in value ? value : (value as HeadAndBody).body;
  return { value, transfer: body?.chunk ? [body.chunk.buffer as ArrayBuffer] : [] };
}

export function hostOps(transport: Transport, ring: ByteRing): RpcHandler {
  const exchanges = new Map<number, HttpExchange>();

  const headAndFirstBytes = async (id: number, ex: HttpExchange): Promise<RpcReply> => {
    const head = await ex.waitHead();
    if ('error' in head) { exchanges.delete(id); return { value: { error: head.error } }; }
    const body = await ex.read(READ_BATCH);
    if (body.done) exchanges.delete(id);
    return withTransfer({ head, body });
  };

  return async (msg) => {
    const id = msg.id as number;
    switch (msg.op) {
      case 'http.start': {
        const req = msg.req as ExchangeRequest;
        const timeout = req.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
        const ex = new HttpExchange(req, transport.dispatcher(timeout));
        exchanges.set(id, ex);
        if (!req.hasBody) return headAndFirstBytes(id, ex);
        return { value: {} };
      }
      case 'http.write': {
        const ex = exchanges.get(id);
        if (!ex) return { value: { error: 'closed' } };
        for (const chunk of (msg.chunks as Uint8Array[] | undefined) ?? []) {
          const err = await ex.write(chunk);
          if (err) return { value: { error: err } };
        }
        if (!msg.end) return { value: {} };
        const err = await ex.write(null);
        if (err) { exchanges.delete(id); return { value: { error: err } }; }
        return headAndFirstBytes(id, ex);
      }
      case 'http.read': {
        const ex = exchanges.get(id);
        if (!ex) return { value: { done: true, error: 'closed' } };
        const r = await ex.read(READ_BATCH);
        if (r.done || r.error) exchanges.delete(id);
        return withTransfer(r);
      }
      case 'http.stream': {
        const ex = exchanges.get(id);
        if (!ex) return { value: { error: 'closed' } };
        // The exchange stays registered until the ring has the whole body, so a failure can be reported.
        ex.streamInto(ring, () => { if (ex.error() === null) exchanges.delete(id); });
        return { value: {} };
      }
      case 'http.error': {
        const err = exchanges.get(id)?.error() ?? 'closed';
        exchanges.delete(id);
        return { value: { error: err } };
      }
      case 'http.close': {
        // The VM may have read the last byte before undici saw the end: give it a moment, so the
        // connection stays reusable instead of being destroyed.
        const ex = exchanges.get(id);
        await ex?.settled(20);
        ex?.abort();
        exchanges.delete(id);
        return { value: {} };
      }
      default:
        throw new Error(`unknown host op ${msg.op}`);
    }
  };
}
