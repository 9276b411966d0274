-- http.websocket's client side with lua-http 0.4's observable behaviour, written for luahttp: a
-- websocket object (readyState 0 → 1 → 2 → 3, got_close_code/got_close_message, request, headers,
-- protocol) whose connect() does the RFC 6455 handshake of its http.request, and whose send/receive/
-- close/send_ping/send_pong speak frames on a luahttp socket (lua/http/websocket-socket.lua).
--
-- Why frames in Lua rather than undici's WebSocket: scripts send pings, pongs, any opcode and any
-- close code (1001, 1011…), see text frames as the bytes that came, and rely on lua-http's protocol
-- checks (its 1002/1007 closes); a WHATWG WebSocket can do none of these. See README "lua-http scripts".
local new_headers = require("http.headers").new
local http_request = require("http.request")
local http_tls = require("http.tls")
local http_util = require("http.util")
local wssocket = require("luahttp.http.wssocket")
local frames = require("luahttp.http.wsframes")
local sha1 = require("luahttp.http.sha1")
local mime = require("mime")
local socket = require("socket")

local setmetatable, assert, error, type, tostring, format = setmetatable, assert, error, type, tostring, string.format
local lower, concat, random, spack = string.lower, table.concat, math.random, string.pack
local utf8len, min = utf8.len, math.min
local now = socket.gettime
local err = wssocket.err

local EINVAL, EPIPE, ENOTCONN, ETIMEDOUT = 22, 32, 107, 110
local MAGIC = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

local methods = {
  -- Seconds close() waits for the peer's close frame after sending its own.
  close_timeout = 3,
}
local mt = { __name = "http.websocket", __index = methods }

function mt:__tostring()
  return format("http.websocket{type=%q;readyState=%d}", self.type, self.readyState)
end

local function b64(s)
  return (mime.b64(s))
end

local function trim(s)
  return (s:match("^%s*(.-)%s*$"))
end

-- RFC 6455 4.1: a subprotocol is a token of visible ASCII without separators.
local function validprotocol(p)
  return p:match("^[\33\35-\39\42\43\45\46\48-\57\65-\90\94-\122\124\126\127]+$") ~= nil
end

-- Text must be UTF-8 (RFC 6455 8.1); Lua 5.4's utf8.len also refuses surrogates and > U+10FFFF.
local function badutf8(s)
  local ok, pos = utf8len(s)
  if ok then return nil end
  return pos
end

function methods:send_frame(frame, timeout)
  if self.readyState < 1 then return nil, err("send_frame", ENOTCONN) end
  if self.readyState > 2 then return nil, err("send_frame", EPIPE) end
  local ok, e = self.socket:write(frames.build_frame(frame), timeout and (now() + timeout))
  if not ok then
    if e == "timeout" then return nil, err("write", ETIMEDOUT) end
    return nil, err("write", EPIPE)
  end
  if frame.opcode == 0x8 then self.readyState = 2 end
  return true
end

-- A client masks every frame it sends (RFC 6455 5.1, 6.1.5).
local function data_frame(self, opcode, data)
  return { FIN = true, MASK = self.type == "client", opcode = opcode, data = data }
end

local OPCODES = { text = 0x1, binary = 0x2 }

function methods:send(data, opcode, timeout)
  assert(type(data) == "string")
  if opcode == nil then opcode = "text" end
  return self:send_frame(data_frame(self, OPCODES[opcode] or opcode, data), timeout)
end

function methods:send_ping(data, timeout)
  return self:send_frame(data_frame(self, 0x9, data), timeout)
end

-- An unsolicited pong is a one-way heartbeat (RFC 6455 5.5.3).
function methods:send_pong(data, timeout)
  return self:send_frame(data_frame(self, 0xA, data), timeout)
end

