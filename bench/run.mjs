// luahttp benchmark: the same Lua scripts under native lua5.4 + LuaSocket and under luahttp, plus the
// same request loop in plain Node with undici, against one loopback server in its own process.
// Prints ratios; absolute numbers only make sense on one machine in one run.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startHttpbinProcess } from './httpbin-process.mjs';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const require = createRequire(import.meta.url);
const LUAHTTP = [process.execPath, path.join(root, 'bin/luahttp.js')];
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const GETS = Number(process.env.BENCH_GETS ?? 2000);
const DOWNLOAD = Number(process.env.BENCH_DOWNLOAD_BYTES ?? 200 * 1024 * 1024);
const STARTUPS = Number(process.env.BENCH_STARTUPS ?? 10);
/** BENCH_ONLY=startup (or loops, tasks, installed; comma-separated): run only those parts. */
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',')) : null;
const part = (name) => ONLY === null || ONLY.has(name);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** `npm pack` + `npm install` into a temporary project: the CLI as users install it (null if npm fails). */
function installedCli() {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-bench-install-'));
  const npm = (args, cwd) => spawnSync('npm', args, { cwd, encoding: 'utf8', timeout: 300_000 });
  const packed = npm(['pack', '--ignore-scripts', '--pack-destination', tmp], root);
  if (packed.status !== 0) return null;
  const project = path.join(tmp, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), '{"name":"bench","version":"1.0.0","private":true}');
  const tgz = path.join(tmp, packed.stdout.trim().split('\n').pop());
  if (npm(['install', '--no-audit', '--no-fund', '--prefer-offline', tgz], project).status !== 0) return null;
  return { bin: path.join(project, 'node_modules/luahttp/bin/luahttp.js'), cache: path.join(tmp, 'cache'), remove: () => fs.rmSync(tmp, { recursive: true, force: true }) };
}

function run(cmd, args, env = process.env) {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', env, timeout: 300_000 });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr}`);
  return { out: r.stdout.trim(), ms };
}

async function undiciLoop(url, n) {
  const { Agent } = require('undici');
  const agent = new Agent();
  const get = async () => {
    const r = await agent.request({ origin: new URL(url).origin, path: new URL(url).pathname, method: 'GET' });
    await r.body.text();
  };
  for (let i = 0; i < 50; i++) await get();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await get();
  const us = ((performance.now() - t0) * 1000) / n;
  await agent.close();
  return us;
}

/** The same fan-out as bench/tasks-fast.lua in plain Node: n GETs at once with Promise.all (requests/s). */
async function undiciFanOut(url, n) {
  const { Agent } = require('undici');
  const agent = new Agent();
  const { origin, pathname } = new URL(url);
  const get = async () => {
    const r = await agent.request({ origin, path: pathname, method: 'GET' });
    await r.body.text();
  };
  for (let i = 0; i < 50; i++) await get();
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, get));
  const rps = n / ((performance.now() - t0) / 1000);
  await agent.close();
  return rps;
}

/** Tasks (issue: many requests at once from one script): fan-out against a slow and a fast endpoint. */
function benchTasks(base, rounds) {
  const slow = [], fast = [], raw = [], mem = [];
  const TASKS = Number(process.env.BENCH_TASKS ?? 1000);
  return (async () => {
    for (let r = 0; r < rounds; r++) {
      const [one, total] = run(LUAHTTP[0], [LUAHTTP[1], path.join(here, 'tasks-slow.lua'), `${base}/delay/0.2`, '100']).out.split(' ').map(Number);
      slow.push(total / one);
      fast.push(Number(run(LUAHTTP[0], [LUAHTTP[1], path.join(here, 'tasks-fast.lua'), `${base}/get`, String(TASKS)]).out));
      raw.push(await undiciFanOut(`${base}/get`, TASKS));
      mem.push(run(LUAHTTP[0], [LUAHTTP[1], path.join(here, 'tasks-memory.lua'), `${base}/delay/1`, String(TASKS)]).out.split(' ').map(Number));
    }
    return { slow: median(slow), fast: median(fast), raw: median(raw), rssKb: median(mem.map((m) => m[0])), heapKb: median(mem.map((m) => m[1])), tasks: TASKS };
  })();
}

