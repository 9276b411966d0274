// The start-up module pack (src/startup/module-pack.ts): after `npm run build` the CLI's modules come from
// dist/pack with a code cache; a pack that no longer matches what is installed is never used.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { installModulePack, packIsCurrent, type PackManifest } from '../../src/startup/module-pack.js';
import { REPO_ROOT } from '../oracle/lua-runner.js';

function node(code: string, env: Record<string, string> = {}, cwd = REPO_ROOT): Promise<string> {
  // The caller's own LUAHTTP_NO_PACK must not decide what these cases see.
  const { LUAHTTP_NO_PACK: _ignored, ...base } = process.env;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['-e', code], { cwd, env: { ...base, ...env }, timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${err.message}\n${stderr}`)); else resolve(stdout);
    });
  });
}

// A module's stack frames name the file its code was compiled from: the pack, or its own file.
const WHERE_ARGS_LOADS_FROM = `
  const installed = require('./dist/startup/module-pack.js').installModulePack();
  let stack = '';
  try { require('./dist/cli/args.js').parseArgs(['--no-such-option'], 'luahttp'); } catch (e) { stack = String(e.stack); }
  console.log(JSON.stringify({ installed, fromPack: stack.includes('dist/pack/modules.js'), fromFile: stack.includes('dist/cli/args.js') }));
`;

describe('module pack', () => {
  test('after npm run build, the CLI modules load from the pack (run `npm run build` if this fails)', async () => {
    const r = JSON.parse(await node(WHERE_ARGS_LOADS_FROM));
    expect(r).toEqual({ installed: true, fromPack: true, fromFile: false });
  });

  test("the build's V8 code cache is accepted by a fresh process (a cache made under other V8 flags is not)", async () => {
    const out = await node(`
      const fs = require('fs');
      const { compilePack, packCacheFile } = require('./dist/startup/module-pack.js');
      const s = compilePack();
      console.log(JSON.stringify({ cache: fs.existsSync(packCacheFile()), rejected: s ? s.cachedDataRejected : 'no pack' }));`);
    expect(JSON.parse(out)).toEqual({ cache: true, rejected: false });
  });

  test('LUAHTTP_NO_PACK=1 loads every module from its own file', async () => {
    const r = JSON.parse(await node(WHERE_ARGS_LOADS_FROM, { LUAHTTP_NO_PACK: '1' }));
    expect(r).toEqual({ installed: false, fromPack: false, fromFile: true });
  });

  test('a script behaves the same with and without the pack', async () => {
    const script = `
      local http = require("socket.http"); local url = require("socket.url")
      print(url.escape("a b\\0"), http.request("http://127.0.0.1:1/"))
      print(pcall(error, setmetatable({}, { __tostring = function() return "boom" end })))`;
    const run = (env: Record<string, string>) => node(`
      const r = require('child_process').spawnSync(process.execPath, ['bin/luahttp.js', '-e', ${JSON.stringify(script)}], { env: { ...process.env, ...${JSON.stringify(env)} } });
      console.log(JSON.stringify([r.status, r.stdout.toString('latin1'), r.stderr.toString('latin1')]));`);
    const [packed, unpacked] = await Promise.all([run({}), run({ LUAHTTP_NO_PACK: '1' })]);
    expect(JSON.parse(packed)[1]).toContain('connection refused');
    expect(packed).toBe(unpacked);
  });

  test('a GET resolves no module through Node: each require and require.resolve is in the manifest', async () => {
    // Node's own resolution of a package path costs ms (stat calls, package.json exports); the
    // manifest records every one the build's training run made, on whichever Node built it last.
    const server = http.createServer((_req, res) => res.end('{}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/get`;
      const out = await node(`
        const M = require('module');
        const findPath = M._findPath;
        const searched = [];
        M._findPath = function (request, ...rest) { searched.push(request); return findPath.call(this, request, ...rest); };
        process.argv = [process.argv[0], 'bin/luahttp.js', '-e', ${JSON.stringify(`local _, c = require("socket.http").request("${url}") print(c)`)}];
        process.on('exit', () => console.log(JSON.stringify(searched)));
        require('./bin/luahttp.js');`);
      const lines = out.trim().split('\n');
      expect(lines[0]).toBe('200');
      expect(JSON.parse(lines[1]!)).toEqual(['./bin/luahttp.js', '../dist/startup/module-pack.js']);
    } finally {
      server.close();
    }
  });

  describe('is skipped when stale', () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-pack-test-'));
    fs.mkdirSync(path.join(root, 'dist/cli'), { recursive: true });
    fs.mkdirSync(path.join(root, 'node_modules/undici'), { recursive: true });
    const main = path.join(root, 'dist/cli/main.js');
    fs.writeFileSync(main, '');
    fs.writeFileSync(path.join(root, 'node_modules/undici/package.json'), JSON.stringify({ version: '7.30.2' }));
    const manifest = (): PackManifest => ({
      checks: [
        { file: 'dist/cli/main.js', mtimeMs: fs.statSync(main).mtimeMs },
        { file: 'node_modules/undici/package.json', version: '7.30.2' },
      ],
      resolutions: {},
    });

    test('current when the build output and the dependency versions are unchanged', () => {
      expect(packIsCurrent(manifest(), root)).toBe(true);
    });
    test('stale after a rebuild (tsc rewrites every output file)', () => {
      const m = manifest();
      fs.utimesSync(main, new Date(), new Date(Date.now() + 5000));
      expect(packIsCurrent(m, root)).toBe(false);
    });
    test('stale after a dependency changed version', () => {
      const m = manifest();
      m.checks[1]!.version = '7.16.0';
      expect(packIsCurrent(m, root)).toBe(false);
    });
    test('a current but damaged pack is not installed (no crash, modules load from their files)', () => {
      fs.mkdirSync(path.join(root, 'dist/pack'), { recursive: true });
      fs.writeFileSync(path.join(root, 'dist/pack/manifest.json'), JSON.stringify(manifest()));
      fs.writeFileSync(path.join(root, 'dist/pack/modules.js'), '(function () { return { "dist/x.js": function (');
      expect(installModulePack(root)).toBe(false);
      fs.writeFileSync(path.join(root, 'dist/pack/manifest.json'), '{"checks": [');
      expect(installModulePack(root)).toBe(false);
    });
    test('stale when a dependency is not where the build found it (installed hoisted)', () => {
      const m = manifest();
      m.checks.push({ file: 'node_modules/wasmoon/package.json', version: '1.16.0' });
      expect(packIsCurrent(m, root)).toBe(false);
    });
  });
});

