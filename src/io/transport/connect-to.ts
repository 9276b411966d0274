// curl's --connect-to HOST1:PORT1:HOST2:PORT2: connect to HOST2:PORT2 instead of HOST1:PORT1 while the
// URL, the Host header and TLS SNI stay the original ones. An empty HOST1/PORT1 matches any; an empty
// HOST2/PORT2 keeps the original.
export interface ConnectToRule {
  fromHost: string;
  fromPort: string;
  toHost: string;
  toPort: string;
  /** luahttp-internal: the target speaks plain HTTP even for https URLs (the bundled httpbin on 443). */
  plaintext?: boolean;
}

/** Splits on ':' outside [brackets] (IPv6 literals come bracketed, as in curl: [::1]:80). */
function splitFields(s: string): string[] {
  const fields: string[] = [];
  let cur = '';
  let inBracket = false;
  for (const c of s) {
    if (cur.endsWith(']') && cur.startsWith('[') && !inBracket && c !== ':') throw new Error(`bad --connect-to value '${s}'`);
    if (c === '[' && cur === '') inBracket = true;
    else if (c === ']' && inBracket) inBracket = false;
    else if (c === ':' && !inBracket) { fields.push(cur); cur = ''; continue; }
    cur += c;
  }
  if (inBracket) throw new Error(`bad --connect-to value '${s}'`);
  fields.push(cur);
  return fields;
}

const unbracket = (h: string): string => (h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h);

/** curl: a port field is empty or a number 0..65535 ("No valid port number in connect to host string"). */
function checkPort(port: string, spec: string): string {
  if (port !== '' && !(/^\d{1,5}$/.test(port) && Number(port) <= 65535)) {
    throw new Error(`bad --connect-to value '${spec}' (no valid port number '${port}')`);
  }
  return port;
}

export function parseConnectTo(spec: string): ConnectToRule {
  const f = splitFields(spec);
  if (f.length !== 4) throw new Error(`bad --connect-to value '${spec}' (want HOST1:PORT1:HOST2:PORT2)`);
  return {
    fromHost: unbracket(f[0]!).toLowerCase(),
    fromPort: checkPort(f[1]!, spec),
    toHost: unbracket(f[2]!),
    toPort: checkPort(f[3]!, spec),
  };
}

/** The address to dial for host:port, after the first matching rule (curl uses the first match too). */
export function resolveConnectTo(rules: readonly ConnectToRule[], host: string, port: number): { host: string; port: number; plaintext?: boolean } {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  for (const r of rules) {
    if ((r.fromHost === '' || r.fromHost === h) && (r.fromPort === '' || Number(r.fromPort) === port)) {
      return { host: r.toHost || host, port: r.toPort ? Number(r.toPort) : port, plaintext: r.plaintext };
    }
  }
  return { host, port };
}
