// Command-line parsing with lua.c's rules (options stop at the script name, `--` and `-`), plus
// luahttp's own long options, which may appear anywhere before the script.
import { parseConnectTo } from '../io/transport/connect-to.js';
import type { parseHostPattern as ParseHostPattern } from '../io/transport/network-policy.js';

export interface CliOptions {
  /** argv[0] is the program name; the rest as given. */
  argv: string[];
  scriptIndex: number | null;
  actions: ['e' | 'l', string][];
  version: boolean;
  interactive: boolean;
  noEnv: boolean;
  warnings: boolean;
  httpbin: boolean;
  connectTo: string[];
  help: boolean;
  /** --version: luahttp's own version line (-v keeps lua's meaning: Lua's banner). */
  luahttpVersion: boolean;
  /** --insecure: TLS without certificate or host name verification (unless a request sets verify). */
  insecure: boolean;
  /** --proxy URL (curl -x): for every request without its own reqt.proxy; "" = none, ignoring *_proxy. */
  proxy?: string;
  /** --noproxy LIST (curl's): hosts that bypass the proxy, replacing no_proxy. */
  noProxy?: string;
  /** --timeout SECONDS: the whole script's deadline. */
  timeoutSeconds?: number;
  /** --compressed: ask for and decode gzip/deflate/br on every request. */
  compressed: boolean;
  /** --trace: request/response heads, connects and timings on stderr. */
  trace: boolean;
  /** --http2: offer HTTP/2 by ALPN on TLS connections. */
  http2: boolean;
  /** --progress: a meter on stderr (when it is a terminal) for response bodies lasting over a second. */
  progress: boolean;
  /** --no-system-ca: trust Node's bundled CA store only, not the operating system's too. */
  systemCa: boolean;
  /** --allow LIST (repeatable): hosts scripts may connect to (src/io/transport/network-policy.ts). */
  allow: string[];
  /** --deny LIST (repeatable): hosts scripts may not connect to. */
  deny: string[];
  /** --no-private: no loopback, private, link-local… addresses (the CLI allows them by default). */
  noPrivate: boolean;
  /** --max-header-size BYTES: the largest response head accepted (see Transport). */
  maxHeaderSize?: number;
}

export class UsageError extends Error {}

const WITH_VALUE = new Set(['--connect-to', '--proxy', '--noproxy', '--timeout', '--allow', '--deny', '--max-header-size']);

/** A comma (or space) separated --allow/--deny list, each entry checked now so a typo fails at start. */
function hostPatterns(name: string, value: string): string[] {
  const entries = value.split(/[\s,]+/).filter((e) => e !== '');
  if (entries.length === 0) throw new UsageError(`'${name}' needs at least one host pattern`);
  // Required only here: the policy's modules are not needed by a run without --allow/--deny.
  const { parseHostPattern } = require('../io/transport/network-policy.js') as { parseHostPattern: typeof ParseHostPattern };
  for (const e of entries) {
    try { parseHostPattern(e); } catch (err) { throw new UsageError(`${name}: ${(err as Error).message}`); }
  }
  return entries;
}

