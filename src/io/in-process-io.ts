// The I/O host on the VM's own thread, for code that waits by yielding (lua/runtime/coroutines.lua):
// the same transport and operations as the host thread, without the thread hand-offs (a loopback GET
// took four of them: post, wake, answer, wake).
import { createRing, ByteRing } from '../channel/byte-ring.js';
import type { ConnectToRule } from './transport/connect-to.js';
import { httpOps } from './ops/http-ops.js';
import { dispatchOps } from './ops/op-table.js';
import { Transport, transportOptions } from './transport.js';
import type { TransportSettings } from '../runtime/io-link.js';

export interface InProcessHost {
  handle: (msg: { op: string } & Record<string, unknown>) => Promise<unknown>;
  close: () => Promise<void>;
}

const valueOf = (r: { value: unknown }): unknown => r.value;

export function inProcessHost(connectTo: ConnectToRule[], settings?: TransportSettings): InProcessHost {
  const transport = new Transport(transportOptions(connectTo, settings));
  // In-process exchanges never stream through a ring (that is for crossing threads): a token one.
  const dispatch = dispatchOps(httpOps(transport, new ByteRing(createRing(64)), false));
  return {
    handle: (msg) => dispatch(msg).then(valueOf),
    close: () => transport.close(),
  };
}
