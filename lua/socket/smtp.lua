-- socket.smtp: SMTP client with LuaSocket 3.1.0's observable behaviour (the commands and bytes on the
-- wire, return values, error strings, the message source and its MIME layout), written for luahttp
-- over socket.tp.
local socket = require("socket")
local tp = require("socket.tp")
local ltn12 = require("ltn12")
local mime = require("mime")
local canonic = require("socket.headers").canonic

local type, pairs, ipairs, setmetatable = type, pairs, ipairs, setmetatable
local find, lower, format = string.find, string.lower, string.format
-- Functions looked up at each use, as LuaSocket does: a script that pins os.date or seeds
-- math.random gets the same boundaries and Date header from both implementations.
local os, math, coroutine = os, math, coroutine

local _M = {}
socket.smtp = _M

_M.TIMEOUT = 60
_M.SERVER = "localhost"
_M.PORT = 25
-- The EHLO argument: the CGI server name when there is one.
_M.DOMAIN = os.getenv("SERVER_NAME") or "localhost"
-- The Date header's zone: "-0000" means "local zone unknown" (RFC 5322).
_M.ZONE = "-0000"

local methods = {}
local metat = { __index = methods }

--- s:greet([domain]): reads the greeting, sends EHLO domain (default smtp.DOMAIN); the EHLO reply text (its extension list).
function methods:greet(domain)
  self.try(self.tp:check("2.."))
  self.try(self.tp:command("EHLO", domain or _M.DOMAIN))
  local _, reply = self.try(self.tp:check("2.."))
  return reply
end

--- s:mail(from): MAIL FROM:<from as given>; code, reply.
function methods:mail(from)
  self.try(self.tp:command("MAIL", "FROM:" .. from))
  return self.try(self.tp:check("2.."))
end

--- s:rcpt(to): RCPT TO:<to as given>; code, reply.
function methods:rcpt(to)
  self.try(self.tp:command("RCPT", "TO:" .. to))
  return self.try(self.tp:check("2.."))
end

--- s:data(src [, step]): DATA, the source's bytes as they come (no stuffing here), then CRLF.CRLF; code, reply.
function methods:data(src, step)
  self.try(self.tp:command("DATA"))
  self.try(self.tp:check("3.."))
  self.try(self.tp:source(src, step))
  self.try(self.tp:send("\r\n.\r\n"))
  return self.try(self.tp:check("2.."))
end

--- s:quit(): QUIT; code, reply.
function methods:quit()
  self.try(self.tp:command("QUIT"))
  return self.try(self.tp:check("2.."))
end

--- s:close(): closes the connection; 1.
function methods:close()
  return self.tp:close()
end

--- s:login(user, password): AUTH LOGIN, then user and password base64-encoded on lines of their own.
function methods:login(user, password)
  self.try(self.tp:command("AUTH", "LOGIN"))
  self.try(self.tp:check("3.."))
  self.try(self.tp:send((mime.b64(user)) .. "\r\n"))
  self.try(self.tp:check("3.."))
  self.try(self.tp:send((mime.b64(password)) .. "\r\n"))
  return self.try(self.tp:check("2.."))
end

--- s:plain(user, password): AUTH PLAIN with base64("\0user\0password") on the same line.
function methods:plain(user, password)
  local token = mime.b64("\0" .. user .. "\0" .. password)
  self.try(self.tp:command("AUTH", "PLAIN " .. token))
  return self.try(self.tp:check("2.."))
end

--- s:auth(user, password, ext): nothing to do (1) without both credentials; else LOGIN when the EHLO reply advertises it on an AUTH line, then PLAIN, else the try-error "authentication not supported".
function methods:auth(user, password, ext)
  if not (user and password) then return 1 end
  if find(ext, "AUTH[^\n]+LOGIN") then return self:login(user, password) end
  if find(ext, "AUTH[^\n]+PLAIN") then return self:plain(user, password) end
  self.try(nil, "authentication not supported")
end

--- s:send(mailt): MAIL, one RCPT per recipient (rcpt: string or list), DATA from mailt.source dot-stuffed.
function methods:send(mailt)
  self:mail(mailt.from)
  local rcpt = mailt.rcpt
  if type(rcpt) == "table" then
    for _, to in ipairs(rcpt) do self:rcpt(to) end
  else
    self:rcpt(rcpt)
  end
  self:data(ltn12.source.chain(mailt.source, mime.stuff()), mailt.step)
