// `npm run build`, after tsc: writes dist/pack/ (see src/startup/module-pack.ts). A training run of the
// CLI against a loopback server records the modules a GET script loads; they are joined into one
// script, and a second run with the pack in place leaves the V8 code cache behind.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { PACK_FILE, PACK_MANIFEST, PACK_ROOT, SAVE_CACHE_ENV, compilePack, contentHash, packCacheFile, type PackManifest } from '../startup/module-pack.js';
import type { PackRecord } from './pack-recorder.js';

const CLI = path.join(PACK_ROOT, 'bin/luahttp.js');
const RECORDER = path.join(__dirname, 'pack-recorder.js');

/**
 * What a typical script does: require socket.http and ltn12, GET in both call forms, POST a body from
 * a source, read and write JSON. The modules it loads make the pack; a script that needs others loads
 * them from their files.
 */
const TRAINING_SCRIPT = `
local http = require("socket.http")
local ltn12 = require("ltn12")
local cjson = require("cjson")
local t = {}
local ok, code = http.request { url = arg[1], sink = ltn12.sink.table(t) }
local body, code2 = http.request(arg[1] .. "?again")
local sent = cjson.encode({ n = 1, s = "x" })
local posted = {}
http.request { url = arg[1], method = "POST", source = ltn12.source.string(sent), sink = ltn12.sink.table(posted),
  headers = { ["content-type"] = "application/json", ["content-length"] = #sent } }
print(ok, code, #table.concat(t), code2, #body, cjson.decode(table.concat(posted)).url)
`;

/** One request (see main) and its JSON: the functions this compiles are what the code cache holds. */
const CACHE_SCRIPT = `
local http = require("socket.http")
local body, code = http.request(arg[1])
print(1, code, require("cjson").decode(body).url)
`;

/** Whether a fresh process (default V8 flags) accepts the cache, as the CLI will load it. */
function cacheAccepted(): boolean {
  const script = compilePack();
  return script !== null && !script.cachedDataRejected;
}

/**
 * wasmoon's Emscripten glue reaches node's createRequire through `await import('module')`, which
 * starts Node's ESM loader (~2 ms); inside the pack the module's own require does the same job.
 */
const REWRITES: { file: RegExp; from: string; to: string }[] = [
  { file: /^node_modules\/wasmoon\//, from: "await import('module')", to: "require('module')" },
];

/** Runs the CLI on the training script (asynchronously: the loopback server is in this process). */
function train(url: string, script: string, env: Record<string, string>): Promise<void> {
  const args = [...(env.LUAHTTP_PACK_RECORD ? ['-r', RECORDER] : []), CLI, script, url];
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { env: { ...process.env, ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      if (err || !/^1\t200\t/.test(stdout)) reject(new Error(`module pack: training run failed: ${err?.message ?? ''}\n${stdout}${stderr}`));
      else resolve();
    });
  });
}

