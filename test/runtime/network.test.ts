// LuaSocket through the library's I/O side (undici on the app's thread, one Agent per runtime) against
// loopback servers started here; the request-count and response-byte limits.
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createRuntime, LimitError } from './library.js';
import type { Runtime } from '../../src/index.js';

let server: http.Server;
let base: string;
let echo: net.Server;
let echoPort: number;
beforeAll(async () => {
  server = http.createServer((req, res) => {
    if (req.url === '/big') { res.end(Buffer.alloc(3 * 1024 * 1024, 97)); return; }
    if (req.url === '/bytes') { res.end(Buffer.from([0, 255, 128, 10])); return; }
    res.setHeader('x-path', req.url ?? '');
    res.end(`hello ${req.method}`);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  echo = net.createServer((s) => s.pipe(s));
  await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
  echoPort = (echo.address() as AddressInfo).port;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await new Promise((r) => echo.close(r));
});

async function limitOf(p: Promise<unknown>): Promise<string> {
  try { await p; } catch (e) { if (e instanceof LimitError) return e.limit; throw e; }
  throw new Error('no limit was hit');
}

describe('LuaSocket in a runtime', () => {
  let rt: Runtime;
  beforeAll(async () => { rt = await createRuntime({ network: { privateNetworks: true } }); });
  afterAll(async () => { await rt.close(); });

  test('socket.http simple and generic forms', async () => {
    expect(await rt.run('local http = require("socket.http") local b, c, h = http.request(... .. "/a") return b, c, h["x-path"]', { args: [base] }))
      .toEqual(['hello GET', 200, '/a']);
    expect(await rt.run(`
      local http, ltn12 = require("socket.http"), require("ltn12")
      local t = {}
      local ok, code = http.request { url = ... .. "/bytes", sink = ltn12.sink.table(t) }
      return table.concat(t), code`, { args: [base] })).toEqual([Uint8Array.from([0, 255, 128, 10]), 200]);
  });

  test('a big body streams through', async () => {
    expect(await rt.run('local b = require("socket.http").request(... .. "/big") return #b', { args: [base] })).toEqual([3 * 1024 * 1024]);
  });

  test('raw socket.tcp', async () => {
    expect(await rt.run(`
      local socket = require("socket")
      local c = assert(socket.connect("127.0.0.1", ...))
      c:settimeout(5)
      c:send("ping\\n")
      local line = c:receive("*l")
      c:close()
      return line`, { args: [echoPort] })).toEqual(['ping']);
  });

  test('connection refused is LuaSocket-shaped', async () => {
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    expect(await rt.run('return require("socket.http").request("http://127.0.0.1:" .. ... .. "/")', { args: [port] })).toEqual([null, 'connection refused']);
  });
});

describe('request limits', () => {
  test('maxRequests', async () => {
    const rt = await createRuntime({ network: { privateNetworks: true }, limits: { maxRequests: 2 } });
    try {
      const code = 'local http = require("socket.http") for i = 1, 5 do http.request(...) end';
      expect(await limitOf(rt.run(code, { args: [`${base}/`] }))).toBe('requests');
      // The count is per run.
      expect(await rt.run('local http = require("socket.http") http.request(...) return (http.request(...))', { args: [`${base}/`] })).toEqual(['hello GET']);
    } finally {
      await rt.close();
    }
  });

  test('maxResponseBytes', async () => {
    const rt = await createRuntime({ network: { privateNetworks: true }, limits: { maxResponseBytes: 1024 * 1024 } });
    try {
      expect(await limitOf(rt.run('return #require("socket.http").request(...)', { args: [`${base}/big`] }))).toBe('responseBytes');
      expect(await rt.run('return (require("socket.http").request(...))', { args: [`${base}/`] })).toEqual(['hello GET']);
    } finally {
      await rt.close();
    }
  });

  test('maxConcurrentRequests: 1 allows any number of sequential HTTP requests, whatever way each ends', async () => {
    const rt = await createRuntime({ network: { privateNetworks: true }, limits: { maxConcurrentRequests: 1 } });
    try {
      for (const code of [
        'for i = 1, 5 do assert(http.request(... .. "/")) end',
        'for i = 1, 3 do assert(http.request(... .. "/big")) end', // bodies streamed through the ring
        'for i = 1, 3 do http.request(... .. "/missing") end',
        'for i = 1, 3 do http.request { url = ... .. "/big", sink = function(c) if c then return nil, "stop" end return 1 end } end',
        'for i = 1, 3 do http.request(... .. "/", "posted") end',
      ]) expect(await rt.run(`local http = require("socket.http") ${code} return "ok"`, { args: [base] }).catch((e: Error) => `${code}: ${e.message}`)).toEqual(["ok"]);
    } finally {
      await rt.close();
    }
  });

  test('maxConcurrentRequests counts open connections', async () => {
    const rt = await createRuntime({ network: { privateNetworks: true }, limits: { maxConcurrentRequests: 2 } });
    try {
      const code = 'local socket = require("socket") local t = {} for i = 1, 3 do t[i] = assert(socket.connect("127.0.0.1", ...)) end';
      expect(await limitOf(rt.run(code, { args: [echoPort] }))).toBe('concurrentRequests');
      expect(await rt.run('local socket = require("socket") for i = 1, 3 do assert(socket.connect("127.0.0.1", ...)):close() end return "ok"', { args: [echoPort] })).toEqual(['ok']);
    } finally {
      await rt.close();
    }
  });
});
