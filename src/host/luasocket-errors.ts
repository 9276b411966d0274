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
  EHOSTUNREACH: 'No route to host',
  ENETUNREACH: 'Network is unreachable',
};

/**
 * undici's HTTPParserError carries no usable code (it looks the llhttp error number up in a table keyed
 * by name), only llhttp's reason in the message: "Response does not match the HTTP/1.1 protocol (…)".
 */
const BY_PARSER_REASON: [RegExp, string][] = [
  [/chunk size|chunk extension/i, 'invalid chunk size'],
  [/Expected HTTP\/|Invalid (HTTP )?version|Invalid status|Invalid response status|Missing expected CR after response line/i,
    'invalid response (not HTTP/1.x; HTTP/0.9 is not supported by luahttp)'],
  // LuaSocket 3.1.0 spells it this way; scripts may match on it.
  [/header/i, 'malformed reponse headers'],
];

export function luaSocketError(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: unknown; errors?: unknown[]; name?: string };
  if (err?.code && BY_CODE[err.code]) return BY_CODE[err.code]!;
  if (err?.name === 'HTTPParserError' || err?.message?.startsWith('Response does not match the HTTP/1.1 protocol')) {
    for (const [re, msg] of BY_PARSER_REASON) if (re.test(err.message ?? '')) return msg;
    return `invalid response (${err.message})`;
  }
  // AggregateError from happy-eyeballs connects: the first member speaks for all.
  if (Array.isArray(err?.errors) && err.errors.length) return luaSocketError(err.errors[0]);
  if (err?.cause) return luaSocketError(err.cause);
  return err?.message ?? String(e);
}
