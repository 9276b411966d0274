-- lua-http's failures as its client reports them on Linux (cqueues' "op: strerror", errno), made
-- from what luahttp's HTTP core reports (LuaSocket's words) for lua/http/stream.lua.
local type, tostring = type, tostring

local M = {}

-- errno values as lua-http reports them on Linux (cqueues.errno), and cqueues' code for OpenSSL failures.
local ETIMEDOUT, EPIPE, EILSEQ, EOPNOTSUPP, EOPENSSL = 110, 32, 84, 95, -1935895353
M.ETIMEDOUT, M.EILSEQ, M.EOPNOTSUPP = ETIMEDOUT, EILSEQ, EOPNOTSUPP
local TIMEDOUT = "read: Connection timed out"
M.TIMEDOUT = TIMEDOUT
-- strerror(EILSEQ): lua-http's word for bytes that are not HTTP.
local EILSEQ_TEXT = "Invalid or incomplete multibyte or wide character"
M.EILSEQ_TEXT = EILSEQ_TEXT

-- How the core reports failures (LuaSocket's words) and what lua-http reports for them on Linux.
local ERRORS = {
  ["connection refused"] = { "flush: Connection refused", 111 },
  timeout = { TIMEDOUT, ETIMEDOUT },
  closed = { "Broken pipe", EPIPE },
}
-- TLS handshake failures: luahttp's core words them as LuaSec does ("certificate verify failed
-- (reason)"); cqueues' starttls gives OpenSSL's error string. Node's OpenSSL names a chain that
-- stops at an unknown issuer "unable to verify the first certificate" where the system's OpenSSL,
-- under lua-http, says "unable to get local issuer certificate".
local VERIFY_REASONS = { ["unable to verify the first certificate"] = "unable to get local issuer certificate" }
local function tlsfailure(err)
  local reason = err:match("^certificate verify failed %((.*)%)$")
  if reason then
    return "starttls: error:0A000086:SSL routines::certificate verify failed:" .. (VERIFY_REASONS[reason] or reason), EOPENSSL
  end
  if err == "certificate verify failed" then return "starttls: error:0A000086:SSL routines::certificate verify failed", EOPENSSL end
  if err == "wrong version number" then return "starttls: error:0A00010B:SSL routines::wrong version number", EOPENSSL end
  -- The server closed during the handshake: cqueues reports the failed write.
  if err == "unexpected eof while reading" then return "starttls: Broken pipe", EPIPE end
  return nil
end
--- failure(err [, handshake]) → nil, message, errno. handshake: the failure came before the response
--- head of an https request.
function M.failure(err, handshake)
  if handshake and type(err) == "string" then
    local msg, errno = tlsfailure(err)
    if msg then return nil, msg, errno end
  end
  local e = ERRORS[err]
  if e then return nil, e[1], e[2] end
  return nil, tostring(err), nil
end

-- A chunked body that is cut or broken.
function M.badchunk()
  return nil, "read_body_chunk: " .. EILSEQ_TEXT, EILSEQ
end

-- A status line that is not "HTTP/1.x NNN reason".
function M.badstatus()
  return nil, "read_status_line: " .. EILSEQ_TEXT, EILSEQ
end

return M
