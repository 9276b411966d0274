// Start-up: the CommonJS modules a run needs (ours, undici's and wasmoon's, ~56 files) come from one
// pre-built script with a V8 code cache instead of 56 path resolutions, file reads and compiles. In
// this sandbox each resolution is several stat calls; a one-GET script spent 5–8 ms resolving, ~3 ms
// reading and ~10 ms compiling. The pack is built by `npm run build` (src/build/module-pack-build.ts);
// a stale or missing pack is skipped, and modules not in it load from disk as usual.
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

/** What the build wrote: see src/build/module-pack-build.ts. */
export interface PackManifest {
  /**
   * What must be unchanged for the pack to be current: our build output's mtime (tsc rewrites every
   * file), and each dependency's version (npm gives every installed file the same mtime).
   */
  checks: { file: string; mtimeMs?: number; version?: string }[];
  /** `parent file \0 request` → resolved file, all relative to the package root. */
  resolutions: Record<string, string>;
}

export type ModuleFn = (exports: unknown, require: NodeJS.Require, module: NodeJS.Module, filename: string, dirname: string) => void;

/** The parts of node:module's Module the pack hooks (the recorder in src/build/ hooks the same). */
export interface ModuleInternals {
  _resolveFilename(request: string, parent: NodeJS.Module | null | undefined, isMain?: boolean, options?: unknown): string;
  _extensions: Record<string, (module: NodeJS.Module, filename: string) => void>;
  _cache: Record<string, NodeJS.Module>;
}

export const PACK_ROOT = path.resolve(__dirname, '../..');
export const packFile = (root = PACK_ROOT): string => path.join(root, 'dist/pack/modules.js');
export const packManifest = (root = PACK_ROOT): string => path.join(root, 'dist/pack/manifest.json');
export const PACK_FILE = packFile();
export const PACK_MANIFEST = packManifest();
/**
 * V8 accepts a code cache only from the same V8 build and flags; one file per Node version. Only the
 * build's training run writes it (through this variable): a cache written by whatever run came first
 * (a --cpu-prof run, a short script) held a fraction of the functions and was still accepted.
 */
export const SAVE_CACHE_ENV = 'LUAHTTP_PACK_SAVE_CACHE';
export const packCacheFile = (root = PACK_ROOT): string => path.join(root, `dist/pack/modules.${process.version}-${process.arch}.v8cache`);

function readIfExists(file: string): Buffer | undefined {
  try { return fs.readFileSync(file); } catch { return undefined; }
}

/** The manifest's key for how `request`, required from the package file `from`, resolves. */
export const resolutionKey = (from: string, request: string): string => `${from}\0${request}`;

/** A file's path relative to the package root, or undefined outside it (other packages, Node's own). */
export function relativeTo(root: string): (file: string) => string | undefined {
  const prefix = root + path.sep;
  return (file) => (file.startsWith(prefix) ? file.slice(prefix.length) : undefined);
}

/** Whether the files the pack was built from are still the ones installed under root. */
export function packIsCurrent(manifest: PackManifest, root = PACK_ROOT): boolean {
  for (const check of manifest.checks) {
    const file = path.join(root, check.file);
    try {
      if (check.mtimeMs !== undefined && fs.statSync(file).mtimeMs !== check.mtimeMs) return false;
      if (check.version !== undefined && (JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: string }).version !== check.version) return false;
    } catch {
      return false; // e.g. installed as a dependency, with undici hoisted to another node_modules
    }
  }
  return true;
}

/** Node's own require for a module, as Module.prototype._compile would build it. */
function requireFor(module: NodeJS.Module, M: ModuleInternals): NodeJS.Require {
  const req = ((id: string) => module.require(id)) as NodeJS.Require;
  req.resolve = ((request: string, options?: unknown) => M._resolveFilename(request, module, false, options)) as NodeJS.RequireResolve;
  req.main = require.main;
  req.cache = M._cache as NodeJS.Require['cache'];
  req.extensions = M._extensions as unknown as NodeJS.Require['extensions'];
  return req;
}

/**
 * The pack compiled with its code cache, as the CLI loads it (null: no pack). Also how the build and
 * the tests ask whether V8 accepts the cache (`cachedDataRejected`).
 */
export function compilePack(root = PACK_ROOT): vm.Script | null {
  const source = readIfExists(packFile(root));
  if (!source) return null;
  return new vm.Script(source.toString('latin1'), {
    filename: packFile(root),
    cachedData: readIfExists(packCacheFile(root)),
    // An import() left in a packed module (wasmoon's is rewritten at build time) still works.
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  } as vm.ScriptOptions);
}

/**
 * Serves the packed modules from now on; false (and nothing changed) when there is no current pack
 * under root, or it cannot be read.
 */
export function installModulePack(root = PACK_ROOT): boolean {
  if (process.env.LUAHTTP_NO_PACK) return false;
  const manifestText = readIfExists(packManifest(root));
  if (!manifestText) return false;
  let manifest: PackManifest;
  let script: vm.Script;
  let modules: Record<string, ModuleFn>;
  try {
    manifest = JSON.parse(manifestText.toString('utf8')) as PackManifest;
    if (!packIsCurrent(manifest, root)) return false;
    const compiled = compilePack(root);
    if (!compiled) return false;
    script = compiled;
    // Only function definitions run here; a damaged pack fails before anything is installed.
    modules = (script.runInThisContext() as () => Record<string, ModuleFn>)();
  } catch {
    return false;
  }
  const saveTo = process.env[SAVE_CACHE_ENV];
  if (saveTo) process.once('exit', () => fs.writeFileSync(saveTo, script.createCachedData()));

  const M = require('node:module') as unknown as ModuleInternals;
  const rel = relativeTo(root);
  const resolve = M._resolveFilename;
  M._resolveFilename = function (request, parent, isMain, options) {
    if (parent?.filename && options === undefined) {
      const from = rel(parent.filename);
      const key = from === undefined ? undefined : resolutionKey(from, request);
      const hit = key !== undefined && Object.hasOwn(manifest.resolutions, key) ? manifest.resolutions[key] : undefined;
      if (hit !== undefined) return path.join(root, hit);
    }
    return resolve.call(this, request, parent, isMain, options);
  };
  const loadJs = M._extensions['.js']!;
  M._extensions['.js'] = function (module, filename) {
    const key = rel(filename);
    const fn = key !== undefined && Object.hasOwn(modules, key) ? modules[key] : undefined;
    if (!fn) return loadJs.call(this, module, filename);
    fn.call(module.exports, module.exports, requireFor(module, M), module, filename, path.dirname(filename));
  };
  return true;
}
