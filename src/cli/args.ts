// Command-line parsing with lua.c's rules (options stop at the script name, `--` and `-`), plus
// luahttp's own long options, which may appear anywhere before the script.
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
}

export class UsageError extends Error {}

const WITH_VALUE = new Set(['--connect-to']);

export function parseArgs(args: string[], progname = 'luahttp'): CliOptions {
  const o: CliOptions = {
    argv: [progname, ...args], scriptIndex: null, actions: [], version: false, interactive: false,
    noEnv: false, warnings: false, httpbin: false, connectTo: [], help: false,
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
      if (WITH_VALUE.has(name) && value === undefined) {
        value = args[++i];
        if (value === undefined) throw new UsageError(`'${name}' needs an argument`);
      }
      switch (name) {
        case '--httpbin': o.httpbin = true; break;
        case '--connect-to': o.connectTo.push(value!); break;
        case '--help': o.help = true; break;
        default: throw new UsageError(`unrecognized option '${a}'`);
      }
      continue;
    }
    const flag = a[1]!;
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
  --help                    show this help
Commands:
  ${progname} httpbin [--port N] [--host H]   run the bundled httpbin-compatible server alone
`;
}
