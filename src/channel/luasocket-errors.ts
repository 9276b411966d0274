// The one place where a transport failure becomes the message a LuaSocket script sees
// (`nil, "connection refused"`). Strings are LuaSocket 3.1.0's (ref/luasocket.md §1, §2.1).

/** What every connection the network policy refuses returns (`nil, "blocked by policy (loopback address 127.0.0.1)"`). */
export const POLICY_BLOCKED = 'blocked by policy';
export function policyBlocked(reason: string): string {
  return `${POLICY_BLOCKED} (${reason})`;
}
/** The code of the connector's PolicyBlockedError, whose message is already the script's text. */
const POLICY_CODE = 'ELUAHTTP_POLICY';

/** The code of a response luahttp refuses as LuaSocket would; the message is LuaSocket's text. */
const REFUSED_RESPONSE_CODE = 'ELUAHTTP_RESPONSE';

/**
 * A response refused where LuaSocket refuses it, with LuaSocket's message ("invalid chunk size",
 * "malformed reponse headers", or a status line it cannot read, which it returns as the error).
 */
export function refusedResponse(message: string): Error {
  return Object.assign(new Error(message), { code: REFUSED_RESPONSE_CODE });
}

const BY_CODE: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host or service not provided, or not known',
  EAI_NONAME: 'host or service not provided, or not known',
  EAI_AGAIN: 'temporary failure in name resolution',
  EAI_FAIL: 'non-recoverable failure in name resolution',
  EAI_FAMILY: 'ai_family not supported',
  // LuaSocket's socket_gaistrerror has no case for it and falls back to glibc's gai_strerror text
  EAI_ADDRFAMILY: 'Address family for hostname not supported',
  EAI_MEMORY: 'memory allocation failure',
  EAI_SERVICE: 'service not supported for socket type',
  EADDRINUSE: 'address already in use',
  EISCONN: 'already connected',
  EACCES: 'permission denied',
  ETIMEDOUT: 'timeout',
  UND_ERR_CONNECT_TIMEOUT: 'timeout',
  UND_ERR_HEADERS_TIMEOUT: 'timeout',
  UND_ERR_BODY_TIMEOUT: 'timeout',
  // LuaSocket reads a head of any size; luahttp's cap is an option (--max-header-size, README).
  UND_ERR_HEADERS_OVERFLOW: 'response head too large (see --max-header-size)',
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

/**
 * OpenSSL's certificate verification failures as Node reports them (err.code = OpenSSL's X509_V_ERR
 * name without the prefix; the message is OpenSSL's own text). LuaSec returns "certificate verify
 * failed" for all of them; luahttp appends the reason: "certificate verify failed (certificate has expired)".
 */
const CERT_VERIFY_CODES = new Set([
  'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_CRL', 'UNABLE_TO_DECRYPT_CERT_SIGNATURE', 'UNABLE_TO_DECRYPT_CRL_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY', 'CERT_SIGNATURE_FAILURE', 'CRL_SIGNATURE_FAILURE', 'CERT_NOT_YET_VALID',
  'CERT_HAS_EXPIRED', 'CRL_NOT_YET_VALID', 'CRL_HAS_EXPIRED', 'ERROR_IN_CERT_NOT_BEFORE_FIELD',
  'ERROR_IN_CERT_NOT_AFTER_FIELD', 'ERROR_IN_CRL_LAST_UPDATE_FIELD', 'ERROR_IN_CRL_NEXT_UPDATE_FIELD', 'OUT_OF_MEM',
  'DEPTH_ZERO_SELF_SIGNED_CERT', 'SELF_SIGNED_CERT_IN_CHAIN', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'CERT_CHAIN_TOO_LONG', 'CERT_REVOKED', 'INVALID_CA', 'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE', 'CERT_UNTRUSTED', 'CERT_REJECTED', 'HOSTNAME_MISMATCH',
]);

/**
 * OpenSSL's verification text in a Node error message. From Node 24 on, Node appends advice to some of
 * them ("unable to verify the first certificate; if the root CA is installed locally, try running
 * Node.js with --use-system-ca"); none of OpenSSL's verification texts contains a ";"
 * (X509_verify_cert_error_string, all 96 of OpenSSL 3), so the text ends at the first one.
 */
export function openSslVerifyText(message: string): string {
  const end = message.indexOf(';');
  return end === -1 ? message : message.slice(0, end);
}

const IN_HANDSHAKE = Symbol('luahttp.tlsHandshake');

/** Marks a failure as one of a TLS handshake (connect and ssl.wrap's dohandshake); returns it. */
export function failedInHandshake<T>(err: T): T {
  if (err !== null && typeof err === 'object') (err as { [IN_HANDSHAKE]?: boolean })[IN_HANDSHAKE] = true;
  return err;
}

function tlsError(err: { code?: string; message?: string; reason?: string; [IN_HANDSHAKE]?: boolean }): string | null {
  const code = err.code ?? '';
  // A peer that answers the ClientHello with something other than TLS (an HTTP server's "HTTP/1.1 400")
  // is "wrong version number" in OpenSSL 3.0 and 3.5.9 (Node 20, 22.23, 24.22, 26.12) and in LuaSec; OpenSSL
  // 3.5.5 (Node 26.0) checked the record's length ("P/" reads as 20,527 bytes) before its version and
  // said "packet length too long". A TLS server never sends such a record in a handshake.
  if (code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG' && err[IN_HANDSHAKE]) return 'wrong version number';
  // Node checks the host name after OpenSSL accepted the chain; OpenSSL's own text for it is "hostname mismatch".
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return 'certificate verify failed (hostname mismatch)';
  if (CERT_VERIFY_CODES.has(code)) return `certificate verify failed (${openSslVerifyText(err.message ?? code)})`;
  // Other OpenSSL failures carry OpenSSL's reason, which is what LuaSec returns ("wrong version number").
  if (code.startsWith('ERR_SSL_')) return err.reason ?? err.message ?? code;
  // The peer closed during the handshake; OpenSSL (so LuaSec) calls it this.
  if (/before secure TLS connection was established/.test(err.message ?? '')) return 'unexpected eof while reading';
  // undici's CONNECT tunnel refusal: "Proxy response (403) !== 200 when HTTP Tunneling".
  const m = /^Proxy response \((\d+)\) !== 200/.exec(err.message ?? '');
  if (m) return `proxy CONNECT failed (status ${m[1]})`;
  return null;
}

export function luaSocketError(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: unknown; errors?: unknown[]; name?: string; reason?: string; [IN_HANDSHAKE]?: boolean };
  if ((err?.code === POLICY_CODE || err?.code === REFUSED_RESPONSE_CODE) && err.message !== undefined) return err.message;
  const t = err ? tlsError(err) : null;
  if (t) return t;
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
