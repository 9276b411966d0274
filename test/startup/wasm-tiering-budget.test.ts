// The wasm tiering budget is raised while wasmoon's and llhttp's modules compile and then restored to
// V8's exact default (src/startup/wasm-tiering-budget.ts). The default comes from a table per V8 line;
// this checks the table against the running Node's own `--v8-options`, so CI catches a Node whose
// default moved (a wrong "default" leaves a non-default flag behind: V8 then rejects every code cache).
import { execFileSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import { defaultWasmTieringBudget } from '../../src/startup/wasm-tiering-budget.js';

describe('wasm tiering budget', () => {
  test(`the table knows this Node's default (${process.version}, V8 ${process.versions.v8})`, () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    const m = /--wasm-tiering-budget=(\d+)/.exec(options.slice(options.indexOf('--wasm-tiering-budget (')));
    expect(m, 'no --wasm-tiering-budget in --v8-options').not.toBeNull();
    expect(defaultWasmTieringBudget(process.versions.v8, [], undefined)).toBe(Number(m![1]));
  });

  test('an unknown V8 line, or a budget the user set, is left alone', () => {
    expect(defaultWasmTieringBudget('99.1.2', [], undefined)).toBeUndefined();
    expect(defaultWasmTieringBudget('13.6.233.17-node.63', ['--wasm-tiering-budget=5'], undefined)).toBeUndefined();
    expect(defaultWasmTieringBudget('13.6.233.17-node.63', [], '--max-old-space-size=100 --wasm_tiering_budget=5')).toBeUndefined();
    expect(defaultWasmTieringBudget('13.6.233.17-node.63', [], '--max-old-space-size=100')).toBe(13_000_000);
  });
});
