-- Redirects across schemes: http → https (the ctx set on the request verifies the https hop),
-- https → http (no Referer from an https page), https → https relative, and a redirect to https
-- that fails verification without the test CA.
local request = require "http.request"
local http_tls = require "http.tls"
local good, httpu, cafile = arg[6], arg[11], arg[12]
local ctx = http_tls.new_client_context()
ctx:getStore():add(cafile)
local function clean(s)
  return (s:gsub("localhost:%d+", "localhost:PORT"):gsub("localhost%%3A%d+", "localhost%%3APORT"):gsub("\n", "|"))
end
local function show(label, r)
  local h, s, errno = r:go(10)
  if not h then return print(label, h, s, errno) end
  print(label, h:get(":status"), clean(assert(s:get_body_as_string())))
end
local function enc(u) return (u:gsub("[^%w]", function(c) return ("%%%02X"):format(c:byte()) end)) end
local r = request.new_from_uri(httpu .. "/redirect-https?to=" .. enc(good .. "/echo?hop=https"))
r.ctx = ctx
show("http to https", r)
r = request.new_from_uri(httpu .. "/redirect-https?to=" .. enc(good .. "/echo?hop=noctx"))
show("http to https, default ctx", r)
r = request.new_from_uri(good .. "/redirect-http?to=" .. enc(httpu .. "/echo?hop=http"))
r.ctx = ctx
show("https to http", r)
r = request.new_from_uri(good .. "/redirect-rel")
r.ctx = ctx
show("https relative", r)
r = request.new_from_uri(httpu .. "/redirect-https?code=307&to=" .. enc(good .. "/echo?hop=307"))
r.ctx = ctx
r.headers:upsert(":method", "POST")
r:set_body("kept on 307")
show("307 post", r)
r = request.new_from_uri(httpu .. "/redirect-https?to=" .. enc(good .. "/echo?hop=off"))
r.ctx = ctx
r.follow_redirects = false
local h, s = r:go(10)
print("not followed", h:get(":status"), clean(h:get("location")), s:get_body_as_string())
local new = assert(r:handle_redirect(h))
print("handle_redirect", new.tls, new.host, new.port ~= r.port, new.ctx == ctx, clean(new:to_uri()))
show("followed by hand", new)