-- Ends the connection: sends a close frame unless one was sent, waits (up to close_timeout) for the
-- peer's unless it came already or this is a protocol failure (1002), then drops the socket.
-- Answers nil, reason, code: what receive() returns when a connection ends.
local function finish(self, code, reason, deadline)
  local state = self.readyState
  if state < 1 then
    self.request, self.stream, self.readyState = nil, nil, 3
    return nil, wssocket.STRERROR[ENOTCONN], ENOTCONN
  end
  if state == 3 then return nil, wssocket.STRERROR[EPIPE], EPIPE end
  if state == 1 then
    -- A failure to send it changes nothing: the connection ends either way.
    self:send_frame(frames.build_close(code, reason, self.type == "client"), deadline and (deadline - now()))
  end
  if code ~= 1002 and not self.got_close_code and self.readyState == 2 then
    local until_ = now() + self.close_timeout
    if deadline then until_ = min(until_, deadline) end
    repeat
      if not self:receive(until_ - now()) then break end
    until self.got_close_code
  end
  if self.readyState < 3 then
    self.readyState = 3
    self.socket:shutdown()
    self.socket:close()
  end
  return nil, reason, code
end

function methods:close(code, reason, timeout)
  finish(self, code or 1000, reason, timeout and (now() + timeout))
  return true
end

-- RFC 6455 7.4: codes a peer may not send.
local function reserved(code)
  return ((code > 1003 and code < 1007) or code > 1011) and code < 3000
end

-- A close frame from the peer: records its code and message, answers it, ends the connection.
local function peer_closed(self, frame, deadline)
  if frame.length == 1 then
    return finish(self, 1002, "Close frame with payload, but too short for status code", deadline)
  end
  local code, message = frames.parse_close(frame.data)
  if code == nil then
    -- 1005 stands for "no code was given" (RFC 6455 7.4.1); the answer then says 1000.
    self.got_close_code = 1005
    code = 1000
  elseif code < 1000 then
    self.got_close_code = true
    return finish(self, 1002, "Closed with invalid status code", deadline)
  elseif reserved(code) then
    self.got_close_code = true
    return finish(self, 1002, "Closed with reserved status code", deadline)
  else
    self.got_close_code = code
    if message then
      local bad = badutf8(message)
      if bad then return finish(self, 1007, format("invalid utf-8 at position %d", bad)) end
      self.got_close_message = message
    end
  end
  -- The answer echoes the peer's code (RFC 6455 5.5.1).
  return finish(self, code, message, deadline)
end

