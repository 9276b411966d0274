// SIGPIPE as the `lua` CLI has it: a write to a closed pipe kills the script (`lua gen.lua | head -1`
// ends at once, status 141) until the script loads LuaSocket, whose socket_open() ignores SIGPIPE for
// the rest of the process (from then on the write fails with "Broken pipe", 32).
// Node ignores SIGPIPE and the process keeps it ignored (a socket write to a closed peer must fail
// with EPIPE, not end the process): the write fails with EPIPE, and only then, when native Lua would
// have been killed, the default action is restored and the signal raised.

/** Ends the process by SIGPIPE, as the failed write would have under SIG_DFL. */
export function dieBySigpipe(): never {
  const listener = (): void => {};
  // libuv restores the default disposition when the last listener of a signal goes away.
  process.on('SIGPIPE', listener);
  process.off('SIGPIPE', listener);
  process.kill(process.pid, 'SIGPIPE');
  // The signal is delivered before kill() returns for a single-threaded target; if not, wait for it.
  for (;;) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1000);
}
