// luahttp installed as users install it: `npm pack`, then `npm install ./luahttp-*.tgz` in a clean
// project. The installed CLI runs a script, serves its modules from the module pack (dependencies found
// where npm hoisted them, the build recognised by content), and its first request leaves a V8 code
// cache in the user's cache directory that the next run accepts.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../oracle/lua-runner.js';

const NPM_CLI = path.join(path.dirname(process.execPath), '../lib/node_modules/npm/bin/npm-cli.js');
let tmp: string;
let project: string;
let server: http.Server;
let url: string;

function run(cmd: string, args: string[], opts: { cwd: string; env?: Record<string, string> }): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { cwd: opts.cwd, env: { ...process.env, ...opts.env }, timeout: 180_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stdout}\n${stderr}`)); else resolve({ stdout, stderr });
    });
  });
}
const npm = (args: string[], cwd: string) => fs.existsSync(NPM_CLI) ? run(process.execPath, [NPM_CLI, ...args], { cwd }) : run('npm', args, { cwd });

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-install-'));
  project = path.join(tmp, 'project');
  fs.mkdirSync(project);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'install-test', version: '1.0.0', private: true }));
  // dist/ is already built (the suite runs after `npm run build`); packing must not rebuild it under
  // the other tests' feet.
  const packed = (await npm(['pack', '--ignore-scripts', '--pack-destination', tmp], REPO_ROOT)).stdout.trim().split('\n').pop()!;
  await npm(['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(tmp, packed)], project);
  server = http.createServer((req, res) => res.end(`hello ${req.url}`));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
}, 300_000);

afterAll(() => {
  server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe('the installed package', () => {
  const installed = () => path.join(project, 'node_modules/luahttp');
  const cacheHome = () => path.join(tmp, 'cache');
  const luahttp = (args: string[]) => run(process.execPath, [path.join(project, 'node_modules/.bin/luahttp'), ...args], { cwd: project, env: { XDG_CACHE_HOME: cacheHome() } });

  test('is laid out as npm installs it: dependencies hoisted, no code cache shipped', () => {
    expect(fs.existsSync(path.join(project, 'node_modules/undici/package.json'))).toBe(true);
    expect(fs.existsSync(path.join(installed(), 'node_modules/undici'))).toBe(false);
    expect(fs.readdirSync(path.join(installed(), 'dist/pack')).filter((f) => f.endsWith('.v8cache'))).toEqual([]);
    expect(fs.existsSync(path.join(installed(), 'LICENSE'))).toBe(true);
  });

  test('is a library too: require and import from the project, a run over the network', async () => {
    const cjs = await run(process.execPath, ['-e', `
      const { createRuntime } = require('luahttp');
      (async () => {
        const rt = await createRuntime({ network: { privateNetworks: true }, functions: { tag: (s) => '<' + s + '>' } });
        console.log(JSON.stringify(await rt.run('local b = require("socket.http").request(...) return tag(b)', { args: ['${url}'] })));
        await rt.close();
      })();`], { cwd: project });
    expect(cjs.stdout).toBe('["<hello /x>"]\n');
    const esm = await run(process.execPath, ['--input-type=module', '-e', `
      import { createRuntime, LuaError } from 'luahttp';
      const rt = await createRuntime();
      console.log(JSON.stringify(await rt.run('return 1 + 1')), typeof LuaError);
      await rt.close();`], { cwd: project });
    expect(esm.stdout).toBe('[2] function\n');
  });

  test('runs a script, with its modules from the pack', async () => {
    const r = await luahttp(['-e', `local b, c = require("socket.http").request("${url}") print(c, b)`]);
    expect(r.stdout).toBe('200\thello /x\n');
    const where = await run(process.execPath, ['-e', `
      const installed = require('./node_modules/luahttp/dist/startup/module-pack.js').installModulePack();
      let stack = '';
      try { require('./node_modules/luahttp/dist/cli/args.js').parseArgs(['--no-such-option'], 'luahttp'); } catch (e) { stack = String(e.stack); }
      const undici = require.resolve('undici', { paths: [require('path').resolve('node_modules/luahttp')] });
      console.log(JSON.stringify({ installed, fromPack: stack.includes('dist/pack/modules.js'), undiciHoisted: !undici.includes('/node_modules/luahttp/node_modules/') }));`], { cwd: project });
    expect(JSON.parse(where.stdout)).toEqual({ installed: true, fromPack: true, undiciHoisted: true });
  });

  test("the first request leaves a code cache in the user's cache directory, and the next run accepts it", async () => {
    fs.rmSync(cacheHome(), { recursive: true, force: true });
    await luahttp(['-e', 'print("no request: no cache")']);
    expect(fs.existsSync(cacheHome())).toBe(false);
    await luahttp(['-e', `print(select(2, require("socket.http").request("${url}")))`]);
    const manifest = JSON.parse(fs.readFileSync(path.join(installed(), 'dist/pack/manifest.json'), 'utf8'));
    const cache = path.join(cacheHome(), 'luahttp', manifest.id, `modules.${process.version}-${process.arch}.v8cache`);
    expect(fs.statSync(cache).size).toBeGreaterThan(100_000);
    const accepted = await run(process.execPath, ['-e', `
      const m = require('./node_modules/luahttp/dist/startup/module-pack.js');
      const manifest = JSON.parse(require('fs').readFileSync(m.packManifest(require('path').resolve('node_modules/luahttp')), 'utf8'));
      const s = m.compilePack(require('path').resolve('node_modules/luahttp'), m.userCacheFile(manifest));
      console.log(s.cachedDataRejected);`], { cwd: project, env: { XDG_CACHE_HOME: cacheHome() } });
    expect(accepted.stdout.trim()).toBe('false');
  });

  test('a cache directory that cannot be made is no obstacle', async () => {
    // Under a regular file: mkdir fails for root too (a mode-0500 directory would not stop root).
    const blocked = path.join(tmp, 'a-file');
    fs.writeFileSync(blocked, '');
    const r = await run(process.execPath, [path.join(project, 'node_modules/.bin/luahttp'), '-e', `print((select(2, require("socket.http").request("${url}"))))`], { cwd: project, env: { XDG_CACHE_HOME: path.join(blocked, 'cache') } });
    expect(r).toEqual({ stdout: '200\n', stderr: '' });
  });
});
