// One run's limits on the app's thread (README "Embedding: limits"). Every limit is checked here and
// enforced the same way: the VM thread is terminated (which stops any Lua code, C calls included, in a
// few ms) and the run rejects with a LimitError; the runtime starts a fresh VM for the next run.
// maxConcurrentRequests is a bound, not a failure: with luahttp's tasks several requests are in
// flight, and one over the bound waits until another ends. Only when nothing could ever end one (the
// VM waits for the queued request itself and no op is running) does the run end with the limit.
import type { RpcReply } from '../channel/rpc-server.js';
import type { LimitName } from './errors.js';
import type { RuntimeLimits } from './options.js';

type Op = { op: string } & Record<string, unknown>;

/** Ops that start a request or connection (maxRequests), and those that end one (maxConcurrentRequests). */
const OPENS: Record<string, string> = { 'http.start': 'http', 'sock.connect': 'sock' };
const CLOSES: Record<string, string> = { 'http.close': 'http', 'http.error': 'http', 'sock.close': 'sock' };

function replyBytes(reply: RpcReply): number {
  const v = reply.value as { body?: { chunk?: Uint8Array; pieces?: Uint8Array[] }; chunk?: Uint8Array; pieces?: Uint8Array[]; data?: Uint8Array } | null;
  if (!v || typeof v !== 'object') return 0;
  const body = v.body ?? v;
  let n = body.chunk?.length ?? (body.pieces ?? []).reduce((s, p) => s + p.length, 0);
  n += v.data?.length ?? 0;
  return n;
}

/**
 * An HTTP exchange ends without an op of its own when its whole body came in a reply (or it failed):
 * the VM sends http.close only for exchanges it leaves unfinished (src/cores/http-core.ts).
 */
function exchangeEnded(op: string, reply: RpcReply): boolean {
  if (op !== 'http.start' && op !== 'http.write' && op !== 'http.read') return false;
  const v = reply.value as { error?: string; done?: boolean; body?: { done?: boolean; error?: string } } | null;
  return Boolean(v && (v.error || v.done || v.body?.done || v.body?.error));
}

/** What the VM thread blocks on: a blocking call's ticket, or (its driver, every task waiting) any answer. */
type Blocked = { ticket: number } | { any: true; timer: boolean } | null;

export class RunMeter {
  private requests = 0;
  /** Ops the I/O side is running now (answered ones and queued ones excluded). */
  private inFlight = 0;
  private blocked: Blocked = null;
  /** Requests over maxConcurrentRequests, in order, with what starts each. */
  private readonly queued: { key: string; go: () => void }[] = [];
  private responseBytes = 0;
  private outputBytes = 0;
  private readonly open = new Set<string>();
  /** CPU: Lua time so far, and since when the VM has been running (null while it waits on an op). */
  private cpuUsed = 0;
  private runningSince: number | null = null;
  private cpuTimer: NodeJS.Timeout | null = null;
  private wallTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** The HTTP exchange whose body streams through the ring (one at a time per VM). */
  private streaming: number | null = null;

  constructor(private readonly limits: RuntimeLimits, private readonly timeoutMs: number | undefined, private readonly onLimit: (limit: LimitName, message: string) => void) {}

  start(): void {
    if (this.timeoutMs !== undefined) this.wallTimer = setTimeout(() => this.hit('timeout', `the run took longer than ${this.timeoutMs} ms`), this.timeoutMs);
    this.resume();
  }

  stop(): void {
    this.stopped = true;
    // Queued requests of a finished run never start (the VM has forgotten them).
    this.queued.length = 0;
    if (this.wallTimer) clearTimeout(this.wallTimer);
    if (this.cpuTimer) clearTimeout(this.cpuTimer);
  }

  private hit(limit: LimitName, message: string): boolean {
    if (this.stopped) return false;
    this.stop();
    this.onLimit(limit, message);
    return false;
  }

  /** The VM runs Lua again (start, or an op answered): the CPU clock runs. */
  private resume(): void {
    const cpuMs = this.limits.cpuMs;
    if (cpuMs === undefined || this.stopped || this.runningSince !== null) return;
    this.runningSince = performance.now();
    const left = Math.max(0, cpuMs - this.cpuUsed);
    this.cpuTimer = setTimeout(() => this.checkCpu(), left + 1);
  }

  private pause(): void {
    if (this.runningSince === null) return;
    this.cpuUsed += performance.now() - this.runningSince;
    this.runningSince = null;
    if (this.cpuTimer) { clearTimeout(this.cpuTimer); this.cpuTimer = null; }
  }

