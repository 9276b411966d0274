// Runs a program on a pseudo-terminal (python3's pty module: no native addon needed), types lines into
// it, and returns everything the terminal showed, for tests of what users see on a terminal.
import { spawn, spawnSync } from 'node:child_process';

export const HAS_PTY = spawnSync('python3', ['-c', 'import pty'], { stdio: 'ignore' }).status === 0;

/** Runs a command on a pseudo-terminal, types `input`, returns what the terminal showed. */
export function onTerminal(cmd: string[], input: string): Promise<string> {
  const py = `
import os, pty, sys, time, select
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b''
def drain(t):
    global out
    end = time.time() + t
    while time.time() < end:
        r, _, _ = select.select([fd], [], [], 0.05)
        if r:
            try:
                d = os.read(fd, 4096)
            except OSError:
                return
            if not d:
                return
            out += d
drain(1.5)
for line in sys.stdin.read().split('\\n'):
    os.write(fd, (line + '\\n').encode())
    drain(0.5)
os.write(fd, b'\\x04')
drain(20)
_, status = os.waitpid(pid, 0)
sys.stdout.write(out.decode('latin1') + '[exit %d]' % os.waitstatus_to_exitcode(status))
`;
  return new Promise((resolve, reject) => {
    const p = spawn('python3', ['-c', py, ...cmd], { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, TERM: 'dumb' } });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.on('close', () => resolve(out));
    p.on('error', reject);
    p.stdin.end(input);
  });
}

