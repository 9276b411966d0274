-- Concurrent http.request calls under cq:wrap: every response arrives, each in its own function;
-- results printed in a fixed order.
local cqueues = require "cqueues"
local request = require "http.request"
local base = arg[1]
local cq = cqueues.new()
local results = {}
for i = 1, 6 do
  cq:wrap(function()
    local path = i % 2 == 0 and "/delay/0" or ("/get?n=" .. i)
    local headers, stream = assert(request.new_from_uri(base .. path):go(10))
    local body = assert(stream:get_body_as_string())
    results[i] = headers:get(":status") .. " " .. (body:match('"n": "(%d+)"') or "delay")
  end)
end
local t0 = cqueues.monotime()
print("loop", cq:loop())
for i = 1, 6 do print(i, results[i]) end
-- Three 1-second delays overlap: far less than 3 s (a generous bound; they run at once).
cq:wrap(function() assert(request.new_from_uri(base .. "/delay/1"):go(10)) end)
cq:wrap(function() assert(request.new_from_uri(base .. "/delay/1"):go(10)) end)
cq:wrap(function() assert(request.new_from_uri(base .. "/delay/1"):go(10)) end)
local t1 = cqueues.monotime()
print("loop delays", cq:loop())
print("overlapped", cqueues.monotime() - t1 < 2.8, t0 <= t1)
cq:wrap(function()
  local h, err, errno = request.new_from_uri(arg[3] .. "/"):go(5)
  print("refused in wrap", h, err, errno)
end)
print("loop refused", cq:loop())
-- Two functions fail: each loop reports one (nothing is left to report at exit).
for _ = 1, 2 do cq:wrap(function() assert(request.new_from_uri(arg[3] .. "/"):go(5)) end) end
for k = 1, 3 do
  local ok, err, errno, thread = cq:loop()
  print("loop " .. k, ok, err, errno, type(thread), cq:count())
end
