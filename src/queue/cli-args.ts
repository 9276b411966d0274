// Arguments of `luahttp worker`, `luahttp enqueue` and `luahttp cancel` (README "Scale-out").
import { parseConnectTo } from '../io/transport/connect-to.js';
import { parseHostPattern } from '../io/transport/network-policy.js';
import type { RuntimeLimits, RuntimeOptions } from '../runtime/options.js';

export class QueueUsageError extends Error {}

export const WORKER_USAGE = `usage: luahttp worker --redis URL --queue NAME [options]
  --concurrency N            jobs run at once by this process (default 1)
  --timeout S                a job's wall-clock limit (default: none; a job may ask for less)
  --cpu-time S               a job's time running Lua
  --memory MB                a job's VM memory (at least 16)
  --max-requests N           HTTP requests and connections per job
  --max-response-bytes N     response body bytes per job
  --max-output-bytes N       print/io.write bytes per job (they go to the job's log)
  --allow LIST, --deny LIST  hosts jobs may / may not reach (repeatable)
  --allow-private            let jobs reach loopback and private addresses (denied by default)
  --connect-to H1:P1:H2:P2, --proxy URL, --insecure   as for luahttp
  --lock-duration MS, --stalled-interval MS          BullMQ's (how soon a dead worker's job moves on)
  --reuse-vm                 keep each runtime's Lua state from job to job (faster; trusted scripts only)
  --limiter MAX/MS           BullMQ's rate limit: at most MAX jobs per MS milliseconds across the queue
  --grace S                  on SIGTERM, wait this long for running jobs, then put them back (default 30)
`;

export const ENQUEUE_USAGE = `usage: luahttp enqueue --redis URL --queue NAME [options] script.lua [args...]
  --wait          wait for the job; print its return values as JSON (exit 0) or its error (exit 1)
  --timeout S     the job's wall-clock limit (the worker's own limit still applies)
  --attempts N    BullMQ attempts for Lua errors (limits never retry)
  --               what follows is the script and its arguments, taken as they are
`;

function positive(name: string, value: string, integer = false): number {
  const n = Number(value);
  if (!(n > 0) || !Number.isFinite(n) || (integer && !Number.isInteger(n))) throw new QueueUsageError(`'${name}' needs a ${integer ? 'positive integer' : 'number > 0'}, got '${value}'`);
  return n;
}

function hostPatterns(name: string, value: string): string[] {
  const entries = value.split(/[\s,]+/).filter((e) => e !== '');
  if (!entries.length) throw new QueueUsageError(`'${name}' needs at least one host pattern`);
  for (const e of entries) {
    try { parseHostPattern(e); } catch (err) { throw new QueueUsageError(`${name}: ${(err as Error).message}`); }
  }
  return entries;
}

/** `--name value` or `--name=value`; switches have no value. */
function* options(args: string[], withValue: Set<string>): Generator<{ name: string; value: string } | { positional: string }> {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--') { for (const p of args.slice(i + 1)) yield { positional: p }; return; }
    if (!a.startsWith('--')) { yield { positional: a }; continue; }
    const eq = a.indexOf('=');
    const name = eq > 0 ? a.slice(0, eq) : a;
    let value = eq > 0 ? a.slice(eq + 1) : '';
    if (withValue.has(name) && eq < 0) {
      if (i + 1 >= args.length) throw new QueueUsageError(`'${name}' needs an argument`);
      value = args[++i]!;
    } else if (!withValue.has(name) && eq > 0) throw new QueueUsageError(`option '${name}' takes no value`);
    yield { name, value };
  }
}

export interface WorkerCli {
  redis: string;
  queue: string;
  concurrency: number;
  runtime: RuntimeOptions;
  lockDuration?: number;
  stalledInterval?: number;
  graceMs: number;
  freshVm: boolean;
  limiter?: { max: number; duration: number };
}

const WORKER_VALUES = new Set(['--redis', '--queue', '--concurrency', '--timeout', '--cpu-time', '--memory', '--max-requests', '--max-response-bytes', '--max-output-bytes', '--allow', '--deny', '--connect-to', '--proxy', '--lock-duration', '--stalled-interval', '--grace', '--limiter']);

