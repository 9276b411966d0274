import { realpathSync } from 'node:fs';
import { startHttpbin } from './server.js';

const USAGE = 'usage: httpbin [--port N] [--host H]';

/**
 * Runs the bundled httpbin until SIGINT or SIGTERM: `--port N` (default 0,
 * a free port), `--host H` (default 127.0.0.1). The listening line goes to
 * stderr so scripts can wait for it.
 */
export async function runHttpbinCli(argv: string[]): Promise<void> {
  let port = 0;
  let host = '127.0.0.1';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = inline ?? argv[++i];
    if (value === undefined) throw new Error(`${flag} needs a value\n${USAGE}`);
    if (flag === '--port') {
      port = Number(value);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad port: ${value}\n${USAGE}`);
    } else if (flag === '--host') {
      host = value;
    } else {
      throw new Error(`unknown option: ${arg}\n${USAGE}`);
    }
  }

  const server = await startHttpbin({ port, host });
  process.stderr.write(`httpbin listening on ${server.url}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function isEntryPoint(): boolean {
  try {
    return process.argv[1] !== undefined && __filename === realpathSync(process.argv[1]);
  } catch {
    return false;
  }
}

// Lets `node dist/httpbin/main.js --port 8080` work without a separate bin script.
if (isEntryPoint()) {
  runHttpbinCli(process.argv.slice(2)).catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 2;
  });
}
