// C stdio semantics over Node's synchronous fs, for the `io` library the VM gives scripts.
// wasmoon's own io sees only an empty in-memory filesystem (ref/wasmoon.md §5).
import fs from 'node:fs';
import tty from 'node:tty';

const READ_CHUNK = 65536;
/** glibc's buffer for a pipe or file stdout; tty stdout is line-buffered. */
const DEFAULT_WRITE_BUFFER = 4096;
const sleepCell = new Int32Array(new SharedArrayBuffer(4));

/** Writes every byte; a pipe libuv made non-blocking answers EAGAIN, so wait and retry (ref/wasmoon.md §8). */
export function writeAllSync(fd: number, data: Uint8Array, position: number | null): number {
  let done = 0;
  while (done < data.length) {
    try {
      done += fs.writeSync(fd, data, done, data.length - done, position === null ? null : position + done);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EINTR') continue; // as in readSyncRetry
      if (code !== 'EAGAIN') throw e;
      Atomics.wait(sleepCell, 0, 0, 1);
    }
  }
  return done;
}

function readSyncRetry(fd: number, buf: Buffer, position: number | null): number {
  for (;;) {
    try {
      return fs.readSync(fd, buf, 0, buf.length, position);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') { Atomics.wait(sleepCell, 0, 0, 1); continue; }
      // A signal arrived (the CLI's SIGINT watcher, whose handler Node installs without SA_RESTART):
      // glibc's stdio under lua.c's handler restarts the read; the interrupt comes after it returns.
      if (code === 'EINTR') continue;
      if (code === 'EOF') return 0; // Windows console; harmless elsewhere
      throw e;
    }
  }
}

export type BufferMode = 'no' | 'full' | 'line';

function badDescriptor(): NodeJS.ErrnoException {
  const err = new Error('Bad file descriptor') as NodeJS.ErrnoException;
  err.code = 'EBADF';
  return err;
}

export class LuaFile {
  private rbuf: Buffer = Buffer.alloc(0);
  private roff = 0;
  private wparts: Uint8Array[] = [];
  private wlen = 0;
  closed = false;
  /** Physical offset of the next read/write for positional files; null = use the fd's own offset. */
  private pos: number | null;
  bufferMode: BufferMode;
  bufferSize = DEFAULT_WRITE_BUFFER;
  /** Standard output of an embedded VM: flushed bytes go here instead of to the fd. */
  sink: ((data: Uint8Array) => void) | null = null;
  /** Standard input of an embedded VM: always at end of file (never the host process's stdin). */
  empty = false;
  /** For popen'd handles: what close() reports. */
  onClose?: () => unknown[];
  /** Runs when a write fails with EPIPE, before the error is reported (the CLI's SIGPIPE, see FileTable). */
  onBrokenPipe?: () => void;
  /** Runs before each read from the fd (glibc flushes a line-buffered stdout there, see FileTable). */
  beforeUnderflow?: () => void;

  /** What the fopen mode allows: stdio refuses the other direction at once with EBADF. */
  readable = true;
  writable = true;

  constructor(readonly fd: number, readonly standard: boolean, positional: boolean, bufferMode: BufferMode = 'full') {
    this.pos = positional ? 0 : null;
    this.bufferMode = bufferMode;
  }

  /** Runs once, before the first read or write (FileTable's closed-descriptor check). */
  firstUse?: () => void;

  private check(direction: 'readable' | 'writable'): void {
    if (this.firstUse) {
      const once = this.firstUse;
      this.firstUse = undefined;
      once();
    }
    if (!this[direction]) throw badDescriptor();
  }

  private unread(): number {
    return this.rbuf.length - this.roff;
  }

  private fill(): boolean {
    this.check('readable');
    this.flush();
    if (this.empty) return false;
    this.beforeUnderflow?.();
    const chunk = Buffer.allocUnsafe(READ_CHUNK);
    const n = readSyncRetry(this.fd, chunk, this.pos);
    if (n === 0) return false;
    if (this.pos !== null) this.pos += n;
    const rest = this.rbuf.subarray(this.roff);
    this.rbuf = rest.length ? Buffer.concat([rest, chunk.subarray(0, n)]) : chunk.subarray(0, n);
    this.roff = 0;
    return true;
  }

  /** A view, not a copy: callers hand it to Lua (which copies) before the next read. */
  private take(n: number): Buffer {
    const out = this.rbuf.subarray(this.roff, this.roff + n);
    this.roff += n;
    return out;
  }

