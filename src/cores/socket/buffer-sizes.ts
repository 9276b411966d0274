// SO_RCVBUF / SO_SNDBUF as Linux stores them (the same for TCP and UDP sockets): the value set is
// doubled, with a minimum; getoption reports what the kernel would.
const MIN_BUFFER: Record<string, number> = { 'recv-buffer-size': 2304, 'send-buffer-size': 4608 };

/** The stored value of a buffer-size option, or undefined for other options. */
export function kernelBufferSize(name: string, n: number): number | undefined {
  const min = MIN_BUFFER[name];
  return min === undefined ? undefined : Math.max(n * 2, min);
}
