// Connects the VM to its I/O host. In the CLI the host is a worker started on the first network call
// (or early, when the script looks like it will need one), so `print("hi")` never pays for it.
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { SyncRpcClient } from '../channel/sync-rpc.js';
import { AsyncRpcClient } from '../channel/async-rpc.js';
import { ByteRing, createRing } from '../channel/byte-ring.js';
import type { NetworkPolicyOptions } from '../io/transport/network-policy.js';

export interface HostOptions {
  connectTo: string[];
  httpbin: boolean;
  /** The transport settings from the command line (plain data: it crosses to the host thread). */
  transport?: TransportSettings;
}

/** TransportOptions without the parsed host mapping (see src/io/transport.ts). */
export interface TransportSettings {
  insecure?: boolean;
  proxy?: string;
  noProxy?: string;
  compressed?: boolean;
  trace?: boolean;
  http2?: boolean;
  /** Trust the operating system's CA store too (src/io/transport/ca-store.ts); default true. */
  systemCa?: boolean;
  /** What scripts may connect to (src/io/transport/network-policy.ts); absent = anything (the CLI's default). */
  policy?: NetworkPolicyOptions;
  maxHeaderSize?: number;
}

export class IoLink {
  private client: SyncRpcClient | null = null;
  private asyncClient: AsyncRpcClient | null = null;
  private worker: Worker | null = null;
  /** Shared with the host: streamed response bodies arrive here. */
  readonly ring = new ByteRing(createRing());

  constructor(private readonly options: HostOptions) {}

  /** Starts the host thread without waiting for it; its boot overlaps the VM's. */
  start(): void {
    if (this.worker) return;
    const { MessageChannel, Worker } = require('node:worker_threads') as typeof import('node:worker_threads');
    const { port1, port2 } = new MessageChannel();
    const asyncChannel = new MessageChannel();
    const flag = new Int32Array(new SharedArrayBuffer(8));
    this.worker = new Worker(path.join(__dirname, '../io/io-worker.js'), {
      workerData: { port: port2, flag, asyncPort: asyncChannel.port2, ring: { header: this.ring.header, data: this.ring.data }, connectTo: this.options.connectTo, httpbin: this.options.httpbin, transport: this.options.transport ?? {} },
      transferList: [port2, asyncChannel.port2],
      stdout: false,
      stderr: false,
    });
    this.worker.unref();
    this.client = new SyncRpcClient(port1, flag);
    const asyncClient = new AsyncRpcClient(asyncChannel.port1);
    this.asyncClient = asyncClient;
    // A yielding wait has no flag to watch: the worker's end fails what is in flight.
    this.worker.once('exit', () => asyncClient.hostDied());
  }

  rpc(): SyncRpcClient {
    if (!this.client) this.start();
    return this.client!;
  }

  /** The same host, reached without blocking (tasks waiting by yielding, src/channel/async-rpc.ts). */
  asyncRpc(): AsyncRpcClient {
    if (!this.asyncClient) this.start();
    return this.asyncClient!;
  }

  async stop(): Promise<void> {
    await this.worker?.terminate();
    this.worker = null;
    this.client = null;
    this.asyncClient = null;
  }
}