// A git worktree or a pnpm install reaches its dependencies through a symlink. Once the process has
// stat'ed a pipe (the CLI checks its stdout), Node's realpath keeps such a path as it is
// (nodejs/node#51142), so a module loaded after that (undici's proxy-agent, not in the pack) came from
// the linked path while the packed undici modules sit at the real one: two copies of undici's
// symbols, and "this[kDispatch] is not a function". Here: a checkout whose node_modules is a symlink.
describe('with a symlinked node_modules', () => {
  const checkout = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-linked-'));
  for (const part of ['bin', 'dist', 'lua', 'package.json']) {
    fs.cpSync(path.join(REPO_ROOT, part), path.join(checkout, part), { recursive: true, preserveTimestamps: true });
  }
  // The pack is current while dist/cli/main.js keeps the mtime it was built with; a copy's mtime may
  // lose the sub-millisecond part, so the copy's manifest names the copy's.
  const manifestFile = path.join(checkout, 'dist/pack/manifest.json');
  const copied = JSON.parse(fs.readFileSync(manifestFile, 'utf8')) as PackManifest;
  copied.checks.find((c) => c.file === 'dist/cli/main.js')!.mtimeMs = fs.statSync(path.join(checkout, 'dist/cli/main.js')).mtimeMs;
  fs.writeFileSync(manifestFile, JSON.stringify(copied));
  fs.symlinkSync(fs.realpathSync(path.join(REPO_ROOT, 'node_modules')), path.join(checkout, 'node_modules'), 'dir');
  afterAll(() => fs.rmSync(checkout, { recursive: true, force: true }));

  test('the checkout serves its modules from the pack', async () => {
    expect(JSON.parse(await node(WHERE_ARGS_LOADS_FROM, {}, checkout))).toEqual({ installed: true, fromPack: true, fromFile: false });
  });

  test('undici modules loaded after the packed ones are the same copies (an https request through a proxy, stdout a pipe)', async () => {
    // The proxy is named, so --no-private refuses it at its lookup: no server needed, nothing sent;
    // the answer is the policy's only if the proxy agent and the packed undici agree.
    const request = (url: string, proxy: string): string => `do local b, c = require("socket.http").request { url = "${url}", proxy = "${proxy}" } print(b, c) end`;
    const lua = [
      request('http://public.example/', 'http://localhost:1/'),
      request('https://public.example/', 'http://localhost:1/'),
    ].join('\n');
    const out = await node(`
      const r = require('child_process').spawnSync(process.execPath, ['bin/luahttp.js', '--no-private', '-e', ${JSON.stringify(lua)}], { env: { ...process.env, http_proxy: '', https_proxy: '', HTTPS_PROXY: '', HTTP_PROXY: '', all_proxy: '', ALL_PROXY: '' } });
      process.stdout.write(r.stdout.toString('latin1') + r.stderr.toString('latin1'));`, {}, checkout);
    const blocked = /^nil\tblocked by policy \(loopback address (127\.0\.0\.1|::1)\)$/;
    expect(out.split('\n').filter(Boolean)).toEqual([expect.stringMatching(blocked), expect.stringMatching(blocked)]);
  });
});
