// SIGPIPE as the `lua` CLI has it: a write to a closed pipe kills the script (`lua gen.lua | head -1`
// ends at once, status 141) until the script loads LuaSocket, whose socket_open() ignores SIGPIPE for
// the rest of the process (from then on the write fails with "Broken pipe", 32).
// Node ignores SIGPIPE at start-up; libuv restores the default disposition when the last listener
// of a signal goes away, which is the only way back to SIG_DFL from JavaScript.

const ignore = (): void => {};

export function defaultSigpipe(): void {
  process.on('SIGPIPE', ignore);
  process.off('SIGPIPE', ignore);
}

/** A listener makes writes fail with EPIPE instead of killing the process, as SIG_IGN does. */
export function ignoreSigpipe(): void {
  if (!process.listeners('SIGPIPE').includes(ignore)) process.on('SIGPIPE', ignore);
}
