// Shared by the differential runners (test/differential.test.ts, test/lua-modules.test.ts) and the
// oracle recorder (test/oracle/record.test.ts): the loopback servers every script talks to, how a
// script is run (native lua5.4 or luahttp), and the golden file format.
//
// Golden file format (`test/lua/<name>.golden`, `test/lua-modules/<name>.golden`):
//   line 1:  `#golden exit=<code>` — the process exit code (`signal=<NAME>` if it was killed)
//   rest:    the script's stdout, byte for byte (latin1 on disk); for test/lua/ after
//            normalizeOutput(), for test/lua-modules/ as is (no network, nothing to normalise)
// Nothing else is compared: stderr differs by program name (`lua5.4:` vs `luahttp:`) and is only
// shown when a comparison fails.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startFaultServer, type FaultServer } from '../servers/fault-server.js';
import { startFtpServer } from '../servers/ftp-server.js';
import { startSmtpServer } from '../servers/smtp-server.js';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const LUA_DIR = path.join(REPO_ROOT, 'test/lua');
export const DELIBERATE_DIR = path.join(LUA_DIR, 'deliberate');
/** The pure-Lua module tests (test/lua-modules/README.md); run.sh also runs them native vs native. */
export const MODULE_TEST_DIR = path.join(REPO_ROOT, 'test/lua-modules');
/** Module tests that cannot run under luahttp yet, and why; they still run in run.sh. */
export const MODULE_TESTS_NOT_UNDER_LUAHTTP: Readonly<Record<string, string>> = {};
const SYSTEM_LUA_DIR = '/usr/share/lua/5.4';
/** Every run gets the same stdin, so `io.read` scripts are deterministic (incl. a NUL and a 0xFF byte). */
export const STDIN_FIXTURE = Buffer.from('first line\nsecond line\n\x00\xff tail', 'latin1');
export const RUN_TIMEOUT_MS = 60_000;
/** Native lua5.4 + LuaSocket (the oracle). `npm test` compares with golden files and needs neither;
 *  the few suites that run the oracle live skip without it (CI installs it, see .ci/run). */
export const HAS_NATIVE_LUA = spawnSync('lua5.4', ['-e', 'require("socket.http")'], { stdio: 'ignore' }).status === 0;

export interface RunResult {
  stdout: Buffer;
  stderr: string;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
}

export interface RunOptions {
  /** Default: the repo root. */
  cwd?: string;
  /** Added after the caller's LUA_* variables are removed. */
  env?: Record<string, string>;
  /** Default STDIN_FIXTURE. */
  stdin?: Buffer | string;
}

/** Runs a command with cwd = repo root, fixed stdin, a clean Lua environment and a kill-on-timeout. */
export function runProcess(cmd: string, args: string[], timeoutMs = RUN_TIMEOUT_MS, opts: RunOptions = {}): Promise<RunResult> {
  const env = { ...process.env };
  // LUA_INIT/LUA_PATH from the caller's shell would make the two interpreters see different worlds.
  for (const k of Object.keys(env)) if (/^LUA_(INIT|PATH|CPATH)/.test(k)) delete env[k];
  Object.assign(env, opts.env);
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: opts.cwd ?? REPO_ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.stdin.on('error', () => {}); // scripts that never read stdin may exit before we finish writing
    child.stdin.end(opts.stdin ?? STDIN_FIXTURE);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), exitCode, signal, timedOut });
    });
  });
}

export interface Servers {
  httpbinUrl: string;
  faultUrl: string;
  /** A URL on a port nothing listens on (connection refused). */
  closedUrl: string;
  /** smtp://127.0.0.1:<port> (test/servers/smtp-server.ts). */
  smtpUrl: string;
  /** ftp://127.0.0.1:<port> (test/servers/ftp-server.ts). */
  ftpUrl: string;
  /** The script arguments: httpbin base, fault-server base, closed-port URL, SMTP URL, FTP URL. */
  args: string[];
  close(): Promise<void>;
}

async function closedPort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function startServers(): Promise<Servers> {
  // Imported lazily by path so this file type-checks before the httpbin helper lands.
  const httpbinModule = path.join(REPO_ROOT, 'src/httpbin/server.ts');
  const { startHttpbin } = (await import(httpbinModule)) as {
    startHttpbin(o: { port: number; host: string }): Promise<{ port: number; url: string; close(): Promise<void> | void }>;
  };
  const httpbin = await startHttpbin({ port: 0, host: '127.0.0.1' });
  const fault: FaultServer = await startFaultServer();
  const smtp = await startSmtpServer();
  const ftp = await startFtpServer();
  const closedUrl = `http://127.0.0.1:${await closedPort()}`;
  const httpbinUrl = `http://127.0.0.1:${httpbin.port}`;
  return {
    httpbinUrl,
    faultUrl: fault.url,
    closedUrl,
    smtpUrl: smtp.url,
    ftpUrl: ftp.url,
    args: [httpbinUrl, fault.url, closedUrl, smtp.url, ftp.url],
    async close() {
      await Promise.all([httpbin.close(), fault.close(), smtp.close(), ftp.close()]);
    },
  };
}

/** `test/lua/*.lua` (or another folder), sorted, as paths relative to the repo root. */
export function listScripts(dir = LUA_DIR): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.lua'))
    .sort()
    .map((f) => path.relative(REPO_ROOT, path.join(dir, f)));
}

