// Start-up: the CommonJS modules a run needs (ours, undici's and wasmoon's, ~56 files) come from one
// pre-built script with a V8 code cache instead of 56 path resolutions, file reads and compiles. In
// this sandbox each resolution is several stat calls; a one-GET script spent 5–8 ms resolving, ~3 ms
// reading and ~10 ms compiling. The pack is built by `npm run build` (src/build/module-pack-build.ts);
// a stale or missing pack is skipped, and modules not in it load from disk as usual.
// Installed from npm, the same pack is used: dependencies are found where npm put them (hoisted next to
// luahttp, not under it), the build is recognised by content (npm resets every file's mtime), and the
// V8 code cache, valid for one Node build only, is made by the first run that does a request and kept
// in the user's cache directory (per Node version; written atomically, skipped where not writable).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/** What the build wrote: see src/build/module-pack-build.ts. */
export interface PackManifest {
  /**
   * What must be unchanged for the pack to be current: our build output's mtime (tsc rewrites every
   * file) or, installed from a tarball (npm resets mtimes), its size and content hash; and each
   * dependency's version (npm gives every installed file the same mtime).
   */
  checks: { file: string; mtimeMs?: number; size?: number; hash?: string; version?: string }[];
  /** `parent file \0 request` → resolved file, all relative to the package root. */
  resolutions: Record<string, string>;
  /** Names this pack's content: the key of code caches made for it outside the package. */
  id?: string;
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

/** FNV-1a (32-bit) of a file's bytes, as hex: a build-output fingerprint without loading node:crypto. */
export function contentHash(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** Whether luahttp runs from an installed package (inside node_modules), not from a working copy. */
const isInstalled = (root: string): boolean => root.split(path.sep).includes('node_modules');

/**
 * Where the packed files are on this machine. Keys are the build's paths relative to the package root,
 * dependencies under `node_modules/<name>/`; installed, a dependency is wherever Node would find it
 * from luahttp's root (usually hoisted next to it).
 */
export class PackLayout {
  private readonly deps: [name: string, keyPrefix: string, dir: string][] = [];
  /** [link, real]: a dependency found through a symlink (a linked node_modules, pnpm's store). */
  private readonly links: [link: string, real: string][] = [];

  constructor(readonly root: string) {}

  /** Finds a dependency as require would from the root; its package.json text, or undefined. */
  locate(name: string): string | undefined {
    for (let dir = this.root; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      const text = readIfExists(path.join(candidate, 'package.json'));
      if (text) {
        // Node loads modules by their real path (a linked node_modules included).
        let real = candidate;
        try { real = fs.realpathSync(candidate); } catch { /* keep the path found */ }
        this.deps.push([name, `node_modules/${name}/`, real + path.sep]);
        if (real !== candidate) this.links.push([candidate + path.sep, real + path.sep]);
        return text.toString('utf8');
      }
      if (path.dirname(dir) === dir) return undefined;
    }
  }

  file(key: string): string {
    for (const [, prefix, dir] of this.deps) if (key.startsWith(prefix)) return dir + key.slice(prefix.length);
    return path.join(this.root, key);
  }

  /**
   * The path Node means for a file of a dependency: its real one. Node's own answer can keep a linked
   * path: its realpathSync skips resolving once the last fs.stat of the process saw a pipe or socket
   * (nodejs/node#51142; the CLI stats its stdout), and then a module loaded later (undici's
   * proxy-agent) would be a second copy beside the packed ones, with other Symbols: "this[kDispatch]
   * is not a function".
   */
  canonical(file: string): string {
    for (const [link, real] of this.links) if (file.startsWith(link)) return real + file.slice(link.length);
    return file;
  }

  key(file: string): string | undefined {
    for (const [, prefix, dir] of this.deps) if (file.startsWith(dir)) return prefix + file.slice(dir.length).split(path.sep).join('/');
    const own = this.root + path.sep;
    return file.startsWith(own) ? file.slice(own.length) : undefined;
  }
}

/**
 * Whether a resolution searches the default places (require's, or require.resolve's without
 * `paths`): only those are recorded and served. Node 24's require.resolve passes `{}` where Node 20
 * passed nothing.
 */
export const defaultSearch = (options: unknown): boolean =>
  options === undefined || (typeof options === 'object' && options !== null && (options as { paths?: unknown }).paths === undefined);

/** The manifest's key for how `request`, required from the package file `from`, resolves. */
export const resolutionKey = (from: string, request: string): string => `${from}\0${request}`;

/**
 * A file's pack key: its path relative to the package root, a dependency's as `node_modules/<name>/…`
 * wherever it is installed; undefined for Node's own modules.
 */
export function relativeTo(root: string): (file: string) => string | undefined {
  const prefix = root + path.sep;
  const marker = `${path.sep}node_modules${path.sep}`;
  return (file) => {
    if (file.startsWith(prefix)) return file.slice(prefix.length).split(path.sep).join('/');
    const at = file.lastIndexOf(marker);
    return at < 0 ? undefined : `node_modules/${file.slice(at + marker.length).split(path.sep).join('/')}`;
  };
}

/**
 * Whether the files the pack was built from are still the ones installed: our build output unchanged
 * (same mtime; installed, same size and content), each dependency found at its built version.
 */
export function packIsCurrent(manifest: PackManifest, root = PACK_ROOT, layout = new PackLayout(root)): boolean {
  for (const check of manifest.checks) {
    try {
      const dep = /^node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(check.file);
      if (dep) {
        const text = layout.locate(dep[1]!);
        if (text === undefined || (JSON.parse(text) as { version?: string }).version !== check.version) return false;
        continue;
      }
      const file = path.join(root, check.file);
      if (check.mtimeMs === undefined || fs.statSync(file).mtimeMs === check.mtimeMs) continue;
      // A working copy rebuilt by tsc alone must not get stale packed modules: only an installed
      // package (whose files nobody rebuilds) may prove itself by content.
      if (!isInstalled(root) || check.hash === undefined) return false;
      const bytes = fs.readFileSync(file);
      if (bytes.length !== check.size || contentHash(bytes) !== check.hash) return false;
    } catch {
      return false;
    }
  }
  return true;
}

/** The user's cache directory for code caches of this pack (XDG_CACHE_HOME, else ~/.cache). */
export function userCacheFile(manifest: PackManifest): string | undefined {
  if (!manifest.id) return undefined;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(base, 'luahttp', manifest.id, `modules.${process.version}-${process.arch}.v8cache`);
}

/** Writes a file so that a concurrent reader sees the old or the new one whole; false where it cannot. */
function writeAtomically(file: string, data: Uint8Array): boolean {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
    return true;
  } catch {
    try { fs.rmSync(tmp, { force: true }); } catch { /* nothing was written */ }
    return false;
  }
}

let v8FlagsChanged = false;
/** A V8 flag changed in this run (src/startup/warm-jit.ts): its code cache would be rejected later. */
export function noteV8FlagsChanged(): void {
  v8FlagsChanged = true;
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
export function compilePack(root = PACK_ROOT, cacheFile = packCacheFile(root)): vm.Script | null {
  const source = readIfExists(packFile(root));
  if (!source) return null;
  return new vm.Script(source.toString('latin1'), {
    filename: packFile(root),
    cachedData: readIfExists(cacheFile),
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
  const layout = new PackLayout(root);
  // The build's own cache (a working copy built by this Node), else one an earlier run left for it.
  let cacheFile = packCacheFile(root);
  try {
    manifest = JSON.parse(manifestText.toString('utf8')) as PackManifest;
    if (!packIsCurrent(manifest, root, layout)) return false;
    if (!fs.existsSync(cacheFile)) cacheFile = userCacheFile(manifest) ?? cacheFile;
    const compiled = compilePack(root, cacheFile);
    if (!compiled) return false;
    script = compiled;
    // Only function definitions run here; a damaged pack fails before anything is installed.
    modules = (script.runInThisContext() as () => Record<string, ModuleFn>)();
  } catch {
    return false;
  }
  let servedTransport = false;
  const saveTo = process.env[SAVE_CACHE_ENV];
  if (saveTo) {
    process.once('exit', () => fs.writeFileSync(saveTo, script.createCachedData()));
  } else if (cacheFile !== packCacheFile(root) && (script.cachedDataRejected !== false)) {
    // No usable cache yet: the first run that loads the transport (a request) leaves one, holding
    // what a request compiles, as the build's training run does; a run that changed a V8 flag would
    // leave one V8 rejects.
    process.once('exit', () => {
      if (servedTransport && !v8FlagsChanged) writeAtomically(cacheFile, script.createCachedData());
    });
  }

  const M = require('node:module') as unknown as ModuleInternals;
  const resolve = M._resolveFilename;
  M._resolveFilename = function (request, parent, isMain, options) {
    if (parent?.filename && defaultSearch(options)) {
      const from = layout.key(parent.filename);
      const key = from === undefined ? undefined : resolutionKey(from, request);
      const hit = key !== undefined && Object.hasOwn(manifest.resolutions, key) ? manifest.resolutions[key] : undefined;
      if (hit !== undefined) return layout.file(hit);
    }
    return layout.canonical(resolve.call(this, request, parent, isMain, options));
  };
  const loadJs = M._extensions['.js']!;
  M._extensions['.js'] = function (module, filename) {
    const key = layout.key(filename);
    const fn = key !== undefined && Object.hasOwn(modules, key) ? modules[key] : undefined;
    if (!fn) return loadJs.call(this, module, filename);
    if (key!.startsWith('node_modules/undici/')) servedTransport = true;
    fn.call(module.exports, module.exports, requireFor(module, M), module, filename, path.dirname(filename));
  };
  return true;
}
