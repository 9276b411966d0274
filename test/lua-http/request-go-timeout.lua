-- req:go(timeout) bounds the wait for the response head (across redirects), not the reading of the
-- body afterwards; a server that never answers; a timeout inside cqueues functions while another
-- request goes on. Timeouts are far from the servers' delays (generous bounds, no timing printed).
local request = require "http.request"
local cqueues = require "cqueues"
local base, fault = arg[1], arg[2]
print("stalled head", request.new_from_uri(fault .. "/stall-head"):go(0.3))
print("delay", request.new_from_uri(base .. "/delay/3"):go(0.3))
print("redirect then delay", request.new_from_uri(base .. "/redirect-to?url=%2Fdelay%2F3"):go(0.5))
-- The head comes at once; the body takes about 2 seconds, longer than go's timeout.
local h, s = request.new_from_uri(base .. "/drip?duration=2&numbytes=2&delay=0"):go(0.5)
print("slow body", h:get(":status"), s:get_body_as_string())
h, s = request.new_from_uri(base .. "/drip?duration=2&numbytes=2&delay=0"):go(0.5)
print("slow body, stream timeout", s:get_body_as_string(0.3))
print("no timeout", request.new_from_uri(base .. "/delay/1"):go():get(":status"))
local cq = cqueues.new()
local results = {}
cq:wrap(function()
  results[1] = table.pack(request.new_from_uri(base .. "/delay/3"):go(0.3))
end)
cq:wrap(function()
  local h2, s2 = assert(request.new_from_uri(base .. "/delay/1"):go(10))
  results[2] = table.pack(h2:get(":status"), (s2:get_body_as_string():match('"url": "[^"]*"')))
end)
print("loop", cq:loop())
for i = 1, 2 do print("wrap " .. i, table.unpack(results[i], 1, results[i].n)) end
print("after", request.new_from_uri(base .. "/get"):go(5):get(":status"))
