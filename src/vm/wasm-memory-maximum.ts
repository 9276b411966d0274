// The Lua heap's hard cap for embedded VMs. Node's resourceLimits do not cover wasm memory, and
// wasmoon's glue.wasm declares its own memory (not imported) with a 2 GiB maximum; rewriting that
// maximum in the module bytes before instantiation makes memory.grow fail past it, so malloc returns
// NULL and Lua raises "not enough memory" (LUA_ERRMEM) like C Lua out of memory.

const MEMORY_SECTION = 5;
const PAGE = 65536;

function readLeb(b: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let shift = 0;
  let c: number;
  do {
    c = b[at++]!;
    value += (c & 0x7f) * 2 ** shift;
    shift += 7;
  } while (c & 0x80);
  return [value, at];
}

function leb(n: number): number[] {
  const out: number[] = [];
  do {
    let c = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) c |= 0x80;
    out.push(c);
  } while (n > 0);
  return out;
}

/**
 * A copy of the wasm module with its (single, 32-bit) memory's maximum set to maxBytes, never below
 * the initial size; the input unchanged when it has no such memory section.
 */
export function withMemoryMaximum(module: Uint8Array, maxBytes: number): Uint8Array {
  let at = 8; // magic + version
  while (at < module.length) {
    const id = module[at]!;
    const [size, body] = readLeb(module, at + 1);
    if (id === MEMORY_SECTION) {
      const [count, flagsAt] = readLeb(module, body);
      const flags = module[flagsAt]!;
      if (count !== 1 || (flags & ~1) !== 0) return module;
      const [initialPages] = readLeb(module, flagsAt + 1);
      const maxPages = Math.max(initialPages, Math.floor(maxBytes / PAGE));
      const content = [...leb(1), 1, ...leb(initialPages), ...leb(maxPages)];
      const section = [MEMORY_SECTION, ...leb(content.length), ...content];
      const out = new Uint8Array(module.length - (body + size - at) + section.length);
      out.set(module.subarray(0, at), 0);
      out.set(section, at);
      out.set(module.subarray(body + size), at + section.length);
      return out;
    }
    at = body + size;
  }
  return module;
}