export function parseWorkerArgs(args: string[]): WorkerCli {
  let redis: string | undefined;
  let queue: string | undefined;
  let concurrency = 1;
  const limits: RuntimeLimits = {};
  const allow: string[] = [];
  const deny: string[] = [];
  const connectTo: string[] = [];
  let privateNetworks = false;
  let proxy: string | undefined;
  let insecure = false;
  let lockDuration: number | undefined;
  let stalledInterval: number | undefined;
  let graceMs = 30_000;
  let freshVm = true;
  let limiter: { max: number; duration: number } | undefined;
  for (const o of options(args, WORKER_VALUES)) {
    if ('positional' in o) throw new QueueUsageError(`unexpected argument '${o.positional}'`);
    const { name, value } = o;
    switch (name) {
      case '--redis': redis = value; break;
      case '--queue': queue = value; break;
      case '--concurrency': concurrency = positive(name, value, true); break;
      case '--timeout': limits.timeoutMs = positive(name, value) * 1000; break;
      case '--cpu-time': limits.cpuMs = positive(name, value) * 1000; break;
      case '--memory': limits.memoryBytes = positive(name, value) * 1024 * 1024; break;
      case '--max-requests': limits.maxRequests = positive(name, value, true); break;
      case '--max-response-bytes': limits.maxResponseBytes = positive(name, value, true); break;
      case '--max-output-bytes': limits.maxOutputBytes = positive(name, value, true); break;
      case '--allow': allow.push(...hostPatterns(name, value)); break;
      case '--deny': deny.push(...hostPatterns(name, value)); break;
      case '--allow-private': privateNetworks = true; break;
      case '--connect-to':
        try { parseConnectTo(value); } catch (e) { throw new QueueUsageError((e as Error).message); }
        connectTo.push(value);
        break;
      case '--proxy': proxy = value; break;
      case '--insecure': insecure = true; break;
      case '--lock-duration': lockDuration = positive(name, value, true); break;
      case '--stalled-interval': stalledInterval = positive(name, value, true); break;
      case '--grace': graceMs = positive(name, value) * 1000; break;
      case '--reuse-vm': freshVm = false; break;
      case '--limiter': {
        const [max, ms] = value.split('/');
        if (ms === undefined) throw new QueueUsageError(`'--limiter' needs MAX/MS (e.g. 100/1000), got '${value}'`);
        limiter = { max: positive(name, max!, true), duration: positive(name, ms, true) };
        break;
      }
      default: throw new QueueUsageError(`unrecognized option '${name}'`);
    }
  }
  if (!redis) throw new QueueUsageError("'--redis URL' is required");
  if (!queue) throw new QueueUsageError("'--queue NAME' is required");
  const runtime: RuntimeOptions = {
    limits,
    network: { allow: allow.length ? allow : undefined, deny, privateNetworks, connectTo, proxy, insecure },
  };
  return { redis, queue, concurrency, runtime, lockDuration, stalledInterval, graceMs, freshVm, limiter };
}

export interface EnqueueCli {
  redis: string;
  queue: string;
  script: string;
  args: string[];
  wait: boolean;
  timeoutMs?: number;
  attempts?: number;
}

const ENQUEUE_VALUES = new Set(['--redis', '--queue', '--timeout', '--attempts']);

export function parseEnqueueArgs(args: string[]): EnqueueCli {
  let redis: string | undefined;
  let queue: string | undefined;
  let wait = false;
  let timeoutMs: number | undefined;
  let attempts: number | undefined;
  const positional: string[] = [];
  for (const o of options(args, ENQUEUE_VALUES)) {
    if ('positional' in o) { positional.push(o.positional); continue; }
    const { name, value } = o;
    switch (name) {
      case '--redis': redis = value; break;
      case '--queue': queue = value; break;
      case '--wait': wait = true; break;
      case '--timeout': timeoutMs = positive(name, value) * 1000; break;
      case '--attempts': attempts = positive(name, value, true); break;
      default: throw new QueueUsageError(`unrecognized option '${name}' (put script arguments that start with -- after '--')`);
    }
  }
  if (!redis) throw new QueueUsageError("'--redis URL' is required");
  if (!queue) throw new QueueUsageError("'--queue NAME' is required");
  const [script, ...rest] = positional;
  if (script === undefined) throw new QueueUsageError('a script is required');
  return { redis, queue, script, args: rest, wait, timeoutMs, attempts };
}
