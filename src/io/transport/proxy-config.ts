// Which proxy a request goes through, with curl's rules: an explicit proxy (the script's
// `reqt.proxy`, then `--proxy`) wins over the environment; `http_proxy` / `https_proxy` / `all_proxy`
// in either case, except `HTTP_PROXY` in a CGI context (REQUEST_METHOD set: "httpoxy", as Go and
// curl guard it); `no_proxy` / `--noproxy` (comma list: `*`, host names matching as suffixes at a
// dot, IP literals, optional `:port`) bypass it.
export interface ProxySettings {
  /** `--proxy URL`: used for every scheme (`""` = no proxy, ignoring the environment). */
  proxy?: string;
  /** `--noproxy LIST`: replaces no_proxy/NO_PROXY. */
  noProxy?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

function envValue(env: Readonly<Record<string, string | undefined>>, name: string, upperToo = true): string | undefined {
  // An empty variable counts as unset (curl's getenv wrapper does the same).
  const lower = env[name];
  if (lower) return lower;
  return (upperToo && env[name.toUpperCase()]) || undefined;
}

function bypassed(list: string, host: string, port: number): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  for (let entry of list.split(/[\s,]+/)) {
    entry = entry.trim().toLowerCase();
    if (!entry) continue;
    if (entry === '*') return true;
    let entryPort: number | null = null;
    // host:port (not a bare IPv6 literal, which has several colons)
    const m = /^(\[[^\]]*\]|[^:]*):(\d+)$/.exec(entry);
    if (m) { entry = m[1]!; entryPort = Number(m[2]); }
    entry = entry.replace(/^\[|\]$/g, '').replace(/^\*?\./, '.');
    if (entryPort !== null && entryPort !== port) continue;
    const name = entry.startsWith('.') ? entry.slice(1) : entry;
    if (h === name || h.endsWith(`.${name}`)) return true;
  }
  return false;
}

const PROXY_VARIABLES = ['http_proxy', 'https_proxy', 'all_proxy', 'no_proxy', 'REQUEST_METHOD'];
let snapshot: Record<string, string | undefined> | undefined;
/** The proxy variables, read once: process.env lookups showed in the per-request profile, and a
 *  Lua script cannot change its environment. */
function processProxyEnv(): Record<string, string | undefined> {
  if (!snapshot) {
    snapshot = {};
    for (const n of PROXY_VARIABLES) { snapshot[n] = process.env[n]; snapshot[n.toUpperCase()] = process.env[n.toUpperCase()]; }
  }
  return snapshot;
}

/** The proxy URL for a target, or null for a direct connection. */
export function proxyFor(settings: ProxySettings, protocol: 'http:' | 'https:', host: string, port: number): string | null {
  const env = settings.env ?? processProxyEnv();
  let proxy: string | undefined;
  if (settings.proxy !== undefined) proxy = settings.proxy;
  else if (protocol === 'https:') proxy = envValue(env, 'https_proxy') ?? envValue(env, 'all_proxy');
  else proxy = envValue(env, 'http_proxy', env.REQUEST_METHOD === undefined) ?? envValue(env, 'all_proxy');
  if (!proxy) return null;
  const noProxy = settings.noProxy ?? envValue(env, 'no_proxy');
  if (noProxy && bypassed(noProxy, host, port)) return null;
  // curl accepts a proxy without scheme ("host:3128") and means http://.
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(proxy) ? proxy : `http://${proxy}`;
}
