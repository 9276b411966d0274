// Preloaded (`node -r`) into the module pack's training run: records which package files the run
// loads and how each require inside the package resolved, for src/build/module-pack-build.ts.
import fs from 'node:fs';
import { PACK_ROOT, defaultSearch, relativeTo, resolutionKey, type ModuleInternals } from '../startup/module-pack.js';

export interface PackRecord {
  files: string[];
  resolutions: Record<string, string>;
}

const out = process.env.LUAHTTP_PACK_RECORD;
if (out) {
  const M = require('node:module') as unknown as ModuleInternals;
  const rel = relativeTo(PACK_ROOT);
  const record: PackRecord = { files: [], resolutions: {} };
  const resolve = M._resolveFilename;
  M._resolveFilename = function (request, parent, isMain, options) {
    const file = resolve.call(this, request, parent, isMain, options);
    const from = parent?.filename ? rel(parent.filename) : undefined;
    const to = rel(file);
    if (from !== undefined && to !== undefined && defaultSearch(options)) record.resolutions[resolutionKey(from, request)] = to;
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
