// Embedding benchmark (npm run bench:embed): the library's costs on this machine, in one run.
//  - a host-function round trip from Lua (µs), raw undici in the same process for scale
//  - run() of a one-GET script on a warm pool (ms), next to the same GET by undici directly
//  - createRuntime: the first in a fresh process and later ones (ms)
//  - memory per idle runtime (MB of RSS)
//  - a 5th runtime's one-GET run while 4 runtimes spin in `while true do end` (ms), next to idle
//  - how long after timeoutMs / cpuMs a run rejects (ms)
//  - luahttp's tasks in a runtime: bench/tasks-slow.lua and tasks-fast.lua (the CLI's, npm run bench)
// The loopback server runs in its own process (bench/run.mjs does the same for the CLI).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startHttpbinProcess } from './httpbin-process.mjs';
import { fileURLToPath } from 'node:url';
import { createRuntime, createPool } from 'luahttp';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const best = (xs) => Math.min(...xs);
const fmt = (xs, unit, digits = 1) => `best ${best(xs).toFixed(digits)} ${unit}, median ${median(xs).toFixed(digits)} ${unit}`;

const GET = 'local b, c = require("socket.http").request(...) assert(c == 200) return #b';
const options = { network: { privateNetworks: true } };

async function hostCallRoundTrip() {
  const rt = await createRuntime({ functions: { f: (x) => x } });
  const n = 20_000;
  const times = [];
  await rt.run(`for i = 1, 2000 do f(i) end`);
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    await rt.run(`for i = 1, ${n} do f(i) end`);
    times.push(((performance.now() - t0) * 1000) / n);
  }
  const asyncRt = await createRuntime({ functions: { f: async (x) => x } });
  const asyncTimes = [];
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = performance.now();
    await asyncRt.run(`for i = 1, ${n} do f(i) end`);
    asyncTimes.push(((performance.now() - t0) * 1000) / n);
  }
  await rt.close();
  await asyncRt.close();
  console.log(`host function round trip: sync ${fmt(times, 'µs')}; async ${fmt(asyncTimes, 'µs')}`);
}

async function warmPoolGet(url) {
  const pool = await createPool({ size: 2, ...options });
  for (let i = 0; i < 50; i++) await pool.run(GET, { args: [url] });
  const times = [];
  for (let i = 0; i < 300; i++) {
    const t0 = performance.now();
    await pool.run(GET, { args: [url] });
    times.push(performance.now() - t0);
  }
  await pool.close();
  const { request, Agent } = await import('undici');
  const agent = new Agent();
  const raw = [];
  for (let i = 0; i < 350; i++) {
    const t0 = performance.now();
    const r = await request(url, { dispatcher: agent });
    await r.body.arrayBuffer();
    if (i >= 50) raw.push(performance.now() - t0);
  }
  await agent.close();
  console.log(`pool.run() of a one-GET script (warm): ${fmt(times, 'ms', 3)}; undici request alone ${fmt(raw, 'ms', 3)} (ratio of medians ${(median(times) / median(raw)).toFixed(1)}x)`);
}

function coldCreate() {
  const script = `
    const t0 = performance.now();
    const { createRuntime } = require(${JSON.stringify(path.join(root, 'dist/index.js'))});
    (async () => {
      const rt = await createRuntime();
      const first = performance.now() - t0;
      await rt.close();
      const later = [];
      for (let i = 0; i < 5; i++) { const t = performance.now(); const r = await createRuntime(); later.push(performance.now() - t); await r.close(); }
      console.log(JSON.stringify({ first, later }));
    })();`;
  const firsts = [];
  const laters = [];
  for (let r = 0; r < ROUNDS; r++) {
    const out = JSON.parse(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }).trim());
    firsts.push(out.first);
    laters.push(...out.later);
  }
  console.log(`createRuntime: first in a fresh process (require + create) ${fmt(firsts, 'ms')}; later ones ${fmt(laters, 'ms')}`);
}

async function memoryPerRuntime() {
  const n = 8;
  globalThis.gc?.();
  const before = process.memoryUsage().rss;
  const rts = [];
  for (let i = 0; i < n; i++) rts.push(await createRuntime());
  await Promise.all(rts.map((r) => r.run('return 1')));
  await new Promise((r) => setTimeout(r, 200));
  const after = process.memoryUsage().rss;
  await Promise.all(rts.map((r) => r.close()));
  console.log(`memory per idle runtime: ${((after - before) / n / 1024 / 1024).toFixed(1)} MB RSS (${n} runtimes)`);
}

