-- TLS failures as lua-http reports them (nil, "starttls: " .. OpenSSL's error, cqueues' errno):
-- an unknown issuer, a host name mismatch, an expired certificate, a plain-HTTP port, a server that
-- closes during the handshake; a server that ends without close_notify after an HTTP/1.0 answer.
local request = require "http.request"
local http_tls = require "http.tls"
local good, other, expired, plain, close, cafile, nonotify = arg[6], arg[7], arg[8], arg[9], arg[10], arg[12], arg[15]
local ctx = http_tls.new_client_context()
ctx:getStore():add(cafile)
local function result(url, withctx)
  local r = request.new_from_uri(url .. "/echo")
  if withctx then r.ctx = ctx end
  local h, s, errno = r:go(10)
  if h then return h:get(":status"), s:get_body_as_string() end
  return h, s, errno
end
local function try(label, url, withctx)
  print(label, result(url, withctx))
end
try("unknown issuer", good, false)
try("other name", other, true)
try("expired", expired, true)
try("plain http port", plain, true)
try("closed in handshake", close, true)
try("no close_notify", nonotify, true)
-- The same failures inside functions under cqueues (printed in a fixed order).
local cqueues = require "cqueues"
local cq = cqueues.new()
local results = {}
for i, url in ipairs { expired, plain } do
  cq:wrap(function() results[i] = table.pack(result(url, true)) end)
end
print("loop", cq:loop())
for i = 1, 2 do print("in wrap", table.unpack(results[i], 1, results[i].n)) end
