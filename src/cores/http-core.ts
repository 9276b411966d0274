// The JS core under lua/socket/http.lua: one HTTP exchange as blocking steps (send body, receive
// head, receive body), each at most one round trip to an I/O host. Request bodies are batched,
// response bodies arrive in batches and are handed to Lua in LuaSocket-sized chunks.
//
// Two ways to wait (chosen per exchange, see HttpIo): where the script can yield, the step submits the
// operation for a ticket (src/vm/tickets.ts) and returns PENDING; lua/socket/http.lua yields to the
// driver and calls continue(h) when it is done. Where it cannot (gsub callbacks, require loaders, …)
// the step is a blocking RPC to the I/O host.
import type { ProgressMeter } from './progress-meter.js';
import type { LuaApi, LuaCFunction } from '../vm/lua-api.js';
import type { TicketPort } from '../vm/tickets.js';
import { LuaType } from '../vm/lua-api.js';
import { HostDiedError, type SyncRpcClient } from '../channel/sync-rpc.js';
import { RING_ENDED, RING_OPEN, type ByteRing } from '../channel/byte-ring.js';
import type { HeadAndBody } from '../io/ops/http-ops.js';
import type { BodyRead } from '../io/http-exchange.js';
import type { ExchangeRequest } from '../io/http-exchange.js';
import { EAI_NONAME, EAI_SERVICE, resolvableHost, resolveService } from './socket/services.js';
import { PieceQueue } from '../channel/piece-queue.js';

/** ltn12.BLOCKSIZE: LuaSocket's socket sources hand the sink chunks of this size. */
const BLOCKSIZE = 2048;
/** Body framing, as LuaSocket's socket.source modes (lua/socket/http.lua passes the number). */
const BODY_LENGTH = 1;
/** 2 = until-closed: the default branch of receive(). */
const BODY_CHUNKED = 3;
/** Request body bytes gathered before a round trip. */
const SEND_BATCH = 64 * 1024;
/** Open exchanges below which request() never asks for a collection (see crowdedAfter). */
const COLLECT_AT_LEAST = 8;

/** A step's remainder, run with the operation's reply (now or after the script's wait). */
type Continuation = (L: number, reply: any) => number; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface HttpIo {
  /** The I/O host thread, reached by blocking RPC. */
  rpc: () => SyncRpcClient;
  /** Shared memory the host thread streams large bodies into. */
  ring: ByteRing;
  /** Operations for scripts that wait by yielding (absent: always block). */
  tickets?: TicketPort;
  /** Pushes the PENDING marker lua/socket/http.lua recognises. */
  pushPending?: (L: number) => void;
  /** `--progress`: told of each response body's bytes (src/cores/progress-meter.ts). */
  progress?: ProgressMeter;
}

interface ClientExchange {
  /** Its number among the script's exchanges (the progress meter's key). */
  id?: number;
  req: ExchangeRequest;
  /** Waited for by yielding, with tickets (else: blocking RPC to the host). */
  yields: boolean;
  cont: Continuation | null;
  reply: unknown;
  started: boolean;
  pending: Uint8Array[];
  pendingLen: number;
  /** Received body pieces not yet handed to Lua (undici's: cut where socket reads end), with
   *  whether their HTTP chunk goes on (BodyRead.continues) and whether they are views into the ring. */
  pieces: PieceQueue;
  buffered: number;
  /** The host has delivered the whole body (pieces may still hold some of it). */
  done: boolean;
  error: string | null;
  /** The rest of the body streams through the shared ring (large bodies). */
  streaming: boolean;
  /** Body bytes left under Content-Length framing (LuaSocket's "by-length" source). */
  remaining: number | null;
  /** The head says Transfer-Encoding: chunked (undici writes that itself, see flush). */
  chunked: boolean;
  /** Until-closed framing: the last (partial) block was handed over. */
  partialGiven?: boolean;
}


/**
 * undici owns connection management and body framing and throws on these headers; LuaSocket sends
 * them verbatim. Framing stays the same (undici chunks a body without Content-Length), and a script's
 * `Connection: close` is kept; the rest is dropped (README "Porting").
 */
