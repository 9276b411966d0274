// The I/O host's UDP operations (LuaSocket's socket.udp), beside socket-ops.ts. Each is one round
// trip; receive waits are bounded by the script's timeout (`waitMs`, -1 = forever, 0 = just look).
import type { RawSockets, AddressFamily } from '../raw-sockets.js';
import { UdpSockets } from '../udp-sockets.js';
import type { OpTable } from './op-table.js';

type Msg = Record<string, unknown>;
const num = (m: Msg, k: string): number => m[k] as number;
const str = (m: Msg, k: string): string => m[k] as string;
const fam = (m: Msg): AddressFamily | undefined => (m.family as AddressFamily | null) ?? undefined;

/** UDP ops sharing raw's id space and select (raw-sockets.ts asks udp whether an id is readable). */
export function udpOps(raw: RawSockets, crossThread: boolean): OpTable {
  const udp = new UdpSockets((id) => raw.wakeId(id), raw.connector);
  raw.externalReadable = (id) => udp.readable(id);
  raw.externalWritable = (id) => udp.has(id);
  return {
    'udp.open': async (m) => { udp.open(num(m, 'id')); return { value: {} }; },
    'udp.bind': async (m) => ({ value: await udp.bind(num(m, 'id'), str(m, 'host'), num(m, 'port'), fam(m)) }),
    'udp.connect': async (m) => ({ value: await udp.connect(num(m, 'id'), str(m, 'host'), num(m, 'port'), fam(m)) }),
    'udp.disconnect': async (m) => { udp.disconnect(num(m, 'id')); return { value: {} }; },
    'udp.send': async (m) => ({ value: await udp.send(num(m, 'id'), m.data as Uint8Array, m.host as string | undefined, m.port as number | undefined, fam(m)) }),
    'udp.recv': async (m) => {
      const r = await udp.recv(num(m, 'id'), num(m, 'size'), num(m, 'waitMs'));
      return { value: r, transfer: crossThread && r.data ? [r.data.buffer as ArrayBuffer] : [] };
    },
    'udp.setoption': async (m) => { udp.setOption(num(m, 'id'), str(m, 'name'), m.value); return { value: {} }; },
    'udp.close': async (m) => { udp.close(num(m, 'id')); return { value: {} }; },
  };
}
