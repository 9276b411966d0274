// The port argument of connect/bind/setpeername/setsockname/sendto and dns.getnameinfo, read the way
// LuaSocket reads it: the C core takes it with luaL_checkstring and hands the string to getaddrinfo
// as the service, so glibc decides what it means. A string strtoul(…, 10) consumes entirely is a
// number (leading blanks and a sign allowed, "" is 0, wrapping like C's unsigned long), cast to int:
// negative → EAI_SERVICE, otherwise the port is its low 16 bits ("70000" → 4464). Anything else is
// a service name looked up in /etc/services for the socket type's protocol (case-sensitive, aliases
// included, first matching line wins) unless the caller asked for numeric services only
// (AI_NUMERICSERV, udp:sendto) → EAI_NONAME. Node has no getservbyname, so the file is read once,
// on the first name that needs it.
import fs from 'node:fs';
import net from 'node:net';

export type ServiceProtocol = 'tcp' | 'udp';

/** EAI_SERVICE in LuaSocket's words (socket_gaistrerror), what connect/bind/setpeername/setsockname return. */
export const EAI_SERVICE = 'service not supported for socket type';

/** A port, or which getaddrinfo error the service gives: EAI_SERVICE or EAI_NONAME. */
export type ServiceLookup = { port: number } | { error: 'service' | 'noname' };

const SERVICES_FILE = '/etc/services';
const ULONG_MAX = (1n << 64n) - 1n;
/** C's isspace() in the "C" locale: what strtoul skips before the number. */
const C_SPACE = new Set([' ', '\t', '\n', '\v', '\f', '\r']);

let services: Map<string, number> | null = null;

/** `name/proto` → port for every name and alias in /etc/services (the first line wins). */
function loadServices(): Map<string, number> {
  const table = new Map<string, number>();
  let text = '';
  try {
    text = fs.readFileSync(SERVICES_FILE, 'latin1');
  } catch {
    return table; // no file: every name is unknown, as for glibc's files backend
  }
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '');
    const fields = line.split(/[ \t\r]+/).filter((f) => f !== '');
    if (fields.length < 2) continue;
    const m = /^(\d+)\/(\S+)$/.exec(fields[1]!);
    if (!m) continue;
    const port = Number(m[1]) & 0xffff;
    const proto = m[2]!;
    for (const name of [fields[0]!, ...fields.slice(2)]) {
      const key = `${name}/${proto}`;
      if (!table.has(key)) table.set(key, port);
    }
  }
  return table;
}

/** strtoul(s, &end, 10) when it consumes all of s, as a C int; null when s is not entirely a number. */
function numericService(s: string): number | null {
  let i = 0;
  while (i < s.length && C_SPACE.has(s[i]!)) i++;
  let negative = false;
  if (s[i] === '+' || s[i] === '-') {
    negative = s[i] === '-';
    i++;
  }
  const digits = s.slice(i);
  if (digits === '') return s === '' ? 0 : null; // no digits: end = s, numeric only for ""
  if (!/^[0-9]+$/.test(digits)) return null;
  let value = BigInt(digits);
  if (value > ULONG_MAX) value = ULONG_MAX; // ERANGE, whatever the sign
  else if (negative) value = (ULONG_MAX + 1n - value) & ULONG_MAX;
  return Number(BigInt.asIntN(32, value));
}

/** The port a service string names for `proto`, or the getaddrinfo error it gives. */
export function resolveService(serv: string, proto: ServiceProtocol, numericOnly = false): ServiceLookup {
  const n = numericService(serv);
  if (n !== null) return n < 0 ? { error: 'service' } : { port: n & 0xffff };
  if (numericOnly) return { error: 'noname' };
  services ??= loadServices();
  const port = services.get(`${serv}/${proto}`);
  return port === undefined ? { error: 'service' } : { port };
}

/** EAI_NONAME in LuaSocket's words: what getaddrinfo says about a host it cannot resolve. */
export const EAI_NONAME = 'host or service not provided, or not known';

/**
 * False for a host name getaddrinfo fails on but a WHATWG URL parser (undici) would rewrite or
 * refuse: an IP literal is fine; otherwise blanks, controls, `%` (URLs percent-decode it) and the
 * URL delimiters `# / : < > ? @ [ \ ] ^ |` cannot be in a name glibc resolves.
 */
export function resolvableHost(host: string): boolean {
  if (net.isIP(host) !== 0) return true;
  return host !== '' && !/[\x00-\x20#%/:<>?@[\\\]^|\x7f]/.test(host);
}