-- A data frame: nil while the message goes on; the message and its kind when it ends;
-- or the results of a failed connection.
local function data(self, frame, deadline)
  local opcode = frame.opcode
  if opcode == 0x0 then
    if not self.databuffer then return false, finish(self, 1002, "Unexpected continuation frame", deadline) end
    self.databuffer[#self.databuffer + 1] = frame.data
  elseif opcode == 0x1 or opcode == 0x2 then
    if self.databuffer then return false, finish(self, 1002, "Continuation frame expected", deadline) end
    self.databuffer, self.databuffer_type = { frame.data }, opcode
  else
    return false, finish(self, 1002, "Reserved opcode", deadline)
  end
  if not frame.FIN then return nil end
  local message, kind = concat(self.databuffer), self.databuffer_type
  if kind == 0x1 then
    kind = "text"
    local bad = badutf8(message)
    if bad then return false, finish(self, 1007, format("invalid utf-8 at position %d", bad)) end
  else
    kind = "binary"
  end
  self.databuffer, self.databuffer_type = nil, nil
  return true, message, kind
end

--- receive(timeout) → message, "text"|"binary" | nil, reason, close code | nil, message, errno | nil
function methods:receive(timeout)
  if self.readyState < 1 then return nil, err("receive", ENOTCONN) end
  if self.readyState > 2 then return nil, err("receive", EPIPE) end
  local deadline = timeout and (now() + timeout)
  while true do
    local frame, e, errno = frames.read_frame(self.socket, deadline)
    if frame == nil then return nil, e, errno end
    if frame.RSV1 or frame.RSV2 or frame.RSV3 then
      return finish(self, 1002, "Reserved bits not zero", deadline)
    end
    if frame.opcode < 0x8 then
      local done, x, y, z = data(self, frame, deadline)
      if done then return x, y end
      if done == false then return x, y, z end
    elseif frame.length > 125 then
      return finish(self, 1002, "Payload too large", deadline)
    elseif not frame.FIN then
      return finish(self, 1002, "Fragmented control frame", deadline)
    elseif frame.opcode == 0x8 then
      return peer_closed(self, frame, deadline)
    elseif frame.opcode == 0x9 then
      local ok, e2 = self:send_pong(frame.data, deadline and (deadline - now()))
      if not ok and e2 ~= EPIPE then return finish(self, 1002, "Pong failed", deadline) end
    elseif frame.opcode ~= 0xA then
      -- (a pong needs no answer: pings cannot be matched to pongs, RFC 6455 5.5.3)
      return finish(self, 1002, "Reserved opcode", deadline)
    end
  end
end

function methods:each()
  return function(self) -- luacheck: ignore 432
    return self:receive()
  end, self
end

local function new(kind)
  assert(kind == "client" or kind == "server")
  return setmetatable({ type = kind, readyState = 0 }, mt)
end

local function new_from_uri(uri, protocols)
  local request = http_request.new_from_uri(uri)
  local self = new("client")
  self.request = request
  request.version = 1.1
  local h = request.headers
  h:append("upgrade", "websocket")
  h:append("connection", "upgrade")
  -- A nonce: 16 random bytes, base64 (RFC 6455 4.1).
  self.key = b64(spack("<I4I4I4I4", random(0, 0xFFFFFFFF), random(0, 0xFFFFFFFF), random(0, 0xFFFFFFFF),
    random(0, 0xFFFFFFFF)))
  h:append("sec-websocket-key", self.key, true)
  h:append("sec-websocket-version", "13")
  if protocols then
    -- A copy: the caller may change its table afterwards.
    local list = {}
    for i = 1, #protocols do
      local p = protocols[i]
      if list[p] then error("duplicate protocol") end
      assert(validprotocol(p), "invalid protocol")
      list[p], list[i] = true, p
    end
    self.protocols = list
    h:append("sec-websocket-protocol", concat(list, ",", 1, #protocols))
  end
  return self
end

-- The request head as lua-http's HTTP/1 writer puts it: request line, Host from :authority, the rest.
local function request_head(h)
  local lines = { format("%s %s HTTP/1.1", h:get(":method"), h:get(":path")) }
  local authority = h:get(":authority")
  if authority then lines[2] = "host: " .. authority end
  for name, value in h:each() do
    if name:sub(1, 1) ~= ":" and name ~= "host" then lines[#lines + 1] = name .. ": " .. tostring(value) end
  end
  return concat(lines, "\r\n") .. "\r\n\r\n"
end

-- The errors of reading a response head, as lua-http's HTTP/1 connection reports them.
local function head_failure(e)
  if e == "timeout" then return nil, err("read", ETIMEDOUT) end
  return nil, wssocket.STRERROR[EPIPE], EPIPE
end

-- Reads a response head: headers with ":status", or nil, message, errno. Skips 1xx other than 101.
local function response_head(sock, deadline)
  while true do
    local line, e = sock:readline(deadline)
    if not line then return head_failure(e) end
    local status = line:match("^HTTP/1%.[01] (%d%d%d)")
    if not status then return nil, err("read_status_line", wssocket.EILSEQ) end
    local headers = new_headers()
    headers:append(":status", status)
    while true do
      local field, e2 = sock:readline(deadline)
      if not field then return head_failure(e2) end
      if field == "" then break end
      local name, value = field:match("^([^:%s]+):(.*)$")
      if not name then return nil, err("read_header", wssocket.EILSEQ) end
      headers:append(lower(name), trim(value))
    end
    if status:sub(1, 1) ~= "1" or status == "101" then return headers end
  end
end

-- The exchange request:go() does for lua-http, on a socket kept for the websocket: connects, sends
-- the head, reads the answer; follows redirects as go() does.
local function exchange(req, deadline)
  while true do
    -- The name sent in the TLS handshake (SNI): the host unless it is an address, as lua-http's client;
    -- false: none.
    local sendname = req.sendname
    if sendname == nil and not http_util.is_ip(req.host) then sendname = req.host end
    local sock, e, errno = wssocket.connect(req.host, req.port, req.tls and http_tls.coreoptions(req.ctx), sendname,
      deadline)
    if not sock then return nil, e, errno end
    -- As request:go(), the request's cookie store adds a "cookie" field to a copy of the headers
    -- and takes the Set-Cookie fields of every answer.
    local sent, store = req.headers, req.cookie_store
    if store then
      local cookies = store:lookup_for_request(sent, req.host, req.site_for_cookies, req.is_top_level)
      if cookies ~= "" then
        sent = sent:clone()
        sent:append("cookie", cookies)
      end
    end
    local ok, we = sock:write(request_head(sent), deadline)
    if not ok then
      sock:close()
      if we == "timeout" then return nil, err("flush", ETIMEDOUT) end
      return nil, err("flush", EPIPE)
    end
    local headers, he, herrno = response_head(sock, deadline)
    if not headers then
      sock:close()
      return nil, he, herrno
    end
    if store then store:store_from_request(sent, headers, req.host, req.site_for_cookies) end
    if not (req.follow_redirects and headers:get(":status"):sub(1, 1) == "3") then return headers, sock end
    sock:close()
    local new, re, rerrno = req:handle_redirect(headers)
    if not new then return nil, re, rerrno end
    req = new
  end
end

-- Connection tokens, lower-cased (RFC 7230 6.1).
local function has_token(list, token)
  for t in list:gmatch("[^,]+") do
    if lower(trim(t)) == token then return true end
  end
  return false
end

-- RFC 6455 4.1's checks of the server's answer, in lua-http's order and words.
local function check_response(self, headers)
  if headers:get(":status") ~= "101" then return "status code not 101" end
  local upgrade = headers:get("upgrade")
  if not upgrade or lower(upgrade) ~= "websocket" then return "upgrade header not websocket" end
  local connection = headers:get_comma_separated("connection")
  if not connection then return "invalid connection header" end
  if not has_token(connection, "upgrade") then return "connection header doesn't contain upgrade" end
  local accept = headers:get("sec-websocket-accept")
  if accept == nil or trim(accept) ~= b64(sha1(self.key .. MAGIC)) then
    return "sec-websocket-accept header incorrect"
  end
  -- lua-http negotiates no extension.
  if headers:get_comma_separated("sec-websocket-extensions") then return "extensions not supported" end
  local protocol = headers:get("sec-websocket-protocol")
  if protocol and not (self.protocols and self.protocols[protocol]) then return "unexpected protocol" end
  return nil, protocol
end

function methods:connect(timeout)
  assert(self.type == "client" and self.readyState == 0)
  local headers, sock, errno = exchange(self.request, timeout and (now() + timeout))
  if not headers then return nil, sock, errno end
  local problem, protocol = check_response(self, headers)
  if problem then
    sock:close()
    return nil, problem, EINVAL
  end
  assert(self.socket == nil, "websocket:connect called twice")
  self.socket, self.request, self.headers = sock, nil, headers
  self.readyState, self.protocol = 1, protocol
  return true
end

-- lua-http's server side (new_from_stream, accept) needs http.server, which luahttp does not provide.
local function new_from_stream()
  error("http.websocket.new_from_stream: luahttp provides lua-http's client side only (no http.server)", 2)
end

return {
  new_from_uri = new_from_uri,
  new_from_stream = new_from_stream,
  methods = methods,
  mt = mt,
  new = new,
  build_frame = frames.build_frame,
  read_frame = frames.read_frame,
  build_close = frames.build_close,
  parse_close = frames.parse_close,
}
