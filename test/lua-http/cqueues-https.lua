-- https requests fanned out under cq:wrap: each with the test CA in its ctx, a slow body read with
-- a per-call timeout in one function while the others complete, and verification failures in the
-- same loop; results printed in a fixed order.
local cqueues = require "cqueues"
local request = require "http.request"
local http_tls = require "http.tls"
local good, other, httpu, cafile, base = arg[6], arg[7], arg[11], arg[12], arg[1]
local ctx = http_tls.new_client_context()
ctx:getStore():add(cafile)
local cq = cqueues.new()
local results = {}
local function get(i, url, withctx)
  local r = request.new_from_uri(url)
  if withctx then r.ctx = ctx end
  local h, s, errno = r:go(10)
  if not h then
    results[i] = table.concat({ "nil", s, tostring(errno) }, " ")
    return
  end
  local body = assert(s:get_body_as_string(10))
  results[i] = h:get(":status") .. " " .. (body:match("^(%u+ %S+)") or body:sub(1, 20))
end
for i = 1, 5 do cq:wrap(get, i, good .. "/echo?n=" .. i, true) end
cq:wrap(get, 6, other .. "/echo", true)
cq:wrap(get, 7, good .. "/echo", false)
cq:wrap(get, 8, httpu .. "/redirect-https?to=" .. good:gsub(":", "%%3A"):gsub("/", "%%2F") .. "%2Fecho%3Fvia%3Dredirect", true)
cq:wrap(function()
  local h, s = assert(request.new_from_uri(base .. "/drip?duration=4&numbytes=2&delay=0"):go(10))
  local first = s:get_next_chunk(5)
  local r = table.pack(s:get_next_chunk(0.2))
  results[9] = ("%s %s %s %s"):format(first, tostring(r[1]), tostring(r[2]), tostring(r[3]))
  s:shutdown()
end)
print("loop", cq:loop())
for i = 1, 9 do print(i, results[i]) end
