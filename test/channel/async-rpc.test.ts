// The non-blocking channel to the I/O host (src/channel/async-rpc.ts) that yielding waits inside tasks
// use: answers find their callers when they come back out of order, bytes transfer intact, a handler's
// failure is an answer, and a host that dies fails every call in flight instead of leaving it pending.
import { MessageChannel } from 'node:worker_threads';
import { describe, expect, test } from 'vitest';
import { AsyncRpcClient, serveAsyncRpc } from '../../src/channel/async-rpc.js';
import { HostDiedError } from '../../src/channel/sync-rpc.js';

function pair(handler: Parameters<typeof serveAsyncRpc>[1]): { client: AsyncRpcClient; close: () => void } {
  const { port1, port2 } = new MessageChannel();
  serveAsyncRpc(port2, handler);
  return { client: new AsyncRpcClient(port1), close: () => { port1.close(); port2.close(); } };
}

describe('AsyncRpcClient + serveAsyncRpc', () => {
  test('answers that come back out of order reach their own callers', async () => {
    const { client, close } = pair(async (msg) => {
      await new Promise((r) => setTimeout(r, msg.delay as number));
      return { value: { echo: msg.n } };
    });
    try {
      const calls = [40, 0, 20, 10].map((delay, n) => client.call<{ echo: number }>({ op: 'echo', n, delay }));
      const order: number[] = [];
      calls.forEach((c) => void c.then((v) => order.push(v.echo)));
      expect(await Promise.all(calls)).toEqual([{ echo: 0 }, { echo: 1 }, { echo: 2 }, { echo: 3 }]);
      expect(order).toEqual([1, 3, 2, 0]);
    } finally {
      close();
    }
  });

  test('bytes cross both ways intact, transferred', async () => {
    const { client, close } = pair(async (msg) => {
      const data = (msg.data as Uint8Array).slice().reverse();
      return { value: { data }, transfer: [data.buffer as ArrayBuffer] };
    });
    try {
      const sent = Uint8Array.from({ length: 256 }, (_, i) => i);
      const r = await client.call<{ data: Uint8Array }>({ op: 'reverse', data: sent }, [sent.buffer]);
      expect(sent.byteLength).toBe(0); // transferred, not copied
      expect([...r.data]).toEqual(Array.from({ length: 256 }, (_, i) => 255 - i));
    } finally {
      close();
    }
  });

  test('a handler that fails answers with an error value', async () => {
    const { client, close } = pair(async () => { throw new Error('boom'); });
    try {
      const r = await client.call<{ error: string }>({ op: 'x' });
      expect(r.error).toMatch(/^luahttp host error: Error: boom/);
    } finally {
      close();
    }
  });

  test('a dead host fails the calls in flight and every later one', async () => {
    const { client, close } = pair(() => new Promise(() => {})); // never answers
    try {
      const inFlight = client.call({ op: 'stuck' });
      client.hostDied();
      await expect(inFlight).rejects.toBeInstanceOf(HostDiedError);
      await expect(client.call({ op: 'later' })).rejects.toThrow('luahttp I/O host stopped unexpectedly');
    } finally {
      close();
    }
  });
});