export function goldenPathFor(script: string): string {
  return path.join(REPO_ROOT, script.replace(/\.lua$/, '.golden'));
}

export function nativeRun(script: string, servers: Servers): Promise<RunResult> {
  return runProcess('lua5.4', [script, ...servers.args]);
}

export function luahttpRun(script: string, servers: Servers): Promise<RunResult> {
  return luahttpRunArgs(script, servers.args);
}

/**
 * The Node that runs luahttp in the differential tests: vitest's own, or LUAHTTP_TEST_NODE (a Node
 * binary), to check luahttp on a Node that vitest itself does not run on (vite 7 needs 20.19/22.12).
 */
export const LUAHTTP_NODE = process.env.LUAHTTP_TEST_NODE || process.execPath;

/**
 * `node bin/luahttp.js <script> <args…>` from the repo root. With LUAHTTP_TEST_NATIVE=1 the unit
 * tests run their fixtures under native lua5.4 instead, to check a fixture against the oracle.
 */
export function luahttpRunArgs(script: string, args: string[], timeoutMs = RUN_TIMEOUT_MS): Promise<RunResult> {
  if (process.env.LUAHTTP_TEST_NATIVE === '1') return runProcess('lua5.4', [script, ...args], timeoutMs);
  return runProcess(LUAHTTP_NODE, ['bin/luahttp.js', script, ...args], timeoutMs);
}

/** test/lua-modules/*.lua that run under luahttp (all but MODULE_TESTS_NOT_UNDER_LUAHTTP). */
export function listModuleTests(): string[] {
  return listScripts(MODULE_TEST_DIR).filter((s) => !(path.basename(s) in MODULE_TESTS_NOT_UNDER_LUAHTTP));
}

/**
 * A module test as the oracle: native lua5.4 on the system LuaSocket 3.1.0, the way run.sh's
 * "system" run does it (cwd test/lua-modules, LUAMOD_IMPL=system, only lib/ and the system path).
 */
export function nativeModuleRun(script: string): Promise<RunResult> {
  return runProcess('lua5.4', [path.basename(script)], RUN_TIMEOUT_MS, {
    cwd: MODULE_TEST_DIR,
    env: {
      LUAMOD_IMPL: 'system',
      LUAMOD_ROOT: REPO_ROOT,
      LUA_PATH: `./lib/?.lua;${SYSTEM_LUA_DIR}/?.lua;${SYSTEM_LUA_DIR}/?/init.lua`,
    },
  });
}

/** A module test under luahttp: the harness on LUA_PATH, then luahttp's default path (";;"). */
export function luahttpModuleRun(script: string): Promise<RunResult> {
  return runProcess(LUAHTTP_NODE, [path.join(REPO_ROOT, 'bin/luahttp.js'), path.basename(script)], RUN_TIMEOUT_MS, {
    cwd: MODULE_TEST_DIR,
    env: { LUAMOD_IMPL: 'ours', LUAMOD_ROOT: REPO_ROOT, LUA_PATH: `./lib/?.lua;;` },
  });
}

export function exitLabel(r: RunResult): string {
  if (r.timedOut) return 'timeout';
  return r.signal ? `signal=${r.signal}` : `exit=${r.exitCode}`;
}

export function encodeGolden(exit: string, stdout: Buffer): Buffer {
  return Buffer.concat([Buffer.from(`#golden ${exit}\n`, 'latin1'), stdout]);
}

export function decodeGolden(file: Buffer): { exit: string; stdout: Buffer } {
  const nl = file.indexOf(0x0a);
  const header = file.subarray(0, nl).toString('latin1');
  const m = /^#golden (\S+)$/.exec(header);
  if (!m) throw new Error(`not a golden file (header ${JSON.stringify(header)})`);
  return { exit: m[1]!, stdout: file.subarray(nl + 1) };
}

/** Readable text for diffs: printable latin1 kept, other bytes as \xHH. */
export function showBytes(b: Buffer): string {
  return b
    .toString('latin1')
    .replace(/[^\n\t\x20-\x7e]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/**
 * Two outputs for a failure message: the first differing line with two lines of context and the
 * line counts, then both whole when they are small (module goldens run to megabytes).
 */
export function describeDifference(a: Buffer, b: Buffer, aName: string, bName: string): string {
  const ta = showBytes(a);
  const tb = showBytes(b);
  const la = ta.split('\n');
  const lb = tb.split('\n');
  let i = 0;
  while (i < la.length && i < lb.length && la[i] === lb[i]) i++;
  const from = Math.max(0, i - 2);
  const around = (lines: string[]) => lines.slice(from, i + 3).map((l, k) => `${from + k + 1}: ${l.slice(0, 400)}`).join('\n');
  const first = `first difference at line ${i + 1} (${aName} ${la.length} lines, ${bName} ${lb.length} lines)\n--- ${aName}\n${around(la)}\n--- ${bName}\n${around(lb)}`;
  if (ta.length + tb.length > 8000) return first;
  return `${first}\n=== ${aName} (whole)\n${ta}\n=== ${bName} (whole)\n${tb}`;
}

/** Runs `jobs` with at most `limit` in flight. */
export async function mapLimit<T, R>(items: T[], limit: number, job: (t: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await job(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