  /** `read("l")` / `read("L")`: null at end of file. */
  readLine(keepNewline: boolean): Buffer | null {
    let from = this.roff;
    for (;;) {
      const nl = this.rbuf.indexOf(10, from);
      if (nl >= 0) {
        const line = this.take(nl - this.roff + 1);
        return keepNewline ? line : line.subarray(0, line.length - 1);
      }
      from = this.rbuf.length;
      const before = this.roff;
      if (!this.fill()) {
        if (this.unread() === 0) return null;
        return this.take(this.unread());
      }
      from -= before; // fill() compacted the buffer
    }
  }

  readAll(): Buffer {
    while (this.fill());
    return this.take(this.unread());
  }

  /** `read(n)`: null at end of file; `read(0)` tests for end of file. */
  readBytes(n: number): Buffer | null {
    while (this.unread() < n && this.fill());
    if (n === 0) return this.unread() > 0 || this.fill() ? Buffer.alloc(0) : null;
    if (this.unread() === 0) return null;
    return this.take(Math.min(n, this.unread()));
  }

  /** `read("n")`: returns the numeral text (Lua converts it) or null; reads at most 200 chars like liolib. */
  readNumeral(): Buffer | null {
    const peek = (): number => (this.unread() > 0 || this.fill() ? this.rbuf[this.roff]! : -1);
    while (peek() >= 0 && /\s/.test(String.fromCharCode(peek()))) this.roff++;
    const chars: number[] = [];
    const accept = (re: RegExp): boolean => {
      const c = peek();
      if (c >= 0 && chars.length < 200 && re.test(String.fromCharCode(c))) { chars.push(c); this.roff++; return true; }
      return false;
    };
    accept(/[-+]/);
    let digits = /[0-9]/, exp = /[eE]/;
    if (accept(/0/)) { if (accept(/[xX]/)) { digits = /[0-9a-fA-F]/; exp = /[pP]/; } }
    while (accept(digits));
    if (accept(/\./)) while (accept(digits));
    if (accept(exp)) { accept(/[-+]/); while (accept(/[0-9]/)); }
    return chars.length ? Buffer.from(chars) : null;
  }

  write(data: Uint8Array): void {
    this.check('writable');
    if (this.unread() > 0 && this.pos !== null) this.pos -= this.unread();
    this.rbuf = Buffer.alloc(0);
    this.roff = 0;
    if (this.bufferMode === 'line') {
      // glibc's line buffering writes out through the last newline and keeps what follows it.
      const nl = data.lastIndexOf(10);
      if (nl >= 0) {
        this.wparts.push(data.subarray(0, nl + 1));
        this.wlen += nl + 1;
        this.flush();
        data = data.subarray(nl + 1);
        if (data.length === 0) return;
      }
    }
    this.wparts.push(data);
    this.wlen += data.length;
    if (this.bufferMode === 'no' || this.wlen >= this.bufferSize) this.flush();
  }

  /** Hands the buffered bytes on. On failure they are dropped, as glibc drops them (its buffer is reset either way). */
  flush(): void {
    if (this.wlen === 0) return;
    const data = this.wparts.length === 1 ? this.wparts[0]! : Buffer.concat(this.wparts);
    this.wparts = [];
    this.wlen = 0;
    if (this.sink) { this.sink(data); return; }
    let n: number;
    try {
      n = writeAllSync(this.fd, data, this.pos);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EPIPE') this.onBrokenPipe?.();
      throw e;
    }
    if (this.pos !== null) this.pos += n;
  }

  seek(whence: 'set' | 'cur' | 'end', offset: number): number {
    this.flush();
    if (this.pos === null) {
      const err = new Error('Illegal seek') as NodeJS.ErrnoException;
      err.code = 'ESPIPE';
      throw err;
    }
    const logical = this.pos - this.unread();
    const base = whence === 'set' ? 0 : whence === 'cur' ? logical : fs.fstatSync(this.fd).size;
    const target = base + offset;
    if (target < 0) {
      const err = new Error('Invalid argument') as NodeJS.ErrnoException;
      err.code = 'EINVAL';
      throw err;
    }
    this.pos = target;
    this.rbuf = Buffer.alloc(0);
    this.roff = 0;
    return target;
  }

  close(): void {
    try { this.flush(); } finally {
      this.closed = true;
      if (!this.standard) fs.closeSync(this.fd);
    }
  }
}

