// The CLI's start-up patch for undici's llhttp (the library leaves WebAssembly alone): llhttp's parser
// is one 33 KB function; the first response uses up its tiering budget and the TurboFan compile that
// follows (130–200 ms) delayed process exit (ref/startup.md §0.2). The budget is fixed when the
// module is compiled, so it is raised only while undici compiles this module. What luahttp needs from
// llhttp while parsing is per connection and installed in every mode (adopt-parser.ts).
import { raiseWasmTieringBudget } from '../../startup/wasm-tiering-budget.js';

type ModuleCtor = new (bytes: Uint8Array) => object;

/**
 * Hooks WebAssembly.Module until the next large module compiles (llhttp's; wasmoon's small
 * addFunction modules pass through), then puts the original back.
 */
export function raiseBudgetForLlhttpCompile(): void {
  const wasm = (globalThis as unknown as { WebAssembly: { Module: ModuleCtor } }).WebAssembly;
  const OriginalModule = wasm.Module;
  const PatchedModule = function Module(bytes: Uint8Array) {
    if (bytes.byteLength < 16384) return new OriginalModule(bytes);
    const restoreBudget = raiseWasmTieringBudget();
    try {
      // undici tries llhttp's SIMD build first and falls back: the hook stays until one compiles.
      const module = new OriginalModule(bytes);
      wasm.Module = OriginalModule;
      return module;
    } finally {
      restoreBudget();
    }
  } as unknown as ModuleCtor;
  PatchedModule.prototype = OriginalModule.prototype;
  wasm.Module = PatchedModule;
}
