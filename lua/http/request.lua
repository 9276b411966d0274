-- http.request with lua-http 0.4's observable client behaviour, written for luahttp: a request object
-- (host, port, tls, an http.headers with the pseudo-headers :method/:authority/:path/:scheme, a body)
-- whose go() runs the exchange on luahttp's HTTP core (undici, the same core as socket.http) and
-- answers the response headers (":status" a string) and a stream to read the body from.
local new_headers = require("http.headers").new
local new_cookie_store = require("http.cookie").new_store
local util = require("http.util")
local version = require("http.version")
local stream_mt = require("luahttp.http.stream")
local uri = require("luahttp.http.uri")
local mime = require("mime")

local setmetatable, rawget, type, tostring, assert, format = setmetatable, rawget, type, tostring, assert, string.format

local DEFAULT_USER_AGENT = format("%s/%s", version.name, version.version)

-- errno values as lua-http returns them (cqueues.errno on Linux).
local EINVAL, ELOOP = 22, 40

local methods = {
  -- One cookie store shared by every request that has none of its own (as lua-http's default store).
  cookie_store = new_cookie_store(),
  -- Proxies from the environment, read once as lua-http does when it loads.
  proxies = require("http.proxies").new():update(),
  is_top_level = true,
  expect_100_timeout = 1,
  follow_redirects = true,
  max_redirects = 5,
  post301 = false,
  post302 = false,
}
local mt = { __name = "http.request", __index = methods }

local function basic(userinfo)
  return "basic " .. (mime.b64(userinfo))
end

local function new_from_uri(u, headers)
  local t
  if type(u) == "string" then
    t = assert(uri.parse(u), "invalid URI")
  else
    assert(type(u) == "table")
    t = u
  end
  local scheme = assert(t.scheme, "URI missing scheme")
  assert(scheme == "https" or scheme == "http" or scheme == "ws" or scheme == "wss", "scheme not valid")
  local host = assert(t.host, "URI must include a host")
  local port = t.port or util.scheme_to_port[scheme]
  local connect
  if headers == nil then
    headers = new_headers()
    headers:append(":method", "GET")
    connect = false
  else
    connect = headers:get(":method") == "CONNECT"
  end
  if connect then
    assert(t.path == nil or t.path == "", "CONNECT requests cannot have a path")
    assert(t.query == nil, "CONNECT requests cannot have a query")
    assert(headers:has(":authority"), ":authority required for CONNECT requests")
  else
    headers:upsert(":authority", util.to_authority(host, port, scheme))
    local path = t.path
    if path == nil or path == "" then path = "/" end
    if t.query then path = path .. "?" .. t.query end
    headers:upsert(":path", path)
    -- A websocket URI's request goes over HTTP(S).
    if scheme == "wss" then scheme = "https" elseif scheme == "ws" then scheme = "http" end
    headers:upsert(":scheme", scheme)
  end
  if t.userinfo then
    -- As lua-http (and curl): the userinfo is percent-decoded before it is encoded.
    headers:upsert(connect and "proxy-authorization" or "authorization", basic(util.decodeURIComponent(t.userinfo)), true)
  end
  if not headers:has("user-agent") then headers:append("user-agent", DEFAULT_USER_AGENT) end
  return setmetatable({ host = host, port = port, tls = scheme == "https", headers = headers }, mt)
end

local function new_connect(u, authority)
  local headers = new_headers()
  headers:append(":authority", authority)
  headers:append(":method", "CONNECT")
  return new_from_uri(u, headers)
end

-- Settings a script set on this request (not the class defaults) are copied.
local OWN = { "cookie_store", "proxies", "is_top_level", "site_for_cookies", "expect_100_timeout", "follow_redirects", "max_redirects", "post301", "post302" }

function methods:clone()
  local c = setmetatable({
    host = self.host, port = self.port, bind = self.bind, tls = self.tls, ctx = self.ctx,
    sendname = self.sendname, version = self.version, proxy = self.proxy,
    headers = self.headers:clone(), body = self.body,
  }, mt)
  for _, k in ipairs(OWN) do c[k] = rawget(self, k) end
  return c
end

function methods:to_uri(with_userinfo)
  local h = self.headers
  local scheme, method = h:get(":scheme"), h:get(":method")
  if scheme == nil then scheme = self.tls and "https" or "http" end
  local path, authority, field
  if method == "CONNECT" then
    field, path = "proxy-authorization", ""
  else
    field = "authorization"
    path = h:get(":path")
    local target
    if method == "OPTIONS" and path == "*" then
      path = ""
    else
      target = assert(uri.parse_reference(path), "path not a valid uri reference")
    end
    if target and target.host then
      -- An absolute target: the request goes through a proxy.
      scheme = target.scheme or scheme
      path = (target.path or "") .. (target.query and "?" .. target.query or "")
      authority = util.to_authority(target.host, target.port, scheme)
    else
      authority = h:get(":authority")
    end
  end
  if authority == nil then authority = util.to_authority(self.host, self.port, scheme) end
  if with_userinfo and h:has(field) then
    local kind, cred = h:get(field):match("^%s*(%S+)%s+(%S+)%s*$")
    if not (kind and kind:lower() == "basic") then error("authorization cannot be converted to uri") end
    authority = util.encodeURI((mime.unb64(cred))) .. "@" .. authority
  end
  return scheme .. "://" .. authority .. path
end

-- Headers a body-less GET (after a 301/302/303 to a POST) has no use for.
local BODY_HEADERS = { "transfer-encoding", "content-length", "content-encoding", "content-language", "content-location", "content-type" }

function methods:handle_redirect(orig)
  local left = self.max_redirects
  if left <= 0 then return nil, "maximum redirects exceeded", ELOOP end
  local location = orig:get("location")
  if not location then return nil, "missing location header for redirect", EINVAL end
  local t = uri.parse_reference(location)
  if not t then return nil, "invalid URI in location header", EINVAL end
  local new = self:clone()
  new.max_redirects = left - 1
  local h = new.headers
  local method = h:get(":method")
  local connect = method == "CONNECT"
  local scheme = t.scheme
  if scheme then
    if not connect then h:upsert(":scheme", scheme) end
    if scheme == "https" then new.tls = true
    elseif scheme == "http" then new.tls = false
    else return nil, "unknown scheme", EINVAL end
  else
    if not connect then scheme = h:get(":scheme") end
    if scheme == nil then scheme = self.tls and "https" or "http" end
  end
  local base, prefix
  if not connect then
    base = uri.parse_reference(self.headers:get(":path"))
    if base and base.host then
      -- The original target was absolute (proxied): so is the new one.
      local authority
      if t.host then
        authority = util.to_authority(t.host, t.port, scheme)
        h:upsert(":authority", authority)
      else
        authority = self.headers:get(":authority")
      end
      if authority == nil then authority = util.to_authority(self.host, self.port, scheme) end
      prefix = scheme .. "://" .. authority
    end
  end
  if prefix == nil and t.host then
    new.host = t.host
    if not connect then h:upsert(":authority", util.to_authority(t.host, t.port, scheme)) end
    new.port = t.port or util.scheme_to_port[scheme]
    new.sendname = nil
  end
  if connect then
    if t.path ~= nil and t.path ~= "" then return nil, "CONNECT requests cannot have a path", EINVAL end
    if t.query ~= nil then return nil, "CONNECT requests cannot have a query", EINVAL end
  else
    local path = t.path
    if path == nil or path == "" then
      path = "/"
    elseif path:sub(1, 1) ~= "/" then
      if not base then return nil, "base path not valid for relative redirect", EINVAL end
      path = util.resolve_relative_path(base.path or "/", path)
    end
    if t.query then path = path .. "?" .. t.query end
    h:upsert(":path", (prefix or "") .. path)
  end
  if t.userinfo then
    h:upsert(connect and "proxy-authorization" or "authorization", basic(t.userinfo), true)
  end
  -- RFC 7231 5.5.2: no Referer from an https page to an http one.
  if self.tls and not new.tls then
    h:delete("referer")
  else
    h:upsert("referer", self:to_uri(false))
  end
  local status = orig:get(":status")
  if method == "POST" and (status == "303" or (status == "301" and not self.post301) or (status == "302" and not self.post302)) then
    h:upsert(":method", "GET")
    for _, name in ipairs(BODY_HEADERS) do h:delete(name) end
    local expect = h:get("expect")
    if expect and expect:lower() == "100-continue" then h:delete("expect") end
    new.body = nil
  end
  return new
end

function methods:set_body(body)
  self.body = body
  local length = type(body) == "string" and #body or nil
  if length then self.headers:upsert("content-length", format("%d", length)) end
  -- lua-http waits for "100 Continue" before a large or unsized body; luahttp's transport (undici)
  -- sends the body at once and drops this header (README "lua-http scripts").
  if not length or length > 1024 then self.headers:append("expect", "100-continue") end
  return true
end

function methods:go(timeout)
  local deadline = timeout and (stream_mt.now() + timeout)
  local sent = self.headers
  local store = self.cookie_store
  if store then
    local cookies = store:lookup_for_request(sent, self.host, self.site_for_cookies, self.is_top_level)
    if cookies ~= "" then
      -- Appended to a copy: the request object keeps the headers the script gave it (and its own "cookie").
      sent = sent:clone()
      sent:append("cookie", cookies)
    end
  end
  local headers, stream, routed = stream_mt.exchange(self, timeout, sent)
  if not headers then return nil, stream, routed end
  if store then store:store_from_request(routed, headers, self.host, self.site_for_cookies) end
  if self.follow_redirects and headers:get(":status"):sub(1, 1) == "3" then
    stream:shutdown()
    local new, err, errno2 = self:handle_redirect(headers)
    if not new then return nil, err, errno2 end
    return new:go(deadline and math.max(deadline - stream_mt.now(), 0))
  end
  return headers, stream
end

return {
  new_from_uri = new_from_uri,
  new_connect = new_connect,
  methods = methods,
  mt = mt,
}
