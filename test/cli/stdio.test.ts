// Output as the `lua` CLI writes it (C stdio under lua.c): print flushes stdout after every call,
// io.write is block-buffered on pipes, stderr unbuffered, SIGPIPE kills until LuaSocket is loaded,
// a descriptor the parent closed reads and writes as EBADF, and a prompt on a terminal shows before
// the read. Each case runs native lua5.4 and luahttp the same way (through sh for redirections) and
// compares what a user sees: the bytes in order, the exit status or the signal.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { HAS_NATIVE_LUA, REPO_ROOT, runProcess } from '../oracle/lua-runner.js';

const BIN = path.join(REPO_ROOT, 'bin/luahttp.js');
const HANG_MS = 20_000;
const LUAHTTP = `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)}`;

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'luahttp-stdio-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function script(name: string, code: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, code);
  return file;
}

interface Seen { stdout: string; stderr: string; exit: number | null; signal: NodeJS.Signals | null }

let runs = 0;

/** `command` with LUA standing for the interpreter and TMP for a fresh scratch name, run by sh; the
 *  program name is normalised. */
async function shell(command: string, lua: string, stdin = ''): Promise<Seen> {
  const tmp = path.join(dir, `run${++runs}`);
  const r = await runProcess('/bin/sh', ['-c', command.replaceAll('LUA', lua).replaceAll('TMP', tmp)], HANG_MS, { cwd: dir, stdin });
  if (r.timedOut) throw new Error(`timed out: ${command}\n${r.stderr}`);
  const rename = (s: string) => s.replace(/\blua5\.4\b/g, 'luahttp');
  return { stdout: rename(r.stdout.toString('latin1')), stderr: rename(r.stderr), exit: r.exitCode, signal: r.signal };
}

async function expectSameAsNative(command: string, stdin = ''): Promise<Seen> {
  const [want, got] = await Promise.all([shell(command, 'lua5.4', stdin), shell(command, LUAHTTP, stdin)]);
  expect(got).toEqual(want);
  return got;
}

describe.skipIf(!HAS_NATIVE_LUA)('stdout and stderr in order, as lua5.4 writes them', () => {
  test('2>&1 into a pipe: print lines at once, io.write at exit, the error message in between', async () => {
    const f = script('order.lua', [
      'print("p1")',
      'io.stderr:write("e1\\n")',
      'io.write("w1\\n")',
      'io.stderr:write("e2\\n")',
      'print("p2")',
      'io.write("w2\\n")',
      'error("boom")',
    ].join('\n'));
    const seen = await expectSameAsNative(`LUA ${f} 2>&1 | cat`);
    expect(seen.stdout.split('\n').slice(0, 5)).toEqual(['p1', 'e1', 'e2', 'w1', 'p2']);
  });

  test('os.exit flushes io.write output; a file gets it too', async () => {
    const f = script('exit.lua', 'io.write("a") io.stderr:write("E") io.write("b\\n") os.exit(3)');
    const seen = await expectSameAsNative(`LUA ${f} > TMP 2>&1; echo "status $?"; cat TMP`);
    expect(seen.stdout).toBe('status 3\nEab\n');
  });

  test('a printed line reaches the pipe before the script waits', async () => {
    // The reader answers only after it has seen the line: without the flush both sides would wait.
    const f = script('handshake.lua', 'print("ready") local answer = io.read() print("got " .. answer)');
    // The fifo is opened read-write so that opening it does not wait for a writer.
    const seen = await expectSameAsNative(`mkfifo TMP; LUA ${f} <>TMP | (read line; echo "$line"; echo go > TMP; cat)`);
    expect(seen.stdout).toBe('ready\ngot go\n');
  });

  test('SIGTERM (timeout(1)) keeps the printed lines and loses the io.write buffer, as C stdio does', async () => {
    const f = script('term.lua', 'print("printed") io.write("buffered\\n") io.stdout:flush() io.write("lost\\n") while true do end');
    const seen = await expectSameAsNative(`timeout -s TERM 2 LUA ${f} | cat; echo "status $?"`);
    expect(seen.stdout).toBe('printed\nbuffered\n' + 'status 0\n');
  });
});

