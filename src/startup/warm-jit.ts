import v8 from 'node:v8';
import { noteV8FlagsChanged } from './module-pack.js';

/**
 * V8 optimises a function once it has run ~66 KB of bytecode. A request passes through a few hundred
 * small JS functions (driver, cores, undici), each run once per request, so a loop of GETs ran
 * unoptimised for its first thousands of requests (400 µs each, falling to 180 after ~3,000). A small
 * budget from the start made one GET 17 % slower (compiles of code that runs once), so it is lowered at
 * the second network wait: a one-request script never pays, a busy one warms up within ~500 requests.
 * It is process-wide, so only the CLI does it; an embedding app keeps its own V8 settings. Only on
 * V8 11 (Node 20), where it was measured: Node 22's V8 tiers up through Maglev, and an unknown flag
 * would print an error on stderr.
 */
const BUSY_AFTER_WAITS = 2;
const BUSY_INTERRUPT_BUDGET = 2048;

export function busyNetworkCounter(): () => void {
  if (!process.versions.v8.startsWith('11.')) return () => {};
  let waits = 0;
  return () => {
    if (++waits === BUSY_AFTER_WAITS) {
      v8.setFlagsFromString(`--interrupt-budget=${BUSY_INTERRUPT_BUDGET}`);
      noteV8FlagsChanged();
    }
  };
}
