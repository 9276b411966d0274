-- The response side of http.request on luahttp's HTTP core (the one under socket.http): exchange()
-- sends a request object's head and body and reads the response head; the stream it returns hands
-- out the body with lua-http's stream methods. Errors come back as lua-http's (nil, message, errno).
local new_headers = require("http.headers").new
local core = require("luahttp.core.http")
local waits = require("luahttp.coroutines")
local socket = require("socket")
local timed = require("luahttp.http.timed")
local errors = require("luahttp.http.errors")
local route = require("luahttp.http.route")

local setmetatable, assert, type, tostring, tonumber, lower, select = setmetatable, assert, type, tostring, tonumber, string.lower, select
local concat = table.concat
local PENDING, canyield, await = waits.PENDING, waits.canyield, waits.await
local wantsyield = waits.wantsyield or canyield

local M = {}

M.now = socket.gettime

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

-- The core's body framings: 1 by length, 2 until closed, 3 chunked.
local BY_LENGTH, UNTIL_CLOSED, CHUNKED = 1, 2, 3
-- The largest piece of a body that is not chunked: lua-http hands out what one socket read gave,
-- so a read returns what has arrived (at least a byte) rather than waiting for a full block.
local PIECE = 16384

local methods = {}
local mt = { __name = "http.h1_stream", __index = methods }
-- A stream dropped before its body ended gives its exchange back (the body lives outside Lua's heap).
mt.__gc = function(self)
  if self._h then core.close(self._h, true) end
end

-- Pieces the script was handed back (unget) or that get_headers read ahead, oldest first.
local function queued(self)
  local q = self._queue
  local first = q.first
  if first > q.last then return nil end
  local piece = q[first]
  q[first] = nil
  q.first = first + 1
  return piece
end
local function enqueue(self, piece)
  local q = self._queue
  q.last = q.last + 1
  q[q.last] = piece
end

-- The next piece from the core: a string, nil at the end of the body, or nil, message, errno (then
-- the stream stays ended with that error). A chunked body's end makes its trailers available.
local function readpiece(self)
  local h = self._h
  if not h then
    if self._err then return nil, self._err, self._errno end
    return nil
  end
  local chunk, err = settle(h, core.receive(h, self._mode, self._length, PIECE))
  -- shutdown() ended the exchange while this read waited.
  if self._shut then return nil end
  -- lua-http returns a socket read's piece with its (nil) error and errno: three values.
  if chunk then return chunk, nil, nil end
  core.close(h)
  self._h = nil
  if err then
    local mode = self._mode
    -- A body cut short of its Content-Length ends there for lua-http, without an error.
    if mode == BY_LENGTH and err == "closed" then return nil, nil, nil end
    local msg, errno
    if mode == CHUNKED and (err == "closed" or err == "invalid chunk size") then
      msg, errno = select(2, errors.badchunk())
    else
      msg, errno = select(2, errors.failure(err))
    end
    self._err, self._errno = msg, errno
    return nil, msg, errno
  end
  if self._mode == CHUNKED then
    self._trailers = "ready"
    return nil
  end
  -- The end of a body delimited by the connection's close is a read that gave nothing (three
  -- values); by length, lua-http had marked the stream ended after the last piece (one value).
  if self._mode == UNTIL_CLOSED then return nil, nil, nil end
  return nil
end

-- readpiece with lua-http's timeout: when it runs out the read goes on, and the next call takes its piece.
local function read(self, timeout)
  local op = self._reading
  if op == nil then
    if timeout == nil or not self._h or not timed.available() then return readpiece(self) end
    op = timed.start(readpiece, self)
  end
  self._clock = self._clock or timed.clock()
  if not timed.wait(op, timeout, self._clock) then
    self._reading = op
    return nil, errors.TIMEDOUT, errors.ETIMEDOUT
  end
  self._reading = nil
  return timed.results(op)
end

-- A timeout that counts down over several reads.
local function remaining(deadline)
  return deadline and math.max(deadline - M.now(), 0)
end

--- get_next_chunk([timeout]): the next piece of the body, nil at its end, or nil, message, errno.
function methods:get_next_chunk(timeout)
  local piece = queued(self)
  if piece then return piece end
  return read(self, timeout)
end

function methods:unget(s)
  local q = self._queue
  q.first = q.first - 1
  q[q.first] = s
  return true
end

-- The trailer block lua-http's HTTP/1 stream reads after a chunked body (once; luahttp's transport
-- does not pass trailers on, so it is empty). Before the body's end, lua-http reads the rest of the
-- body (kept for get_next_chunk) to reach it; other bodies have none: nil.
function methods:get_headers(timeout)
  local deadline = timeout and M.now() + timeout
  while true do
    if self._trailers == "ready" then
      self._trailers = "taken"
      return new_headers()
    end
    if not (self._h or self._reading) then return nil end
    local piece, err, errno = read(self, remaining(deadline))
    if piece then
      enqueue(self, piece)
    elseif err ~= nil then
      return nil, err, errno
    end
  end
