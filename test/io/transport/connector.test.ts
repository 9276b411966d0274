// The one connector (src/io/transport/connector.ts) with an injected resolver: a name that resolves to
// a private address is refused on that address for HTTP (undici), raw TCP, UDP and lookups alike, and
// the name is resolved once per connection, so the address checked is the address dialled. Real
// loopback servers; the stub resolver only answers names that exist nowhere else.
import dgram from 'node:dgram';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { Transport } from '../../../src/io/transport.js';
import { HttpExchange, type ExchangeRequest } from '../../../src/io/http-exchange.js';
import { RawSockets } from '../../../src/io/raw-sockets.js';
import { UdpSockets } from '../../../src/io/udp-sockets.js';
import type { Lookup } from '../../../src/io/transport/connector.js';
import type { NetworkPolicyOptions } from '../../../src/io/transport/network-policy.js';

const SERVER_LIFETIME_MS = 60_000;

let tcp: net.Server;
let udp: dgram.Socket;
let tcpPort = 0;
let udpPort = 0;
let connections = 0;
let datagrams = 0;

beforeAll(async () => {
  tcp = net.createServer((c) => {
    connections++;
    c.on('error', () => {});
    c.end('HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok');
  });
  udp = dgram.createSocket('udp4').on('message', () => { datagrams++; });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', r));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', r));
  tcpPort = (tcp.address() as AddressInfo).port;
  udpPort = udp.address().port;
  setTimeout(() => { tcp.close(); try { udp.close(); } catch { /* closed */ } }, SERVER_LIFETIME_MS).unref();
});
afterAll(() => {
  tcp.close();
  udp.close();
});

/** Resolves internal.example to 127.0.0.1 and counts every question. */
let lookups: string[] = [];
const stubLookup: Lookup = async (hostname) => {
  lookups.push(hostname);
  if (hostname === 'internal.example') return [{ address: '127.0.0.1', family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
};

beforeEach(() => { lookups = []; connections = 0; datagrams = 0; });

function transportWith(policy: NetworkPolicyOptions | undefined): Transport {
  return new Transport({ connectTo: [], policy, lookup: stubLookup });
}

async function get(transport: Transport, url: string): Promise<string> {
  const u = new URL(url);
  const req: ExchangeRequest = { origin: u.origin, method: 'GET', path: u.pathname, headers: ['Host', u.host], hasBody: false, timeoutMs: 5000 };
  const ex = new HttpExchange(req, transport);
  const head = await ex.waitHead();
  if ('error' in head) return `error: ${head.error}`;
  const body = await ex.read(1024);
  return `${head.status} ${Buffer.concat(body.pieces ?? []).toString()}`;
}

describe('a name that resolves to a private address', () => {
  test('http: refused with the private policy, reached without it (so the stub was what resolved it)', async () => {
    const closed = transportWith({});
    expect(await get(closed, `http://internal.example:${tcpPort}/`)).toBe('error: blocked by policy (loopback address 127.0.0.1)');
    expect(connections).toBe(0);
    await closed.close();
    const open = transportWith({ privateNetworks: true });
    expect(await get(open, `http://internal.example:${tcpPort}/`)).toBe('200 ok');
    expect(connections).toBe(1);
    // One question per connection: the answer checked is the answer dialled (no rebinding window).
    expect(lookups).toEqual(['internal.example', 'internal.example']);
    await open.close();
  });

  test('raw tcp, udp and socket.dns through the same connector', async () => {
    const transport = transportWith({ deny: ['secret.example'] });
    const raw = new RawSockets(transport.connector);
    const udpSockets = new UdpSockets(() => {}, transport.connector);
    expect(await raw.connect(1, 'internal.example', tcpPort, undefined, 5000, undefined, false)).toEqual({ error: 'blocked by policy (loopback address 127.0.0.1)' });
    expect(await udpSockets.send(2, new Uint8Array([1]), 'internal.example', udpPort, undefined)).toEqual({ error: 'blocked by policy (loopback address 127.0.0.1)' });
    expect(await udpSockets.connect(3, 'internal.example', udpPort, undefined)).toEqual({ error: 'blocked by policy (loopback address 127.0.0.1)' });
    // A lookup sends nothing to the host: allowed unless the name itself is refused
    expect(await transport.connector.lookupName('internal.example')).toEqual([{ address: '127.0.0.1', family: 'inet' }]);
    await expect(transport.connector.lookupName('secret.example')).rejects.toThrow('blocked by policy (host secret.example denied)');
    expect(lookups).toEqual(['internal.example', 'internal.example', 'internal.example', 'internal.example']);
    expect(connections).toBe(0);
    expect(datagrams).toBe(0);
    await raw.closeAll();
    udpSockets.closeAll();
    await transport.close();
  });

  test('without a policy the connector is open and uses the injected resolver too', async () => {
    const transport = transportWith(undefined);
    const raw = new RawSockets(transport.connector);
    const r = await raw.connect(1, 'internal.example', tcpPort, undefined, 5000, undefined, false);
    expect(r.error).toBeUndefined();
    expect(r.remote).toEqual({ address: '127.0.0.1', port: tcpPort, family: 'inet' });
    expect(lookups).toEqual(['internal.example']);
    await raw.closeAll();
    await transport.close();
  });

  test('a policy that cannot be read fails when the transport is made', () => {
    expect(() => transportWith({ allow: ['not a host'] })).toThrow("bad network pattern 'not a host'");
  });
});