describe.skipIf(!HAS_NATIVE_LUA)('closed pipes', () => {
  test('print into a closed pipe ends the script by SIGPIPE (141), as lua5.4 does', async () => {
    const f = script('gen.lua', 'for i = 1, 1e7 do print("line", i) end io.stderr:write("not reached\\n")');
    const seen = await expectSameAsNative(`(LUA ${f}; echo $? > TMP) | head -1; echo "status $(cat TMP)"`);
    expect(seen.stdout).toBe('line\t1\nstatus 141\n');
  });

  test('after require "socket" (which ignores SIGPIPE), write and flush fail with "Broken pipe", 32', async () => {
    const f = script('epipe.lua', [
      'require "socket"',
      'io.read()', // the reader has gone when the answer comes
      'io.write("x")',
      'local r = table.pack(io.stdout:flush())',
      'io.stderr:write(table.concat({ tostring(r[1]), tostring(r[2]), tostring(r[3]) }, " "), "\\n")',
      'local ok, err, code = io.write(string.rep("y", 100000))',
      'io.stderr:write(tostring(ok), " ", tostring(err), " ", tostring(code), "\\n")',
      'print("printed into nothing")',
      'os.exit(7)',
    ].join('\n'));
    // The reader closes its end, then lets the script go on.
    const seen = await expectSameAsNative(`mkfifo TMP; (LUA ${f} <>TMP 2>TMP.err; echo $? > TMP.status) | (exec 0<&-; echo go > TMP); cat TMP.err TMP.status`);
    expect(seen.stdout).toBe('nil Broken pipe 32\nnil Broken pipe 32\n7\n');
  });
});

describe.skipIf(!HAS_NATIVE_LUA)('standard descriptors the parent closed', () => {
  test('closed stdin reads as "Bad file descriptor", 9', async () => {
    const f = script('closed-in.lua', 'print(io.read()) print(io.read("a")) print(io.stdin:read(0)) print(pcall(io.lines()))');
    await expectSameAsNative(`LUA ${f} <&-`);
  });
  test('closed stderr and stdout fail writes with "Bad file descriptor", 9', async () => {
    const f = script('closed-out.lua', 'print(io.stderr:write("x")) io.stdout:flush()');
    const seen = await expectSameAsNative(`LUA ${f} 2>&-; LUA ${f} >&- 2>/dev/null; echo "status $?"`);
    expect(seen.stdout).toBe('nil\tBad file descriptor\t9\nstatus 0\n');
  });
  test('/dev/null redirected by the shell is not a closed descriptor', async () => {
    const f = script('devnull.lua', 'print(io.read()) print(io.read("a"))');
    const seen = await expectSameAsNative(`LUA ${f} </dev/null`);
    expect(seen.stdout).toBe('nil\n\n');
  });
});

/** Runs `command` on a terminal (util-linux script(1)); types `answer` once `prompt` has appeared. */
function onTerminal(command: string, prompt: string, answer: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    let typed = false;
    const timer = setTimeout(() => { child.kill('SIGKILL'); reject(new Error(`no prompt within ${HANG_MS} ms: ${JSON.stringify(out)}`)); }, HANG_MS);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('latin1');
      if (!typed && out.includes(prompt)) { typed = true; child.stdin.write(answer); }
    });
    child.on('close', () => { clearTimeout(timer); resolve(out.replace(/\r\n/g, '\n')); });
  });
}

const HAS_SCRIPT = fs.existsSync('/usr/bin/script');

describe.skipIf(!HAS_NATIVE_LUA || !HAS_SCRIPT)('on a terminal', () => {
  test('io.write("Name: ") shows before io.read() waits (glibc flushes a line-buffered stdout there)', async () => {
    const f = script('prompt.lua', 'io.write("Name: ") local name = io.read() io.write("Hello ", name, "\\n")');
    const [want, got] = await Promise.all([
      onTerminal(`lua5.4 ${f}`, 'Name: ', 'bob\n'),
      onTerminal(`${LUAHTTP} ${f}`, 'Name: ', 'bob\n'),
    ]);
    expect(got).toBe(want);
    expect(got).toContain('Hello bob\n');
  });
});