function undiciHeaders(flat: string[]): { headers: string[]; chunked: boolean } {
  const out: string[] = [];
  let chunked = false;
  for (let i = 0; i + 1 < flat.length; i += 2) {
    const name = flat[i]!.toLowerCase();
    let value = flat[i + 1]!;
    if (name === 'transfer-encoding') { chunked ||= value.trim().toLowerCase() === 'chunked'; continue; }
    if (name === 'keep-alive' || name === 'upgrade' || name === 'expect') continue;
    if (name === 'connection') {
      if (!/\bclose\b/i.test(value)) continue;
      value = 'close';
    }
    out.push(flat[i]!, value);
  }
  return { headers: out, chunked };
}

export function httpCore(api: LuaApi, io: HttpIo): Record<string, LuaCFunction> {
  const { rpc, ring } = io;

  /** The luahttp/LuaSec extras of a request (see request()). */
  const readExtras = (L: number, idx: number, req: ExchangeRequest): void => {
    const field = (name: string): LuaType => api.getField(L, idx, name);
    const pop = (): void => api.m._lua_settop(L, -2);
    if (field('verify') === LuaType.Boolean) (req.tls ??= {}).verify = api.toBoolean(L, -1);
    pop();
    if (field('cafile') === LuaType.String) (req.tls ??= {}).cafile = api.toText(L, -1)!;
    pop();
    if (field('capath') === LuaType.String) (req.tls ??= {}).capath = api.toText(L, -1)!;
    pop();
    for (const name of ['certificate', 'key', 'password'] as const) {
      if (field(name) === LuaType.String) (req.tls ??= {})[name] = api.toText(L, -1)!;
      pop();
    }
    const proxyType = field('proxy');
    if (proxyType === LuaType.String) req.proxy = api.toText(L, -1)!;
    else if (proxyType === LuaType.Boolean && !api.toBoolean(L, -1)) req.proxy = null;
    pop();
    if (field('deadline') === LuaType.Number) req.deadlineMs = api.toNumber(L, -1) * 1000;
    pop();
    if (field('compressed') === LuaType.Boolean) req.compressed = api.toBoolean(L, -1);
    pop();
  };
  const exchanges = new Map<number, ClientExchange>();
  let nextId = 1;
  /** Open exchanges at which request() asks http.lua for a full collection (see crowdedAfter). */
  let collectAt = COLLECT_AT_LEAST;
  /**
   * Whether so many exchanges are open that abandoned coroutines may be holding some: their guards
   * only run when Lua collects them, and Lua cannot see the bodies and sockets they keep outside its
   * heap. The mark doubles when a collection freed nothing (the exchanges are really in use), so
   * the cost stays amortised, and drops back once they are closed.
   */
  const crowdedAfter = (open: number): boolean => {
    if (open >= collectAt) { collectAt = open * 2; return true; }
    if (open * 4 < collectAt) collectAt = Math.max(COLLECT_AT_LEAST, open * 2);
    return false;
  };

  /** Runs one host operation for the exchange, then `cont` with its reply. */
  const blockOn = (L: number, ex: ClientExchange, msg: { op: string } & Record<string, unknown>, transfer: ArrayBuffer[], cont: Continuation): number => {
    if (!ex.yields) return cont(L, rpc().call(msg, transfer));
    ex.cont = cont;
    io.tickets!.submit(msg, transfer, (r) => { ex.reply = r; });
    io.pushPending!(L);
    return 1;
  };
  const fail = (L: number, msg: string): number => {
    api.pushNil(L);
    api.pushText(L, msg);
    return 2;
  };

  /**
   * Sends the gathered body chunks (each stays one HTTP chunk, as LuaSocket sends them). The first
   * batch starts the request: a body that fits in it goes whole, so the host can send it again.
   */
  const flush = (L: number, id: number, ex: ClientExchange, end: boolean, cont: Continuation): number => {
    const chunks = ex.pending;
    ex.pending = [];
    ex.pendingLen = 0;
    const transfer = chunks.map((c) => c.buffer as ArrayBuffer);
    if (ex.started) return blockOn(L, ex, { op: 'http.write', id, chunks, end }, transfer, cont);
    ex.started = true;
    if (end && ex.req.hasBody && chunks.length === 0) {
      // The source gave nothing: a request without body for undici, which then frames it as LuaSocket
      // would an empty chunked body where it can (src/io/verbatim-headers.ts).
      ex.req.hasBody = false;
      ex.req.emptyChunked = ex.chunked;
    }
    return blockOn(L, ex, { op: 'http.start', id, req: ex.req, chunks, end }, transfer, cont);
  };

  /** More body: true = got some, false = no more (done or failed), a number = waiting (Lua results). */
  const more = (L: number, id: number, ex: ClientExchange, again: (L: number) => number): boolean | number => {
    if (ex.error || ex.done) return false;
    if (!ex.yields) return fill(id, ex);
    return blockOn(L, ex, { op: 'http.read', id }, [], (Lr, r: BodyRead) => { takeBatch(ex, r); return again(Lr); });
  };

  /** Adds the next received piece(s); false when nothing more will come (done or error). */
  const fill = (id: number, ex: ClientExchange): boolean => {
    for (;;) {
      if (ex.error || ex.done) return false;
      if (!ex.streaming) {
        // The first batch did not hold the whole body: stream the rest through shared memory.
        const r = rpc().call<{ error?: string }>({ op: 'http.stream', id });
        if (r.error) { ex.error = r.error; return false; }
        ex.streaming = true;
      }
      const record = ring.claimRecord(1000);
      if (record) {
        if (record.length === 0) { ring.release(); continue; }
        addPiece(ex, record, true, ring.lastContinues);
        return true;
      }
      const state = ring.state();
      if (state === RING_ENDED) { ex.done = true; return false; }
      if (state !== RING_OPEN) {
        ex.error = rpc().call<{ error?: string }>({ op: 'http.error', id }).error ?? 'closed';
        return false;
      }
      if (rpc().hostDied()) throw new HostDiedError('luahttp I/O host stopped unexpectedly');
    }
  };

  const addPiece = (ex: ClientExchange, piece: Uint8Array, inRing = false, continues = false): void => {
    if (piece.length === 0) return;
    if (io.progress) io.progress.advance(ex.id!, piece.length);
    ex.pieces.push(piece, continues, inRing);
    ex.buffered += piece.length;
  };

  /** Drops the first piece (fully consumed), returning ring space to the host. */
  const shiftPiece = (ex: ClientExchange): void => {
    if (ex.pieces.shift()?.inRing) ring.release();
  };

  const takeBatch = (ex: ClientExchange, r: BodyRead | undefined): void => {
    if (!r) return;
    (r.pieces ?? []).forEach((p, i) => addPiece(ex, p, false, r.continues?.[i]));
    let off = 0;
    (r.sizes ?? []).forEach((n, i) => { addPiece(ex, r.chunk!.subarray(off, off + n), false, r.continues?.[i]); off += n; });
    if (r.error) ex.error = r.error;
    ex.done = r.done;
  };

  /** Bytes through the first piece that ends its HTTP chunk; 0 while that chunk is incomplete. */
  const chunkLength = (ex: ClientExchange): number => {
    let n = 0;
    for (let i = 0, p = ex.pieces.at(0); p; p = ex.pieces.at(++i)) {
      n += p.bytes.length;
      if (!p.continues) return n;
    }
    return 0;
  };

  /** Pushes the next n buffered bytes as one Lua string. */
  const pushTake = (L: number, ex: ClientExchange, n: number): void => {
    const first = ex.pieces.at(0)!;
    if (first.bytes.length >= n) {
      api.pushBytes(L, first.bytes.subarray(0, n));
      if (first.bytes.length === n) shiftPiece(ex); else first.bytes = first.bytes.subarray(n);
    } else {
      // Copied into Lua before any piece is dropped: ring pieces are views into shared memory that
      // shiftPiece hands back to the host.
      const parts: Uint8Array[] = [];
      for (let i = 0, off = 0; off < n; i++) {
        const p = ex.pieces.at(i)!.bytes;
        parts.push(p.subarray(0, Math.min(p.length, n - off)));
        off += p.length;
      }
      api.pushByteParts(L, parts, n);
      for (let off = 0; off < n;) {
        const p = ex.pieces.at(0)!;
        const k = Math.min(p.bytes.length, n - off);
        off += k;
        if (k === p.bytes.length) shiftPiece(ex); else p.bytes = p.bytes.subarray(k);
      }
    }
    ex.buffered -= n;
  };

  const finishBody = (L: number, id: number, ex: ClientExchange, err: string | null): number => {
    exchanges.delete(id);
    if (err) return fail(L, err);
    api.pushNil(L);
    return 1;
  };

  return {
    /**
     * dialport(host, port) → port | nil, err. LuaSocket's connect hands both to getaddrinfo as
     * strings, the service first: "http", "+80", " 80" and "70000" (→ 4464) are ports, "abc" and
     * "-1" fail with EAI_SERVICE, "a%62c" or "h:1" as a host with EAI_NONAME, where undici would
     * parse or refuse them as URL syntax ("Invalid URL").
     */
    dialport(L) {
      const service = resolveService(api.toText(L, 2) ?? '', 'tcp');
      if ('error' in service) return fail(L, EAI_SERVICE);
      if (!resolvableHost(api.toText(L, 1) ?? '')) return fail(L, EAI_NONAME);
      api.pushInteger(L, service.port);
      return 1;
    },
    /**
     * request(origin, method, target, {name, value, …}, hasbody, timeout, canyield [, extras]) → handle
     * (no I/O yet). extras (http.lua builds it): verify (boolean), cafile, capath, certificate, key, password, proxy (string: tunnel
     * through it; false: none, the script's proxy is already addressed), deadline (seconds), compressed.
     */
    request(L) {
      const headers: string[] = [];
      const n = api.m._lua_rawlen(L, 4);
      for (let i = 1; i <= n; i++) {
        api.m._lua_rawgeti(L, 4, BigInt(i));
        headers.push(api.toLatin1(L, -1) ?? '');
        api.m._lua_settop(L, -2);
      }
      const timeout = api.type(L, 6) === LuaType.Number ? api.toNumber(L, 6) : -1;
      const wire = undiciHeaders(headers);
      const req: ExchangeRequest = {
        origin: api.toText(L, 1)!,
        method: api.toLatin1(L, 2) ?? 'GET',
        path: api.toLatin1(L, 3) ?? '/',
        headers: wire.headers,
        hasBody: api.toBoolean(L, 5),
        timeoutMs: timeout < 0 ? null : timeout * 1000,
      };
      if (api.type(L, 8) === LuaType.Table) readExtras(L, 8, req);
      const id = nextId++;
      const yields = api.toBoolean(L, 7) && io.tickets !== undefined;
      exchanges.set(id, { req, yields, cont: null, reply: undefined, started: false, pending: [], pendingLen: 0, pieces: new PieceQueue(), buffered: 0, done: false, error: null, streaming: false, remaining: null, chunked: wire.chunked });
      api.pushInteger(L, id);
      api.pushBoolean(L, crowdedAfter(exchanges.size));
      return 2;
    },
    /** send(h, chunk) → 1 | nil, err */
    send(L) {
      const id = api.toInteger(L, 1);
      const ex = exchanges.get(id);
      if (!ex) return fail(L, 'closed');
      const chunk = api.checkBytes(L, 2);
      if (chunk.length) { ex.pending.push(chunk); ex.pendingLen += chunk.length; }
      const sent = (Ls: number, r: { error?: string }): number => {
        if (r.error) return fail(Ls, r.error);
        api.pushInteger(Ls, 1);
        return 1;
      };
      if (ex.pendingLen >= SEND_BATCH) return flush(L, id, ex, false, sent);
      return sent(L, {});
    },
    /** receivehead(h) → status, status line as received, {name, value, …} | nil, err */
    receivehead(L) {
      const id = api.toInteger(L, 1);
      const ex = exchanges.get(id);
      if (!ex) return fail(L, 'closed');
      return flush(L, id, ex, true, (Lh, r: HeadAndBody) => {
        if (r.error || !r.head) { exchanges.delete(id); return fail(Lh, r.error ?? 'closed'); }
        if (io.progress) {
          ex.id = id;
          const length = r.head.headers.findIndex((h, i) => i % 2 === 0 && /^content-length$/i.test(Buffer.from(h).toString('latin1')));
          io.progress.start(id, length >= 0 ? Number(Buffer.from(r.head.headers[length + 1]!).toString('latin1')) || null : null);
        }
        takeBatch(ex, r.body);
        api.pushInteger(Lh, r.head.status);
        api.pushBytes(Lh, r.head.statusLine);
        const hs = r.head.headers;
        api.m._lua_createtable(Lh, hs.length, 0);
        hs.forEach((h, i) => { api.pushBytes(Lh, h); api.m._lua_rawseti(Lh, -2, BigInt(i + 1)); });
        return 3;
      });
    },
    /**
     * receive(h, mode [, length [, upto]]) → chunk | nil (end) | nil, err, with LuaSocket's socket sources:
     * BODY_LENGTH gives BLOCKSIZE pieces of a Content-Length body and drops a partial last piece on
     * error; until-closed (2) gives BLOCKSIZE pieces until the end; BODY_CHUNKED one piece per HTTP chunk.
     * upto (lua-http's streams, which hand out what a socket read gave): BODY_LENGTH and until-closed
     * give what has arrived, at least 1 byte and at most upto, instead of waiting for a full block.
     */
    receive(L) {
      const id = api.toInteger(L, 1);
      const ex = exchanges.get(id);
      if (!ex) return fail(L, 'closed');
      const mode = api.toInteger(L, 2);
      const upto = api.type(L, 4) === LuaType.Number ? Math.max(1, api.toInteger(L, 4)) : 0;
      const block = upto || BLOCKSIZE;
      if (mode === BODY_LENGTH) {
        ex.remaining ??= api.toInteger(L, 3);
        // The common case of a download, without building the step closure below.
        let want = Math.min(block, ex.remaining);
        if (upto) want = Math.min(want, ex.buffered);
        if (want > 0 && ex.buffered >= want) {
          pushTake(L, ex, want);
          ex.remaining -= want;
          return 1;
        }
      }
      const step = (Ls: number): number => {
        if (mode === BODY_CHUNKED) {
          // One string per HTTP chunk, as LuaSocket's source reads them (receive(size) per chunk).
          let n: number;
          while ((n = chunkLength(ex)) === 0) {
            const m = more(Ls, id, ex, step);
            if (typeof m === 'number') return m;
            if (m) continue;
            // The body ended inside a chunk: LuaSocket's receive(size) fails there and the partial
            // chunk is lost. A clean end (never with llhttp) passes on what there is.
            if (ex.buffered === 0 || ex.error) return finishBody(Ls, id, ex, ex.error);
            n = ex.buffered;
            break;
          }
          pushTake(Ls, ex, n);
          return 1;
        }
        let want = block;
        if (mode === BODY_LENGTH) {
          if (ex.remaining! <= 0) return finishBody(Ls, id, ex, null);
          want = Math.min(block, ex.remaining!);
        }
        while (ex.buffered < want) {
          if (upto && ex.buffered > 0) { want = ex.buffered; break; }
          const m = more(Ls, id, ex, step);
          if (typeof m === 'number') return m;
          if (m) continue;
          if (mode === BODY_LENGTH) return finishBody(Ls, id, ex, ex.error ?? 'closed');
          if (ex.error && ex.error !== 'closed') return finishBody(Ls, id, ex, ex.error);
          // LuaSocket's until-closed source ends with receive's partial block, "" too (an empty
          // body, or one a whole number of blocks long, gives the sink a last "").
          if (ex.buffered === 0) {
            if (ex.partialGiven) return finishBody(Ls, id, ex, null);
            ex.partialGiven = true;
            api.pushBytes(Ls, new Uint8Array(0));
            return 1;
          }
          ex.partialGiven = true;
          want = ex.buffered;
        }
        pushTake(Ls, ex, want);
        if (ex.remaining !== null) ex.remaining -= want;
        return 1;
      };
      return step(L);
    },
    /** continue(h): after the script waited (yielded), finishes the step that returned PENDING. */
    continue(L) {
      const ex = exchanges.get(api.toInteger(L, 1));
      const cont = ex?.cont;
      if (!ex || !cont) return fail(L, 'closed');
      ex.cont = null;
      return cont(L, ex.reply);
    },
    /**
     * close(h [, drop]): ends the exchange; the host aborts it if unfinished. drop: the script left
     * the request early (an error, an abort, a collected coroutine): abort at once, without first
     * letting a nearly complete response end so its connection stays reusable.
     */
    close(L) {
      const id = api.toInteger(L, 1);
      const ex = exchanges.get(id);
      io.progress?.end(id);
      if (ex) {
        exchanges.delete(id);
        // Nothing to wait for: a yielding exchange's close runs on its own.
        if (ex.started && !ex.done) {
          const msg = { op: 'http.close', id, drop: api.toBoolean(L, 2) };
          if (ex.yields) io.tickets!.send(msg);
          else rpc().call(msg);
        }
      }
      return 0;
    },
  };
}
