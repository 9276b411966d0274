-- ssl.https with LuaSec 1.2.0's API (request forms, returns, module fields, the mutation of the
-- caller's table), over socket.http and luahttp's transport: TLS is Node's, and it verifies the peer
-- and host name unless the request says verify = "none" (LuaSec's default is "none").
-- Deliberate differences (README, "Porting from LuaSocket/LuaSec"): `proxy` is supported (CONNECT) instead of refused, a
-- truthy `redirect` is accepted instead of refused, and `verify` is not filled in with "none".
local socket = require("socket")
local ltn12 = require("ltn12")
local http = require("socket.http")
local url = require("socket.url")
local tlscreates = require("luahttp.socket.tlscreates")
local ssl = require("ssl")

local _M = {
  _VERSION = "1.2.0",
  _COPYRIGHT = "LuaSec 1.2.0 - Copyright (C) 2009-2022 PUC-Rio",
  PORT = 443,
  TIMEOUT = 60,
}

-- LuaSec's defaults, written into the caller's table as LuaSec does; `verify` is left out on purpose.
local cfg = {
  protocol = "any",
  options = { "all", "no_sslv2", "no_sslv3", "no_tlsv1" },
}

local function default_https_port(u)
  return url.build(url.parse(u, { port = _M.PORT }))
end

local function urlstring_totable(u, body, result_table)
  local reqt = {
    url = default_https_port(u),
    method = body and "POST" or "GET",
    sink = ltn12.sink.table(result_table),
  }
  if body then
    reqt.source = ltn12.source.string(body)
    reqt.headers = {
      ["content-length"] = #body,
      ["content-type"] = "application/x-www-form-urlencoded",
    }
  end
  return reqt
end

-- Calls on the object go to the socket it holds (LuaSec copies the methods of the wrapped
-- connection's class into it instead).
local function forward(conn, sock)
  return setmetatable(conn, { __index = function(_, name)
    local f = sock[name]
    if type(f) == "function" then return function(_, ...) return f(sock, ...) end end
    return f
  end })
end

--- https.tcp(params): LuaSec's create function. socket.http recognises it and sends the request
--- through luahttp's transport; called directly, it makes what LuaSec's makes: an object whose
--- connect(host, port) connects, ssl.wrap()s with params, sends host as SNI and does the handshake
--- (failures raise socket.try errors), and whose settimeout always applies ssl.https.TIMEOUT.
function _M.tcp(params)
  params = params or {}
  for k, v in pairs(cfg) do
    if params[k] == nil then params[k] = v end
  end
  params.mode = "client"
  local create = function()
    local sock = socket.try(socket.tcp())
    local conn = {}
    function conn:settimeout() return sock:settimeout(_M.TIMEOUT) end
    function conn:connect(host, port)
      socket.try(sock:connect(host, port))
      sock = socket.try(ssl.wrap(sock, params))
      sock:sni(host)
      sock:settimeout(_M.TIMEOUT)
      socket.try(sock:dohandshake())
      forward(self, sock)
      return 1
    end
    return forward(conn, sock)
  end
  tlscreates[create] = true
  return create
end

--- https.request(url [, body]) | https.request(reqt): LuaSec's forms; errors from socket.http come
--- back as 4 values (nil, err, nil, nil), LuaSec's own refusal as 2.
function _M.request(reqt, body)
  local result_table = {}
  local stringrequest = type(reqt) == "string"
  if stringrequest then
    reqt = urlstring_totable(reqt, body, result_table)
  else
    reqt.url = default_https_port(reqt.url)
  end
  if reqt.create then
    return nil, "create function not permitted"
  end
  reqt.create = _M.tcp(reqt)
  local res, code, headers, status = http.request(reqt)
  if res and stringrequest then
    return table.concat(result_table), code, headers, status
  end
  return res, code, headers, status
end

return _M
