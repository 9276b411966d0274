// `luahttp --connect-to HOST1:PORT1:HOST2:PORT2` (curl's syntax): a request for HOST1:PORT1 dials
// HOST2:PORT2 while the URL and the Host header stay the original. Two loopback servers answer with
// their own name, the Host header and the request target they received.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { REPO_ROOT, runProcess } from '../oracle/lua-runner.js';

const BIN = path.join(REPO_ROOT, 'bin/luahttp.js');
const TIMEOUT_MS = 20_000;

interface EchoServer { port: number; close(): Promise<void> }

async function startEcho(name: string): Promise<EchoServer> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => res.end(`server=${name} host=${req.headers.host} target=${req.url}`));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
}

let a: EchoServer;
let b: EchoServer;
beforeAll(async () => {
  [a, b] = await Promise.all([startEcho('A'), startEcho('B')]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
});

/** Runs `print(http.request(url))` for each URL under luahttp with the given options. */
async function fetchWith(options: string[], ...urls: string[]): Promise<{ lines: string[]; stderr: string; exit: number | null }> {
  const lua = urls.map((u) => `do local body, code = require("socket.http").request(${JSON.stringify(u)}) print(body, code) end`).join('\n');
  const r = await runProcess(process.execPath, [BIN, ...options, '-e', lua], TIMEOUT_MS, { stdin: '' });
  if (r.timedOut) throw new Error(`luahttp timed out\n${r.stderr}`);
  return { lines: r.stdout.toString('latin1').split('\n').filter(Boolean), stderr: r.stderr, exit: r.exitCode };
}

describe('--connect-to', () => {
  test('dials HOST2:PORT2; the Host header and the request target stay the original', async () => {
    const r = await fetchWith(['--connect-to', `example.invalid:80:127.0.0.1:${a.port}`], 'http://example.invalid/path?q=1');
    expect(r.lines, r.stderr).toEqual(['server=A host=example.invalid target=/path?q=1\t200']);
  });

  test('--connect-to=VALUE is the same option', async () => {
    const r = await fetchWith([`--connect-to=example.invalid:80:127.0.0.1:${a.port}`], 'http://example.invalid/x');
    expect(r.lines, r.stderr).toEqual(['server=A host=example.invalid target=/x\t200']);
  });

  test('empty HOST1 and PORT1 match any host and port', async () => {
    const r = await fetchWith(['--connect-to', `::127.0.0.1:${a.port}`], 'http://any.invalid:8080/x', 'http://other.invalid/y');
    expect(r.lines, r.stderr).toEqual(['server=A host=any.invalid:8080 target=/x\t200', 'server=A host=other.invalid target=/y\t200']);
  });

  test('empty HOST2 keeps the original host', async () => {
    const r = await fetchWith(['--connect-to', `127.0.0.1:80::${b.port}`], 'http://127.0.0.1/x');
    expect(r.lines, r.stderr).toEqual(['server=B host=127.0.0.1 target=/x\t200']);
  });

  test('empty PORT2 keeps the original port', async () => {
    const r = await fetchWith(['--connect-to', `example.invalid:${a.port}:127.0.0.1:`], `http://example.invalid:${a.port}/x`);
    expect(r.lines, r.stderr).toEqual([`server=A host=example.invalid:${a.port} target=/x\t200`]);
  });

  test('host names match case-insensitively; the Host header keeps the URL spelling', async () => {
    const r = await fetchWith(['--connect-to', `EXAMPLE.invalid:80:127.0.0.1:${a.port}`], 'http://example.INVALID/x');
    expect(r.lines, r.stderr).toEqual(['server=A host=example.INVALID target=/x\t200']);
  });

  test('repeatable: the first matching rule wins', async () => {
    const r = await fetchWith([
      '--connect-to', `other.invalid:80:127.0.0.1:${b.port}`,
      '--connect-to', `example.invalid:80:127.0.0.1:${a.port}`,
      '--connect-to', `example.invalid:80:127.0.0.1:${b.port}`,
      '--connect-to', `::127.0.0.1:${b.port}`,
    ], 'http://example.invalid/1', 'http://other.invalid/2', 'http://third.invalid/3');
    expect(r.lines, r.stderr).toEqual([
      'server=A host=example.invalid target=/1\t200',
      'server=B host=other.invalid target=/2\t200',
      'server=B host=third.invalid target=/3\t200',
    ]);
  });

  test('a rule for another port does not apply (the real name is looked up and fails)', async () => {
    const r = await fetchWith(['--connect-to', `example.invalid:81:127.0.0.1:${a.port}`], 'http://example.invalid/x');
    expect(r.lines, r.stderr).toEqual(['nil\thost or service not provided, or not known']);
  });

  // Regression test (fixed): a malformed value reaches the I/O host and ends the process with a JS stack
  // ("luahttp: Error: bad --connect-to value 'bad' …\n    at splitHostPort (…)"), instead of a
  // usage error like the other bad options.
  test('a malformed value is a usage error without a JS stack', async () => {
    const r = await fetchWith(['--connect-to', 'bad'], 'http://example.invalid/x');
    expect(r.exit).toBe(1);
    expect(r.stderr).toMatch(/^luahttp: [^\n]*--connect-to[^\n]*'bad'/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  test('a malformed value fails with exit 1 before the script runs', async () => {
    const r = await fetchWith(['--connect-to', 'bad'], 'http://example.invalid/x');
    expect(r.exit).toBe(1);
    expect(r.lines).toEqual([]);
    expect(r.stderr).toContain("bad --connect-to value 'bad'");
  });
});