end

--- smtp.open([server [, port [, create]]]): connected session object (defaults smtp.SERVER, smtp.PORT); a try-error if the connection fails. Every later failure closes it.
function _M.open(server, port, create)
  local conn = socket.try(tp.connect(server or _M.SERVER, port or _M.PORT, _M.TIMEOUT, create))
  local session = setmetatable({ tp = conn }, metat)
  session.try = socket.newtry(function() session:close() end)
  return session
end

-- Header names folded to lower case (later duplicates win, as pairs visits them).
local function lowerkeys(headers)
  local out = {}
  for name, value in pairs(headers or out) do out[lower(name)] = value end
  return out
end

-- Boundaries: the local time, a random number and a per-process sequence number.
local boundaries = 0
local function newboundary()
  boundaries = boundaries + 1
  return format("%s%05d==%05u", os.date("%d%m%Y%H%M%S"), math.random(0, 99999), boundaries)
end

-- A header block is yielded as one chunk: each field in canonical spelling when socket.headers
-- knows it, in reverse visiting order (LuaSocket prepends), then the blank line.
local function yield(...) return coroutine.yield(...) end

local function yieldheaders(headers)
  local block = "\r\n"
  for name, value in pairs(headers) do
    block = (canonic[name] or name) .. ": " .. value .. "\r\n" .. block
  end
  yield(block)
end

local yieldmessage

local function yieldmultipart(mesgt)
  local boundary = newboundary()
  local headers = lowerkeys(mesgt.headers or {})
  headers["content-type"] = (headers["content-type"] or "multipart/mixed") .. '; boundary="' .. boundary .. '"'
  yieldheaders(headers)
  local body = mesgt.body
  if body.preamble then
    yield(body.preamble)
    yield("\r\n")
  end
  for _, part in ipairs(body) do
    yield("\r\n--" .. boundary .. "\r\n")
    yieldmessage(part)
  end
  yield("\r\n--" .. boundary .. "--\r\n\r\n")
  if body.epilogue then
    yield(body.epilogue)
    yield("\r\n")
  end
end

local function yieldsimpleheaders(mesgt)
  local headers = lowerkeys(mesgt.headers or {})
  headers["content-type"] = headers["content-type"] or 'text/plain; charset="iso-8859-1"'
  yieldheaders(headers)
end

-- A body source's errors are passed on as nil, err; reading goes on if the consumer asks again.
local function yieldsource(mesgt)
  yieldsimpleheaders(mesgt)
  local body = mesgt.body
  while true do
    local chunk, err = body()
    if err then
      yield(nil, err)
    elseif chunk then
      yield(chunk)
    else
      return
    end
  end
end

function yieldmessage(mesgt)
  local kind = type(mesgt.body)
  if kind == "table" then return yieldmultipart(mesgt) end
  if kind == "function" then return yieldsource(mesgt) end
  yieldsimpleheaders(mesgt)
  yield(mesgt.body)
end

--- smtp.message(mesgt): ltn12 source of the message {headers, body [, zone]}; body is a string, a source, or a multipart table {preamble, epilogue, part, …}. Sets mesgt.headers to the lower-cased headers plus Date, X-Mailer and MIME-Version 1.0. After the end, the source answers nil, "cannot resume dead coroutine" (LuaSocket's coroutine shows through).
function _M.message(mesgt)
  local headers = lowerkeys(mesgt.headers)
  headers["date"] = headers["date"] or (os.date("!%a, %d %b %Y %H:%M:%S ") .. (mesgt.zone or _M.ZONE))
  headers["x-mailer"] = headers["x-mailer"] or socket._VERSION
  headers["mime-version"] = "1.0"
  mesgt.headers = headers
  local producer = coroutine.create(function() yieldmessage(mesgt) end)
  return function()
    local ok, chunk, err = coroutine.resume(producer)
    if not ok then return nil, chunk end
    return chunk, err
  end
end

--- smtp.send{from, rcpt, source [, user, password, server, port, domain, step, create]}: one whole session (EHLO, AUTH if credentials, MAIL, RCPT…, DATA, QUIT); 1 or nil, err.
_M.send = socket.protect(function(mailt)
  local session = _M.open(mailt.server, mailt.port, mailt.create)
  local ext = session:greet(mailt.domain)
  session:auth(mailt.user, mailt.password, ext)
  session:send(mailt)
  session:quit()
  return session:close()
end)

return _M
