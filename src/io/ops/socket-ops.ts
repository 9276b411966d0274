// The I/O host's raw socket operations (LuaSocket's socket.core: tcp, select, dns). Each is one
// round trip; waits are bounded by the script's timeout (`waitMs`, -1 = forever, 0 = just look).
import os from 'node:os';
import dns from 'node:dns';
import net from 'node:net';
import type { RpcReply } from '../../channel/rpc-server.js';
import { RawSockets, type AddressFamily, type SocketAddress } from '../raw-sockets.js';
import { luaSocketError } from '../../channel/luasocket-errors.js';
import type { TlsContextSpec } from '../tls-upgrade.js';
import { PolicyBlockedError } from '../transport/network-policy.js';
import type { OpTable } from './op-table.js';

type Msg = Record<string, unknown>;
const num = (m: Msg, k: string): number => m[k] as number;
const str = (m: Msg, k: string): string => m[k] as string;
const fam = (m: Msg): AddressFamily | undefined => (m.family as AddressFamily | null) ?? undefined;
const value = (v: unknown): RpcReply => ({ value: v });

/** h_errno text for gethostbyname-style lookups (socket.dns.toip/tohostname). */
const HOST_NOT_FOUND = 'host not found';

export function socketOps(sockets: RawSockets, crossThread: boolean): OpTable {
  const connector = sockets.connector;
  return {
    'sock.connect': async (m) => value(await sockets.connect(num(m, 'id'), str(m, 'host'), num(m, 'port'), fam(m), num(m, 'waitMs'), m.bound as SocketAddress | undefined, Boolean(m.fixedFamily))),
    'sock.bind': async (m) => value(await sockets.bind(num(m, 'id'), str(m, 'host'), num(m, 'port'), fam(m))),
    'sock.listen': async (m) => value(sockets.listen(num(m, 'id'))),
    'sock.accept': async (m) => value(await sockets.accept(num(m, 'id'), num(m, 'newId'), num(m, 'waitMs'))),
    'sock.recv': async (m) => {
      const r = await sockets.recv(num(m, 'id'), num(m, 'waitMs'));
      // A Buffer may share Node's pool: copy into a buffer of its own before transferring it.
      if (r.data && crossThread && (r.data.byteOffset !== 0 || r.data.byteLength !== r.data.buffer.byteLength)) r.data = new Uint8Array(r.data);
      return { value: r, transfer: crossThread && r.data ? [r.data.buffer as ArrayBuffer] : [] };
    },
    'sock.send': async (m) => value(await sockets.send(num(m, 'id'), m.data as Uint8Array, num(m, 'waitMs'))),
    'sock.keyingmaterial': async (m) => value({ material: sockets.exportKeyingMaterial(num(m, 'id'), str(m, 'label'), num(m, 'length'), (m.context as Uint8Array | null) ?? null) }),
    'sock.handshake': async (m) => value(await sockets.handshake(num(m, 'id'), m.spec as TlsContextSpec, (m.sni as string | null) ?? null, (m.unread as Uint8Array | null) ?? null, num(m, 'waitMs'))),
    'sock.shutdown': async (m) => value(sockets.shutdown(num(m, 'id'), str(m, 'how')) ?? {}),
    'sock.setoption': async (m) => value(sockets.setOption(num(m, 'id'), str(m, 'name'), m.value) ?? {}),
    'sock.takeerror': async (m) => value(sockets.takeError(num(m, 'id'))),
    'sock.close': async (m) => value(sockets.close(num(m, 'id')) ?? {}),
    'sock.select': async (m) => value(await sockets.select(m.recv as number[], m.send as number[], num(m, 'waitMs'))),
    'dns.getaddrinfo': async (m) => {
      try {
        return value({ list: await connector.lookupName(str(m, 'host')) });
      } catch (e) {
        return value({ error: luaSocketError(e) });
      }
    },
    /** gethostbyname: the canonical name and IPv4 addresses; errors are h_errno's one text. */
    'dns.hostbyname': async (m) => {
      const host = str(m, 'host');
      try {
        if (net.isIPv4(host)) {
          let name = host;
          try { name = (await dns.promises.lookupService(host, 0)).hostname; } catch { /* keep the address */ }
          return value({ name, ip: [host] });
        }
        const found = await connector.lookupName(host, 'inet');
        return value({ name: host, ip: found.map((a) => a.address) });
      } catch (e) {
        return value({ error: e instanceof PolicyBlockedError ? e.message : HOST_NOT_FOUND });
      }
    },
    'dns.getnameinfo': async (m) => {
      const host = m.host as string | null;
      const port = m.port as number | null;
      try {
        if (host === null) return value({ names: [], service: (await dns.promises.lookupService('127.0.0.1', port ?? 0)).service });
        const addresses = await connector.lookupName(host);
        const names: string[] = [];
        let service: string | undefined;
        for (const a of addresses) {
          // Node asks with NI_NAMEREQD; LuaSocket passes no flags, so an address without a name (::1
          // when /etc/hosts lists only 127.0.0.1) comes back in numeric form instead of failing.
          const r = await dns.promises.lookupService(a.address, port ?? 0).catch(async () => ({
            hostname: a.address,
            service: (await dns.promises.lookupService('127.0.0.1', port ?? 0)).service,
          }));
          names.push(r.hostname);
          service = r.service;
        }
        return value({ names, service });
      } catch (e) {
        return value({ error: luaSocketError(e) });
      }
    },
    'dns.gethostname': async () => value({ name: os.hostname() }),
  };
}
