-- http.request over TLS: lua-http's default context verifies against the system's CAs (the test CA
-- is not one of them); a context trusting the test CA file is set as
-- req.ctx; VERIFY_NONE accepts any certificate; the context travels with clone().
-- Ports of "localhost" URLs change every run: they are not printed.
local request = require "http.request"
local http_tls = require "http.tls"
local openssl_ctx = require "openssl.ssl.context"
local good, other, cafile = arg[6], arg[7], arg[12]
local function show(label, r)
  local h, s, errno = r:go(10)
  if not h then return print(label, h, s, errno) end
  local body = assert(s:get_body_as_string())
  print(label, h:get(":status"), (body:gsub("localhost:%d+", "localhost:PORT"):gsub("\n", "|")))
end
print("fields", http_tls.has_alpn, http_tls.has_hostname_validation)
print("flags", openssl_ctx.VERIFY_NONE, openssl_ctx.VERIFY_PEER, openssl_ctx.VERIFY_FAIL_IF_NO_PEER_CERT, openssl_ctx.VERIFY_CLIENT_ONCE)
local r = request.new_from_uri(good .. "/echo?n=1")
print("tls", r.tls, r.port ~= 443, r.headers:get(":scheme"), r.ctx)
show("default ctx", r)
local ctx = http_tls.new_client_context()
print("client ctx verify", ctx:getVerify())
ctx:getStore():add(cafile)
r.ctx = ctx
show("ca file", r)
r = request.new_from_uri(good .. "/echo?n=2")
r.ctx = ctx
show("again", r)
print("clone keeps ctx", r:clone().ctx == ctx)
local none = openssl_ctx.new("TLS", false)
print("new ctx verify", none:getVerify())
print("setVerify", none:setVerify(openssl_ctx.VERIFY_NONE))
r = request.new_from_uri(other .. "/echo?n=3")
r.ctx = none
show("verify none, other name", r)
r = request.new_from_uri(other .. "/echo?n=4")
r.ctx = ctx
show("ca file, other name", r)
-- A POST over TLS with a body.
r = request.new_from_uri(good .. "/echo?n=5")
r.ctx = ctx
r.headers:upsert(":method", "POST")
r:set_body("hello over tls")
show("post", r)
print("missing CA", pcall(function()
  local store = http_tls.new_client_context():getStore()
  store:add("/nonexistent/ca.pem")
end))