const fmt = (x, d = 1) => x.toFixed(d);

async function main() {
  const lua = spawnSync('lua5.4', ['-e', 'require("socket.http")']).status === 0 ? 'lua5.4' : null;
  if (!lua) console.log('native lua5.4 + LuaSocket not found: native columns skipped');
  const server = await startHttpbinProcess();
  // Other work on the machine moves these numbers a lot (luahttp uses a core, native LuaSocket mostly waits).
  console.log(`load average at start: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
  // Ratios are taken round by round (the runs of one round are adjacent), then the median: the
  // machine's speed drifts between rounds, and a ratio of medians would mix rounds.
  const ratio = (a, b) => median(a.map((x, i) => x / b[i]));
  try {
    const getUrl = `${server.base}/get`;
    if (part('loops')) await benchLoops(lua, getUrl, `${server.base}/stream-bytes/${DOWNLOAD}?chunk_size=65536`, ratio);
    if (part('tasks')) await benchTaskRounds(server.base);
    if (part('startup')) benchStartup(getUrl, ratio);
    if (part('installed')) benchInstalled(getUrl, ratio);
    console.log(`\nload average at end: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  } finally {
    server.stop();
  }
}

/** µs per request of luahttp's sequential GET loop, when benchLoops ran: the tasks line compares with it. */
let sequentialUs = null;

/** Sequential GETs and a download: luahttp against native LuaSocket and plain undici. */
async function benchLoops(lua, getUrl, dlUrl, ratio) {
  const get = { native: [], luahttp: [], undici: [] };
  const dl = { native: [], luahttp: [] };
  for (let r = 0; r < ROUNDS; r++) {
    if (lua) get.native.push(Number(run(lua, [path.join(here, 'get-loop.lua'), getUrl, String(GETS)]).out));
    get.luahttp.push(Number(run(LUAHTTP[0], [LUAHTTP[1], path.join(here, 'get-loop.lua'), getUrl, String(GETS)]).out));
    get.undici.push(await undiciLoop(getUrl, GETS));
    if (lua) dl.native.push(Number(run(lua, [path.join(here, 'download.lua'), dlUrl, String(DOWNLOAD)]).out));
    dl.luahttp.push(Number(run(LUAHTTP[0], [LUAHTTP[1], path.join(here, 'download.lua'), dlUrl, String(DOWNLOAD)]).out));
  }
  const g = { native: median(get.native ?? []), luahttp: median(get.luahttp), undici: median(get.undici) };
  const d = { native: median(dl.native ?? []), luahttp: median(dl.luahttp) };
  console.log(`\n${GETS} sequential GETs of /get (µs per request, median of ${ROUNDS} rounds)`);
  console.log(`  native lua5.4+LuaSocket ${lua ? fmt(g.native) : '-'}   luahttp ${fmt(g.luahttp)}   node+undici ${fmt(g.undici)}`);
  if (lua) console.log(`  luahttp/native ${fmt(ratio(get.luahttp, get.native), 2)}x   (target <= 1.5x)`);
  console.log(`  luahttp/undici ${fmt(ratio(get.luahttp, get.undici), 2)}x`);
  console.log(`\n${(DOWNLOAD / 1048576).toFixed(0)} MiB download into ltn12.sink.null() (MB/s, median)`);
  console.log(`  native ${lua ? fmt(d.native) : '-'}   luahttp ${fmt(d.luahttp)}${lua ? `   luahttp/native ${fmt(ratio(dl.luahttp, dl.native), 2)}x (target >= 0.5x)` : ''}`);

  sequentialUs = g.luahttp;
}

