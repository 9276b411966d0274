// The synchronous RPC between the VM and its I/O host (src/channel/sync-rpc.ts, src/channel/rpc-server.ts):
// both sides run in worker threads over the compiled dist/ modules (a worker cannot load TS), so the
// client's Atomics.wait never blocks the test thread, which enforces a deadline on every scenario
// and terminates both workers afterwards: a hang fails the test instead of freezing the run.
import fs from 'node:fs';
import path from 'node:path';
import { MessageChannel, Worker } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import { createRing } from '../../src/channel/byte-ring.js';
import { REPO_ROOT } from '../oracle/lua-runner.js';

const FIXTURES = path.join(REPO_ROOT, 'test/channel/fixtures');
const DIST_READY = fs.existsSync(path.join(REPO_ROOT, 'dist/channel/sync-rpc.js')) && fs.existsSync(path.join(REPO_ROOT, 'dist/channel/rpc-server.js'));
const HOST_WORKER = path.join(REPO_ROOT, 'dist/io/io-worker.js');

interface Failure { name: string; message: string; hostDiedError: boolean; hostDied: boolean }
type Outcome = { ok: true; value: any; steps: Failure[] } | { ok: false; error: Failure; steps: Failure[] } | { hang: true };

/** Starts a host worker and a VM worker on one channel and flag; resolves with the VM's outcome. */
async function runScenario(scenario: string, host: { file: string; data?: Record<string, unknown> } = { file: path.join(FIXTURES, 'rpc-host.mjs') }, deadlineMs = 10_000): Promise<Outcome> {
  const { port1, port2 } = new MessageChannel();
  // Same shape as src/runtime/io-link.ts: two int32 cells.
  const flag = new Int32Array(new SharedArrayBuffer(8));
  const hostWorker = new Worker(host.file, { workerData: { port: port2, flag, ...host.data }, transferList: [port2], stdout: true, stderr: true });
  const vmWorker = new Worker(path.join(FIXTURES, 'rpc-vm.mjs'), { workerData: { port: port1, flag, scenario }, transferList: [port1] });
  let timer: NodeJS.Timeout | undefined;
  try {
    return await new Promise<Outcome>((resolve, reject) => {
      timer = setTimeout(() => resolve({ hang: true }), deadlineMs);
      vmWorker.once('message', resolve);
      vmWorker.once('error', reject);
      vmWorker.once('exit', (code) => reject(new Error(`VM worker exited (${code}) without an outcome`)));
    });
  } finally {
    clearTimeout(timer);
    await Promise.all([vmWorker.terminate(), hostWorker.terminate()]);
  }
}

describe.skipIf(!DIST_READY)('SyncRpcClient + serveRpc (dist/, build first)', () => {
  test('a round trip returns the answer as sent (structured clone)', async () => {
    const r = await runScenario('roundtrip');
    // ticket: its place among the VM's operations; waits: the VM blocks for it (the app's CPU clock pauses).
    expect(r).toEqual({ ok: true, steps: [], value: { op: 'echo', text: 'h\u00e9llo \u{1f600}', n: 42, f: 1.5, list: [1, null, 'x'], nested: { a: { b: true } }, ticket: 1, waits: true } });
  });

  test('submitted operations are answered by ticket in the order they finish; a blocking call meanwhile gets its own', async () => {
    const r = await runScenario('tickets');
    expect(r).toEqual({ ok: true, steps: [], value: {
      order: ['fast', 'mid', 'slow'],
      got: [['fast', 3], ['mid', 'late'], ['slow', 'late']],
      echoed: 7,
      idle: 0,
    } });
  });

  test('a Uint8Array with all 256 byte values is transferred both ways intact', async () => {
    const r = await runScenario('binary');
    expect(r).toMatchObject({ ok: true, value: { detachedAfterSend: true, isUint8Array: true, length: 4096, distinct: 256, reversedMatches: true } });
  });

  test('20,000 sequential calls each get their own answer', async () => {
    const r = await runScenario('many', undefined, 30_000);
    expect(r).toMatchObject({ ok: true, value: { calls: 20_000 } });
  });

  test('an answer that takes longer than the spin window wakes the sleeping VM', async () => {
    expect(await runScenario('slow')).toEqual({ ok: true, value: 'late', steps: [] });
  });

  test('a handler that rejects answers { error } (the VM raises it), the host lives on', async () => {
    const r = await runScenario('reject');
    expect(r).toMatchObject({ ok: true, value: { error: expect.stringMatching(/^luahttp host error: Error: handler failed/) } });
  });

  test('an uncaught exception on the host thread ends the wait with HostDiedError, not a hang', async () => {
    const r = await runScenario('crash');
    expect(r).toMatchObject({ ok: false, error: { name: 'HostDiedError', hostDiedError: true, hostDied: true } });
  });

  test('a host that reports its death while the VM waits ends the wait with HostDiedError', async () => {
    const r = await runScenario('die-later');
    expect(r).toMatchObject({ ok: false, error: { hostDiedError: true, message: 'luahttp I/O host stopped unexpectedly' } });
  });

  // Regression test (fixed): call() stores RPC_PENDING over RPC_HOST_DIED, so a second call after the host died
  // (a script that pcall()s a failed request and tries again) waits forever.
  test('a call after the host died fails again instead of hanging', async () => {
    const r = await runScenario('call-after-death', undefined, 3_000);
    expect(r).toMatchObject({ ok: false, error: { hostDiedError: true }, steps: [{ hostDiedError: true }] });
  });

  describe.skipIf(!fs.existsSync(HOST_WORKER))('the real host thread (dist/io/io-worker.js)', () => {
    const data = (connectTo: string[]) => ({ ring: createRing(64 * 1024), connectTo, httpbin: false });

    test('answers host.info', async () => {
      const r = await runScenario('host-info', { file: HOST_WORKER, data: data([]) });
      expect(r).toMatchObject({ ok: true, value: { httpbinPort: null } });
    });

    test('a host that cannot start (bad --connect-to) ends the wait with HostDiedError', async () => {
      const r = await runScenario('host-info', { file: HOST_WORKER, data: data(['bad']) });
      expect(r).toMatchObject({ ok: false, error: { hostDiedError: true } });
    });
  });
});
