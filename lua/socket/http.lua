-- socket.http with LuaSocket 3.1.0's observable behaviour (request forms, returns, headers, redirects,
-- errors), written for luahttp. The wire is undici's (through luahttp.core.http): connections are kept
-- alive, https works directly; what a script sees is LuaSocket's. Deliberate differences are marked.
local socket = require("socket")
local url = require("socket.url")
local ltn12 = require("ltn12")
local mime = require("mime")
local canonic = require("socket.headers").canonic
local core = require("luahttp.core.http")
local waits = require("luahttp.coroutines")

local type, pairs, tostring, tonumber = type, pairs, tostring, tonumber
local lower, format, concat = string.lower, string.format, table.concat

local _M = {}
socket.http = _M

_M.TIMEOUT = 60
_M.USERAGENT = socket._VERSION

-- LuaSocket sends these on every request; luahttp keeps connections alive instead (deliberate
-- difference, README "Porting"), so they are dropped from the wire unless the script set them.
local DEFAULT_CONNECTION, DEFAULT_TE = "close, TE", "trailers"

-- Create functions made by ssl.https (LuaSec's https.tcp): the request goes over luahttp's own TLS.
local tlscreates = setmetatable({}, { __mode = "k" })
package.loaded["luahttp.socket.tlscreates"] = tlscreates

local function nocreate()
  socket.try(nil, "luahttp: the 'create' field (a custom socket factory) is not supported; luahttp's transport is undici")
end

_M.schemes = {
  http = { port = 80, create = nocreate },
  https = { port = 443, create = nocreate },
}

-- LuaSocket's http.lua registers a chunked-transfer sink and source for raw sockets:
-- socket.sink("http-chunked", sock) / socket.source("http-chunked", sock, headers).
local endpoint = require("luahttp.socket.endpoint")

-- Header lines from sock up to the blank line, into headers (names lower-cased, a repeated name's
-- values joined with ", ", folded lines appended to the value), as LuaSocket reads trailers.
local function sockheaders(sock, headers)
  headers = headers or {}
  local line, err = sock:receive()
  if err then return nil, err end
  while line ~= "" do
    local name, value = string.match(line, "^(.-):%s*(.*)")
    if not (name and value) then return nil, "malformed reponse headers" end
    name = lower(name)
    line, err = sock:receive()
    if err then return nil, err end
    while string.find(line, "^%s") do
      value = value .. line
      line, err = sock:receive()
      if err then return nil, err end
    end
    local prev = headers[name]
    headers[name] = prev and (prev .. ", " .. value) or value
  end
  return headers
end

socket.sinkt["http-chunked"] = function(sock)
  return endpoint(sock, function(_, chunk)
    if not chunk then return sock:send("0\r\n\r\n") end
    return sock:send(format("%X\r\n", #chunk) .. chunk .. "\r\n")
  end)
end

socket.sourcet["http-chunked"] = function(sock, headers)
  return endpoint(sock, function()
    local line, err = sock:receive()
    if err then return nil, err end
    -- the size, without chunk extensions
    local size = tonumber((string.gsub(line, ";.*", "")), 16)
    if not size then return nil, "invalid chunk size" end
    if size > 0 then
      local chunk, cerr = sock:receive(size)
      if chunk then sock:receive() end -- the CRLF after the data
      return chunk, cerr
    end
    -- the last chunk (or a size below 1, as LuaSocket reads it): the trailer lines go into headers
    local ok, herr = sockheaders(sock, headers)
    if not ok then return nil, herr end
    return nil
  end)
end

--- http.open(host, port, create): LuaSocket's low-level connection object (not provided by luahttp).
function _M.open()
  error("luahttp: http.open (raw connection objects) is not supported; use http.request", 2)
end

-- Parsed request URLs, reused while url.parse is the same function: a loop over one URL parsed it
-- again per request, the largest piece of http.lua's own time in wasm.
local parsecache, parsecount, parsefn = {}, 0, nil

local function parseurl(u)
  if type(u) ~= "string" then return url.parse(u, { path = "/", scheme = "http" }) end
  if parsefn ~= url.parse then parsecache, parsecount, parsefn = {}, 0, url.parse end
  local template = parsecache[u]
  if not template then
    template = url.parse(u, { path = "/", scheme = "http" })
    if not template then return nil end
    if parsecount >= 64 then parsecache, parsecount = {}, 0 end
    parsecache[u], parsecount = template, parsecount + 1
  end
  local parsed = {}
  for k, v in pairs(template) do parsed[k] = v end
  return parsed
end

-- Default values of the parsed URL, as LuaSocket: a bare "/foo" has no host and fails later.
local function parsedurl(reqt)
  local parsed = reqt.url and parseurl(reqt.url) or {}
  for k, v in pairs(reqt) do parsed[k] = v end
  return parsed
end

-- The script's proxy (LuaSocket: reqt.proxy, then http.PROXY). An https URL goes through it with
-- CONNECT (luahttp's transport); LuaSocket 3.1.0 spoke TLS to the proxy itself, which no proxy accepts.
local function scriptproxy(nreqt)
  return nreqt.proxy or _M.PROXY
end

-- LuaSec's create (ssl.https) means TLS whatever the URL's scheme says.
local function istls(nreqt)
  return nreqt.scheme == "https" or tlscreates[nreqt.create] ~= nil
end

local function requesttarget(nreqt)
  if not scriptproxy(nreqt) or istls(nreqt) then
    return url.build {
      path = socket.try(nreqt.path, "invalid path 'nil'"),
      params = nreqt.params, query = nreqt.query, fragment = nreqt.fragment,
    }
  end
  -- Absolute form for proxies, with the port always explicit (LuaSocket 3.1.0 does the same).
  return url.build {
    scheme = nreqt.scheme, host = nreqt.host, port = nreqt.port,
    path = nreqt.path, params = nreqt.params, query = nreqt.query, fragment = nreqt.fragment,
  }
end

local function requestheaders(nreqt, schemedefs)
  local host = nreqt.host
  local port = tostring(nreqt.port)
  if port ~= tostring(schemedefs.port) then host = host .. ":" .. port end
  local h = {
    ["user-agent"] = _M.USERAGENT,
    ["host"] = host,
    ["connection"] = DEFAULT_CONNECTION,
    ["te"] = DEFAULT_TE,
  }
  -- LuaSocket unescapes the password but not the user name.
  if nreqt.user and nreqt.password then
    h["authorization"] = "Basic " .. (mime.b64(nreqt.user .. ":" .. url.unescape(nreqt.password)))
  end
  local proxy = scriptproxy(nreqt)
  if proxy and not istls(nreqt) then
    proxy = url.parse(proxy)
    if proxy.user and proxy.password then
      h["proxy-authorization"] = "Basic " .. (mime.b64(proxy.user .. ":" .. proxy.password))
    end
  end
  local userset = {}
  for name, value in pairs(nreqt.headers or {}) do
    local l = lower(name)
    h[l] = value
    userset[l] = true
  end
  return h, userset
end

local function adjustrequest(reqt)
  local nreqt = parsedurl(reqt)
  local schemedefs = _M.schemes[nreqt.scheme]
  -- Indexing first gives LuaSocket's own error for unknown schemes ("attempt to index a nil value").
  local create = schemedefs.create
  if nreqt.create and not tlscreates[nreqt.create] then create(nreqt) end
  local port, method, host = nreqt.port, nreqt.method, nreqt.host
  if not (port and port ~= "") then nreqt.port = schemedefs.port end
  if not (method and method ~= "") then nreqt.method = "GET" end
  if not (host and host ~= "") then socket.try(nil, "invalid host '" .. tostring(nreqt.host) .. "'") end
  nreqt.uri = reqt.uri or requesttarget(nreqt)
  nreqt.headers, nreqt.userheaders = requestheaders(nreqt, schemedefs)
  if nreqt.source and not nreqt.headers["content-length"] and not nreqt.headers["transfer-encoding"] then
    nreqt.headers["transfer-encoding"] = "chunked"
  end
  return nreqt
end

local function wireheaders(nreqt)
  local list, n = {}, 0
  for name, value in pairs(nreqt.headers) do
    local dropped = not nreqt.userheaders[name]
      and ((name == "connection" and value == DEFAULT_CONNECTION) or (name == "te" and value == DEFAULT_TE))
    if not dropped then
      list[n + 1] = canonic[name] or name
      list[n + 2] = "" .. value
      n = n + 2
    end
  end
  return list
end

-- Ports already checked, by host and port string: the check is a JS call, and a request loop
-- repeats the same few (failures are not kept: they raise).
local dialports, ndialports = {}, 0
local function dialport(host, port)
  local key = host .. "\0" .. port
  local p = dialports[key]
  if not p then
    p = socket.try(core.dialport(host, port))
    if ndialports >= 64 then dialports, ndialports = {}, 0 end
    dialports[key], ndialports = p, ndialports + 1
  end
  return p
end

local function origin(nreqt)
  local host = nreqt.host
  local proxy = scriptproxy(nreqt)
  local scheme, port = nreqt.scheme, nreqt.port
  if istls(nreqt) then scheme = "https" end
  if proxy and scheme ~= "https" then
    local p = url.parse(proxy, { port = 3128, scheme = "http" })
    scheme, host, port = p.scheme, p.host, p.port
  end
  -- LuaSocket connects with getaddrinfo(host, tostring(port)): service names are ports, bad ones fail here
  port = dialport(host, tostring(port))
  if host:find(":", 1, true) and not host:find("^%[") then host = "[" .. host .. "]" end
  return scheme .. "://" .. host .. ":" .. tostring(port)
end

-- LuaSec's verify field: a string or a list of flags ("none", "peer", "fail_if_no_peer_cert", …).
local function verifyflag(v)
  if v == nil then return nil end
  local none, peer = false, false
  for _, f in ipairs(type(v) == "table" and v or { v }) do
    if f == "none" then none = true elseif f == "peer" then peer = true end
  end
  if peer then return true end
  if none then return false end
  return nil
end

-- What luahttp's transport needs beyond LuaSocket's arguments (src/cores/http-core.ts, request()).
local function extras(nreqt, deadline)
  local proxy = scriptproxy(nreqt)
  local tls = istls(nreqt)
  -- Most requests have none: the core then skips reading the table (and no table is made).
  if not (deadline or proxy or tls) and nreqt.compressed == nil then return nil end
  local e = { deadline = deadline and math.max(deadline - socket.gettime(), 0.001) or nil }
  if nreqt.compressed ~= nil then e.compressed = not not nreqt.compressed end
  if proxy then
    if tls then
      local p = url.parse(proxy, { port = 3128, scheme = "http" })
      e.proxy = url.build { scheme = p.scheme, host = p.host, port = p.port, user = p.user, password = p.password }
    else
      e.proxy = false
    end
  end
  if tls then
    e.verify = verifyflag(nreqt.verify)
    e.cafile = type(nreqt.cafile) == "string" and nreqt.cafile or nil
    e.capath = type(nreqt.capath) == "string" and nreqt.capath or nil
    -- LuaSec's client certificate: PEM file names, and the key's password (a string, or a function
    -- returning it, which LuaSec hands to OpenSSL's password callback).
    e.certificate = type(nreqt.certificate) == "string" and nreqt.certificate or nil
    e.key = type(nreqt.key) == "string" and nreqt.key or nil
    local pw = nreqt.password
    if e.key and type(pw) == "function" then pw = pw() end
    e.password = e.key and type(pw) == "string" and pw or nil
  end
  if next(e) == nil then return nil end
  return e
end

local function receiveheaders(raw)
  local headers = {}
  for i = 1, #raw, 2 do
    local name, value = lower(raw[i]), raw[i + 1]
    local prev = headers[name]
    headers[name] = prev and (prev .. ", " .. value) or value
  end
  return headers
end

-- LuaSocket 3.1.0's rule, with the two fixes upstream merged later: 308 is followed, and a relative
-- Location on https is judged by the URL it resolves to (still never https -> http).
local function shouldredirect(nreqt, code, headers)
  local location = headers.location
  if not location then return false end
  location = location:gsub("%s", "")
  if location == "" then return false end
  local scheme = url.parse(location).scheme
  if scheme and not _M.schemes[scheme] then return false end
  if nreqt.scheme == "https" then
    local target = url.parse(url.absolute(nreqt.url or "", location)).scheme
    if target ~= "https" then return false end
  end
  return nreqt.redirect ~= false
    and (code == 301 or code == 302 or code == 303 or code == 307 or code == 308)
    and (not nreqt.method or nreqt.method == "GET" or nreqt.method == "HEAD")
    and (nreqt.maxredirects == false or (nreqt.nredirects or 0) < (nreqt.maxredirects or 5))
end

local function shouldreceivebody(nreqt, code)
  if nreqt.method == "HEAD" then return false end
  if code == 204 or code == 304 then return false end
  if code >= 100 and code < 200 then return false end
  return true
end

-- A core step either finishes, or returns PENDING after starting the work on the in-process host:
-- then the script yields to the driver (Node's event loop) and the step is finished by continue().
-- Steps return at most three values; no table per call, since receive runs once per 2 KiB chunk.
local PENDING, canyield, await = waits.PENDING, waits.canyield, waits.await
local wantsyield = waits.wantsyield or canyield
local function settle(h, x, y, z)
  while x == PENDING do
    if not canyield() then
      error("luahttp: a request started where the script could wait cannot be continued from here", 3)
    end
    await()
    x, y, z = core.continue(h)
  end
  return x, y, z
end
local function blocking(step, h, a, b)
  return settle(h, step(h, a, b))
end

local trequest

-- What LuaSocket's try(…) with a finalizer closing the connection does, without a closure per
-- request: drop the connection, then raise the message as a try-exception (socket.protect returns
-- nil, msg).
local function closeandraise(h, err)
  core.close(h, true)
  socket.try(nil, err)
end

-- A request left early must not keep its connection and buffered body: LuaSocket's sockets close
-- when collected, luahttp's exchanges live on the I/O side. Each request holds a guard that drops
-- its exchange when trequest is left by an error (a sink or source that raises: __close) or when
-- the coroutine running it is abandoned mid-request (its sink yielded, nobody resumes it: __gc).
-- After a finished request the exchange is already closed and the guard does nothing.
local function dropexchange(guard) core.close(guard[1], true) end
local GUARD = { __close = dropexchange, __gc = dropexchange }

local function tredirect(reqt, location, deadline)
  local newurl = url.absolute(reqt.url, location)
  -- As LuaSocket: a scheme change resets port and create in the caller's own table.
  if url.parse(newurl).scheme ~= reqt.scheme then
    reqt.port = nil
    reqt.create = nil
  end
  local result, code, headers, status = trequest({
    url = newurl,
    source = reqt.source,
    sink = reqt.sink,
    headers = reqt.headers,
    proxy = reqt.proxy,
    maxredirects = reqt.maxredirects,
    nredirects = (reqt.nredirects or 0) + 1,
    create = reqt.create,
    -- luahttp carries its extensions and the TLS settings to the next hop too (LuaSocket drops them,
    -- so an https hop fell back to LuaSec's verify = "none").
    verify = reqt.verify, cafile = reqt.cafile, capath = reqt.capath,
    certificate = reqt.certificate, key = reqt.key,
    timeout = reqt.timeout, compressed = reqt.compressed,
  }, deadline)
  headers = headers or {}
  headers.location = headers.location or location
  return result, code, headers, status
end

-- deadline: the absolute time reqt.timeout (a luahttp extension, copas's field name) ends the
-- request at, redirects included.
function trequest(reqt, deadline)
  local nreqt = adjustrequest(reqt)
  if not deadline and type(nreqt.timeout) == "number" then deadline = socket.gettime() + nreqt.timeout end
  local dial = origin(nreqt)
  -- As with LuaSec's sockets: a TLS connection waits ssl.https.TIMEOUT, not http.TIMEOUT.
  local timeout = _M.TIMEOUT
  if dial:find("^https:") then
    local https = package.loaded["ssl.https"]
    timeout = https and https.TIMEOUT or 60
  end
  local h, crowded = core.request(dial, nreqt.method, nreqt.uri, wireheaders(nreqt),
    nreqt.source ~= nil, timeout, wantsyield(), extras(nreqt, deadline))
  local guard <close> = setmetatable({ h }, GUARD)
  -- Many exchanges open at once: collect abandoned coroutines now, whose guards release theirs (their
  -- bodies are held outside Lua's heap, so the collector would not hurry on its own).
  if crowded then collectgarbage() end
  local step = nreqt.step or ltn12.pump.step
  if nreqt.source then
    local ok, err = ltn12.pump.all(nreqt.source, function(chunk)
      if chunk then return blocking(core.send, h, chunk) end
      return 1
    end, step)
    if not ok then closeandraise(h, err) end
  end
  local code, status, raw = blocking(core.receivehead, h)
  if not code then closeandraise(h, status) end
  local headers = receiveheaders(raw)
  if not nreqt.source and shouldredirect(nreqt, code, headers) then
    core.close(h)
    return tredirect(reqt, headers.location, deadline)
  end
  if shouldreceivebody(nreqt, code) then
    -- LuaSocket's body framing decides how the sink is fed (socket.source's three modes).
    local length = tonumber(headers["content-length"])
    local te = headers["transfer-encoding"]
    -- 1 = by-length, 2 = until-closed, 3 = http-chunked (the numbers core.receive expects)
    local mode = (te and te ~= "identity") and 3 or (length and 1 or 2)
    local receive = core.receive
    -- Runs once per 2 KiB chunk: the usual answer (bytes at hand) skips the waiting machinery.
    local function source()
      local x, y = receive(h, mode, length)
      if x == PENDING then return settle(h, x, y) end
      return x, y
    end
    local ok, err = ltn12.pump.all(source, nreqt.sink or ltn12.sink.null(), step)
    if not ok then closeandraise(h, err) end
  end
  core.close(h)
  return 1, code, headers, status
end

--- http.genericform(url, body): the request table the simple form builds (LuaSocket's helper).
function _M.genericform(u, b)
  local t = {}
  local reqt = { url = u, sink = ltn12.sink.table(t), target = t }
  if b then
    reqt.source = ltn12.source.string(b)
    reqt.headers = {
      ["content-length"] = string.len(b),
      ["content-type"] = "application/x-www-form-urlencoded",
    }
    reqt.method = "POST"
  end
  return reqt
end

local function srequest(u, b)
  local reqt = _M.genericform(u, b)
  local code, headers, status = socket.skip(1, trequest(reqt))
  return concat(reqt.target), code, headers, status
end

--- http.request(url [, body]) | http.request(reqt): LuaSocket's two forms; failures are nil, message.
_M.request = socket.protect(function(reqt, body)
  if type(reqt) == "string" then return srequest(reqt, body) end
  return trequest(reqt)
end)

return _M
