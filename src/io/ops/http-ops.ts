// The I/O host's HTTP operations. HTTP is batched so a small GET is one round trip: the request, its
// head and the first body bytes travel together.
import type { RpcReply } from '../../channel/rpc-server.js';
import { HttpExchange, type BodyRead, type ExchangeRequest, type ResponseHead } from '../http-exchange.js';
import type { Transport } from '../transport.js';
import type { ByteRing } from '../../channel/byte-ring.js';
import type { OpTable } from './op-table.js';

/** Largest body batch per round trip: big enough to amortise the RPC, small enough to stay flat. */
const READ_BATCH = 1024 * 1024;

export interface HeadAndBody { head?: ResponseHead; error?: string; body?: BodyRead }

/** Across threads: the pieces become one transferable buffer (undici's Buffers share pooled memory). */
function packed(body: BodyRead): ArrayBuffer[] {
  const pieces = body.pieces ?? [];
  const chunk = new Uint8Array(pieces.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of pieces) { chunk.set(p, off); off += p.length; }
  body.chunk = chunk;
  body.sizes = pieces.map((p) => p.length);
  delete body.pieces;
  return [chunk.buffer as ArrayBuffer];
}

export function httpOps(transport: Transport, ring: ByteRing, crossThread: boolean): OpTable {
  const exchanges = new Map<number, HttpExchange>();

  const headAndFirstBytes = async (id: number, ex: HttpExchange): Promise<RpcReply> => {
    const head = await ex.waitHead();
    if ('error' in head) { exchanges.delete(id); return { value: { error: head.error } }; }
    const body = await ex.read(READ_BATCH);
    if (body.done) exchanges.delete(id);
    if (!crossThread) return { value: { head, body } };
    // undici's header Buffers are views into the socket's read buffer; cloned as they are, each
    // would carry that whole buffer to the other thread.
    return { value: { head: { ...head, statusLine: new Uint8Array(head.statusLine), headers: head.headers.map((b) => new Uint8Array(b)) }, body }, transfer: packed(body) };
  };

  const exchange = (msg: Record<string, unknown>): HttpExchange | undefined => exchanges.get(msg.id as number);

  return {
    'http.start': async (msg) => {
      // With a body, the first batch of it comes along; complete = the VM had all of it (then the
      // request can be sent again if its pooled connection turns out closed, see HttpExchange).
      const req = msg.req as ExchangeRequest;
      const complete = msg.end !== false;
      const ex = new HttpExchange(req, transport, { chunks: (msg.chunks as Uint8Array[] | undefined) ?? [], complete });
      exchanges.set(msg.id as number, ex);
      if (complete) return headAndFirstBytes(msg.id as number, ex);
      return { value: {} };
    },
    'http.write': async (msg) => {
      const ex = exchange(msg);
      if (!ex) return { value: { error: 'closed' } };
      for (const chunk of (msg.chunks as Uint8Array[] | undefined) ?? []) {
        const err = await ex.write(chunk);
        if (err) return { value: { error: err } };
      }
      if (!msg.end) return { value: {} };
      const err = await ex.write(null);
      if (err) { exchanges.delete(msg.id as number); return { value: { error: err } }; }
      return headAndFirstBytes(msg.id as number, ex);
    },
    'http.read': async (msg) => {
      const ex = exchange(msg);
      if (!ex) return { value: { done: true, error: 'closed' } };
      const r = await ex.read(READ_BATCH);
      if (r.done || r.error) exchanges.delete(msg.id as number);
      return { value: r, transfer: crossThread ? packed(r) : [] };
    },
    'http.stream': async (msg) => {
      const ex = exchange(msg);
      if (!ex) return { value: { error: 'closed' } };
      // The exchange stays registered until the ring has the whole body, so a failure can be reported.
      ex.streamInto(ring, () => { if (ex.error() === null) exchanges.delete(msg.id as number); });
      return { value: {} };
    },
    'http.error': async (msg) => {
      const err = exchange(msg)?.error() ?? 'closed';
      exchanges.delete(msg.id as number);
      return { value: { error: err } };
    },
    'http.close': async (msg) => {
      // The VM may have read the last byte before undici saw the end: give it a moment, so the
      // connection stays reusable instead of being destroyed. Not when the script dropped the
      // request: then the rest of the response is unwanted, and the socket goes at once.
      const ex = exchange(msg);
      if (!msg.drop) await ex?.settled(20);
      ex?.abort();
      exchanges.delete(msg.id as number);
      return { value: {} };
    },
  };
}
