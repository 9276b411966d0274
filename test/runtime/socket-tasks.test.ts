// LuaSocket's blocking calls inside luahttp's tasks (CLI): socket.tcp I/O, select, dns, udp, LuaSec's
// ssl.wrap, and socket.smtp/ftp/tp on top of them block only their own task (src/vm/op-waiter.ts).
// Concurrency is proven by a barrier in front of each server that joins no connection until N are
// open at once (test/servers/barrier-proxy.ts), or by one task's progress depending on another's, never
// by timing. A script that waited for the whole process would get "timeout"/"closed" lines instead.
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HAS_NATIVE_LUA, REPO_ROOT, runProcess } from '../oracle/lua-runner.js';
import { startBarrierProxy, type BarrierProxy } from '../servers/barrier-proxy.js';
import { startBarrierServer, type BarrierServer } from '../servers/barrier-server.js';
import { startLineServer, write, type LineServer } from '../servers/line-server.js';
import { startSmtpServer, type SmtpServer } from '../servers/smtp-server.js';
import { startFtpServer, type FtpServer } from '../servers/ftp-server.js';
import { startTlsServers, type TlsServers } from '../servers/tls-server.js';
import { SELECT_TASKS_OUTPUT } from './task-script-results.js';

const BIN = path.join(REPO_ROOT, 'bin/luahttp.js');
// Relative to the repository root (the runs' working directory), as test/runtime/tasks.test.ts does.
const SCRIPTS = 'test/lua/socket-tasks';
const CLEAN_ENV = { NODE_EXTRA_CA_CERTS: '' };

let echo: LineServer;
let smtp: SmtpServer;
let ftp: FtpServer;
let http: BarrierServer;
let tls: TlsServers;
const proxies: BarrierProxy[] = [];

beforeAll(async () => {
  echo = await startLineServer(async (sock, reader) => {
    for (;;) {
      const line = await reader.line();
      if (line === null) return;
      write(sock, `echo ${line}\n`);
    }
  });
  [smtp, ftp, http, tls] = await Promise.all([startSmtpServer(), startFtpServer(), startBarrierServer(), startTlsServers()]);
}, 60_000);
afterAll(async () => {
  await Promise.all([echo?.close(), smtp?.close(), ftp?.close(), http?.close(), tls?.close(), ...proxies.map((p) => p.close())]);
});

async function barrier(targetPort: number, n: number): Promise<BarrierProxy> {
  const p = await startBarrierProxy(targetPort, n);
  proxies.push(p);
  return p;
}

async function run(script: string, ...args: string[]): Promise<{ stdout: string; stderr: string; exit: number | null }> {
  const r = await runProcess(process.execPath, [BIN, path.join(SCRIPTS, script), ...args], 60_000, { cwd: REPO_ROOT, env: CLEAN_ENV });
  if (r.timedOut) throw new Error(`${script} timed out\n${r.stdout.toString('latin1')}\n${r.stderr}`);
  return { stdout: r.stdout.toString('latin1'), stderr: r.stderr, exit: r.exitCode };
}

