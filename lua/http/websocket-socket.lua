-- The byte stream under http.websocket: a LuaSocket TCP connection (TLS through luahttp's `ssl` for
-- wss://), so a websocket goes through the same connector, policy and TLS verification as every
-- raw socket, and its waits inside a luahttp task (cq:wrap) let the other tasks run, as every
-- socket's do. Reads are exact-length with a deadline; bytes that arrived before a deadline passed
-- stay buffered for the next read, as lua-http's cqueues socket keeps them.
-- Errors are returned in lua-http's words for Linux (cqueues' "op: strerror", errno).
local socket = require("socket")

local now = socket.gettime
local setmetatable, concat, tostring = setmetatable, table.concat, tostring

local M = {}

M.ETIMEDOUT, M.ECONNREFUSED, M.EPIPE, M.EILSEQ = 110, 111, 32, 84
local STRERROR = {
  [110] = "Connection timed out",
  [111] = "Connection refused",
  [32] = "Broken pipe",
  [84] = "Illegal byte sequence",
  [107] = "Transport endpoint is not connected",
  [104] = "Connection reset by peer",
}
M.STRERROR = STRERROR

--- err(op, errno) → "op: message", errno (cqueues' onerror form).
local function err(op, errno)
  return op .. ": " .. STRERROR[errno], errno
end
M.err = err

-- LuaSocket's and LuaSec's words for a wait that ran out.
local function istimeout(e)
  return e == "timeout" or e == "wantread" or e == "wantwrite"
end

local methods = {}
local mt = { __name = "luahttp.websocket.socket", __index = methods }

-- A TLS handshake failure in lua-http's words where luahttp knows them (lua/http/errors.lua, as
-- http.request's).
local function tlsfailure(msg)
  return require("luahttp.http.errors").failure(tostring(msg), true)
end

--- connect(host, port, tls, servername, deadline) → socket | nil, message, errno. tls: nil for a
--- plain connection, else { verify = boolean, cafile = path, capath = path } (http.tls.coreoptions).
function M.connect(host, port, tls, servername, deadline)
  local tcp = socket.tcp()
  local timeout = deadline and (deadline - now())
  if timeout and timeout <= 0 then return nil, err("flush", M.ETIMEDOUT) end
  tcp:settimeout(timeout or -1)
  local ok, e = tcp:connect(host, port)
  if not ok then
    tcp:close()
    if e == "connection refused" then return nil, err("flush", M.ECONNREFUSED) end
    if istimeout(e) then return nil, err("flush", M.ETIMEDOUT) end
    return nil, "flush: " .. tostring(e), nil
  end
  local sock = tcp
  if tls then
    local ssl = require("ssl")
    local conn, msg = ssl.wrap(tcp, {
      mode = "client", protocol = "any",
      verify = tls.verify and "peer" or "none", cafile = tls.cafile, capath = tls.capath,
    })
    if not conn then
      tcp:close()
      return tlsfailure(msg)
    end
    if servername then conn:sni(servername) end
    timeout = deadline and (deadline - now())
    conn:settimeout(timeout and math.max(timeout, 0) or -1)
    ok, msg = conn:dohandshake()
    if not ok then
      conn:close()
      if istimeout(msg) then return nil, err("starttls", M.ETIMEDOUT) end
      return tlsfailure(msg)
    end
    sock = conn
  end
  return setmetatable({ sock = sock, pending = "" }, mt)
end

-- One wait for `want` bytes: a string, or nil and "timeout" / "closed" with
-- what arrived meanwhile.
local function receive(self, want, deadline)
  local sock = self.sock
  local left = deadline and (deadline - now())
  if left and left < 0 then left = 0 end
  sock:settimeout(left or -1)
  local data, e, partial = sock:receive(want)
  if data then return data end
  if istimeout(e) then e = "timeout" end
  return nil, e, partial
end

--- read(n, deadline) → exactly n bytes | nil, "timeout" | nil, "closed", bytes-before-the-end.
--- On a timeout the bytes read so far stay for the next read.
function methods:read(n, deadline)
  local have = self.pending
  if #have >= n then
    self.pending = have:sub(n + 1)
    return have:sub(1, n)
  end
  local parts, len = { have }, #have
  while len < n do
    local data, e, partial = receive(self, n - len, deadline)
    local piece = data or partial
    if piece and piece ~= "" then
      parts[#parts + 1] = piece
      len = len + #piece
    end
    if not data and e then
      self.pending = concat(parts)
      if e == "timeout" then return nil, "timeout" end
      local got = self.pending
      self.pending = ""
      return nil, "closed", got
    end
  end
  local all = concat(parts)
  self.pending = all:sub(n + 1)
  return all:sub(1, n)
end

--- unget(bytes): puts bytes back in front of what the next read returns.
function methods:unget(s)
  if s ~= "" then self.pending = s .. self.pending end
end

--- readline(deadline) → a line without its CRLF | nil, "timeout" | "closed"
function methods:readline(deadline)
  local parts = {}
  while true do
    local c, e = self:read(1, deadline)
    if not c then
      if e == "timeout" then self:unget(concat(parts)) end
      return nil, e
    end
    if c == "\n" then
      local line = concat(parts)
      return (line:gsub("\r$", ""))
    end
    parts[#parts + 1] = c
  end
end

--- write(bytes, deadline) → true | nil, "timeout" | "closed"
function methods:write(data, deadline)
  local sock = self.sock
  local sent = 0
  while sent < #data do
    local left = deadline and (deadline - now())
    if left and left < 0 then left = 0 end
    sock:settimeout(left or -1)
    local last, e, partial = sock:send(data, sent + 1)
    if last then return true end
    sent = partial or sent
    if istimeout(e) then
      if left == 0 then return nil, "timeout" end
    else
      return nil, e
    end
  end
  return true
end

function methods:shutdown()
  if self.sock.shutdown then self.sock:shutdown("both") end
end

function methods:close()
  self.sock:close()
end

return M
