-- socket.ftp: FTP client with LuaSocket 3.1.0's observable behaviour (commands on the control
-- connection, the data connection's use, return values, error strings), written for luahttp over
-- socket.tp and its socket core. As in 3.1.0, ftp.get/ftp.put always open the data connection with
-- EPSV (the request table's `pasv` field is not read); active mode is the object API's port/eprt.
local socket = require("socket")
local url = require("socket.url")
local tp = require("socket.tp")
local ltn12 = require("ltn12")

local type, pairs, ipairs, setmetatable = type, pairs, ipairs, setmetatable
local find, match, format, gsub = string.find, string.match, string.format, string.gsub
local concat = table.concat
-- math.mod is looked up at each PORT command, see methods:port.
local math = math

local _M = {}
socket.ftp = _M

_M.TIMEOUT = 60
_M.USER = "ftp"
_M.PASSWORD = "anonymous@anonymous.org"
local DEFAULT_PORT = 21

local methods = {}
local metat = { __index = methods }

--- ftp.open(server [, port [, create]]): connected session object (port 21 by default); a try-error if the connection fails. Every later failure closes it.
function _M.open(server, port, create)
  local conn = socket.try(tp.connect(server, port or DEFAULT_PORT, _M.TIMEOUT, create))
  local session = setmetatable({ tp = conn }, metat)
  session.try = socket.newtry(function() session:close() end)
  return session
end

--- f:portconnect(): accepts the server's data connection on the listener PORT/EPRT opened.
function methods:portconnect()
  self.try(self.server:settimeout(_M.TIMEOUT))
  self.data = self.try(self.server:accept())
  self.try(self.data:settimeout(_M.TIMEOUT))
end

--- f:pasvconnect(): connects the data connection to the address PASV/EPSV announced.
function methods:pasvconnect()
  self.data = self.try(socket.tcp())
  self.try(self.data:settimeout(_M.TIMEOUT))
  self.try(self.data:connect(self.pasvt.address, self.pasvt.port))
end

--- f:login([user [, password]]): USER (default ftp.USER), and PASS (default ftp.PASSWORD) when the server answers 331; 1.
function methods:login(user, password)
  self.try(self.tp:command("user", user or _M.USER))
  local code = self.try(self.tp:check { "2..", 331 })
  if code == 331 then
    self.try(self.tp:command("pass", password or _M.PASSWORD))
    self.try(self.tp:check("2.."))
  end
  return 1
end

-- Forget the active-mode listener once a passive address is known.
local function droplistener(self)
  if self.server then
    self.server:close()
    self.server = nil
  end
end

--- f:pasv(): PASV; the announced address (string) and port (number). A reply without six numbers is the try-error reply.
function methods:pasv()
  self.try(self.tp:command("pasv"))
  local _, reply = self.try(self.tp:check("2.."))
  local h1, h2, h3, h4, p1, p2 = match(reply, "(%d+)%D(%d+)%D(%d+)%D(%d+)%D(%d+)%D(%d+)")
  self.try(h1 and h2 and h3 and h4 and p1 and p2, reply)
  self.pasvt = { address = format("%d.%d.%d.%d", h1, h2, h3, h4), port = p1 * 256 + p2 }
  droplistener(self)
  return self.pasvt.address, self.pasvt.port
end

--- f:epsv(): EPSV (229 expected); the control connection's peer address and the announced port (a string). "invalid epsv response" when the reply has no (|||port|).
function methods:epsv()
  self.try(self.tp:command("epsv"))
  local _, reply = self.try(self.tp:check("229"))
  local _, _, _, port = match(reply, "%((.)(.-)%1(.-)%1(.-)%1%)")
  self.try(port, "invalid epsv response")
  local address = self.tp:getpeername()
  self.pasvt = { address = address, port = port }
  droplistener(self)
  return self.pasvt.address, self.pasvt.port
end

-- Active mode without an address: listen on an ephemeral port of the address tp:getsockname()
-- gives (in 3.1.0 that is the *peer's* address, see socket/tp.lua).
local function openlistener(self)
  local address = self.try(self.tp:getsockname())
  self.server = self.try(socket.bind(address, 0))
  local bound, port = self.try(self.server:getsockname())
  self.try(self.server:settimeout(_M.TIMEOUT))
  return bound, port
end

--- f:port([address, port]): PORT h1,h2,h3,h4,p1,p2 (listening itself when no address is given); 1.
--- LuaSocket 3.1.0 splits the port with math.mod, which Lua 5.4 does not have: the call raises
--- "attempt to call a nil value (field 'mod')" unless the script defines math.mod. Kept as is.
function methods:port(address, port)
  self.pasvt = nil
  if not address then address, port = openlistener(self) end
  local low = math.mod(port, 256)
  local high = (port - low) / 256
  local arg = gsub(format("%s,%d,%d", address, high, low), "%.", ",")
  self.try(self.tp:command("port", arg))
  self.try(self.tp:check("2.."))
  return 1
end

--- f:eprt(family [, address, port]): EPRT |family|address|port| (listening itself when no address is given); 1.
function methods:eprt(family, address, port)
  self.pasvt = nil
  if not address then address, port = openlistener(self) end
  self.try(self.tp:command("eprt", format("|%s|%s|%d|", family, address, port)))
  self.try(self.tp:check("2.."))
  return 1
end

-- The transfer command's argument: t.argument, else the URL path without its first "/" (or "\"),
-- unescaped; "" means none.
local function transferargument(t)
  local argument = t.argument or url.unescape((gsub(t.path or "", "^[/\\]", "")))
  if argument == "" then return nil end
  return argument
end

local function opendata(self)
  self.try(self.pasvt or self.server, "need port or pasv first")
  if self.pasvt then self:pasvconnect() end
end

--- f:send{source [, command="stor", argument | path, step]}: uploads the source on a data connection; the number of bytes sent. The server's 1xx/2xx reply is checked before the data goes out.
-- LuaSocket 3.1.0 also polls the control connection at each step but looks the result up under
-- the wrong key, so it never reads it; luahttp does not poll.
function methods:send(sendt)
  opendata(self)
  self.try(self.tp:command(sendt.command or "stor", transferargument(sendt)))
  local code = self.try(self.tp:check { "2..", "1.." })
  if not self.pasvt then self:portconnect() end
  local data = self.data
  self.try(ltn12.pump.all(sendt.source, socket.sink("close-when-done", data), sendt.step or ltn12.pump.step))
  if find(code, "1..") then self.try(self.tp:check("2..")) end
  data:close()
  local _, sent = data:getstats()
  self.data = nil
  return sent
end

--- f:receive{sink [, command="retr", argument | path, step]}: downloads into the sink; 1. A 2xx reply to the command (no transfer) is given to the sink as the data.
function methods:receive(recvt)
  opendata(self)
  self.try(self.tp:command(recvt.command or "retr", transferargument(recvt)))
  local code, reply = self.try(self.tp:check { "1..", "2.." })
  if code >= 200 and code <= 299 then
    recvt.sink(reply)
    return 1
  end
  if not self.pasvt then self:portconnect() end
  self.try(ltn12.pump.all(socket.source("until-closed", self.data), recvt.sink, recvt.step or ltn12.pump.step))
  if find(code, "1..") then self.try(self.tp:check("2..")) end
  self.data:close()
  self.data = nil
  return 1
end

--- f:cwd(dir): CWD, 250 expected; 1.
function methods:cwd(dir)
  self.try(self.tp:command("cwd", dir))
  self.try(self.tp:check(250))
  return 1
end

--- f:type(t): TYPE, 200 expected; 1.
function methods:type(t)
  self.try(self.tp:command("type", t))
  self.try(self.tp:check(200))
  return 1
end

--- f:greet(): reads the greeting (a 1xx is followed by the 2xx); 1.
function methods:greet()
  local code = self.try(self.tp:check { "1..", "2.." })
  if find(code, "1..") then self.try(self.tp:check("2..")) end
  return 1
end

--- f:quit(): QUIT, 2xx expected; 1.
function methods:quit()
  self.try(self.tp:command("quit"))
  self.try(self.tp:check("2.."))
  return 1
end

--- f:close(): closes the data connection, the listener and the control connection; 1.
function methods:close()
  if self.data then self.data:close() end
  if self.server then self.server:close() end
  return self.tp:close()
end

-- Table form: fields of t win over those parsed from t.url (no defaults, so no type from ";type=").
local function withurl(t)
  if not t.url then return t end
  local parsed = url.parse(t.url)
  for k, v in pairs(t) do parsed[k] = v end
  return parsed
end

--- ftp.genericform(url): the request table the string forms use: the parsed URL (defaults path "/", scheme "ftp") with type "a" or "i" from ";type=". Try-errors "wrong scheme 'x'", "missing hostname", "invalid type 'x'".
function _M.genericform(u)
  local t = socket.try(url.parse(u, { path = "/", scheme = "ftp" }))
  socket.try(t.scheme == "ftp", "wrong scheme '" .. t.scheme .. "'")
  socket.try(t.host, "missing hostname")
  if t.params then
    t.type = match(t.params, "^type=(.)$")
    -- The message is built before the check: a ";" parameter other than type=x makes this
    -- concatenation fail with a Lua error, as in LuaSocket.
    socket.try(t.type == "a" or t.type == "i", "invalid type '" .. t.type .. "'")
  end
  return t
end

-- A whole session around one transfer: greet, login, TYPE when asked, EPSV, the transfer, QUIT.
local function session(t, transfer)
  t = withurl(t)
  socket.try(t.host, "missing hostname")
  local f = _M.open(t.host, t.port, t.create)
  f:greet()
  f:login(t.user, t.password)
  if t.type then f:type(t.type) end
  f:epsv()
  return f, transfer(f, t)
end

local function tableput(putt)
  local f, sent = session(putt, methods.send)
  f:quit()
  f:close()
  return sent
end

local function tableget(gett)
  local f = session(gett, methods.receive)
  f:quit()
  return f:close()
end

--- ftp.put(url, body) | ftp.put{host, source, …}: uploads (STOR by default); the number of bytes sent, or nil, err.
_M.put = socket.protect(function(putt, body)
  if type(putt) ~= "string" then return tableput(putt) end
  local t = _M.genericform(putt)
  t.source = ltn12.source.string(body)
  return tableput(t)
end)

--- ftp.get(url) | ftp.get{host, sink, …}: the file's contents (string form) or 1 (table form; data into the sink), or nil, err.
_M.get = socket.protect(function(gett)
  if type(gett) ~= "string" then return tableget(gett) end
  local t = _M.genericform(gett)
  local parts = {}
  t.sink = ltn12.sink.table(parts)
  tableget(t)
  return concat(parts)
end)

--- ftp.command{host, command [, argument, check, …]}: login, the command(s) (a list of commands with lists of arguments and checks), QUIT; 1 or nil, err. Try-errors "missing hostname", "missing command".
_M.command = socket.protect(function(cmdt)
  cmdt = withurl(cmdt)
  socket.try(cmdt.host, "missing hostname")
  socket.try(cmdt.command, "missing command")
  local f = _M.open(cmdt.host, cmdt.port, cmdt.create)
  f:greet()
  f:login(cmdt.user, cmdt.password)
  if type(cmdt.command) == "table" then
    local arguments, checks = cmdt.argument or {}, cmdt.check or {}
    for i, command in ipairs(cmdt.command) do
      f.try(f.tp:command(command, arguments[i]))
      if checks[i] then f.try(f.tp:check(checks[i])) end
    end
  else
    f.try(f.tp:command(cmdt.command, cmdt.argument))
    if cmdt.check then f.try(f.tp:check(cmdt.check)) end
  end
  f:quit()
  return f:close()
end)

return _M
