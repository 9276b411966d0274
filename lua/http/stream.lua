-- The response side of http.request on luahttp's HTTP core (the one under socket.http): exchange()
-- sends a request object's head and body and reads the response head; the stream it returns hands
-- out the body with lua-http's stream methods. Errors come back as lua-http's (nil, message, errno).
local new_headers = require("http.headers").new
local core = require("luahttp.core.http")
local waits = require("luahttp.coroutines")
local socket = require("socket")

local setmetatable, type, tostring, tonumber, lower = setmetatable, type, tostring, tonumber, string.lower
local concat = table.concat
local PENDING, canyield, await = waits.PENDING, waits.canyield, waits.await

local M = {}

M.now = socket.gettime

-- How the core reports failures (LuaSocket's words) and what lua-http reports for them on Linux.
local ERRORS = {
  ["connection refused"] = { "flush: Connection refused", 111 },
  timeout = { "read: Connection timed out", 110 },
  closed = { "Broken pipe", 32 },
}
local function failure(err)
  local e = ERRORS[err]
  if e then return nil, e[1], e[2] end
  return nil, tostring(err), nil
end

-- A core step returns PENDING when it started work the script waits for by yielding to the driver.
local function settle(h, x, y, z)
  while x == PENDING do
    await()
    x, y, z = core.continue(h)
  end
  return x, y, z
end

-- No body for HEAD, 1xx, 204 and 304 (RFC 7230 3.3.3).
local function hasbody(method, status)
  if method == "HEAD" then return false end
  return not (status == 204 or status == 304 or (status >= 100 and status < 200))
end

local methods = {}
local mt = { __name = "http.h1_stream", __index = methods }
-- A stream dropped before its body ended gives its exchange back (the body lives outside Lua's heap).
mt.__gc = function(self)
  if self._h then core.close(self._h, true) end
end

-- The next piece of the body: a string, nil at its end, or nil, message, errno.
function methods:get_next_chunk(timeout) -- luacheck: ignore timeout (the exchange's deadline applies)
  local pending = self._unget
  if pending then
    self._unget = nil
    return pending
  end
  local h = self._h
  if not h then
    if self._err then return nil, self._err, self._errno end
    return nil
  end
  local chunk, err = settle(h, core.receive(h, self._mode, self._length))
  if chunk then return chunk end
  core.close(h)
  self._h = nil
  if err then
    local _, msg, errno = failure(err)
    self._err, self._errno = msg, errno
    return nil, msg, errno
  end
  return nil
end

function methods:unget(s)
  self._unget = self._unget and (s .. self._unget) or s
  return true
end

-- go() has taken the response head already: what lua-http's HTTP/1 stream answers next is the
-- trailer block of a chunked body (once; luahttp's transport does not pass trailers on, so it is
-- empty), and nil for other bodies.
function methods:get_headers()
  if self._mode == 3 and not self._trailers then
    self._trailers = true
    return new_headers()
  end
  return nil
end

local function nextchunk(self) return self:get_next_chunk() end
function methods:each_chunk()
  return nextchunk, self
end

function methods:get_body_as_string(timeout)
  local parts, n = {}, 0
  while true do
    local chunk, err, errno = self:get_next_chunk(timeout)
    if chunk == nil then
      if err ~= nil then return nil, err, errno end
      break
    end
    n = n + 1
    parts[n] = chunk
  end
  return concat(parts, "", 1, n)
end

function methods:get_body_chars(count, timeout)
  local parts, n, len = {}, 0, 0
  while len < count do
    local chunk, err, errno = self:get_next_chunk(timeout)
    if chunk == nil then
      if err ~= nil then return nil, err, errno end
      break
    end
    n = n + 1
    parts[n] = chunk
    len = len + #chunk
  end
  if n == 0 then return nil end
  local s = concat(parts, "", 1, n)
  if len > count then
    self:unget(s:sub(count + 1))
    s = s:sub(1, count)
  end
  return s
end

function methods:get_body_until(pattern, plain, include_pattern, timeout)
  local body
  while true do
    local chunk, err, errno = self:get_next_chunk(timeout)
    if chunk == nil then
      if err ~= nil then return nil, err, errno end
      return body, err
    end
    body = body and (body .. chunk) or chunk
    local s, e = body:find(pattern, 1, plain)
    if s then
      if e < #body then self:unget(body:sub(e + 1)) end
      if include_pattern then return body:sub(1, e) end
      return body:sub(1, s - 1)
    end
  end
end

function methods:save_body_to_file(file, timeout)
  while true do
    local chunk, err, errno = self:get_next_chunk(timeout)
    if chunk == nil then
      if err ~= nil then return nil, err, errno end
      return true
    end
    assert(file:write(chunk))
  end
end

function methods:get_body_as_file(timeout)
  local file = assert(io.tmpfile())
  local ok, err, errno = self:save_body_to_file(file, timeout)
  if not ok then return nil, err, errno end
  assert(file:seek("set"))
  return file
end

-- Ends the exchange; the connection is dropped if the body was not read to its end.
function methods:shutdown()
  local h = self._h
  if h then
    self._h = nil
    core.close(h, true)
  end
  return true
end

-- Sends the body (a string, a file read from its start, or a function returning pieces until nil).
local function sendbody(h, body)
  local function send(piece)
    local ok, err = settle(h, core.send(h, piece))
    if not ok then return nil, err end
    return true
  end
  if type(body) == "string" then return send(body) end
  if io.type(body) == "file" then
    assert(body:seek("set"))
    while true do
      local piece = body:read(16384)
      if not piece then return true end
      local ok, err = send(piece)
      if not ok then return nil, err end
    end
  end
  if type(body) == "function" then
    while true do
      local piece = body()
      if not piece then return true end
      local ok, err = send(piece)
      if not ok then return nil, err end
    end
  end
  return true
end

local function origin(req)
  local host = req.host
  if host:find(":", 1, true) then host = "[" .. host .. "]" end
  return (req.tls and "https://" or "http://") .. host .. ":" .. tostring(req.port)
end

-- The request's wire head: Host from :authority, then the other fields in order.
local function wireheaders(headers)
  local list, n = {}, 0
  local authority = headers:get(":authority")
  if authority then list[1], list[2], n = "host", authority, 2 end
  for name, value in headers:each() do
    if name:sub(1, 1) ~= ":" and name ~= "host" then
      list[n + 1], list[n + 2] = name, tostring(value)
      n = n + 2
    end
  end
  return list
end

--- exchange(req, deadline[, headers]) → headers, stream | nil, message, errno
-- `headers` replaces req.headers on the wire (go() adds the cookie store's "cookie" to a copy).
function M.exchange(req, deadline, headers)
  headers = headers or req.headers
  local method = headers:get(":method") or "GET"
  local body = req.body
  local extras
  if deadline then extras = { deadline = math.max(deadline - M.now(), 0.001) } end
  local h = core.request(origin(req), method, headers:get(":path") or "/", wireheaders(headers),
    body ~= nil, nil, canyield(), extras)
  if body ~= nil then
    local ok, err = sendbody(h, body)
    if not ok then
      core.close(h, true)
      return failure(err)
    end
  end
  local status, _, raw = settle(h, core.receivehead(h))
  if not status then
    core.close(h, true)
    return failure(_)
  end
  local response = new_headers()
  response:append(":status", tostring(status))
  for i = 1, #raw, 2 do response:append(lower(raw[i]), raw[i + 1]) end
  local stream = setmetatable({}, mt)
  if hasbody(method, status) then
    local length = tonumber(response:get_comma_separated("content-length") or "")
    local te = response:get_comma_separated("transfer-encoding")
    stream._h = h
    -- The core's body framings: 1 by length, 2 until closed, 3 chunked.
    stream._mode = (te and te ~= "identity") and 3 or (length and 1 or 2)
    stream._length = length
  else
    core.close(h)
  end
  return response, stream
end

return M