function packSource(files: string[]): string {
  const parts: string[] = [];
  for (const file of files) {
    if (!file.endsWith('.js')) continue;
    let src = fs.readFileSync(path.join(PACK_ROOT, file), 'utf8');
    if (src.startsWith('#!')) continue; // a shebang is not valid inside a function: stays on disk
    for (const r of REWRITES) if (r.file.test(file)) src = src.split(r.from).join(r.to);
    parts.push(`${JSON.stringify(file)}: function (exports, require, module, __filename, __dirname) {\n${src}\n}`);
  }
  // Pure ASCII, so the loader reads it as latin1 (a one-byte string, no UTF-8 decoding: ~1 ms of
  // start-up). The few other characters are in comments and string literals, where \u escapes mean
  // the same character.
  const source = `(function () { return {\n${parts.join(',\n')}\n}; })`;
  return source.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function manifestFor(record: PackRecord, source: string): PackManifest {
  const mainFile = path.join(PACK_ROOT, 'dist/cli/main.js');
  const main = fs.readFileSync(mainFile);
  const checks: PackManifest['checks'] = [{ file: 'dist/cli/main.js', mtimeMs: fs.statSync(mainFile).mtimeMs, size: main.length, hash: contentHash(main) }];
  const packages = new Set(record.files.map((f) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(f)?.[1]).filter((p): p is string => !!p));
  for (const name of packages) {
    const file = `node_modules/${name}/package.json`;
    const { version } = JSON.parse(fs.readFileSync(path.join(PACK_ROOT, file), 'utf8')) as { version: string };
    checks.push({ file, version });
  }
  // Code caches made outside the package (an installed one) are kept under this name.
  const id = `${JSON.parse(fs.readFileSync(path.join(PACK_ROOT, 'package.json'), 'utf8')).version}-${contentHash(Buffer.from(source, 'latin1'))}`;
  return { checks, resolutions: record.resolutions, id };
}

/**
 * The pack left by an earlier build, to keep its other Node versions' code caches when this build
 * makes the same script (switching Node, or CI building on 20, 22, 24 and 26 in turn). Then the
 * directory is emptied: a cache is only valid for the exact source it was made from.
 */
function takePreviousPack(): { source: string; caches: Map<string, Buffer> } | null {
  const dir = path.dirname(PACK_FILE);
  let previous: { source: string; caches: Map<string, Buffer> } | null = null;
  try {
    const caches = new Map<string, Buffer>();
    for (const name of fs.readdirSync(dir)) {
      if (name.endsWith('.v8cache') && path.join(dir, name) !== packCacheFile()) caches.set(name, fs.readFileSync(path.join(dir, name)));
    }
    previous = { source: fs.readFileSync(PACK_FILE, 'latin1'), caches };
  } catch {
    previous = null; // no earlier pack
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return previous;
}

async function main(): Promise<void> {
  const previous = takePreviousPack();
  const server = http.createServer((req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ url: req.url, headers: req.headers }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/get`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-pack-'));
  try {
    const script = path.join(tmp, 'train.lua');
    const recordFile = path.join(tmp, 'record.json');
    fs.writeFileSync(script, TRAINING_SCRIPT);
    await train(url, script, { LUAHTTP_PACK_RECORD: recordFile, LUAHTTP_NO_PACK: '1' });
    const record = JSON.parse(fs.readFileSync(recordFile, 'utf8')) as PackRecord;
    fs.mkdirSync(path.dirname(PACK_FILE), { recursive: true });
    const source = packSource(record.files);
    fs.writeFileSync(PACK_FILE, source);
    if (previous?.source === source) {
      for (const [name, cache] of previous.caches) fs.writeFileSync(path.join(path.dirname(PACK_FILE), name), cache);
    }
    fs.writeFileSync(PACK_MANIFEST, JSON.stringify(manifestFor(record, source)));
    // The cache holds what one GET compiled (~520 KB): one GET 5 % faster than a cache that stops
    // before the request, print("hi") 1.5 % slower (paired runs). One request only: the CLI changes a
    // V8 flag at the second (src/startup/warm-jit.ts), and V8 rejects a cache made under other flags.
    fs.writeFileSync(script, CACHE_SCRIPT);
    await train(url, script, { [SAVE_CACHE_ENV]: packCacheFile() });
    if (!cacheAccepted()) throw new Error('module pack: V8 rejects the code cache the training run wrote');
    if (!fs.existsSync(packCacheFile())) throw new Error('module pack: the training run left no code cache');
    const n = record.files.filter((f) => f.endsWith('.js')).length;
    process.stdout.write(`module pack: ${n} modules, ${fs.statSync(PACK_FILE).size} bytes, code cache ${fs.statSync(packCacheFile()).size} bytes\n`);
  } finally {
    server.close();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

// The pack only makes start-up faster: if it cannot be built (no loopback networking in a build
// sandbox, say), the install goes on without it and luahttp loads its modules from their files. CI
// notices: test/startup/module-pack.test.ts expects a pack after the build.
main().catch((e: unknown) => {
  fs.rmSync(path.dirname(PACK_FILE), { recursive: true, force: true });
  process.stderr.write(`module pack not built (luahttp works without it, starting slower): ${e instanceof Error ? e.message : String(e)}\n`);
});