describe('blocking socket calls inside tasks block only their task', () => {
  test('socket.tcp connect, send and receive: N connections open at once', async () => {
    const n = 8;
    const proxy = await barrier(echo.port, n);
    const r = await run('tcp-barrier.lua', String(proxy.port), String(n));
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(Array.from({ length: n }, (_, i) => `${i + 1}\techo line ${i + 1}`));
    expect(proxy.peak()).toBe(n);
  });

  test('socket.smtp: N sessions wait for their greetings together', async () => {
    const n = 4;
    const proxy = await barrier(Number(new URL(smtp.url).port), n);
    const r = await run('smtp-tasks.lua', String(proxy.port), String(n));
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(Array.from({ length: n }, (_, i) => `${i + 1}\ttrue\t1`));
    expect(proxy.peak()).toBe(n);
  });

  test('socket.ftp gets and a socket.tp exchange: control connections open at once', async () => {
    const n = 4;
    const proxy = await barrier(ftp.port, n);
    const r = await run('ftp-tasks.lua', String(proxy.port), String(n));
    expect(r.stderr).toBe('');
    const hello = 'Hello from the luahttp FTP test server.\r\nSecond line.\r\n';
    expect(r.stdout).toBe([
      `1\ttrue\t1\tnil\t${hello}`,
      '2\ttrue\t1\tnil\tread me\n',
      `3\ttrue\t1\tnil\t${hello}`,
      '4\ttrue\t220 220-luahttp test FTP server\n220 Ready. | 230 230 Login successful. | 257 257 "/" is the current directory | 221 221 Goodbye.',
      '',
    ].join('\n'));
    expect(proxy.peak()).toBe(n);
  });

  test('ssl.wrap in blocking mode: N handshakes wait for each other', async () => {
    const n = 4;
    const proxy = await barrier(Number(new URL(tls.goodUrl).port), n);
    const r = await run('tls-barrier.lua', String(proxy.port), String(n), tls.certs.caFile);
    expect(r.stderr).toBe('');
    expect(r.stdout.trim().split('\n')).toEqual(Array.from({ length: n }, (_, i) => `${i + 1}\ttrue\tHTTP/1.1 200 OK\tGET /echo?task=${i + 1}`));
    expect(proxy.peak()).toBe(n);
  });

  test('socket.select in a server task and in client tasks at once; select with nothing to watch', async () => {
    const r = await run('select-tasks.lua');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(SELECT_TASKS_OUTPUT);
  });

  test('a task waits in tcp:receive while another makes an HTTP request; a task waits in accept while the main flow does', async () => {
    const r = await run('receive-vs-http.lua', `http://127.0.0.1:${http.port}`);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe([
      'reader\tafter http: counted 200',
      'fetcher\t200',
      'http done, reader got its line',
      'main http\t200 200 200',
      'acceptor\tfrom main',
      '',
    ].join('\n'));
  });

  test('udp receive and dns lookups inside tasks', async () => {
    const r = await run('udp-dns.lua');
    expect(r.stderr).toBe('');
    const [outside, inside, receiver] = r.stdout.trim().split('\n');
    expect(outside).toBe('outside\t127.0.0.1\ttrue\tinet 127.0.0.1\ttable');
    expect(inside).toBe(outside!.replace('outside', 'inside'));
    expect(receiver).toBe('receiver\tafter lookups: 127.0.0.1\t127.0.0.1');
  });

  test('timeouts inside tasks give LuaSocket\'s results, no earlier than asked, while other tasks run', async () => {
    const r = await run('timeouts.lua');
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe([
      'quick\tpong to ping',
      'line\tnil\ttimeout\tabc\ttrue',
      'count\tnil\ttimeout\t\ttrue',
      'total\tnil\ttimeout\t\ttrue',
      'nonblocking\tnil\ttimeout\t\ttrue',
      'quick exchange done, line timed out, count timed out, total timed out, nonblocking timed out',
      'accept\tnil\ttimeout\ttrue',
      '',
    ].join('\n'));
  });

  test('inside a task every way a wait ends gives what it gives in the main flow, and that is native LuaSocket\'s', async () => {
    const script = path.join(SCRIPTS, 'same-results.lua');
    const r = await run('same-results.lua');
    expect(r.stderr).toBe('');
    const [mainFlow, inTask] = r.stdout.split('-- in a task\n');
    expect(mainFlow).toMatch(/^-- main flow\npartial line\tnil\ttimeout\tabc\n/);
    expect(mainFlow!.split('\n').length).toBeGreaterThan(30);
    expect(inTask).toBe(mainFlow!.replace('-- main flow\n', ''));
    if (HAS_NATIVE_LUA) {
      const native = await runProcess('lua5.4', [script], 60_000, { cwd: REPO_ROOT });
      expect(native.stdout.toString('latin1')).toBe(mainFlow);
    }
  });

  test('where Lua cannot yield the calls block and answer as before; inside coroutine.wrap they yield', async () => {
    const proxy = await barrier(echo.port, 2);
    const r = await run('c-boundaries.lua', String(echo.port), String(proxy.port));
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe([
      'c boundaries\techo gsub | echo sort | echo tostring | echo require',
      'wrapped\t1=echo one 2=echo two',
      'plain\techo plain',
      '',
    ].join('\n'));
    expect(proxy.peak()).toBe(2);
  });

  test('when the main chunk ends, the sockets cancelled tasks waited on are closed and the process exits', async () => {
    let closed = 0;
    const silent = net.createServer((s) => { s.on('error', () => {}); s.on('close', () => { closed++; }); });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const r = await run('at-exit.lua', String((silent.address() as net.AddressInfo).port));
      expect(r.stderr).toBe('');
      expect(r.exit).toBe(0);
      expect(r.stdout).toBe('main ends\ttrue\ttrue\nfinalizer\t-1.0\t-1.0\tnil\n');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closed).toBe(1);
    } finally {
      silent.close();
    }
  });
});
