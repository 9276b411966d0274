// The library as an app loads it: the built CommonJS entry (the VM worker is a compiled file, so the
// tests run against dist/; `npm run build` first).
import { createRequire } from 'node:module';
import path from 'node:path';

export const REPO_ROOT = path.resolve(__dirname, '../..');
const requireFromHere = createRequire(__filename);

export const lib = requireFromHere(path.join(REPO_ROOT, 'dist/index.js')) as typeof import('../../src/index.js');
export const { createRuntime, createPool, LuaError, LimitError, PolicyError, ValueRuleError } = lib;

/** Collects a runtime's stdout/stderr bytes. */
export function collector(): { sink: (b: Uint8Array) => void; bytes: () => Buffer; text: () => string } {
  const parts: Buffer[] = [];
  return {
    sink: (b) => { parts.push(Buffer.from(b)); },
    bytes: () => Buffer.concat(parts),
    text: () => Buffer.concat(parts).toString('latin1'),
  };
}
