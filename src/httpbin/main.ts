import { realpathSync } from 'node:fs';
import { startHttpbin } from './server.js';

const USAGE = 'usage: luahttp httpbin [--port N] [--host H]';
const HELP = `${USAGE}
Runs the bundled httpbin-compatible server until SIGINT or SIGTERM.
  --port N   the port to listen on (default 0: a free port, printed on the listening line)
  --host H   the address to listen on (default 127.0.0.1)
  --help     this text
The line "httpbin listening on http://HOST:PORT" goes to stderr once the server is up.
`;

/** A mistake on the command line or a port that cannot be had: one line for the user, no stack. */
class HttpbinCliError extends Error {}

function parse(argv: string[]): { port: number; host: string } | 'help' {
  let port = 0;
  let host = '127.0.0.1';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--help' || arg === '-h') return 'help';
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (flag !== '--port' && flag !== '--host') throw new HttpbinCliError(`unknown option '${arg}' (${USAGE})`);
    const value = inline ?? argv[++i];
    if (value === undefined) throw new HttpbinCliError(`'${flag}' needs a value (${USAGE})`);
    if (flag === '--port') {
      port = Number(value);
      if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new HttpbinCliError(`bad port '${value}': a number from 0 to 65535 (${USAGE})`);
    } else {
      host = value;
    }
  }
  return { port, host };
}

/**
 * Runs the bundled httpbin until SIGINT or SIGTERM: `--port N` (default 0,
 * a free port), `--host H` (default 127.0.0.1). The listening line goes to
 * stderr so scripts can wait for it. Usage errors exit 2, a port that cannot be had exits 1,
 * each with one line on stderr.
 */
export async function runHttpbinCli(argv: string[]): Promise<void> {
  let opts: { port: number; host: string } | 'help';
  try {
    opts = parse(argv);
  } catch (e) {
    if (!(e instanceof HttpbinCliError)) throw e;
    process.stderr.write(`luahttp httpbin: ${e.message}\n`);
    process.exitCode = 2;
    return;
  }
  if (opts === 'help') {
    process.stdout.write(HELP);
    return;
  }
  const { port, host } = opts;
  let server: Awaited<ReturnType<typeof startHttpbin>>;
  try {
    server = await startHttpbin({ port, host });
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? 'is in use' : code === 'EACCES' ? 'needs more privileges' : code === 'EADDRNOTAVAIL' ? 'is not an address of this machine' : `cannot be used (${(e as Error).message})`;
    process.stderr.write(`luahttp httpbin: ${host} port ${port} ${why}\n`);
    process.exitCode = 1;
    return;
  }
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
  void runHttpbinCli(process.argv.slice(2));
}
