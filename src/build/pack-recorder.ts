// Preloaded (`node -r`) into the module pack's training run: records which package files the run
// loads and how each require inside the package resolved, for src/build/module-pack-build.ts.
import fs from 'node:fs';
import path from 'node:path';
import { PACK_ROOT } from '../cli/module-pack.js';

export interface PackRecord {
  files: string[];
  resolutions: Record<string, string>;
}

interface ModuleInternals {
  _resolveFilename(request: string, parent: NodeJS.Module | null | undefined, isMain?: boolean, options?: unknown): string;
  _extensions: Record<string, (module: NodeJS.Module, filename: string) => void>;
}

const out = process.env.LUAHTTP_PACK_RECORD;
if (out) {
  const M = require('node:module') as unknown as ModuleInternals;
  const prefix = PACK_ROOT + path.sep;
  const rel = (file: string): string | undefined => (file.startsWith(prefix) ? file.slice(prefix.length) : undefined);
  const record: PackRecord = { files: [], resolutions: {} };
  const resolve = M._resolveFilename;
  M._resolveFilename = function (request, parent, isMain, options) {
    const file = resolve.call(this, request, parent, isMain, options);
    const from = parent?.filename ? rel(parent.filename) : undefined;
    const to = rel(file);
    if (from !== undefined && to !== undefined && options === undefined) record.resolutions[`${from}\0${request}`] = to;
    return file;
  };
  const loadJs = M._extensions['.js']!;
  M._extensions['.js'] = function (module, filename) {
    const key = rel(filename);
    if (key !== undefined) record.files.push(key);
    return loadJs.call(this, module, filename);
  };
  process.once('exit', () => fs.writeFileSync(out, JSON.stringify(record)));
}
