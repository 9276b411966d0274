-- socket.tp: the line-oriented "transfer protocol" client that SMTP and FTP share, with LuaSocket
-- 3.1.0's observable behaviour (reply parsing, return values, error strings, the object's `c` field),
-- written for luahttp over its own socket core.
local socket = require("socket")
local ltn12 = require("ltn12")

local type, ipairs, tonumber, setmetatable = type, ipairs, tonumber, setmetatable
local find, upper = string.find, string.upper

local _M = {}
socket.tp = _M

_M.TIMEOUT = 60

-- "ddd" and the character after it ("-" = more lines follow, " " = last line, "" or other = one line).
local REPLY_START = "^(%d%d%d)(.?)"

-- One server reply: its code (a string) and its text, the lines of a multi-line reply joined by "\n".
-- A multi-line reply ("ddd-") runs up to a line carrying the same code followed by a space.
local function readreply(c)
  local first, err = c:receive()
  if err then return nil, err end
  local _, _, code, sep = find(first, REPLY_START)
  if not code then return nil, "invalid server reply" end
  if sep ~= "-" then return code, first end
  local lines = { first }
  repeat
    local line, lerr = c:receive()
    if lerr then return nil, lerr end
    lines[#lines + 1] = line
    local _, _, lcode, lsep = find(line, REPLY_START)
  until lcode == code and lsep == " "
  return code, table.concat(lines, "\n")
end

-- What check(ok) accepts: a pattern matched against the code, a list of such patterns, or a
-- function given (code, reply) that decides the return values itself.
local function accepts(code, ok)
  if type(ok) == "table" then
    for _, pattern in ipairs(ok) do
      if find(code, pattern) then return true end
    end
    return false
  end
  return find(code, ok) ~= nil
end

local methods = {}
local metat = { __index = methods }

--- tp:check(ok): reads a reply; code (number), reply when ok (pattern | list of patterns) matches the code, else nil, reply; a function ok gets (code, reply) and its results are returned.
function methods:check(ok)
  local code, reply = readreply(self.c)
  if not code then return nil, reply end
  if type(ok) == "function" then return ok(tonumber(code), reply) end
  if accepts(code, ok) then return tonumber(code), reply end
  return nil, reply
end

--- tp:command(cmd [, arg]): sends "CMD arg\r\n" (cmd upper-cased); the socket's send results.
function methods:command(cmd, arg)
  local line = upper(cmd)
  if arg then line = line .. " " .. arg end
  return self.c:send(line .. "\r\n")
end

--- tp:sink(snk, pattern): one receive(pattern) on the control connection, handed to snk(chunk, err).
function methods:sink(snk, pattern)
  local chunk, err = self.c:receive(pattern)
  return snk(chunk, err)
end

--- tp:source(src [, step]): pumps src into the control connection (keep-open); 1 or nil, err.
function methods:source(src, step)
  local ok, err = ltn12.pump.all(src, socket.sink("keep-open", self.c), step or ltn12.pump.step)
  return ok, err
end

--- tp:send(data): the control socket's send.
function methods:send(data)
  return self.c:send(data)
end

--- tp:receive(pattern): the control socket's receive.
function methods:receive(pattern)
  return self.c:receive(pattern)
end

--- tp:getpeername(): the control socket's peer address.
function methods:getpeername()
  return self.c:getpeername()
end

--- tp:getsockname(): LuaSocket 3.1.0 answers with the *peer* address here (its bug, kept: ftp's
--- active mode binds its listener to this address).
function methods:getsockname()
  return self.c:getpeername()
end

--- tp:getfd(), tp:dirty(): the control socket's, so a tp object can be given to socket.select.
function methods:getfd()
  return self.c:getfd()
end

function methods:dirty()
  return self.c:dirty()
end

--- tp:getcontrol(): the control socket itself.
function methods:getcontrol()
  return self.c
end

--- tp:close(): closes the control socket; always 1.
function methods:close()
  self.c:close()
  return 1
end

--- tp.connect(host, port [, timeout [, create]]): a tp object over a connected (create or socket.tcp)() socket with timeout (default tp.TIMEOUT); nil, err on failure.
function _M.connect(host, port, timeout, create)
  local c, err = (create or socket.tcp)()
  if not c then return nil, err end
  c:settimeout(timeout or _M.TIMEOUT)
  local ok, cerr = c:connect(host, port)
  if not ok then
    c:close()
    return nil, cerr
  end
  return setmetatable({ c = c }, metat)
end

return _M