/** How long after its limit a run rejects: a Lua loop, a long C call, and cpuMs. */
async function limitReaction() {
  const rt = await createRuntime();
  const cpu = await createRuntime({ limits: { cpuMs: 100 } });
  const late = async (r, code, limit, opts) => {
    const xs = [];
    for (let i = 0; i < 5; i++) {
      await r.run('return 1'); // the VM a limit replaced is booted before the clock starts
      const t0 = performance.now();
      await r.run(code, opts).catch(() => {});
      xs.push(performance.now() - t0 - limit);
    }
    return xs;
  };
  const loop = await late(rt, 'while true do end', 100, { timeoutMs: 100 });
  const cCall = await late(rt, 'local s = ("a"):rep(4e6) while true do s:gsub("a", "%0") end', 100, { timeoutMs: 100 });
  const cpuLoop = await late(cpu, 'while true do end', 100, {});
  await rt.close();
  await cpu.close();
  console.log(`limit reaction (rejection after the limit): timeoutMs on a Lua loop ${fmt(loop, 'ms')}; on gsub over 4 MB ${fmt(cCall, 'ms')}; cpuMs ${fmt(cpuLoop, 'ms')}`);
}

async function latencyUnderLoad(url) {
  const probe = await createRuntime(options);
  for (let i = 0; i < 30; i++) await probe.run(GET, { args: [url] });
  const measure = async () => {
    const times = [];
    for (let i = 0; i < 50; i++) {
      const t0 = performance.now();
      await probe.run(GET, { args: [url] });
      times.push(performance.now() - t0);
    }
    return times;
  };
  const idle = await measure();
  const busy = await Promise.all(Array.from({ length: 4 }, () => createRuntime()));
  const spinning = busy.map((r) => r.run('while true do end', { timeoutMs: 60_000 }).catch(() => {}));
  await new Promise((r) => setTimeout(r, 200));
  const loaded = await measure();
  await Promise.all(busy.map((r) => r.close()));
  await Promise.all(spinning);
  await probe.close();
  console.log(`5th runtime's one-GET run: idle ${fmt(idle, 'ms', 2)}; with 4 runtimes in busy loops ${fmt(loaded, 'ms', 2)}`);
}

/** The CLI's task benchmarks run in a runtime (the VM worker blocks only when every task waits). */
async function embeddedTasks(base) {
  let out = '';
  const rt = await createRuntime({ ...options, stdout: (b) => { out += Buffer.from(b).toString(); } });
  const lua = async (file, args) => {
    out = '';
    await rt.run('arg = { ... }', { args });
    await rt.runFile(path.join(here, file));
    return out.trim();
  };
  const ratio = [];
  const fast = [];
  const sequential = [];
  for (let r = 0; r < ROUNDS; r++) {
    const [one, total] = (await lua('tasks-slow.lua', [`${base}/delay/0.2`, '100'])).split(' ').map(Number);
    ratio.push(total / one);
    fast.push(Number(await lua('tasks-fast.lua', [`${base}/get`, '1000'])));
    const [n, s] = await rt.run('local http, socket = require("socket.http"), require("socket") local t = socket.gettime() for i = 1, 1000 do http.request(...) end return 1000, socket.gettime() - t', { args: [`${base}/get`] });
    sequential.push(n / s);
  }
  await rt.close();
  const range = (xs, d) => `median ${median(xs).toFixed(d)} (${Math.min(...xs).toFixed(d)}–${Math.max(...xs).toFixed(d)})`;
  console.log(`tasks in a runtime: 100 x GET answering after 200 ms: total ${range(ratio, 2)}x one request's time; 1,000 tasks x GET ${range(fast, 0)} req/s, sequential loop ${range(sequential, 0)} req/s`);
}

const server = await startHttpbinProcess();
const url = `${server.base}/get`;
try {
  console.log(`luahttp embedding bench — ${new Date().toISOString()}, Node ${process.version}, ${(await import('node:os')).cpus().length} CPUs, load ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')}`);
  await hostCallRoundTrip();
  await warmPoolGet(url);
  coldCreate();
  await memoryPerRuntime();
  await latencyUnderLoad(url);
  await limitReaction();
  await embeddedTasks(server.base);
} finally {
  server.stop();
}