end

local function nextchunk(self) return self:get_next_chunk() end
function methods:each_chunk()
  return nextchunk, self
end

-- Reads pieces until the body ends or `limit` bytes came (nil: no limit): the pieces, their count and
-- length, or nil, message, errno (what was read is then dropped, as lua-http does).
local function collect(self, limit, timeout)
  local deadline = timeout and M.now() + timeout
  local parts, n, len = {}, 0, 0
  while limit == nil or len < limit do
    local chunk, err, errno = self:get_next_chunk(remaining(deadline))
    if chunk == nil then
      if err ~= nil then return nil, err, errno end
      break
    end
    n = n + 1
    parts[n] = chunk
    len = len + #chunk
  end
  return parts, n, len
end

function methods:get_body_as_string(timeout)
  local parts, n, errno = collect(self, nil, timeout)
  if not parts then return nil, n, errno end
  return concat(parts, "", 1, n)
end

function methods:get_body_chars(count, timeout)
  local parts, n, len = collect(self, count, timeout)
  if not parts then return nil, n, len end
  if n == 0 then return nil end
  local s = concat(parts, "", 1, n)
  if len > count then
    self:unget(s:sub(count + 1))
    s = s:sub(1, count)
  end
  return s
end

function methods:get_body_until(pattern, plain, include_pattern, timeout)
  local deadline = timeout and M.now() + timeout
  local body
  while true do
    local chunk, err, errno = self:get_next_chunk(remaining(deadline))
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
  local deadline = timeout and M.now() + timeout
  while true do
    local chunk, err, errno = self:get_next_chunk(remaining(deadline))
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
  self._shut = true
  self._reading = nil
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

-- Sends the request body and reads the response head: status, raw header list, status line | nil, core error.
local function sendandhead(h, body)
  if body ~= nil then
    local ok, err = sendbody(h, body)
    if not ok then return nil, err end
  end
  local status, line, raw = settle(h, core.receivehead(h))
  if not status then return nil, line end
  return status, raw, line
end

--- exchange(req [, timeout [, headers]]) → headers, stream, sent | nil, message, errno (`sent`: the
--- request headers as lua-http passes them on after routing). The timeout bounds
--- the wait for the response head only (the body is read with the stream's own timeouts). `headers`
--- replaces req.headers on the wire (go() adds the cookie store's "cookie" to a copy).
function M.exchange(req, timeout, headers)
  headers = headers or req.headers
  local method = headers:get(":method") or "GET"
  -- undici opens no CONNECT tunnel a script could take over (lua-http hands its socket on).
  if method == "CONNECT" then return nil, "CONNECT requests are not supported by luahttp", errors.EOPNOTSUPP end
  local body = req.body
  local to, target, extras, sent = route(req, headers)
  local cantime = timeout ~= nil and timed.available()
  -- Where a timed wait cannot run, the core's deadline (which ends the whole exchange) bounds it.
  if timeout and not cantime then extras.deadline = math.max(timeout, 0.001) end
  local h = core.request(to, method, target, wireheaders(sent), body ~= nil, nil, wantsyield(), extras)
  local status, raw, line
  if cantime then
    local op = timed.start(sendandhead, h, body)
    if not timed.wait(op, timeout) then
      core.close(h, true)
      return nil, errors.TIMEDOUT, errors.ETIMEDOUT
    end
    status, raw, line = timed.results(op)
  else
    status, raw, line = sendandhead(h, body)
  end
  if not status then
    core.close(h, true)
    if type(raw) == "string" and raw:find("^invalid response") then return errors.badstatus() end
    return errors.failure(raw, req.tls)
  end
  -- lua-http reads "HTTP/1.x NNN reason" (the space after the code included); undici is laxer.
  if not line:find("^HTTP/1%.[01] %d%d%d ") then
    core.close(h, true)
    return errors.badstatus()
  end
  local response = new_headers()
  response:append(":status", tostring(status))
  for i = 1, #raw, 2 do response:append(lower(raw[i]), raw[i + 1]) end
  local stream = setmetatable({ _queue = { first = 1, last = 0 } }, mt)
  if hasbody(method, status) then
    local length = tonumber(response:get_comma_separated("content-length") or "")
    local te = response:get_comma_separated("transfer-encoding")
    stream._h = h
    stream._mode = (te and te ~= "identity") and CHUNKED or (length and BY_LENGTH or UNTIL_CLOSED)
    stream._length = length
  else
    core.close(h)
  end
  return response, stream, sent
end

return M