  private checkCpu(): void {
    const cpuMs = this.limits.cpuMs!;
    const used = this.cpuUsed + (this.runningSince === null ? 0 : performance.now() - this.runningSince);
    if (used >= cpuMs) { this.hit('cpu', `the run used more than ${cpuMs} ms of CPU`); return; }
    this.cpuTimer = setTimeout(() => this.checkCpu(), cpuMs - used + 1);
  }

  /**
   * Before an op runs: true to run it now, false when it breaks a limit (the run is then being
   * ended), 'queued' when go() will run it later (maxConcurrentRequests).
   */
  opStart(msg: Op, go: () => void): boolean | 'queued' {
    if (msg.waits) this.block({ ticket: msg.ticket as number });
    const opens = OPENS[msg.op];
    if (opens) {
      const { maxRequests, maxConcurrentRequests } = this.limits;
      if (maxRequests !== undefined && ++this.requests > maxRequests) return this.hit('requests', `the run started more than ${maxRequests} requests`);
      const key = `${opens}:${msg.id}`;
      if (maxConcurrentRequests !== undefined && this.open.size >= maxConcurrentRequests) {
        this.queued.push({ key, go: () => { this.open.add(key); this.inFlight++; go(); } });
        this.checkStuck();
        return this.stopped ? false : 'queued';
      }
      this.open.add(key);
    }
    // Set before the op runs: a body undici already holds can finish streaming inside the op itself.
    if (msg.op === 'http.stream') this.streaming = msg.id as number;
    const closes = CLOSES[msg.op];
    if (closes) this.ended(`${closes}:${msg.id}`);
    this.inFlight++;
    return true;
  }

  opEnd(msg: Op, reply: RpcReply): void {
    this.inFlight--;
    this.countResponse(replyBytes(reply));
    if (msg.op.startsWith('http.') && exchangeEnded(msg.op, reply)) this.ended(`http:${msg.id}`);
    const b = this.blocked;
    if (b && ('any' in b || b.ticket === msg.ticket)) this.unblock();
    this.checkStuck();
  }

  /** The VM's driver blocks until any op is answered (timer: or its own timer ends). */
  vmWaits(timer: boolean): void {
    this.block({ any: true, timer });
    this.checkStuck();
  }

  /** The VM's own timer ended its wait. */
  vmRuns(): void {
    this.unblock();
  }

  private block(b: NonNullable<Blocked>): void {
    this.blocked = b;
    this.pause();
  }

  private unblock(): void {
    this.blocked = null;
    this.resume();
  }

  /** A request or connection ended (or was dropped before it ran): the next queued one may start. */
  private ended(key: string): void {
    const q = this.queued.findIndex((e) => e.key === key);
    if (q >= 0) { this.queued.splice(q, 1); return; }
    if (!this.open.delete(key)) return;
    const next = this.queued.shift();
    if (next && !this.stopped) next.go();
  }

  /**
   * A queued request nothing can ever let through: the VM waits (for it, or for anything) and no op
   * is running whose end could free a place. The run ends with the limit, as it did before requests
   * could queue (a plain script holding its connections open).
   */
  private checkStuck(): void {
    const b = this.blocked;
    if (this.queued.length === 0 || this.inFlight > 0 || !b || ('any' in b && b.timer)) return;
    const max = this.limits.maxConcurrentRequests!;
    this.hit('concurrentRequests', `the run had more than ${max} requests open at once, and the script waits for one of them while holding the others`);
  }

  /** The body streaming through the ring is complete (or failed): that exchange is over. */
  streamEnded(): void {
    if (this.streaming !== null) this.ended(`http:${this.streaming}`);
    this.streaming = null;
  }

  countResponse(n: number): void {
    const max = this.limits.maxResponseBytes;
    this.responseBytes += n;
    if (max !== undefined && this.responseBytes > max) this.hit('responseBytes', `the run received more than ${max} response bytes`);
  }

  /** Output the run wrote: how many of these bytes may still be delivered (the rest is over the limit). */
  output(n: number): number {
    const max = this.limits.maxOutputBytes;
    if (max === undefined) return n;
    const allowed = Math.max(0, Math.min(n, max - this.outputBytes));
    this.outputBytes += n;
    if (this.outputBytes > max) this.hit('output', `the run wrote more than ${max} bytes of output`);
    return allowed;
  }
}
