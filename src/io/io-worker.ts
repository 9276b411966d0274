// Entry of the I/O host thread used by the CLI: the VM keeps the main thread (measured faster to
// start, ref/startup.md), and this worker runs undici (and `--httpbin`) on its own event loop.
import { workerData, type MessagePort } from 'node:worker_threads';
import { parseConnectTo, type ConnectToRule } from './transport/connect-to.js';
import { httpOps } from './ops/http-ops.js';
import { socketOps } from './ops/socket-ops.js';
import { udpOps } from './ops/udp-ops.js';
import { RawSockets } from './raw-sockets.js';
import { dispatchOps, type OpTable } from './ops/op-table.js';
import { httpbinRules } from './httpbin-mapping.js';
import { reportHostDeath, serveRpc } from '../channel/rpc-server.js';
import { serveAsyncRpc } from '../channel/async-rpc.js';
import { Transport, transportOptions } from './transport.js';
import type { TransportSettings } from '../runtime/io-link.js';
import { ByteRing, type RingBuffers } from '../channel/byte-ring.js';

export interface HostWorkerData {
  port: MessagePort;
  flag: Int32Array;
  /** The same operations without blocking the VM: answers by message (src/channel/async-rpc.ts). */
  asyncPort?: MessagePort;
  ring: RingBuffers;
  connectTo: string[];
  httpbin: boolean;
  transport?: TransportSettings;
}

const data = workerData as HostWorkerData;

process.on('uncaughtException', (e) => {
  process.stderr.write(`luahttp: I/O host failed: ${e?.stack ?? e}\n`);
  reportHostDeath(data.flag);
});

async function main(): Promise<void> {
  const rules: ConnectToRule[] = data.connectTo.map(parseConnectTo);
  let httpbinPort: number | null = null;
  if (data.httpbin) {
    // The server lives on this thread: the VM's thread may block while a request to it is served.
    const { startHttpbin } = await import('../httpbin/server.js');
    httpbinPort = (await startHttpbin({ port: 0, host: '127.0.0.1' })).port;
    rules.push(...httpbinRules(httpbinPort));
  }
  const hostInfo: OpTable = { 'host.info': async () => ({ value: { httpbinPort } }) };
  const transport = new Transport(transportOptions(rules, data.transport));
  const raw = new RawSockets(transport.connector, data.transport?.insecure ?? false, data.transport?.systemCa ?? true);
  const handler = dispatchOps(hostInfo, httpOps(transport, new ByteRing(data.ring), true), socketOps(raw, true), udpOps(raw, true));
  serveRpc(data.port, data.flag, handler);
  if (data.asyncPort) serveAsyncRpc(data.asyncPort, handler);
  setImmediate(() => transport.warm());
}

main().catch((e) => {
  process.stderr.write(`luahttp: I/O host could not start: ${e?.stack ?? e}\n`);
  reportHostDeath(data.flag);
});
