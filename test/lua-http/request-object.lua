-- http.request objects without the network: new_from_uri's fields and pseudo-headers, URI
-- normalisation, userinfo, errors, set_body, clone, to_uri, new_connect, handle_redirect.
local request = require "http.request"
local function show(req)
  print("fields", req.host, math.type(req.port), req.port, req.tls, req.body, req.version)
  for name, value, never_index in req.headers:each() do print("", name, value, never_index) end
end
local function err(...)
  local ok, e = pcall(...)
  -- lua-http raises with its file and line: only the message is compared.
  return ok, (tostring(e):gsub("^.-:%d+: ", ""))
end
show(request.new_from_uri("http://example.com"))
show(request.new_from_uri("https://Example.COM:8443/A%41b/%7e%2f?q=%41%20#frag"))
show(request.new_from_uri("http://user:p%40ss@127.0.0.1:80/x"))
show(request.new_from_uri("ws://h/chat"))
show(request.new_from_uri("wss://h:443"))
show(request.new_from_uri("http://h:/p"))
show(request.new_from_uri("http://[::1]:8080/v6"))
show(request.new_from_uri("http://010.1.2.3/"))
show(request.new_from_uri({ scheme = "http", host = "t.example", port = 81, path = "/tbl", query = "a=1" }))
for _, u in ipairs { "nope", "ftp://h/", "http:///p", "http://a b/", "http://h/%zz", "http://h/é", "http:/p", "" } do
  print("new_from_uri", u, err(request.new_from_uri, u))
end
local req = request.new_from_uri("http://127.0.0.1/")
print("defaults", req.follow_redirects, req.max_redirects, req.expect_100_timeout, req.post301, req.post302, req.is_top_level)
print("own fields", rawget(req, "follow_redirects"), rawget(req, "max_redirects"))
print("set_body", req:set_body("hello"), req.body, req.headers:get("content-length"), req.headers:has("expect"))
print("set_body big", req:set_body(string.rep("x", 1025)), req.headers:get("content-length"), req.headers:get("expect"))
local req2 = request.new_from_uri("http://127.0.0.1/")
req2:set_body(function() end)
print("set_body fn", req2.headers:has("content-length"), req2.headers:get("expect"))
req2.headers:upsert("user-agent", "mine")
req2.follow_redirects = false
local c = req2:clone()
print("clone", c.host, c.port, c.tls, type(c.body), c.follow_redirects, rawget(c, "follow_redirects"), c.headers:get("user-agent"), c.headers ~= req2.headers)
local u = request.new_from_uri("http://us%65r:p%40ss@H.example:8080/p/a?x=1")
print("to_uri", u:to_uri(), u:to_uri(false), u:to_uri(true))
print("to_uri https", request.new_from_uri("https://h:443/").to_uri(request.new_from_uri("https://h:443/")))
local conn = request.new_connect("http://proxy.example:3128", "target.example:443")
show(conn)
print("connect uri", conn:to_uri())
print("tostring", tostring(req):match("^http%.request: ") ~= nil, getmetatable(req) == request.mt, request.methods.go ~= nil)
-- handle_redirect builds the next request without sending anything.
local headers = require "http.headers"
local function redirect(from, status, location, method)
  local r = request.new_from_uri(from)
  if method then r.headers:upsert(":method", method); r:set_body("data") end
  local h = headers.new()
  h:append(":status", status)
  if location then h:append("location", location) end
  local n, e, errno = r:handle_redirect(h)
  if not n then return print("redirect", from, status, location, n, e, errno) end
  print("redirect", from, status, location, n.host, n.port, n.tls, n.max_redirects, type(n.body))
  for name, value in n.headers:each() do print("", name, value) end
end
redirect("http://a.example/x/y?q", "302", "z")
redirect("http://a.example/x/y", "301", "../up?k=v")
redirect("http://a.example/x/y", "302", "https://b.example/secure")
redirect("https://a.example/x", "302", "http://c.example:8080/plain")
redirect("http://a.example/x", "302", "//d.example/net")
redirect("http://a.example/x", "303", "/see", "POST")
redirect("http://a.example/x", "307", "/keep", "POST")
redirect("http://a.example/x", "302", "ftp://x/")
redirect("http://a.example/x", "302", nil)
redirect("http://a.example/x", "302", "http://a b")
redirect("http://a.example/x", "302", "http://u:pw@e.example/")
local r0 = request.new_from_uri("http://a.example/")
r0.max_redirects = 0
local h = headers.new(); h:append(":status", "302"); h:append("location", "/x")
print("redirect at max", r0:handle_redirect(h))
