-- http.request objects' methods on less common inputs (no network): clone (the fields a script set
-- are copied, class defaults stay inherited, headers independent), to_uri (OPTIONS *, an absolute
-- proxied :path, missing :scheme/:authority, userinfo from Basic credentials, the errors),
-- handle_redirect (CONNECT requests, proxied requests, query-only and fragment locations, 308 and
-- post301, userinfo, Expect removal, relative redirects without a usable base).
local request = require "http.request"
local headers = require "http.headers"
local cookie = require "http.cookie"
local function err(...)
  local ok, e = pcall(...)
  -- lua-http raises with its file and line: only the message is compared.
  return ok, (tostring(e):gsub("^.-:%d+: ", ""))
end
local function show(label, req)
  local parts = {}
  for name, value in req.headers:each() do parts[#parts + 1] = name .. "=" .. value end
  print(label, req.host, req.port, req.tls, type(req.body), table.concat(parts, " "))
end
-- clone
local r = request.new_from_uri("http://c.example/x")
r.cookie_store = cookie.new_store()
r.site_for_cookies = "c.example"
r.is_top_level = false
r.expect_100_timeout = 3
r.post301 = true
r.sendname = "sni.example"
r.version = 1.1
r.bind = "127.0.0.1"
r.proxy = false
r:set_body("payload")
local c = r:clone()
print("clone fields", c.cookie_store == r.cookie_store, c.site_for_cookies, c.is_top_level, c.expect_100_timeout, c.post301,
  c.post302, c.sendname, c.version, c.bind, c.proxy, c.body)
print("clone rawget defaults", rawget(c, "post302"), rawget(c, "follow_redirects"), rawget(c, "max_redirects"))
c.headers:upsert(":path", "/changed")
print("clone headers independent", r.headers:get(":path"), c.headers:get(":path"))
local plain = request.new_from_uri("http://c.example/"):clone()
print("clone of plain", rawget(plain, "cookie_store"), rawget(plain, "is_top_level"), plain.is_top_level, plain.cookie_store == request.methods.cookie_store)
-- to_uri
local o = request.new_from_uri("http://o.example:8080/")
o.headers:upsert(":method", "OPTIONS")
o.headers:upsert(":path", "*")
print("OPTIONS *", o:to_uri())
local p = request.new_from_uri("http://proxy.example:3128/")
p.headers:upsert(":path", "https://Target.example:443/a?b=c")
print("proxied path", p:to_uri())
local n = request.new_from_uri("https://n.example:8443/p")
n.headers:delete(":scheme")
n.headers:delete(":authority")
print("no scheme/authority", n:to_uri())
n.tls = false
print("no scheme, tls off", n:to_uri())
local u = request.new_from_uri("http://u.example/")
u.headers:upsert("authorization", "Basic dXNlcjpwYXNz")
print("basic", u:to_uri(true), u:to_uri(false), u:to_uri())
u.headers:upsert("authorization", "  basic   YSBiOmNAZA==  ")
print("basic spaced", u:to_uri(true))
u.headers:upsert("authorization", "Bearer token")
print("bearer", err(u.to_uri, u, true))
print("bearer without userinfo", u:to_uri(false))
u.headers:upsert("authorization", "Basic")
print("basic without credentials", err(u.to_uri, u, true))
local bad = request.new_from_uri("http://b.example/")
bad.headers:upsert(":path", "a b")
print("bad path", err(bad.to_uri, bad))
local conn = request.new_connect("http://user:pw@proxy.example:3128", "t.example:443")
print("connect", conn:to_uri(), conn:to_uri(true))
-- handle_redirect
local function redirect(label, req, status, location)
  local h = headers.new()
  h:append(":status", status)
  if location then h:append("location", location) end
  local new, e, errno = req:handle_redirect(h)
  if not new then return print(label, nil, e, errno) end
  show(label, new)
end
redirect("connect new host", request.new_connect("http://proxy.example:3128", "t.example:443"), "302", "http://other.example:8080")
redirect("connect path", request.new_connect("http://proxy.example:3128", "t.example:443"), "302", "http://other.example/path")
redirect("connect query", request.new_connect("http://proxy.example:3128", "t.example:443"), "302", "http://other.example?q")
redirect("connect https", request.new_connect("http://proxy.example:3128", "t.example:443"), "302", "https://other.example")
local proxied = request.new_from_uri("http://proxy.example:3128/")
proxied.headers:upsert(":path", "http://t.example/dir/page")
redirect("proxied relative", proxied, "302", "next?x=1")
redirect("proxied new host", proxied, "302", "https://u.example:444/abs")
redirect("proxied absolute path", proxied, "302", "/root")
redirect("query only", request.new_from_uri("http://q.example/a/b?old"), "302", "?new=1")
redirect("fragment", request.new_from_uri("http://q.example/a/b"), "302", "/c#frag")
redirect("empty location", request.new_from_uri("http://q.example/a/b"), "302", "")
redirect("dot segments", request.new_from_uri("http://q.example/a/b/c"), "302", "./../x/./y")
redirect("ipv6", request.new_from_uri("http://q.example/"), "302", "http://[::1]:8080/v6")
redirect("userinfo", request.new_from_uri("http://q.example/"), "302", "http://us%40er:p%3Ass@q.example/")
local post = request.new_from_uri("http://p.example/form")
post.headers:upsert(":method", "POST")
post.headers:upsert("content-type", "text/plain")
post.headers:upsert("content-language", "en")
post:set_body(string.rep("x", 2000))
redirect("POST 308", post, "308", "/kept")
redirect("POST 301", post, "301", "/get")
post.post301 = true
redirect("POST 301 post301", post, "301", "/kept")
redirect("POST 303", post, "303", "/get")
local put = request.new_from_uri("http://p.example/res")
put.headers:upsert(":method", "PUT")
put:set_body("x")
redirect("PUT 303", put, "303", "/stays-put")
local star = request.new_from_uri("http://s.example/")
star.headers:upsert(":method", "OPTIONS")
star.headers:upsert(":path", "*")
redirect("relative from *", star, "302", "rel")
local bad_base = request.new_from_uri("http://s.example/")
bad_base.headers:upsert(":path", "a b")
redirect("relative from bad path", bad_base, "302", "rel")
local https = request.new_from_uri("https://s.example/secure")
redirect("https to https keeps referer", https, "302", "https://t.example/")
redirect("https to relative", https, "302", "/same")
local refd = request.new_from_uri("https://s.example/secure")
refd.headers:append("referer", "http://old.example/")
redirect("https to http drops referer", refd, "302", "http://t.example/")
