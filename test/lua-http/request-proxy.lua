-- Proxies as lua-http uses them: req.proxy (an http URL goes to the proxy in absolute form, an https
-- one through a CONNECT tunnel; userinfo becomes Proxy-Authorization), req.proxy = false, a proxy
-- that refuses connections (proof the request went there), http.proxies (choose by scheme,
-- no_proxy suffixes) and req.proxies, which clone() keeps.
local request = require "http.request"
local http_tls = require "http.tls"
local proxies = require "http.proxies"
local good, httpu, cafile, proxy, closed = arg[6], arg[11], arg[12], arg[14], arg[3]
local ctx = http_tls.new_client_context()
ctx:getStore():add(cafile)
local function show(label, r)
  local h, s, errno = r:go(10)
  if not h then return print(label, h, s, errno) end
  local body = assert(s:get_body_as_string())
  print(label, h:get(":status"), (body:gsub("localhost:%d+", "localhost:PORT"):gsub("\n", "|")))
end
local r = request.new_from_uri(httpu .. "/echo?via=proxy")
r.proxy = proxy
show("http via proxy", r)
r = request.new_from_uri(good .. "/echo?via=connect")
r.proxy = proxy
r.ctx = ctx
show("https via proxy", r)
r = request.new_from_uri(httpu .. "/echo?via=userinfo")
r.proxy = proxy:gsub("http://", "http://u:p@")
show("userinfo", r)
r = request.new_from_uri(httpu .. "/echo?via=none")
r.proxy = false
show("proxy false", r)
r = request.new_from_uri(httpu .. "/echo?via=closed")
r.proxy = closed
show("http, proxy refuses", r)
r = request.new_from_uri(good .. "/echo?via=closed")
r.proxy = closed
r.ctx = ctx
show("https, proxy refuses", r)
local env = { http_proxy = "http://hp", HTTPS_PROXY = "http://sp", ALL_PROXY = "http://ap", no_proxy = ".example.com,localhost" }
local p = proxies.new():update(function(name) return env[name] end)
print("choose", p:choose("http", "a.b"), p:choose("https", "a.b"), p:choose("ftp", "a.b"))
print("no_proxy", p:choose("http", "www.example.com"), p:choose("http", "localhost"), p:choose("http", "example.com"), p:choose("http", "notexample.com"))
print("star", proxies.new():update(function(n) if n == "no_proxy" then return "*" end if n == "all_proxy" then return "http://x" end end):choose("http", "h"))
print("cgi", proxies.new():update(function(n) return ({ GATEWAY_INTERFACE = "CGI/1.1", http_proxy = "http://evil", CGI_HTTP_PROXY = "http://cgi" })[n] end):choose("http", "h"))
print("default object", getmetatable(request.new_from_uri(httpu).proxies) == proxies.mt)
r = request.new_from_uri(httpu .. "/echo?via=proxies")
r.proxies = proxies.new():update(function(name) if name == "http_proxy" then return closed end end)
show("req.proxies", r)
print("clone keeps proxies", r:clone().proxies == r.proxies)
