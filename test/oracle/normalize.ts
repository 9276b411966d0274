// The one normalisation applied to a script's stdout before it is compared with (or recorded as) a
// golden file. It hides exactly two things and nothing else:
//
// (a) The `Connection` and `TE` request headers echoed back by the servers. LuaSocket 3.1.0 always
//     sends `Connection: close, TE` and `TE: trailers` (one connection per request); luahttp
//     deliberately sends `Connection: keep-alive` and no `TE` (undici pools connections). Removed from
//     httpbin's pretty JSON echoes (`"Connection": "…"` / `"Te": "…"` members, keeping the JSON
//     valid) and from raw `/capture` dumps of the fault server (`Connection: …` / `TE: …` lines, any
//     case, terminated by CRLF or LF since scripts may re-print lines).
// (b) Ephemeral port numbers: `127.0.0.1:<port>` becomes `127.0.0.1:PORT` (servers listen on port 0).
//
// Works on latin1 text so every byte survives the round trip.

const NAMES = '(?:Connection|Te)';
const JSON_STRING = '"(?:[^"\\\\\\n]|\\\\.)*"';
/** A member followed by its comma: remove the member, the comma and the whitespace up to the next member. */
const JSON_MEMBER_THEN_COMMA = new RegExp(`"${NAMES}"[ \\t]*:[ \\t]*${JSON_STRING}[ \\t]*,\\s*`, 'gi');
/** The last member of an object: remove it together with the comma before it. */
const JSON_COMMA_THEN_MEMBER = new RegExp(`,\\s*"${NAMES}"[ \\t]*:[ \\t]*${JSON_STRING}`, 'gi');
/** A raw request header line as the fault server's /capture returns it. */
const RAW_HEADER_LINE = new RegExp(`^${NAMES}:[^\\r\\n]*\\r?\\n`, 'gim');
const LOOPBACK_PORT = /127\.0\.0\.1:\d+/g;

/** Normalise a script's stdout (see the header comment: Connection/TE echoes and ports, nothing else). */
export function normalizeOutput(stdout: Buffer): Buffer {
  const text = stdout
    .toString('latin1')
    .replace(JSON_MEMBER_THEN_COMMA, '')
    .replace(JSON_COMMA_THEN_MEMBER, '')
    .replace(RAW_HEADER_LINE, '')
    .replace(LOOPBACK_PORT, '127.0.0.1:PORT');
  return Buffer.from(text, 'latin1');
}
