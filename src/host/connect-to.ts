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

function splitHostPort(s: string): [string, string, string] {
  // IPv6 literals come bracketed, as in curl: [::1]:80
  const parts: string[] = [];
  let rest = s;
  while (rest.length) {
    if (rest.startsWith('[')) {
      const end = rest.indexOf(']');
      if (end < 0) throw new Error(`bad --connect-to value '${s}'`);
      parts.push(rest.slice(1, end));
      rest = rest.slice(end + 1);
      if (rest.startsWith(':')) rest = rest.slice(1); else if (rest.length) throw new Error(`bad --connect-to value '${s}'`);
    } else {
      const i = rest.indexOf(':');
      parts.push(i < 0 ? rest : rest.slice(0, i));
      rest = i < 0 ? '' : rest.slice(i + 1);
      if (i >= 0 && rest === '') parts.push('');
    }
  }
  if (parts.length !== 4) throw new Error(`bad --connect-to value '${s}' (want HOST1:PORT1:HOST2:PORT2)`);
  return [parts[0]!, parts[1]!, `${parts[2]}\u0000${parts[3]}`];
}

export function parseConnectTo(spec: string): ConnectToRule {
  const [fromHost, fromPort, to] = splitHostPort(spec);
  const [toHost, toPort] = to.split('\u0000') as [string, string];
  return { fromHost: fromHost.toLowerCase(), fromPort, toHost, toPort };
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
