-- Where an http.request goes on luahttp's HTTP core: the server's origin and the request target,
-- or through a proxy as lua-http chooses and uses one (req.proxy, else req.proxies from the
-- environment): an http URL in absolute form to the proxy, an https one tunnelled with CONNECT (by
-- the core); plus the core's TLS settings from req.ctx.
local tls = require("http.tls")
local uri = require("luahttp.http.uri")
local mime = require("mime")

local assert, error, type, tostring, getmetatable = assert, error, type, tostring, getmetatable

local function origin(scheme, host, port)
  if host:find(":", 1, true) then host = "[" .. host .. "]" end
  return scheme .. "://" .. host .. ":" .. tostring(port)
end

--- route(req, headers) → origin, target, core extras, headers to send
local function route(req, headers)
  local target = headers:get(":path") or "/"
  local extras = req.tls and tls.coreoptions(req.ctx) or {}
  local proxy = req.proxy
  if proxy == nil and req.proxies then proxy = req.proxies:choose(req.tls and "https" or "http", req.host) end
  -- luahttp's own *_proxy handling stays out: lua-http decided above.
  extras.proxy = false
  if not proxy then return origin(req.tls and "https" or "http", req.host, req.port), target, extras, headers end
  if type(proxy) == "string" then
    proxy = assert(uri.parse(proxy), "invalid proxy URI")
  else
    assert(type(proxy) == "table" and getmetatable(proxy) == nil and proxy.scheme, "invalid proxy URI")
  end
  local scheme = proxy.scheme
  if scheme ~= "http" and scheme ~= "https" then error(("unsupported proxy type (%s)"):format(scheme), 4) end
  local phost = assert(proxy.host, "proxy is missing host")
  local pport = proxy.port or (scheme == "https" and 443 or 80)
  if req.tls then
    local userinfo = proxy.userinfo and (proxy.userinfo .. "@") or ""
    local host = phost:find(":", 1, true) and "[" .. phost .. "]" or phost
    extras.proxy = scheme .. "://" .. userinfo .. host .. ":" .. tostring(pport)
    return origin("https", req.host, req.port), target, extras, headers
  end
  -- As lua-http, the headers sent carry the absolute target as :path (go() gives them to the cookie
  -- store, whose default cookie path then is "/"); the wire head has no pseudo-headers.
  local absolute = req:to_uri(false)
  headers = headers:clone()
  headers:upsert(":path", absolute)
  if proxy.userinfo then
    headers:upsert("proxy-authorization", "basic " .. (mime.b64(proxy.userinfo)), true)
  end
  return origin(scheme, phost, pport), absolute, extras, headers
end

return route
