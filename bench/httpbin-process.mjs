// The benchmarks' loopback server: the bundled httpbin in its own process (so it never competes with
// the measured code for the event loop); resolves once it prints its listening line.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/luahttp.js');

export async function startHttpbinProcess() {
  const child = spawn(process.execPath, [BIN, 'httpbin', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  const base = await new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 10_000);
    child.stderr.on('data', (d) => {
      err += d;
      const m = /listening on (http:\/\/\S+)/.exec(err);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
  });
  return { base, stop: () => child.kill() };
}
