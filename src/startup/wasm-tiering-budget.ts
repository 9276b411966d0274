// Start-up: two wasm modules (wasmoon's Lua and undici's llhttp) are compiled with a raised
// --wasm-tiering-budget, so a short script's first milliseconds do not start a TurboFan compile that
// process exit then waits for (ref/startup.md §0.2). The flag must afterwards go back to its EXACT
// default: any non-default V8 flag changes V8's flag hash, and then V8 rejects Node's built-in code
// cache and our module pack's (ref/startup.md §0.3). V8 offers no way to read a flag, and the default
// differs between V8 lines (Node 20's 1,800,000, Node 22-26's 13,000,000; restoring Node 20's value on
// Node 24 left the pack's cache rejected at every start), so it comes from this table, checked
// against `node --v8-options` by test/startup/wasm-tiering-budget.test.ts on every Node that CI runs. On a
// V8 line not listed, or when the user sets the flag, the budget is left alone: start-up is slower,
// nothing else changes.
import v8 from 'node:v8';

/** `node --v8-options` default of --wasm-tiering-budget, per V8 major version. */
export const WASM_TIERING_BUDGET_DEFAULTS: Readonly<Record<string, number>> = {
  '11': 1_800_000, // Node 20 (V8 11.3)
  '12': 13_000_000, // Node 22 (V8 12.4)
  '13': 13_000_000, // Node 24 (V8 13.6)
  '14': 13_000_000, // Node 26 (V8 14.6)
};

/** How much the budget is raised while a module compiles (fib(30) unchanged, short scripts stay on Liftoff). */
const RAISE_FACTOR = 100;

const userSetsFlag = (text: string | undefined): boolean => text !== undefined && /wasm[-_]tiering[-_]budget/.test(text);

/** This process's default budget; undefined when unknown or not ours to change. */
export function defaultWasmTieringBudget(
  v8Version = process.versions.v8,
  execArgv = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS,
): number | undefined {
  if (execArgv.some(userSetsFlag) || userSetsFlag(nodeOptions)) return undefined;
  const major = v8Version.split('.')[0] ?? '';
  return Object.hasOwn(WASM_TIERING_BUDGET_DEFAULTS, major) ? WASM_TIERING_BUDGET_DEFAULTS[major] : undefined;
}

/**
 * Raises the budget for wasm modules compiled from now on; the returned function restores the
 * default (call it in a finally). Does nothing where the default is unknown.
 */
export function raiseWasmTieringBudget(): () => void {
  const budget = defaultWasmTieringBudget();
  if (budget === undefined) return () => {};
  v8.setFlagsFromString(`--wasm-tiering-budget=${budget * RAISE_FACTOR}`);
  return () => v8.setFlagsFromString(`--wasm-tiering-budget=${budget}`);
}
