// The one place where a transport failure becomes the message a LuaSocket script sees
// (`nil, "connection refused"`). Strings are LuaSocket 3.1.0's (ref/luasocket.md §1, §2.1).

const BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host or service not provided, or not known',
  EAI_NONAME: 'host or service not provided, or not known',
  EAI_AGAIN: 'temporary failure in name resolution',
  EAI_FAIL: 'non-recoverable failure in name resolution',
  EAI_FAMILY: 'ai_family not supported',
  EAI_MEMORY: 'memory allocation failure',
  EAI_SERVICE: 'service not supported for socket type',
  EADDRINUSE: 'address already in use',
  EISCONN: 'already connected',
  EACCES: 'permission denied',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  ECONNRESET: 'closed',
  ECONNABORTED: 'closed',
  EPIPE: 'closed',
  UND_ERR_SOCKET: 'closed',
  UND_ERR_CLOSED: 'closed',
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: 'closed',
  HPE_INVALID_CHUNK_SIZE: 'invalid chunk size',
  // LuaSocket 3.1.0 spells it this way; scripts may match on it.
  HPE_INVALID_HEADER_TOKEN: 'malformed reponse headers',
  HPE_CR_EXPECTED: 'malformed reponse headers',
  HPE_LF_EXPECTED: 'malformed reponse headers',
  HPE_UNEXPECTED_SPACE: 'malformed reponse headers',
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
};

/** Status-line garbage and HTTP/0.9 are accepted by LuaSocket but refused by llhttp: say so plainly. */
const REFUSED_BY_PARSER: Record<string, string> = {
  HPE_INVALID_CONSTANT: 'invalid response (not HTTP/1.x; HTTP/0.9 is not supported by luahttp)',
  HPE_INVALID_VERSION: 'invalid response (bad HTTP version in status line)',
  HPE_INVALID_STATUS: 'invalid response (bad status line)',
};

export function luaSocketError(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: unknown; errors?: unknown[] };
  if (err?.code && BY_CODE[err.code]) return BY_CODE[err.code]!;
  if (err?.code && REFUSED_BY_PARSER[err.code]) return REFUSED_BY_PARSER[err.code]!;
  if (err?.code?.startsWith('HPE_')) return `invalid response (${err.message ?? err.code})`;
  // AggregateError from happy-eyeballs connects: the first member speaks for all.
  if (Array.isArray(err?.errors) && err.errors.length) return luaSocketError(err.errors[0]);
  if (err?.cause) return luaSocketError(err.cause);
  return err?.message ?? String(e);
}