export function parseArgs(args: string[], progname = 'luahttp'): CliOptions {
  const o: CliOptions = {
    argv: [progname, ...args], scriptIndex: null, actions: [], version: false, interactive: false,
    noEnv: false, warnings: false, httpbin: false, connectTo: [], help: false, luahttpVersion: false,
    insecure: false, compressed: false, trace: false, http2: false, systemCa: true, progress: false, allow: [], deny: [], noPrivate: false,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const argvIndex = i + 1;
    if (!a.startsWith('-')) { o.scriptIndex = argvIndex; break; }
    if (a === '--') { if (i + 1 < args.length) o.scriptIndex = argvIndex + 1; break; }
    if (a === '-') { o.scriptIndex = argvIndex; break; }
    if (a.startsWith('--')) {
      const [name, inline] = a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
      let value = inline;
      // A switch given a value (`--httpbin=no`) is a mistake, never read as on.
      if (!WITH_VALUE.has(name) && inline !== undefined) throw new UsageError(`option '${name}' takes no value (got '${a}')`);
      if (WITH_VALUE.has(name) && value === undefined) {
        value = args[++i];
        if (value === undefined) throw new UsageError(`'${name}' needs an argument`);
      }
      switch (name) {
        case '--httpbin': o.httpbin = true; break;
        case '--connect-to':
          try { parseConnectTo(value!); } catch (e) { throw new UsageError((e as Error).message); }
          o.connectTo.push(value!);
          break;
        case '--help': o.help = true; break;
        case '--version': o.luahttpVersion = true; break;
        case '--insecure': o.insecure = true; break;
        case '--proxy': o.proxy = value!; break;
        case '--noproxy': o.noProxy = value!; break;
        case '--timeout': {
          const n = Number(value);
          if (!(n > 0) || !Number.isFinite(n)) throw new UsageError(`'--timeout' needs a number of seconds > 0, got '${value}'`);
          o.timeoutSeconds = n;
          break;
        }
        case '--compressed': o.compressed = true; break;
        case '--trace': o.trace = true; break;
        case '--http2': o.http2 = true; break;
        case '--no-system-ca': o.systemCa = false; break;
        case '--progress': o.progress = true; break;
        case '--allow': o.allow.push(...hostPatterns(name, value!)); break;
        case '--deny': o.deny.push(...hostPatterns(name, value!)); break;
        case '--no-private': o.noPrivate = true; break;
        case '--max-header-size': {
          const n = Number(value);
          if (!Number.isInteger(n) || n < 1) throw new UsageError(`'--max-header-size' needs a number of bytes > 0, got '${value}'`);
          o.maxHeaderSize = n;
          break;
        }
        default: throw new UsageError(`unrecognized option '${a}'`);
      }
      continue;
    }
    const flag = a[1]!;
    if (a === '-h') { o.help = true; continue; }
    switch (flag) {
      case 'E': case 'W': case 'i': case 'v':
        if (a.length !== 2) throw new UsageError(`unrecognized option '${a}'`);
        if (flag === 'E') o.noEnv = true;
        if (flag === 'W') o.warnings = true;
        if (flag === 'i') { o.interactive = true; o.version = true; }
        if (flag === 'v') o.version = true;
        break;
      case 'e': case 'l': {
        let value = a.slice(2);
        if (value === '') {
          value = args[++i] as string;
          if (value === undefined || value.startsWith('-')) throw new UsageError(`'-${flag}' needs argument`);
        }
        o.actions.push([flag, value]);
        break;
      }
      default:
        throw new UsageError(`unrecognized option '${a}'`);
    }
  }
  return o;
}

export function usage(progname: string): string {
  return `usage: ${progname} [options] [script [args]]
Available options are:
  -e stat   execute string 'stat'
  -i        enter interactive mode after executing 'script'
  -l mod    require library 'mod' into global 'mod'
  -l g=mod  require library 'mod' into global 'g'
  -v        show version information
  -E        ignore environment variables
  -W        turn warnings on
  --        stop handling options
  -         stop handling options and execute stdin
luahttp options:
  --httpbin                 start the bundled httpbin server and map httpbin.org:80 to it
  --connect-to H1:P1:H2:P2  connect to H2:P2 when a URL names H1:P1 (curl's syntax; repeatable;
                            the URL and Host header stay the original; empty parts match any)
  --insecure                TLS without certificate/host name checks (a request's verify wins)
  --proxy URL               proxy for every request without reqt.proxy (curl -x; "" = none);
                            default: http_proxy, https_proxy, all_proxy (either case)
  --noproxy LIST            hosts that bypass the proxy (curl's; replaces no_proxy)
  --timeout SECONDS         end the script with an error after SECONDS (exit code 1)
  --compressed              send Accept-Encoding and decode gzip/deflate/br bodies
  --trace                   print each request and response head, connects, reuse and
                            timings to stderr (like curl -v; stdout untouched)
  --http2                   let https connections negotiate HTTP/2
  --progress                a curl-like meter on stderr (a terminal) for bodies lasting over 1 s
  --no-system-ca            trust Node's bundled CA store only (default: the system's too)
  --version                 show luahttp's version (and the Lua and Node it runs on)
  --allow LIST              connect only to these hosts (comma list; repeatable): example.com,
                            *.example.com, host:port, 10.0.0.0/8, [::1]:443, * — for every
                            socket (http, https, tcp, udp, smtp, ftp; names for socket.dns)
  --deny LIST               never connect to these hosts (same syntax; wins over --allow)
  --no-private              refuse loopback, private, link-local (169.254/16), CGNAT, ULA,
                            multicast and IPv4-mapped addresses, checked on the address
                            dialled (redirects and DNS names included)
  --max-header-size BYTES   largest response head accepted (default 256 MiB)
  --help, -h                show this help
Commands:
  ${progname} httpbin [--port N] [--host H]   run the bundled httpbin-compatible server alone
`;
}