async function benchTaskRounds(base) {
  const t = await benchTasks(base, ROUNDS);
  const sequentialRps = sequentialUs === null ? null : 1e6 / sequentialUs;
  const vsLoop = sequentialRps === null ? '' : `   sequential loop ${fmt(sequentialRps, 0)} req/s (${fmt(t.fast / sequentialRps, 2)}x)`;
  console.log(`\ntasks (require "luahttp".spawn; median of ${ROUNDS} rounds)`);
  console.log(`  100 tasks x GET answering after 200 ms: total ${fmt(t.slow, 2)}x one request's time   (target <= 1.5x; native LuaSocket one after another: 100x)`);
  console.log(`  ${t.tasks} tasks x GET /get: ${fmt(t.fast, 0)} req/s${vsLoop}   node+undici Promise.all ${fmt(t.raw, 0)} req/s (luahttp/undici ${fmt(t.fast / t.raw, 2)}x)`);
  console.log(`  memory per in-flight task (${t.tasks} in flight): ${fmt(t.rssKb)} KB resident, ${fmt(t.heapKb)} KB of it Lua heap`);
}

/**
 * Start-up: bare node, print("hi") and one GET, interleaved run by run (each ratio is taken against
 * the bare run next to it, then the median). Wall time, so other load on the machine shows: quote the
 * load average printed with it.
 */
function benchStartup(getUrl, ratio) {
  console.log(`\nstart-up (wall ms, median of ${STARTUPS}, interleaved; load ${os.loadavg()[0].toFixed(2)})`);
  for (const ca of [false, true]) {
    const env = { ...process.env };
    if (ca) env.NODE_EXTRA_CA_CERTS = env.NODE_EXTRA_CA_CERTS || '/etc/ssl/certs/ca-certificates.crt';
    else delete env.NODE_EXTRA_CA_CERTS;
    const t = { bare: [], hi: [], get: [] };
    for (let i = 0; i < STARTUPS; i++) {
      t.bare.push(run(process.execPath, ['-e', '0'], env).ms);
      t.hi.push(run(LUAHTTP[0], [LUAHTTP[1], path.join(here, 'hi.lua')], env).ms);
      t.get.push(run(LUAHTTP[0], [LUAHTTP[1], path.join(here, 'one-get.lua'), getUrl], env).ms);
    }
    const b = median(t.bare), h = median(t.hi), o = median(t.get);
    console.log(`  NODE_EXTRA_CA_CERTS ${ca ? 'set  ' : 'unset'}: bare node ${fmt(b, 0)}  print("hi") ${fmt(h, 0)} (${fmt(ratio(t.hi, t.bare), 2)}x)  one GET ${fmt(o, 0)} (${fmt(ratio(t.get, t.bare), 2)}x)   target <= 3x`);
  }
}

/** The CLI installed from the packed tarball against this checkout: the same start-up is the target. */
function benchInstalled(getUrl, ratio) {
  const inst = installedCli();
  if (!inst) {
    console.log('\ninstalled package: npm pack/install failed, skipped');
    return;
  }
  try {
    const env = { ...process.env, XDG_CACHE_HOME: inst.cache };
    delete env.NODE_EXTRA_CA_CERTS;
    run(process.execPath, [inst.bin, path.join(here, 'one-get.lua'), getUrl], env); // leaves the code cache
    const t = { bare: [], clone: [], installed: [] };
    for (let i = 0; i < STARTUPS; i++) {
      t.bare.push(run(process.execPath, ['-e', '0'], env).ms);
      t.clone.push(run(LUAHTTP[0], [LUAHTTP[1], path.join(here, 'one-get.lua'), getUrl], env).ms);
      t.installed.push(run(process.execPath, [inst.bin, path.join(here, 'one-get.lua'), getUrl], env).ms);
    }
    console.log(`\ninstalled from the packed tarball (npm install ./luahttp-*.tgz), one GET, NODE_EXTRA_CA_CERTS unset, median of ${STARTUPS}:`);
    console.log(`  clone ${fmt(median(t.clone), 0)} ms (${fmt(ratio(t.clone, t.bare), 2)}x bare node)   installed ${fmt(median(t.installed), 0)} ms (${fmt(ratio(t.installed, t.bare), 2)}x)   target: installed = clone`);
  } finally {
    inst.remove();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