function isRegularFile(fd: number): boolean {
  try { return fs.fstatSync(fd).isFile(); } catch { return false; }
}

export interface StdSinks { stdout: (data: Uint8Array) => void; stderr: (data: Uint8Array) => void }
/**
 * Node replaces a standard descriptor the parent left closed (`lua s.lua <&-`) by /dev/null opened
 * read-write; a shell's `</dev/null` opens it read-only or write-only. Such a descriptor reads and
 * writes as the closed one would under C stdio: EBADF.
 */
function wasClosedAtStart(fd: number): boolean {
  try {
    const st = fs.fstatSync(fd);
    if (!st.isCharacterDevice() || st.rdev !== 0x103) return false; // /dev/null is char device 1:3
    const flags = /^flags:\s*([0-7]+)/m.exec(fs.readFileSync(`/proc/self/fdinfo/${fd}`, 'latin1'));
    return flags !== null && (parseInt(flags[1]!, 8) & 3) === 2; // O_RDWR
  } catch {
    return false;
  }
}

/** Handles by small integer id; ids 0–2 are stdin, stdout, stderr. */
export class FileTable {
  private readonly files = new Map<number, LuaFile>();
  private nextId = 3;

  /** sinks: an embedded VM's standard streams (stdin empty, stdout and stderr to these functions). */
  constructor(sinks?: StdSinks) {
    const stdin = new LuaFile(0, true, false, !sinks && tty.isatty(0) ? 'line' : 'full');
    stdin.writable = false;
    const stdout = new LuaFile(1, true, false, sinks || !tty.isatty(1) ? 'full' : 'line');
    const stderr = new LuaFile(2, true, false, 'no');
    stdout.readable = stderr.readable = false;
    if (sinks) {
      stdin.empty = true;
      stdout.sink = sinks.stdout;
      stderr.sink = sinks.stderr;
    }
    this.files.set(0, stdin);
    this.files.set(1, stdout);
    this.files.set(2, stderr);
    // glibc (libio/fileops.c, _IO_new_file_underflow): reading a line-buffered or unbuffered stream
    // (stdin on a terminal) first flushes stdout when stdout is line-buffered, so a prompt written
    // with io.write("Name: ") shows before the program waits for the answer.
    const flushPrompt = (f: LuaFile) => () => {
      if (f.bufferMode !== 'full' && stdout.bufferMode === 'line') stdout.flush();
    };
    stdin.beforeUnderflow = flushPrompt(stdin);
    this.flushPrompt = flushPrompt;
    stdout.onBrokenPipe = stderr.onBrokenPipe = this.brokenPipe;
    for (const f of sinks ? [] : [stdin, stdout, stderr]) {
      // Checked on the first use only: two syscalls, and most scripts never read stdin.
      const check = (): void => {
        if (wasClosedAtStart(f.fd)) f.readable = f.writable = false;
      };
      f.firstUse = check;
    }
  }

  private readonly flushPrompt: (f: LuaFile) => () => void;

  /** A write to a closed pipe (EPIPE): the CLI ends the process as SIGPIPE would; unset, the write fails. */
  onBrokenPipe?: () => void;
  private readonly brokenPipe = (): void => this.onBrokenPipe?.();

  get(id: number): LuaFile {
    const f = this.files.get(id);
    if (!f) throw new Error(`no file handle ${id}`);
    return f;
  }

  /** Opens with an fopen mode ("r", "w+", "ab"…); throws Node's fs error. */
  open(path: Buffer, mode: string): number {
    const flags = mode.replace(/b/g, '');
    const fd = fs.openSync(path, flags, 0o666);
    const file = new LuaFile(fd, false, isRegularFile(fd));
    file.readable = flags.startsWith('r') || flags.includes('+');
    file.writable = !flags.startsWith('r') || flags.includes('+');
    file.beforeUnderflow = this.flushPrompt(file);
    file.onBrokenPipe = this.brokenPipe;
    return this.add(file);
  }

  add(file: LuaFile): number {
    const id = this.nextId++;
    this.files.set(id, file);
    return id;
  }

  release(id: number): void {
    if (id > 2) this.files.delete(id);
  }

  /** Before the process exits or a child runs: what C's exit() would flush. */
  flushAll(): void {
    for (const f of this.files.values()) if (!f.closed) { try { f.flush(); } catch { /* exit path: nothing to report to */ } }
  }
}
