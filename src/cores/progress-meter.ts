// `--progress`: a curl-like meter on stderr for response bodies that take more than a second, when
// stderr is a terminal (the CLI decides that; stdout and a piped stderr stay the script's own).
// One line, redrawn in place at most five times a second:
//    42%   8.4 MiB of 20.0 MiB   2.1 MiB/s   ETA 0:06   (bytes, rate, total and ETA when the length is known)
import fs from 'node:fs';

const SHOW_AFTER_MS = 1000;
const REDRAW_MS = 200;

const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
function size(n: number): string {
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return i === 0 ? `${n} B` : `${n.toFixed(1)} ${units[i]}`;
}

function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${String(r).padStart(2, '0')}` : `${m}:${String(r).padStart(2, '0')}`;
}

interface Transfer { started: number; bytes: number; total: number | null; shown: boolean; drawn: number }

export class ProgressMeter {
  private readonly transfers = new Map<number, Transfer>();

  constructor(private readonly write: (text: string) => void = (t) => { fs.writeSync(2, t); }) {}

  /** A response body starts; total is its Content-Length when known. */
  start(id: number, total: number | null): void {
    this.transfers.set(id, { started: performance.now(), bytes: 0, total, shown: false, drawn: 0 });
  }

  advance(id: number, n: number): void {
    const t = this.transfers.get(id);
    if (!t) return;
    t.bytes += n;
    const now = performance.now();
    if (now - t.started < SHOW_AFTER_MS || now - t.drawn < REDRAW_MS) return;
    this.draw(t, now);
  }

  /** The body ended (or the request was left): a meter that was shown gets its last state and a newline. */
  end(id: number): void {
    const t = this.transfers.get(id);
    if (!t) return;
    this.transfers.delete(id);
    if (t.shown) { this.draw(t, performance.now()); this.write('\n'); }
  }

  private draw(t: Transfer, now: number): void {
    t.shown = true;
    t.drawn = now;
    const secs = (now - t.started) / 1000;
    const rate = t.bytes / Math.max(secs, 0.001);
    const parts = t.total !== null && t.total > 0
      ? [`${String(Math.min(100, Math.floor((t.bytes * 100) / t.total))).padStart(3)}%`, `${size(t.bytes)} of ${size(t.total)}`, `${size(Math.round(rate))}/s`,
        `ETA ${rate > 0 ? clock((t.total - t.bytes) / rate) : '--:--'}`]
      : [`${size(t.bytes)}`, `${size(Math.round(rate))}/s`, `${clock(secs)} elapsed`];
    this.write(`\r${parts.join('   ')}\x1b[K`);
  }
}
