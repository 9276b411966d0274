// C's strerror texts, so `io.open` & co. return what a glibc-built `lua` returns
// ("x: No such file or directory", 2). Node only gives the symbolic code.
const STRERROR: Record<string, [number, string]> = {
  EPERM: [1, 'Operation not permitted'],
  ENOENT: [2, 'No such file or directory'],
  EIO: [5, 'Input/output error'],
  EBADF: [9, 'Bad file descriptor'],
  EAGAIN: [11, 'Resource temporarily unavailable'],
  ENOMEM: [12, 'Cannot allocate memory'],
  EACCES: [13, 'Permission denied'],
  EBUSY: [16, 'Device or resource busy'],
  EEXIST: [17, 'File exists'],
  EXDEV: [18, 'Invalid cross-device link'],
  ENOTDIR: [20, 'Not a directory'],
  EISDIR: [21, 'Is a directory'],
  EINVAL: [22, 'Invalid argument'],
  EMFILE: [24, 'Too many open files'],
  ENOSPC: [28, 'No space left on device'],
  ESPIPE: [29, 'Illegal seek'],
  EROFS: [30, 'Read-only file system'],
  EPIPE: [32, 'Broken pipe'],
  ENAMETOOLONG: [36, 'File name too long'],
  ENOTEMPTY: [39, 'Directory not empty'],
  ELOOP: [40, 'Too many levels of symbolic links'],
};

export interface SystemErrorInfo { errno: number; message: string }

export function systemError(e: unknown): SystemErrorInfo {
  const err = e as NodeJS.ErrnoException;
  const known = err?.code ? STRERROR[err.code] : undefined;
  if (known) return { errno: known[0], message: known[1] };
  const errno = typeof err?.errno === 'number' ? Math.abs(err.errno) : 0;
  return { errno, message: err?.code ?? String(err?.message ?? e) };
}

export function isSystemError(e: unknown): boolean {
  return typeof (e as NodeJS.ErrnoException)?.code === 'string';
}
